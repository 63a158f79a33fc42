//! What people read is part of the interface too: the human outputs on examples/acme, as
//! snapshots, so a change to them is a reviewed change (KB_NOW and NO_COLOR are fixed).

use crate::kb_in;
use std::path::PathBuf;

fn acme(args: &[&str]) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let cwd = tempfile::tempdir().unwrap();
    let out = kb_in(cwd.path())
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
    ] {
        insta::assert_snapshot!(name, acme(&args));
    }
}
