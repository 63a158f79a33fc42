//! `kb search` and `kb index`: ranking, freshness, a broken or concurrent index, filters, JSON.

use crate::Fixture;
use predicates::prelude::*;
use predicates::str::contains;

fn handbook() -> Fixture {
    Fixture::new()
        .file(
            "handbook/refunds.md",
            "---\ntitle: Refund policy\nowner: dana\ntags: [support]\n---\n# Refund policy\n\nWhen a merchant loses money because of us, we pay it back first.\n\n## Credits\n\nCredits are approved by support leads.\n",
        )
        .file(
            "handbook/travel.md",
            "---\ntitle: Travel\nowner: sam\n---\n# Travel\n\nBook trains when you can. The policy on refund of tickets is in the finance tool.\n",
        )
        .file(
            "playbooks/onboarding.md",
            "---\ntitle: Onboarding new engineers\nowner: lee\nstatus: active\n---\n# Onboarding\n\nPair with a buddy in week one.\n",
        )
        .file(
            "rca/outage.md",
            "---\ntitle: Checkout outage\nid: RCA-0001\nowner: dana\nstatus: published\n---\n# Checkout outage\n\n## Timeline\n\nThe database ran out of connections during a single weekend of traffic.\n\n## Why\n\nThe weekend was single handedly the busiest, traffic was high all weekend.\n",
        )
}

fn paths(results: &serde_json::Value) -> Vec<String> {
    results["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect()
}

fn search(fx: &Fixture, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json", "search"];
    all.extend_from_slice(args);
    let out = fx.kb(&all).output().unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn a_title_match_beats_a_body_match() {
    let r = search(&handbook(), &["refund policy"]);
    assert_eq!(
        paths(&r)[..2],
        ["handbook/refunds.md", "handbook/travel.md"]
    );
}

#[test]
fn a_phrase_beats_scattered_words() {
    let fx = handbook().file(
        "meetings/notes.md",
        "# Notes\n\nsingle things happen; a weekend is long.\n",
    );
    let r = search(&fx, &["\"single weekend\""]);
    assert_eq!(paths(&r), vec!["rca/outage.md"]);
    assert_eq!(r["results"][0]["section"], "Timeline");
    // The line of the match, not of the section's heading (line 9).
    assert_eq!(r["results"][0]["line"], 11);
}

#[test]
fn stemming_and_prefixes() {
    let fx = handbook();
    assert_eq!(
        paths(&search(&fx, &["onboard"]))[0],
        "playbooks/onboarding.md"
    );
    assert_eq!(
        paths(&search(&fx, &["onboard*"]))[0],
        "playbooks/onboarding.md"
    );
    assert_eq!(paths(&search(&fx, &["refunds"]))[0], "handbook/refunds.md");
}

#[test]
fn json_contract() {
    let r = search(&handbook(), &["credits"]);
    assert_eq!(r["schema_version"], 1);
    assert_eq!(r["query"], "credits");
    assert!(r["took_ms"].is_u64() && r["total"].is_u64());
    let hit = &r["results"][0];
    for key in [
        "path", "id", "title", "type", "score", "line", "section", "snippet",
    ] {
        assert!(hit.get(key).is_some(), "missing {key}");
    }
    assert_eq!(hit["section"], "Credits");
    assert_eq!(hit["line"], 12);
    assert!(hit["snippet"]
        .as_str()
        .unwrap()
        .contains("Credits are approved"));
}

#[test]
fn text_output_names_path_line_and_section() {
    let out = handbook().stdout(&["search", "credits"]);
    assert!(out.contains("1. Refund policy"), "{out}");
    assert!(out.contains("handbook/refunds.md:12  § Credits"), "{out}");
    let md = handbook().stdout(&["search", "credits", "--format", "md"]);
    assert!(md.contains("**Credits**"), "{md}");
}

#[test]
fn filters() {
    let fx = handbook();
    assert_eq!(
        paths(&search(
            &fx,
            &["policy", "--type", "handbook", "--owner", "sam"]
        )),
        vec!["handbook/travel.md"]
    );
    assert_eq!(
        paths(&search(
            &fx,
            &["weekend OR credits", "--status", "published"]
        )),
        vec!["rca/outage.md"]
    );
    assert_eq!(
        paths(&search(&fx, &["policy", "--tag", "SUPPORT"])),
        vec!["handbook/refunds.md"]
    );
    assert_eq!(paths(&search(&fx, &["id:rca-0001"])), vec!["rca/outage.md"]);
    assert_eq!(
        paths(&search(&fx, &["refund -travel"])),
        vec!["handbook/refunds.md"]
    );
}

#[test]
fn no_results_is_exit_1_and_a_bad_query_exit_2_with_the_position() {
    let fx = handbook();
    fx.kb(&["search", "zebra"])
        .assert()
        .code(1)
        .stderr(contains("no results"));
    fx.kb(&["search", "refund \"policy"])
        .assert()
        .code(2)
        .stderr(contains("character 8"))
        .stderr(contains("never closed"));
    // Free text never fails: an unknown `field:` is two words, an apostrophe is text.
    fx.kb(&["search", "nosuchfield:zebra"]).assert().code(1);
    fx.kb(&["search", "what's the refund policy?"])
        .assert()
        .success();
    fx.kb(&["search", "refund (eu"]).assert().success();
}

#[test]
fn an_edited_file_is_found_by_its_new_words_on_the_very_next_search() {
    let fx = handbook();
    assert_eq!(
        paths(&search(&fx, &["buddy"])),
        vec!["playbooks/onboarding.md"]
    );
    std::fs::write(
        fx.path("playbooks/onboarding.md"),
        "---\ntitle: Onboarding\n---\nShadowing in week one.\n",
    )
    .unwrap();
    assert_eq!(
        paths(&search(&fx, &["shadowing"])),
        vec!["playbooks/onboarding.md"]
    );
    assert!(paths(&search(&fx, &["buddy"])).is_empty());
}

#[test]
fn deleted_and_renamed_files() {
    let fx = handbook();
    assert_eq!(paths(&search(&fx, &["trains"])), vec!["handbook/travel.md"]);
    std::fs::rename(fx.path("handbook/travel.md"), fx.path("handbook/trips.md")).unwrap();
    assert_eq!(paths(&search(&fx, &["trains"])), vec!["handbook/trips.md"]);
    std::fs::remove_file(fx.path("handbook/trips.md")).unwrap();
    assert!(paths(&search(&fx, &["trains"])).is_empty());
}

#[test]
fn no_refresh_searches_the_index_as_it_is() {
    let fx = handbook();
    search(&fx, &["trains"]);
    std::fs::remove_file(fx.path("handbook/travel.md")).unwrap();
    assert_eq!(
        paths(&search(&fx, &["trains", "--no-refresh"])),
        vec!["handbook/travel.md"]
    );
    assert!(paths(&search(&fx, &["trains"])).is_empty());
}

#[test]
fn a_truncated_or_garbage_index_is_rebuilt_with_a_warning() {
    let fx = handbook();
    search(&fx, &["trains"]);
    let dir = fx.path(".kb/cache/index");
    let files = |dir: &std::path::Path| -> Vec<std::path::PathBuf> {
        let mut all = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            match path.is_dir() {
                true => all.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path())),
                false => all.push(path),
            }
        }
        all
    };
    for f in files(&dir) {
        if f.extension()
            .is_some_and(|e| e == "store" || e == "idx" || e == "term")
        {
            std::fs::write(f, b"").unwrap();
        }
    }
    let rebuilt = "warning: the search index was damaged; rebuilt it\n";
    fx.kb(&["search", "trains"])
        .assert()
        .success()
        .stdout(contains("handbook/travel.md"))
        .stderr(rebuilt);
    for f in files(&dir) {
        std::fs::write(f, b"\x00garbage\xff").unwrap();
    }
    fx.kb(&["search", "trains"])
        .assert()
        .success()
        .stdout(contains("handbook/travel.md"))
        .stderr(rebuilt);
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::write(&dir, b"not even a folder").unwrap();
    fx.kb(&["search", "trains"])
        .assert()
        .success()
        .stdout(contains("handbook/travel.md"));
}

