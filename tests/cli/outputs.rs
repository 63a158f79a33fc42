//! What people read is part of the interface too: the human outputs on examples/acme, as
//! snapshots, so a change to them is a reviewed change (KB_NOW and NO_COLOR are fixed).

use crate::{copy_dir, kb_in};
use std::path::PathBuf;

/// Runs kb on a copy of examples/acme outside git, so no commit of this project shows.
fn acme(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("acme");
    copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/acme"),
        &root,
    );
    let out = kb_in(dir.path())
        .arg("--kb")
        .arg(&root)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kb {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn human_outputs() {
    for (name, args) in [
        ("ls-table", vec!["ls"]),
        ("ls-md", vec!["ls", "--type", "rca", "--format", "md"]),
        ("show", vec!["show", "ADR-0002"]),
        ("goals-tree", vec!["goals", "tree"]),
        ("goals-report-md", vec!["goals", "report"]),
        (
            "review-show",
            vec!["review", "show", "specs/checkout-redesign.md"],
        ),
        ("review-list", vec!["review", "list"]),
        ("review-status", vec!["review", "status"]),
        ("templates-list", vec!["templates", "list"]),
        ("people", vec!["people", "--team", "checkout"]),
        ("org", vec!["org"]),
        ("org-md", vec!["org", "kenji", "--format", "md"]),
        ("org-mermaid", vec!["org", "ines", "--format", "mermaid"]),
        ("inbox-kenji", vec!["inbox", "kenji"]),
        ("inbox-all-md", vec!["inbox", "--all", "--format", "md"]),
    ] {
        insta::assert_snapshot!(name, acme(&args));
    }
}
