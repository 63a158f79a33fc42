//! Faults: odd bytes and odd environments. A doc pasted from a tool that writes two BOMs or old
//! Mac line ends, a title with a control character, an empty `KB_DIR`, a FIFO named `.md`,
//! `--commit` outside git: each gets a clear answer, and nothing is half done.

use crate::Fixture;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

#[test]
fn a_double_bom_and_cr_only_line_ends_keep_the_front_matter() {
    let fx = Fixture::new()
        .bytes(
            "specs/bom.md",
            "\u{feff}\u{feff}---\ntitle: Two BOMs\ntype: spec\nowner: ann\n---\nBody.\n".as_bytes(),
        )
        .bytes(
            "specs/cr.md",
            b"---\rtitle: Old Mac\rtype: spec\rowner: ann\r---\rBody.\r",
        );
    let listing = fx.json(&["ls"]);
    let titles: Vec<&str> = listing["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Two BOMs", "Old Mac"]);
    fx.kb(&["check"]).assert().success();
}

#[test]
fn a_control_character_in_a_title_is_named_not_blamed_on_the_template() {
    let fx = Fixture::new();
    fx.kb(&["new", "spec", "Bell\u{7}title"])
        .env("KB_USER", "ann")
        .assert()
        .code(2)
        .stderr(contains("control character U+0007"))
        .stderr(contains("template").not());
    assert!(!fx.path("specs").exists());
}

#[test]
fn an_empty_kb_dir_means_unset() {
    let fx = Fixture::new().file("a.md", "# A\n");
    fx.kb(&["ls"])
        .env("KB_DIR", "")
        .assert()
        .success()
        .stdout(contains("a.md"));
}

#[test]
fn a_fifo_named_md_is_reported_and_never_read() {
    let fx = Fixture::new().file("a.md", "# A\n");
    let fifo = fx.path("pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("mkfifo is not available here: nothing to test");
        return;
    }
    fx.kb(&["ls"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1)
        .stdout(contains("a.md"))
        .stderr(contains("pipe.md"))
        .stderr(contains("not a regular file"));
    fx.kb(&["show", "pipe.md"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1);
}

#[test]
fn commit_outside_git_fails_before_writing() {
    let fx = Fixture::new();
    fx.kb(&["new", "spec", "Not committed", "--commit"])
        .env("KB_USER", "ann")
        .assert()
        .code(2)
        .stderr(contains("git repository"));
    assert!(!fx.path("specs/not-committed.md").exists());
}

#[test]
fn fifos_where_kb_keeps_its_own_files_never_hang() {
    let fx = Fixture::new().file("a.md", "# A\n");
    std::fs::create_dir_all(fx.path(".kb/tmp")).unwrap();
    std::fs::create_dir_all(fx.path(".kb/templates")).unwrap();
    for fifo in [
        ".kb/tmp/write.lock",
        ".kb/tmp/tmp-x",
        ".kb/templates/spec.md",
    ] {
        let made = std::process::Command::new("mkfifo")
            .arg(fx.path(fifo))
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            eprintln!("mkfifo is not available here: nothing to test");
            return;
        }
    }
    fx.kb(&["templates", "list"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .success();
    fx.kb(&["new", "spec", "X"])
        .env("KB_USER", "ann")
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(contains("write.lock is not a plain file"));
}

#[test]
fn a_handle_with_no_letters_is_refused() {
    let fx = Fixture::new();
    for user in ["..", "-", "."] {
        fx.kb(&["new", "spec", "X"])
            .env("KB_USER", user)
            .assert()
            .code(2)
            .stderr(contains("is not a handle"));
    }
}

#[test]
fn queries_of_operators_or_punctuation_are_no_results_not_errors() {
    let fx = Fixture::new().file("a.md", "# A\nWe ship on Friday, not Monday.\n");
    for q in [
        "NOT", "AND OR", "ship OR", "NOT ship", "((((", "*", "?", "title:(", "'", "\\",
    ] {
        let code = fx
            .kb(&["search", "--", q])
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap()
            .status
            .code();
        assert!(matches!(code, Some(0) | Some(1)), "{q}: {code:?}");
    }
}