#[test]
fn two_searches_on_a_cold_index_both_answer() {
    let mut fx = handbook();
    for i in 0..300 {
        fx = fx.file(
            &format!("handbook/page-{i}.md"),
            &format!("# Page {i}\n\nFiller text about page {i} and trains.\n"),
        );
    }
    let spawn = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("kb"))
            .current_dir(fx.root())
            .args(["--format", "json", "search", "refund policy"])
            .output()
            .unwrap()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap(), b.join().unwrap())
    });
    for out in [a, b] {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(paths(&r)[0], "handbook/refunds.md");
    }
    assert_eq!(
        paths(&search(&fx, &["trains", "--limit", "500"])).len(),
        301
    );
}

#[test]
fn a_plain_folder_without_git_and_the_cache_is_git_ignored() {
    let fx = handbook();
    assert!(!fx.path(".git").exists());
    search(&fx, &["refund"]);
    assert!(fx.read(".kb/.gitignore").lines().any(|l| l == "cache/"));
}

#[test]
fn a_broken_doc_is_reported_and_the_rest_is_searchable() {
    let fx = handbook()
        .file("handbook/bad.md", "---\ntitle: [\n---\ntrains\n")
        .file("handbook/worse.md", "---\nowner: [\n---\ntrains\n");
    fx.kb(&["search", "trains"])
        .assert()
        .success()
        .stdout(contains("handbook/travel.md"))
        .stderr(contains("2 docs could not be indexed"))
        .stderr(contains("handbook/bad.md"))
        .stderr(contains("also handbook/worse.md:3"));
    // Not retried (nor reported again) until it changes.
    fx.kb(&["search", "trains"])
        .assert()
        .success()
        .stderr(contains("handbook/bad.md").not());
    std::fs::write(
        fx.path("handbook/bad.md"),
        "---\ntitle: [\n---\ntrains again\n",
    )
    .unwrap();
    fx.kb(&["search", "trains"])
        .assert()
        .success()
        .stderr(contains("handbook/bad.md"));
}

