//! Time from git (DESIGN §14): each doc's `git` facts in ls and show, across renames, with
//! uncommitted changes, shallow clones and a cache that follows HEAD.

use crate::{git_as, Fixture};
use predicates::str::contains;
use serde_json::Value;

/// `kb ls --format json`, the doc at `path`.
fn listed(fx: &Fixture, path: &str) -> Value {
    let listing = fx.json(&["ls"]);
    listing["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == path)
        .unwrap_or_else(|| panic!("{path} not listed"))
        .clone()
}

fn commit(fx: &Fixture, date: &str, message: &str) {
    git_as(fx.root(), Some(date), &["add", "-A"]);
    git_as(fx.root(), Some(date), &["commit", "-q", "-m", message]);
}

/// A handbook page written in January, edited in March, moved in April; people/ knows Dana.
fn handbook() -> Fixture {
    let fx = Fixture::new()
        .file(
            "people/dana.md",
            "---\nhandle: dana\nemail: dana@acme.example\n---\n# Dana Reyes\n",
        )
        .file("handbook/pto.md", "# Time off\n\nTake it.\n");
    git_as(fx.root(), None, &["init", "-q", "-b", "main"]);
    commit(&fx, "2026-01-10", "Add the PTO page");
    std::fs::write(
        fx.path("handbook/pto.md"),
        "# Time off\n\nTake it, all of it.\n",
    )
    .unwrap();
    commit(&fx, "2026-03-05", "PTO: say it plainly");
    std::fs::create_dir_all(fx.path("handbook/benefits")).unwrap();
    git_as(
        fx.root(),
        None,
        &["mv", "handbook/pto.md", "handbook/benefits/pto.md"],
    );
    commit(&fx, "2026-04-01", "Move PTO under benefits");
    fx
}

#[test]
fn a_doc_knows_when_it_was_created_and_updated_across_a_rename() {
    let fx = handbook();
    let doc = listed(&fx, "handbook/benefits/pto.md");
    let git = &doc["git"];
    assert_eq!(git["created"], "2026-01-10");
    assert_eq!(git["updated"], "2026-04-01");
    assert_eq!(git["commits"], 3);
    assert_eq!(git["author"], "dana", "mapped through people/ emails");
    assert_eq!(git["last_commit"]["summary"], "Move PTO under benefits");
    assert_eq!(git["last_commit"]["date"], "2026-04-01");
    assert!(git.get("dirty").is_none() && git.get("approximate").is_none());
    // Where no `updated:` was typed, the listing's dates are git's.
    assert_eq!(doc["updated"], "2026-04-01");
    assert_eq!(doc["created"], "2026-01-10");
    let shown = fx.stdout(&["show", "handbook/benefits/pto.md"]);
    assert!(
        shown.contains("updated 2026-04-01 by dana (3 commits since 2026-01-10)"),
        "{shown}"
    );
}

#[test]
fn a_doc_git_has_never_seen_is_shown_as_not_committed() {
    let fx = handbook().file("handbook/new.md", "# New page\n");
    let shown = fx.stdout(&["show", "handbook/new.md"]);
    assert!(shown.contains("not committed yet"), "{shown}");
    assert!(!shown.contains("0 commits"), "{shown}");
}

#[test]
fn the_front_matter_date_wins_over_git() {
    let fx = handbook().file(
        "handbook/travel.md",
        "---\nupdated: 2025-12-01\n---\n# Travel\n",
    );
    commit(&fx, "2026-05-01", "Travel");
    let doc = listed(&fx, "handbook/travel.md");
    assert_eq!(doc["updated"], "2025-12-01");
    assert_eq!(doc["git"]["updated"], "2026-05-01");
}

#[test]
fn where_and_sort_read_git_facts() {
    let fx = handbook().file("handbook/travel.md", "# Travel\n");
    commit(&fx, "2026-06-01", "Travel");
    let old = fx.json(&["ls", "--where", "git.updated<2026-05-01"]);
    assert_eq!(
        crate::paths(&old),
        ["handbook/benefits/pto.md", "people/dana.md"]
    );
    // Relative dates work as for any date field (KB_NOW is 2026-11-25).
    let recent = fx.json(&["ls", "--where", "git.updated>=200d"]);
    assert_eq!(crate::paths(&recent), ["handbook/travel.md"]);
    let sorted = fx.json(&["ls", "--sort", "-git.updated"]);
    assert_eq!(crate::paths(&sorted)[0], "handbook/travel.md");
}

#[test]
fn uncommitted_changes_are_updated_today_and_dirty() {
    let fx = handbook().file("handbook/new.md", "# Not committed yet\n");
    std::fs::write(
        fx.path("handbook/benefits/pto.md"),
        "# Time off\n\nEdited.\n",
    )
    .unwrap();
    let edited = listed(&fx, "handbook/benefits/pto.md");
    assert_eq!(edited["git"]["updated"], "2026-11-25");
    assert_eq!(edited["git"]["dirty"], true);
    assert_eq!(edited["git"]["commits"], 3);
    let new = listed(&fx, "handbook/new.md");
    assert_eq!(new["git"]["dirty"], true);
    assert_eq!(new["git"]["commits"], 0);
}

#[test]
fn the_cache_follows_head_and_survives_damage() {
    let fx = handbook();
    assert_eq!(listed(&fx, "handbook/benefits/pto.md")["git"]["commits"], 3);
    assert!(fx.path(".kb/cache/history.json").is_file());
    // A new commit on top of the cached HEAD is folded in.
    std::fs::write(fx.path("handbook/benefits/pto.md"), "# Time off\n\nv4\n").unwrap();
    commit(&fx, "2026-07-01", "v4");
    assert_eq!(
        listed(&fx, "handbook/benefits/pto.md")["git"]["updated"],
        "2026-07-01"
    );
    // A HEAD that does not descend from the cached one (history rewritten) is folded anew.
    git_as(fx.root(), None, &["reset", "-q", "--hard", "HEAD~1"]);
    let doc = listed(&fx, "handbook/benefits/pto.md");
    assert_eq!(
        (doc["git"]["updated"].clone(), doc["git"]["commits"].clone()),
        ("2026-04-01".into(), 3.into())
    );
    // Garbage in the cache is rebuilt without a word.
    std::fs::write(fx.path(".kb/cache/history.json"), "{not json").unwrap();
    fx.kb(&["ls"]).assert().success().stderr("");
    assert_eq!(listed(&fx, "handbook/benefits/pto.md")["git"]["commits"], 3);
}

#[test]
fn a_shallow_clone_says_what_it_lacks_and_marks_dates_approximate() {
    let fx = handbook();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", fx.root().display());
    git_as(
        clone.path(),
        None,
        &["clone", "-q", "--depth", "1", &url, "kb"],
    );
    let kb = clone.path().join("kb");
    let out = crate::kb_in(&kb)
        .args(["ls", "--format", "json"])
        .assert()
        .success()
        .stderr(contains(
            "shallow clone: dates before 2026-04-01 are unknown",
        ))
        .get_output()
        .stdout
        .clone();
    let listing: Value = serde_json::from_slice(&out).unwrap();
    let pto = listing["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "handbook/benefits/pto.md")
        .unwrap();
    assert_eq!(pto["git"]["approximate"], true);
    assert_eq!(pto["git"]["created"], "2026-04-01");
}

#[test]
fn outside_git_there_are_no_facts_and_no_noise_unless_asked() {
    let fx = Fixture::new().file("handbook/pto.md", "# Time off\n");
    fx.kb(&["ls"]).assert().success().stderr("");
    assert_eq!(listed(&fx, "handbook/pto.md")["git"], Value::Null);
    fx.kb(&["ls", "--where", "git.updated<30d"])
        .assert()
        .stderr(contains("not in a git repository"));
}

#[test]
fn a_kb_in_a_subfolder_of_its_repository() {
    let fx = Fixture::bare()
        .file("README.md", "# The repo\n")
        .file("docs/kb.yaml", "name: Docs\n")
        .file("docs/handbook/pto.md", "# Time off\n");
    git_as(fx.root(), None, &["init", "-q", "-b", "main"]);
    commit(&fx, "2026-02-02", "Start");
    let listing = crate::kb_in(&fx.path("docs"))
        .args(["ls", "--format", "json"])
        .output()
        .unwrap();
    let listing: Value = serde_json::from_slice(&listing.stdout).unwrap();
    assert_eq!(listing["docs"][0]["path"], "handbook/pto.md");
    assert_eq!(listing["docs"][0]["git"]["created"], "2026-02-02");
}

#[test]
fn search_results_in_json_carry_git_facts() {
    let fx = handbook();
    let found = fx.json(&["search", "time off"]);
    let first = &found["results"][0];
    assert_eq!(first["path"], "handbook/benefits/pto.md");
    assert_eq!(first["git"]["updated"], "2026-04-01");
    let text = fx.stdout(&["search", "time off"]);
    assert!(text.contains("handbook/benefits/pto.md"), "{text}");
}

#[test]
fn a_doc_moved_and_edited_in_one_commit_keeps_its_history() {
    let fx = handbook();
    let text = "# Time off\n\nTake it, all of it.\n\nAsk your manager first.\n";
    std::fs::create_dir_all(fx.path("people-ops")).unwrap();
    std::fs::write(fx.path("people-ops/pto.md"), text).unwrap();
    std::fs::remove_file(fx.path("handbook/benefits/pto.md")).unwrap();
    commit(&fx, "2026-08-01", "Move PTO to people-ops and add a line");
    let git = &listed(&fx, "people-ops/pto.md")["git"];
    assert_eq!(
        git["created"], "2026-01-10",
        "similar content is the same doc"
    );
    assert_eq!(git["commits"], 4);
}

#[test]
fn a_cache_pointing_past_its_commits_is_rebuilt() {
    let fx = handbook();
    listed(&fx, "handbook/benefits/pto.md");
    let path = fx.path(".kb/cache/history.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut cache: Value = serde_json::from_str(&text).unwrap();
    for folded in cache["paths"].as_object_mut().unwrap().values_mut() {
        folded["updated"] = 999_999.into();
    }
    std::fs::write(&path, cache.to_string()).unwrap();
    fx.kb(&["ls"]).assert().success().stderr("");
    assert_eq!(listed(&fx, "handbook/benefits/pto.md")["git"]["commits"], 3);
}
