//! Faults: paths that lead out of the KB. A kb.yaml from a fork, a committed symlink or a review
//! event naming `../../etc/passwd` must never make kb read or write outside the root.

use crate::Fixture;
use predicates::str::contains;
use std::os::unix::fs::symlink;

/// A fixture whose KB is `kb/` inside a temp dir, so that `outside/` beside it is out of the root.
struct Fenced {
    fx: Fixture,
}

impl Fenced {
    fn new() -> Fenced {
        let fx = Fixture::bare().file("kb/kb.yaml", "name: T\n").file(
            "outside/secret.md",
            "---\ntitle: Secret\n---\nThe launch codes are 0000.\n",
        );
        Fenced { fx }
    }

    fn kb(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = crate::kb_in(&self.fx.path("kb"));
        cmd.env("KB_USER", "ann").args(args);
        cmd
    }

    fn link(&self, target: &str, at: &str) {
        let at = self.fx.path(at);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        symlink(self.fx.path(target), at).unwrap();
    }

    fn outside_files(&self) -> Vec<String> {
        let mut names: Vec<String> = walk(&self.fx.path("outside"));
        names.sort();
        names
    }
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        match p.is_dir() {
            true => out.extend(walk(&p)),
            false => out.push(p.display().to_string()),
        }
    }
    out
}

#[test]
fn a_type_folder_that_leaves_the_root_is_a_config_error_with_its_line() {
    let f = Fenced::new();
    std::fs::write(
        f.fx.path("kb/kb.yaml"),
        "name: T\ntypes:\n  spec:\n    folder: ../outside\n",
    )
    .unwrap();
    f.kb(&["new", "spec", "Escape"])
        .assert()
        .code(2)
        .stderr(contains("kb.yaml:4"))
        .stderr(contains("types.spec.folder"));
    assert_eq!(f.outside_files().len(), 1, "nothing written outside");
}

#[test]
fn writes_through_a_symlinked_folder_that_leaves_the_root_are_refused() {
    let f = Fenced::new();
    f.link("outside", "kb/specs");
    f.kb(&["new", "spec", "Escape"])
        .assert()
        .code(2)
        .stderr(contains("outside the knowledge base"));
    f.link("outside", "kb/goals");
    std::fs::remove_file(f.fx.path("kb/specs")).unwrap();
    std::fs::create_dir_all(f.fx.path("kb/specs")).unwrap();
    std::fs::write(
        f.fx.path("kb/specs/a.md"),
        "---\ntitle: A\ntype: spec\nowner: ann\n---\nWe ship on Friday.\n",
    )
    .unwrap();
    f.link("outside", "kb/.kb/reviews");
    f.kb(&[
        "review",
        "add",
        "specs/a.md",
        "--quote",
        "Friday",
        "-m",
        "Why?",
    ])
    .assert()
    .code(2)
    .stderr(contains("outside the knowledge base"));
    assert_eq!(f.outside_files().len(), 1, "nothing written outside");
}

#[test]
fn a_symlinked_file_or_folder_leading_outside_is_skipped_and_reported_once() {
    let f = Fenced::new();
    f.link("outside/secret.md", "kb/specs/passwd.md");
    f.link("outside", "kb/handbook");
    std::fs::write(f.fx.path("kb/specs/ok.md"), "# Fine\nlaunch\n").unwrap();
    let listing = crate::kb_in(&f.fx.path("kb"))
        .args(["--format", "json", "ls"])
        .output()
        .unwrap();
    assert_eq!(listing.status.code(), Some(0), "a warning, not an error");
    let listing: serde_json::Value = serde_json::from_slice(&listing.stdout).unwrap();
    assert_eq!(crate::paths(&listing), ["specs/ok.md"]);
    f.kb(&["show", "specs/passwd.md"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("outside the knowledge base"));
    let found = f.kb(&["search", "launch codes"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&found.stdout).contains("Secret"));
    let check = f.kb(&["--format", "json", "check"]).output().unwrap();
    let check: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let outside: Vec<&str> = check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "symlink-outside")
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(outside, ["handbook", "specs/passwd.md"]);
}

#[test]
fn a_review_event_naming_a_doc_outside_is_malformed_and_not_read() {
    let fx = Fixture::new().file(
        ".kb/reviews/x/01JDQ0000000000000000000AA/01JDQ0000000000000000000AA.md",
        "---\nid: 01JDQ0000000000000000000AA\nthread: 01JDQ0000000000000000000AA\nauthor: eve\ncreated: 2026-11-20T10:00:00Z\naction: comment\ndoc: ../../../../etc/passwd\nanchor: {exact: root, prefix: '', suffix: '', start: 0, end: 4, line: 1}\n---\nroot?\n",
    );
    let out = fx.kb(&["review", "list"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("root:x"), "{stdout}");
    let check = fx.json_any(&["check"]);
    let codes: Vec<&str> = check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"review-malformed"), "{check}");
}

#[test]
fn a_markdown_link_that_leaves_the_root_is_reported() {
    let fx = Fixture::new().file("a.md", "# A\n\nSee [the passwords](../../etc/passwd).\n");
    let check = fx.json_any(&["check"]);
    let d = &check["diagnostics"][0];
    assert_eq!(d["code"], "link-outside-kb", "{check}");
    assert_eq!(d["line"], 3);
}

#[test]
fn templates_and_the_index_stay_inside_too() {
    let f = Fenced::new();
    std::fs::create_dir_all(f.fx.path("kb/.kb/templates")).unwrap();
    f.link("outside/secret.md", "kb/.kb/templates/leak.md");
    f.kb(&["templates", "show", "leak"]).assert().code(2);
    f.link("outside", "kb/.kb/cache");
    std::fs::write(f.fx.path("kb/a.md"), "# A\nlaunch\n").unwrap();
    f.kb(&["search", "launch"])
        .assert()
        .code(2)
        .stderr(contains("outside the knowledge base"));
    assert_eq!(f.outside_files().len(), 1, "nothing written outside");
}

#[test]
fn todays_checkin_as_a_symlink_out_is_refused() {
    let f = Fenced::new();
    std::fs::create_dir_all(f.fx.path("kb/goals/2026")).unwrap();
    std::fs::write(
        f.fx.path("kb/goals/2026/eng.md"),
        "---\ntype: goal\nid: eng\ntitle: E\nowner: ann\nperiod: 2026-Q4\nstate: active\n---\n",
    )
    .unwrap();
    f.link(
        "outside/secret.md",
        "kb/goals/checkins/2026/2026-11-25-ann.md",
    );
    f.kb(&["goals", "checkin", "eng", "-m", "hi"])
        .assert()
        .failure()
        .stderr(contains("outside the knowledge base"));
    assert!(
        std::fs::symlink_metadata(f.fx.path("kb/goals/checkins/2026/2026-11-25-ann.md"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is left as it was"
    );
}

#[test]
fn folders_in_git_or_kb_own_space_are_config_errors() {
    let f = Fenced::new();
    std::fs::write(
        f.fx.path("kb/kb.yaml"),
        "types:\n  spec:\n    folder: .git/hooks\n",
    )
    .unwrap();
    f.kb(&["ls"]).assert().code(2).stderr(contains("kb.yaml:3"));
}
