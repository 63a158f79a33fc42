//! `kb ls`: filters, `--where`, sorting, formats, discovery and pipes.

use crate::{kb_in, paths, Fixture};
use predicates::str::contains;

fn company() -> Fixture {
    Fixture::new()
        .file("rca/db.md", "---\ntitle: Database outage\nid: RCA-0001\nowner: dana\nstatus: published\ntags: [db, ops]\ncreated: 2026-03-01\nseverity: 2\n---\n")
        .file("rca/cdn.md", "---\ntitle: CDN outage\nid: RCA-0002\nowner: sam\nstatus: draft\ntags: [ops]\ncreated: 2026-10-05\nseverity: 10\n---\n")
        .file("specs/checkout.md", "---\ntitle: Checkout redesign\nid: SPEC-0001\nowner: dana\nstatus: in-review\nreview: {due: 2026-12-01}\ncreated: 2026-09-15T09:00:00Z\n---\n")
        .file("handbook/values.md", "---\ntitle: Values\nowner: lee\ntags: culture\n---\n")
}

#[test]
fn lists_everything_sorted_by_path() {
    let out = company().stdout(&["ls"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("PATH"), "{out}");
    assert!(lines[1].starts_with("handbook/values.md"));
    assert!(lines[2].starts_with("rca/cdn.md"));
    assert!(out.contains("published") && out.contains("Checkout redesign"));
}

#[test]
fn shorthand_filters() {
    let fx = company();
    assert_eq!(
        paths(&fx.json(&["ls", "--type", "rca"])),
        vec!["rca/cdn.md", "rca/db.md"]
    );
    assert_eq!(
        paths(&fx.json(&["ls", "--type", "rca", "--status", "published"])),
        vec!["rca/db.md"]
    );
    assert_eq!(
        paths(&fx.json(&["ls", "--owner", "dana"])),
        vec!["rca/db.md", "specs/checkout.md"]
    );
    assert_eq!(
        paths(&fx.json(&["ls", "--tag", "ops", "--tag", "db"])),
        vec!["rca/db.md"]
    );
    assert_eq!(
        paths(&fx.json(&["ls", "--tag", "culture"])),
        vec!["handbook/values.md"]
    );
    assert_eq!(
        paths(&fx.json(&["ls", "--type", "spec,handbook"])),
        vec!["handbook/values.md", "specs/checkout.md"]
    );
}

#[test]
fn where_expressions() {
    let fx = company();
    let ls = |expr: &str| paths(&fx.json(&["ls", "--where", expr]));
    assert_eq!(ls("id=rca-0002"), vec!["rca/cdn.md"]);
    assert_eq!(ls("owner!=dana"), vec!["handbook/values.md", "rca/cdn.md"]);
    assert_eq!(ls("created<2026-09-15"), vec!["rca/db.md"]);
    assert_eq!(
        ls("created>=2026-09-15"),
        vec!["rca/cdn.md", "specs/checkout.md"]
    );
    // Numbers compare as numbers: 10 > 2, though "10" < "2" as text.
    assert_eq!(ls("severity>5"), vec!["rca/cdn.md"]);
    assert_eq!(ls("title~OUTAGE"), vec!["rca/cdn.md", "rca/db.md"]);
    assert_eq!(ls("review?"), vec!["specs/checkout.md"]);
    assert_eq!(ls("review.due<2026-12-02"), vec!["specs/checkout.md"]);
    assert_eq!(ls("tags=db"), vec!["rca/db.md"]);
    let both = paths(&fx.json(&["ls", "--where", "owner=dana", "--where", "status=published"]));
    assert_eq!(both, vec!["rca/db.md"]);
}

#[test]
fn a_bad_where_is_a_usage_error() {
    company()
        .kb(&["ls", "--where", "owner"])
        .assert()
        .code(2)
        .stderr(contains("invalid --where expression"))
        .stderr(contains("hint:"));
}

#[test]
fn sort_by_field_numbers_dates_and_descending() {
    let fx = company();
    assert_eq!(
        paths(&fx.json(&["ls", "--type", "rca", "--sort", "severity"])),
        vec!["rca/db.md", "rca/cdn.md"]
    );
    assert_eq!(
        paths(&fx.json(&["ls", "--sort=-created"])),
        vec![
            "rca/cdn.md",
            "specs/checkout.md",
            "rca/db.md",
            "handbook/values.md"
        ]
    );
}

#[test]
fn json_contract() {
    let listing = company().json(&["ls", "--type", "spec"]);
    assert_eq!(listing["schema_version"], 1);
    let d = &listing["docs"][0];
    for key in [
        "path", "id", "title", "type", "status", "owner", "tags", "created", "updated", "fields",
    ] {
        assert!(d.get(key).is_some(), "missing {key} in {d}");
    }
    assert_eq!(d["created"], "2026-09-15");
    assert_eq!(d["fields"]["review"]["due"], "2026-12-01");
    assert_eq!(d["updated"], serde_json::Value::Null);
}

#[test]
fn markdown_table() {
    let out = company().stdout(&["ls", "--format", "md", "--type", "rca"]);
    assert!(
        out.starts_with("| Doc | Type | Status | Owner |\n|---|---|---|---|\n"),
        "{out}"
    );
    assert!(out.contains("| [CDN outage](rca/cdn.md) | rca | draft | sam |"));
}

#[test]
fn an_unsupported_format_says_which_are() {
    company()
        .kb(&["ls", "--format", "text"])
        .assert()
        .code(2)
        .stderr(contains("table, json, md"));
}

#[test]
fn finds_the_kb_from_a_subfolder_and_from_kb_dir() {
    let fx = company();
    let out = kb_in(&fx.path("rca"))
        .args(["ls", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out).unwrap()["docs"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let elsewhere = tempfile::tempdir().unwrap();
    kb_in(elsewhere.path())
        .env("KB_DIR", fx.root())
        .arg("ls")
        .assert()
        .success()
        .stdout(contains("rca/db.md"));
    kb_in(elsewhere.path())
        .arg("--kb")
        .arg(fx.root())
        .arg("ls")
        .assert()
        .success()
        .stdout(contains("rca/db.md"));
}

#[test]
fn a_git_repository_without_kb_yaml_is_a_kb() {
    let fx = Fixture::bare().file("docs/a.md", "# A\n");
    git2::Repository::init(fx.root()).unwrap();
    kb_in(&fx.path("docs"))
        .arg("ls")
        .assert()
        .success()
        .stdout(contains("docs/a.md"));
}

#[test]
fn no_kb_found_is_exit_2_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    kb_in(dir.path())
        .arg("ls")
        .assert()
        .code(2)
        .stderr(contains("no knowledge base found"))
        .stderr(contains("kb init"));
}

#[test]
fn kb_pointing_at_a_missing_dir_is_exit_2_with_a_hint() {
    company()
        .kb(&["--kb", "does/not/exist", "ls"])
        .assert()
        .code(2)
        .stderr(contains("does not exist"))
        .stderr(contains("hint:"));
}

#[test]
fn global_options_go_before_or_after_the_command() {
    let fx = company();
    let before = fx.stdout(&["--format", "json", "ls"]);
    let after = fx.stdout(&["ls", "--format", "json"]);
    assert_eq!(before, after);
}

#[cfg(unix)]
#[test]
fn a_broken_pipe_exits_quietly() {
    use std::process::{Command, Stdio};
    let mut fx = Fixture::new();
    for i in 0..3000 {
        fx = fx.file(
            &format!("handbook/page-{i:04}.md"),
            "---\ntitle: A page with a reasonably long title\n---\n",
        );
    }
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("kb"))
        .current_dir(fx.root())
        .arg("ls")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn where_and_sort_read_hugo_dates_like_the_listing() {
    let fx = Fixture::new()
        .file("a.md", "---\ntitle: A\nlastmod: 2026-08-14\n---\n")
        .file("b.md", "---\ntitle: B\nlastmod: 2025-01-01\n---\n");
    assert_eq!(
        paths(&fx.json(&["ls", "--where", "updated>=2026-01-01"])),
        vec!["a.md"]
    );
    assert_eq!(
        paths(&fx.json(&["ls", "--sort", "updated"])),
        vec!["b.md", "a.md"]
    );
}

#[test]
fn sorting_mixed_values_is_stable_and_total() {
    let mut fx = Fixture::new();
    for (i, v) in ["2", "10", "1a", "nan", "2026-01-01", "b"]
        .iter()
        .enumerate()
    {
        fx = fx.file(
            &format!("d{i}.md"),
            &format!("---\ntitle: D{i}\nrank: \"{v}\"\n---\n"),
        );
    }
    assert_eq!(
        paths(&fx.json(&["ls", "--sort", "rank"])),
        vec!["d4.md", "d0.md", "d1.md", "d2.md", "d5.md", "d3.md"]
    );
}

#[cfg(unix)]
#[test]
fn a_kb_whose_own_folder_name_is_not_utf8_lists_its_docs() {
    use std::os::unix::ffi::OsStrExt;
    let outer = Fixture::bare();
    let root = outer.root().join(std::ffi::OsStr::from_bytes(b"kb\xff"));
    std::fs::create_dir_all(root.join("notes")).unwrap();
    std::fs::write(root.join("kb.yaml"), "name: Test\n").unwrap();
    std::fs::write(root.join("notes/a.md"), "# A\n").unwrap();
    let out = kb_in(&root)
        .args(["ls", "--format", "json"])
        .assert()
        .success();
    let listing: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(paths(&listing), ["notes/a.md"]);
}
