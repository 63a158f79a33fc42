//! `--help` is part of the interface: snapshot it, so a change to it is a reviewed change.

use crate::Fixture;

fn help(args: &[&str]) -> String {
    Fixture::bare().stdout(args)
}

#[test]
fn help_snapshots() {
    for (name, args) in [
        ("kb", vec!["--help"]),
        ("init", vec!["init", "--help"]),
        ("ls", vec!["ls", "--help"]),
        ("show", vec!["show", "--help"]),
        ("mv", vec!["mv", "--help"]),
        ("stale", vec!["stale", "--help"]),
        ("log", vec!["log", "--help"]),
        ("new", vec!["new", "--help"]),
        ("templates", vec!["templates", "--help"]),
        ("search", vec!["search", "--help"]),
        ("index", vec!["index", "--help"]),
        ("goals-report", vec!["goals", "report", "--help"]),
        ("goals-tree", vec!["goals", "tree", "--help"]),
        ("goals-checkin", vec!["goals", "checkin", "--help"]),
        ("review", vec!["review", "--help"]),
        ("review-add", vec!["review", "add", "--help"]),
        ("people", vec!["people", "--help"]),
        ("org", vec!["org", "--help"]),
        ("inbox", vec!["inbox", "--help"]),
        ("check", vec!["check", "--help"]),
        ("digest", vec!["digest", "--help"]),
        ("render", vec!["render", "--help"]),
        ("metrics", vec!["metrics", "--help"]),
        ("metrics-record", vec!["metrics", "record", "--help"]),
        ("schema", vec!["schema", "--help"]),
        ("completions", vec!["completions", "--help"]),
    ] {
        insta::assert_snapshot!(name, help(&args));
    }
}
