//! `kb export`: NDJSON records, `_bulk` pairs, and `--since` with its deletes.

use crate::Fixture;
use serde_json::Value;
use std::path::Path;

fn fixture() -> Fixture {
    Fixture::new()
        .file(
            "handbook/pto.md",
            "---\ntitle: Paid time off\n---\nBefore any heading.\n\n## How to ask\n\nAsk your manager.\n\n### In a hurry\n\nCall them.\n",
        )
        .file(
            "rca/db.md",
            "---\ntitle: Database outage\nid: RCA-0001\nowner: dana\nstatus: published\ntags: [db, ops]\nupdated: 2026-03-02\n---\n# Database outage\n\n## Root cause: 5 whys\n\nDisk full.\n",
        )
}

fn lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn ids(records: &[Value]) -> Vec<&str> {
    records
        .iter()
        .map(|r| r["objectID"].as_str().unwrap())
        .collect()
}

#[test]
fn ndjson_has_one_record_per_section() {
    let out = fixture().stdout(&["export", "--format", "ndjson"]);
    let records = lines(&out);
    assert_eq!(
        ids(&records),
        [
            "handbook/pto.md",
            "handbook/pto.md#how-to-ask",
            "handbook/pto.md#in-a-hurry",
            "rca/db.md#database-outage",
            "rca/db.md#root-cause-5-whys",
        ]
    );
    let intro = &records[0];
    assert_eq!(intro["anchor"], Value::Null);
    assert_eq!(intro["url"], "handbook/pto.md");
    assert_eq!(intro["content"], "Before any heading.");
    assert_eq!(intro["line"], 4);
    assert_eq!(intro["hierarchy"]["lvl0"], "handbook");
    assert_eq!(intro["hierarchy"]["lvl1"], "Paid time off");
    assert_eq!(intro["hierarchy"]["lvl2"], Value::Null);

    let hurry = &records[2];
    assert_eq!(hurry["anchor"], "in-a-hurry");
    assert_eq!(hurry["url"], "handbook/pto.md#in-a-hurry");
    assert_eq!(hurry["hierarchy"]["lvl2"], "How to ask");
    assert_eq!(hurry["hierarchy"]["lvl3"], "In a hurry");
    assert_eq!(hurry["hierarchy"]["lvl4"], Value::Null);
    assert_eq!(hurry["hierarchy"]["lvl6"], Value::Null);
    assert_eq!(hurry["content"], "Call them.");
    assert_eq!(hurry["line"], 10);
    assert_eq!(hurry["path"], "handbook/pto.md");
    assert_eq!(hurry["type"], "handbook");

    let rca = &records[4];
    assert_eq!(rca["type"], "rca");
    assert_eq!(rca["owner"], "dana");
    assert_eq!(rca["status"], "published");
    assert_eq!(rca["tags"], serde_json::json!(["db", "ops"]));
    assert_eq!(rca["updated"], "2026-03-02");
    assert_eq!(rca["title"], "Database outage");
    assert_eq!(rca["doc_id"], "RCA-0001");
    assert_eq!(rca["hierarchy"]["lvl0"], "rca");
    assert_eq!(rca["hierarchy"]["lvl2"], "Root cause: 5 whys");
    let id = rca["id"].as_str().unwrap();
    assert!(id.starts_with("rca_db_md_root-cause-5-whys-"), "{id}");
    assert!(id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
    // ndjson is the default.
    assert_eq!(fixture().stdout(&["export"]), out);
}

#[test]
fn es_bulk_pairs_an_action_with_each_record() {
    let out = fixture().stdout(&["export", "--format", "es-bulk"]);
    assert!(out.ends_with('\n'));
    let lines = lines(&out);
    assert_eq!(lines.len(), 10);
    for pair in lines.chunks(2) {
        let action = &pair[0]["index"];
        assert_eq!(action["_index"], "test");
        assert_eq!(action["_id"], pair[1]["objectID"]);
    }
    let named = fixture().stdout(&["export", "--format", "es-bulk", "--index", "kb-2"]);
    assert!(named.starts_with(r#"{"index":{"_index":"kb-2","_id":"handbook/pto.md"}}"#));
}

#[test]
fn other_formats_are_refused() {
    fixture()
        .kb(&["export", "--format", "json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "possible values: ndjson, es-bulk",
        ));
}

fn git(dir: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Dana")
        .env("GIT_AUTHOR_EMAIL", "dana@example.com")
        .env("GIT_COMMITTER_NAME", "Dana")
        .env("GIT_COMMITTER_EMAIL", "dana@example.com")
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "git {args:?}");
}

/// A committed KB, then: one section removed from a doc, a doc deleted, a doc added, one left.
fn changed_since_head() -> Fixture {
    let fx = Fixture::new()
        .file(
            "specs/a.md",
            "---\ntitle: A\n---\n## One\n\nx\n\n## Two\n\ny\n\n## Three\n\nz\n",
        )
        .file(
            "specs/gone.md",
            "---\ntitle: Gone\n---\nIntro.\n\n## Part\n\np\n",
        )
        .file("specs/same.md", "---\ntitle: Same\n---\n## Still\n\ns\n");
    git(fx.root(), &["init", "-q", "-b", "main"]);
    git(fx.root(), &["add", "-A"]);
    git(fx.root(), &["commit", "-q", "-m", "start"]);
    std::fs::remove_file(fx.path("specs/gone.md")).unwrap();
    fx.file(
        "specs/a.md",
        "---\ntitle: A\n---\n## One\n\nx\n\n## Three\n\nz, edited\n",
    )
    .file("specs/new.md", "---\ntitle: New\n---\n## Fresh\n\nf\n")
}

#[test]
fn since_sends_changed_and_new_records_and_deletes_what_is_gone() {
    let fx = changed_since_head();
    let out = fx.stdout(&["export", "--since", "HEAD"]);
    let lines = lines(&out);
    let (deleted, records): (Vec<_>, Vec<_>) =
        lines.iter().cloned().partition(|l| l["_deleted"] == true);
    assert_eq!(
        ids(&records),
        ["specs/a.md#one", "specs/a.md#three", "specs/new.md#fresh"]
    );
    assert_eq!(
        ids(&deleted),
        ["specs/a.md#two", "specs/gone.md", "specs/gone.md#part"]
    );
    assert!(deleted.iter().all(|d| d["id"].is_string()));
    assert!(!out.contains("specs/same.md"));

    let bulk = lines_of(&fx.stdout(&["export", "--since", "HEAD", "--format", "es-bulk"]));
    let deletes: Vec<_> = bulk
        .iter()
        .filter_map(|l| l.get("delete"))
        .map(|d| (d["_index"].as_str().unwrap(), d["_id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        deletes,
        [
            ("test", "specs/a.md#two"),
            ("test", "specs/gone.md"),
            ("test", "specs/gone.md#part")
        ]
    );
    let indexed: Vec<_> = bulk
        .iter()
        .filter_map(|l| l.get("index"))
        .map(|d| d["_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        indexed,
        ["specs/a.md#one", "specs/a.md#three", "specs/new.md#fresh"]
    );
    // 3 deletes + 3 (action, source) pairs.
    assert_eq!(bulk.len(), 9);
}

fn lines_of(out: &str) -> Vec<Value> {
    assert!(out.ends_with('\n'));
    lines(out)
}

#[test]
fn since_an_unknown_revision_is_a_usage_error() {
    let fx = changed_since_head();
    fx.kb(&["export", "--since", "nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown revision"));
}

#[test]
fn an_unreadable_doc_is_reported_and_the_rest_exported() {
    let out = fixture()
        .file("handbook/bad.md", "---\ntitle: [unclosed\n---\n")
        .kb(&["export"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert_eq!(lines(&String::from_utf8(out.stdout).unwrap()).len(), 5);
    assert!(String::from_utf8_lossy(&out.stderr).contains("handbook/bad.md"));
}

#[test]
fn help_snapshot() {
    insta::assert_snapshot!("export-help", Fixture::bare().stdout(&["export", "--help"]));
}
