//! `kb init`: creates what is missing, keeps what exists.

use crate::{kb_in, Fixture};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

#[test]
fn creates_a_working_kb() {
    let fx = Fixture::bare();
    fx.kb(&["init", "acme"])
        .assert()
        .success()
        .stdout(contains("created  kb.yaml"));
    assert!(fx.path("acme/kb.yaml").is_file());
    assert!(fx.path("acme/.kb/templates/README.md").is_file());
    assert!(
        !fx.path("acme/handbook").exists(),
        "no empty folders git would drop"
    );
    assert_eq!(
        fx.read("acme/.kb/.gitignore")
            .lines()
            .skip(1)
            .collect::<Vec<_>>(),
        ["cache/", "tmp/"]
    );
    kb_in(&fx.path("acme"))
        .args(["templates", "list"])
        .assert()
        .success()
        .stdout(contains("README").not());
    kb_in(&fx.path("acme"))
        .args(["new", "playbook", "Incident response"])
        .env("KB_USER", "ann")
        .assert()
        .success();
    assert!(fx.path("acme/playbooks/incident-response.md").is_file());
    assert!(fx.read("acme/kb.yaml").contains("name: \"acme\""));
    kb_in(&fx.path("acme/.kb"))
        .arg("ls")
        .assert()
        .success()
        .stdout(contains("playbooks/incident-response.md"));
}

#[test]
fn never_overwrites_and_is_safe_to_rerun() {
    let fx = Fixture::bare()
        .file("kb.yaml", "name: Mine\n")
        .file("handbook/a.md", "# A\n");
    let report = fx.json(&["init"]);
    assert!(report["existing"]
        .as_array()
        .unwrap()
        .contains(&"kb.yaml".into()));
    assert!(report["created"]
        .as_array()
        .unwrap()
        .contains(&".kb/.gitignore".into()));
    assert_eq!(fx.read("kb.yaml"), "name: Mine\n");
    let again = fx.json(&["init"]);
    assert_eq!(again["created"].as_array().unwrap().len(), 0);
    assert_eq!(fx.read("handbook/a.md"), "# A\n");
}

#[test]
fn completions() {
    let fx = Fixture::bare();
    fx.kb(&["completions", "bash"])
        .assert()
        .success()
        .stdout(contains("_kb()"));
    fx.kb(&["completions", "zsh"])
        .assert()
        .success()
        .stdout(contains("#compdef kb"));
}

#[test]
fn init_honours_kb_dir() {
    let fx = Fixture::bare();
    fx.kb(&["--kb", "target", "init"]).assert().success();
    assert!(fx.path("target/kb.yaml").is_file());
    assert!(!fx.path("kb.yaml").exists());
}
