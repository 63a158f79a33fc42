//! `kb show DOC`: by path, id or title prefix.

use crate::{kb_in, Fixture};
use predicates::str::contains;

fn fx() -> Fixture {
    Fixture::new()
        .file("rca/db.md", "---\ntitle: Database outage\nid: RCA-0001\nowner: dana\n---\n# Database outage\n\n## Timeline\n\nSee [values](../handbook/values.md) and [[SPEC-0001]].\n")
        .file("rca/dns.md", "---\ntitle: DNS outage\nid: RCA-0002\n---\nText\n")
        .file("handbook/values.md", "# Values\n\nWe write things down.\n")
}

#[test]
fn by_path_id_and_title_prefix() {
    let fx = fx();
    for query in [
        "rca/db.md",
        "rca/db",
        "RCA-0001",
        "rca-0001",
        "datab",
        "Database outage",
    ] {
        let out = fx.stdout(&["show", query]);
        assert!(
            out.starts_with("Database outage\nrca/db.md\n"),
            "{query}: {out}"
        );
        assert!(out.contains("## Timeline"));
    }
}

#[test]
fn a_path_relative_to_the_current_folder() {
    let fx = fx();
    kb_in(&fx.path("rca"))
        .args(["show", "db.md"])
        .assert()
        .success()
        .stdout(contains("RCA-0001"));
}

#[test]
fn metadata_then_body() {
    let out = fx().stdout(&["show", "RCA-0001"]);
    assert!(out.contains("owner:") && out.contains("dana"));
    assert!(!out.contains("We write"));
}

#[test]
fn a_multi_line_value_continues_under_its_first_line() {
    let fx = Fixture::new().file(
        "notes/a.md",
        "---\ntitle: A\ndescription: |\n  first line\n  second line\nowner: dana\n---\n# A\n",
    );
    let out = fx.stdout(&["show", "notes/a.md"]);
    assert!(
        out.contains("  description:   first line\n                 second line\n  owner:"),
        "{out}"
    );
}

#[test]
fn ambiguous_lists_the_candidates() {
    fx().kb(&["show", "d"])
        .assert()
        .code(2)
        .stderr(contains("matches 2 documents"))
        .stderr(contains("rca/db.md  Database outage"))
        .stderr(contains("rca/dns.md  DNS outage"));
}

#[test]
fn not_found_is_exit_1_with_a_hint() {
    fx().kb(&["show", "nothing like it"])
        .assert()
        .code(1)
        .stderr(contains("no document matches"))
        .stderr(contains("kb ls"));
}

#[test]
fn json_has_outline_and_body() {
    let d = fx().json(&["show", "RCA-0001"]);
    assert_eq!(d["schema_version"], 1);
    assert_eq!(d["path"], "rca/db.md");
    assert_eq!(d["headings"][1]["anchor"], "timeline");
    assert_eq!(d["headings"][1]["line"], 8);
    assert_eq!(d["links"][0]["target"], "../handbook/values.md");
    assert_eq!(d["links"][0]["line"], 10);
    assert_eq!(d["links"][1]["kind"], "wiki");
    assert!(d["body"].as_str().unwrap().starts_with("# Database outage"));
}

#[test]
fn a_broken_doc_shown_by_path_is_an_error_naming_it() {
    let fx = fx().file("bad.md", "---\ntitle: [\n---\n");
    fx.kb(&["show", "bad.md"])
        .assert()
        .code(1)
        .stderr(contains("--> bad.md:"));
    // Other broken docs do not matter when the doc is found.
    fx.kb(&["show", "RCA-0002"]).assert().success();
}

#[test]
fn empty_and_non_markdown_queries() {
    let fx = fx();
    fx.kb(&["show", ""])
        .assert()
        .code(2)
        .stderr(contains("DOC is empty"));
    fx.kb(&["show", "kb.yaml"])
        .assert()
        .code(1)
        .stderr(contains("no document matches"));
}