#[test]
fn kb_index_names_a_broken_doc_on_every_run_and_counts_only_what_it_indexed() {
    let fx = handbook().file("handbook/bad.md", "---\ntitle: [\n---\ntrains\n");
    let names_it = |args: &[&str], docs: &str| {
        fx.kb(args)
            .assert()
            .code(1)
            .stdout(contains(docs))
            .stderr(contains("handbook/bad.md:3"));
    };
    names_it(&["index"], "Indexed 4 docs");
    // Up to date, the doc is not indexed again, but it is still named and not counted.
    names_it(&["index"], "Index up to date: 4 docs");
    std::fs::write(fx.path("handbook/new.md"), "# New\n").unwrap();
    names_it(&["index"], "5 docs in the index");
    let json = fx.json_any(&["index"]);
    assert_eq!(json["docs"].as_u64(), Some(5));
    assert_eq!(json["errors"][0]["path"], "handbook/bad.md");
    std::fs::write(
        fx.path("handbook/bad.md"),
        "---\ntitle: Fixed\n---\ntrains\n",
    )
    .unwrap();
    fx.kb(&["index"])
        .assert()
        .success()
        .stdout(contains("6 docs in the index"))
        .stderr(contains("bad.md").not());
}

#[cfg(unix)]
#[test]
fn kb_index_names_a_doc_whose_file_name_is_not_utf8_on_every_run() {
    use std::os::unix::ffi::OsStrExt;
    let fx = handbook();
    // A name that is not UTF-8 cannot be named back to the file system.
    let name = std::ffi::OsStr::from_bytes(b"handbook/bad\xff.md");
    std::fs::write(fx.path("").join(name), "# Bad\n").unwrap();
    for _ in 0..2 {
        fx.kb(&["index"])
            .assert()
            .code(1)
            .stderr(contains("handbook/bad\u{fffd}.md"))
            .stderr(contains("name is not UTF-8"));
    }
}

#[test]
fn a_broken_doc_deleted_is_not_counted_as_dropped_from_the_index() {
    let fx = handbook().file("handbook/bad.md", "---\ntitle: [\n---\ntrains\n");
    fx.kb(&["index"]).assert().code(1);
    std::fs::remove_file(fx.path("handbook/bad.md")).unwrap();
    let json = fx.json(&["index"]);
    assert_eq!(
        (json["deleted"].as_u64(), json["docs"].as_u64()),
        (Some(0), Some(4))
    );
}

#[test]
fn kb_index_builds_refreshes_and_rebuilds() {
    let fx = handbook();
    let first = fx.json(&["index"]);
    assert_eq!(
        (first["rebuilt"].as_bool(), first["docs"].as_u64()),
        (Some(true), Some(4))
    );
    let again = fx.json(&["index"]);
    assert_eq!(
        (again["rebuilt"].as_bool(), again["changed"].as_u64()),
        (Some(false), Some(0))
    );
    std::fs::write(fx.path("handbook/new.md"), "# New\n").unwrap();
    let refreshed = fx.json(&["index"]);
    assert_eq!(
        (refreshed["changed"].as_u64(), refreshed["docs"].as_u64()),
        (Some(1), Some(5))
    );
    let out = fx.stdout(&["index", "--rebuild"]);
    assert!(out.starts_with("Indexed 5 docs"), "{out}");
}

#[test]
fn an_absurd_limit_is_a_usage_error() {
    handbook()
        .kb(&["search", "refund", "--limit", "100000000"])
        .assert()
        .code(2);
}

#[test]
fn an_edit_that_keeps_size_and_mtime_is_searched_at_once() {
    let fx = handbook();
    let back_to_2020 = || fx.touch_back("playbooks/onboarding.md");
    assert!(back_to_2020());
    assert_eq!(
        paths(&search(&fx, &["buddy"])),
        vec!["playbooks/onboarding.md"]
    );
    // Same length, the modification time put back: only the ctime (and inode) tell.
    let path = fx.path("playbooks/onboarding.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("buddy", "zqxwv")).unwrap();
    assert!(back_to_2020());
    assert_eq!(
        paths(&search(&fx, &["zqxwv"])),
        vec!["playbooks/onboarding.md"]
    );
}
