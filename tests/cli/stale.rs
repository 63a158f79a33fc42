//! `kb stale`: docs overdue for review by their owners (DESIGN §14), and `kb stale confirm`.

use crate::{git_as, Fixture};
use predicates::str::contains;

/// KB_NOW is 2026-11-25. Handbook pages are due every 180 days; everything was committed on
/// 2026-01-10.
fn handbook() -> Fixture {
    let fx = Fixture::bare()
        .file(
            "kb.yaml",
            "name: Acme\ntypes:\n  handbook: {folder: handbook}\nfreshness:\n  handbook: 180d\n  default: off\n",
        )
        .file("handbook/pto.md", "---\ntitle: Time off\nowner: dana\n---\nTake it.\n")
        .file(
            "handbook/expenses.md",
            "---\ntitle: Expenses\nowner: sam\nreviewed: 2026-10-01\n---\nKeep receipts.\n",
        )
        .file(
            "handbook/travel.md",
            "---\ntitle: Travel\nowner: dana\nupdated: 2026-09-01\nreview_every: 30d\n---\nBook early.\n",
        )
        .file(
            "handbook/security.md",
            "---\ntitle: Security\nowner_slack: \"#sec\"\nlast_reviewed_on: 2025-11-01\nreview_in: 6 months\n---\nLock it.\n",
        )
        .file("notes/scratch.md", "# Scratch\n");
    git_as(fx.root(), None, &["init", "-q", "-b", "main"]);
    git_as(fx.root(), Some("2026-01-10"), &["add", "-A"]);
    git_as(
        fx.root(),
        Some("2026-01-10"),
        &["commit", "-q", "-m", "Start"],
    );
    fx
}

#[test]
fn overdue_docs_most_overdue_first_with_why() {
    let fx = handbook();
    let report = fx.json(&["stale"]);
    let docs = report["docs"].as_array().unwrap();
    let listed: Vec<(&str, i64, &str)> = docs
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap(),
                d["days_overdue"].as_i64().unwrap(),
                d["basis"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            // 2025-11-01 + 180 days = 2026-04-30
            ("handbook/security.md", 209, "reviewed"),
            // 2026-01-10 + 180 days = 2026-07-09
            ("handbook/pto.md", 139, "git"),
            // 2026-09-01 + 30 days = 2026-10-01
            ("handbook/travel.md", 55, "front-matter"),
        ]
    );
    let pto = &docs[1];
    for key in [
        "title",
        "type",
        "owner",
        "reviewed",
        "updated",
        "review_every_days",
        "due",
    ] {
        assert!(pto.get(key).is_some(), "{key}");
    }
    assert_eq!(pto["due"], "2026-07-09");
    assert_eq!(
        docs[0]["owner"], "#sec",
        "GOV.UK's owner_slack where no owner"
    );

    let text = fx.stdout(&["stale"]);
    assert!(
        text.contains("3 docs overdue for review as of 2026-11-25"),
        "{text}"
    );
    assert!(text.contains("dana (2)"), "{text}");
    let md = fx.stdout(&["stale", "--owner", "dana", "--format", "md"]);
    assert!(
        md.contains("- [Time off](handbook/pto.md) — 139 days overdue"),
        "{md}"
    );
    assert!(!md.contains("Security"), "{md}");
    let github = fx.stdout(&["stale", "--format", "github"]);
    assert!(
        github.starts_with("::warning file=handbook/security.md,line=1,title=review overdue::"),
        "{github}"
    );
}

#[test]
fn stale_is_a_report_that_exits_0() {
    let fx = handbook();
    fx.kb(&["stale"]).assert().code(0);
    let fresh = Fixture::new().file("a.md", "# A\n");
    fresh
        .kb(&["stale"])
        .assert()
        .code(0)
        .stdout(contains("No doc is overdue"));
}

#[test]
fn confirm_changes_one_line_and_the_doc_is_fresh_again() {
    let fx = handbook();
    let before = fx.read("handbook/security.md");
    fx.kb(&["stale", "confirm", "handbook/security.md", "Time off"])
        .assert()
        .success()
        .stdout(contains(
            "Confirmed handbook/security.md as reviewed on 2026-11-25",
        ));
    let after = fx.read("handbook/security.md");
    assert_eq!(
        after,
        before.replace(
            "last_reviewed_on: 2025-11-01",
            "last_reviewed_on: 2026-11-25"
        )
    );
    assert_eq!(
        fx.read("handbook/pto.md"),
        "---\nreviewed: 2026-11-25\ntitle: Time off\nowner: dana\n---\nTake it.\n"
    );
    let report = fx.json(&["stale"]);
    assert_eq!(crate::paths(&report), ["handbook/travel.md"]);
}

#[test]
fn confirm_rewrites_the_review_date_yaml_keeps_when_it_is_written_twice() {
    let fx = handbook().file(
        "handbook/twice.md",
        "---\ntitle: Twice\nreviewed: 2026-10-01\nowner: sam\nreviewed: 2025-01-01\n---\nOld.\n",
    );
    assert!(is_stale(&fx, "handbook/twice.md"));
    assert_eq!(
        confirmed(&fx, "handbook/twice.md"),
        "---\ntitle: Twice\nreviewed: 2026-10-01\nowner: sam\nreviewed: 2026-11-25\n---\nOld.\n"
    );
    assert!(!is_stale(&fx, "handbook/twice.md"));
}

/// `kb stale confirm DOC` (which must succeed), and the doc's text after it.
fn confirmed(fx: &Fixture, doc: &str) -> String {
    fx.kb(&["stale", "confirm", doc, "Time off"])
        .assert()
        .success();
    fx.read(doc)
}

fn is_stale(fx: &Fixture, doc: &str) -> bool {
    crate::paths(&fx.json(&["stale"])).iter().any(|p| p == doc)
}

#[test]
fn confirm_keeps_an_anchor_another_field_names_and_the_comment() {
    let fx = handbook().file(
        "handbook/anchored.md",
        "---\ntitle: Anchored\nreviewed: &r 2025-01-01 # yearly\nupdated: *r\n---\nText.\n",
    );
    assert_eq!(
        confirmed(&fx, "handbook/anchored.md"),
        "---\ntitle: Anchored\nreviewed: &r 2026-11-25 # yearly\nupdated: *r\n---\nText.\n"
    );
    // Still one readable doc, no longer due.
    fx.kb(&["ls"]).assert().success();
    assert!(!is_stale(&fx, "handbook/anchored.md"));
}

#[test]
fn confirm_of_an_unknown_doc_writes_nothing() {
    let fx = handbook();
    let before = fx.read("handbook/pto.md");
    fx.kb(&["stale", "confirm", "handbook/pto.md", "no-such-doc"])
        .assert()
        .failure();
    assert_eq!(fx.read("handbook/pto.md"), before);
}

#[test]
fn a_bad_freshness_setting_names_its_line() {
    let fx = Fixture::bare()
        .file("kb.yaml", "name: Acme\nfreshness:\n  default: often\n")
        .file("a.md", "# A\n");
    fx.kb(&["stale"])
        .assert()
        .code(2)
        .stderr(contains("kb.yaml:3"))
        .stderr(contains("\"often\" is not an interval"));
    let typo = Fixture::bare()
        .file("kb.yaml", "name: Acme\nfreshness:\n  handbok: 90d\n")
        .file("a.md", "# A\n");
    typo.kb(&["stale"])
        .assert()
        .code(2)
        .stderr(contains("\"handbok\" is not a doc type"));
}

#[cfg(unix)]
#[test]
fn confirm_through_a_symlinked_doc_rewrites_the_page_and_keeps_the_link() {
    let fx = handbook();
    std::os::unix::fs::symlink("../handbook/pto.md", fx.path("notes/pto.md")).unwrap();
    fx.kb(&["stale", "confirm", "notes/pto.md"])
        .assert()
        .success();
    let link = std::fs::symlink_metadata(fx.path("notes/pto.md")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a copy"
    );
    assert_eq!(
        fx.read("handbook/pto.md"),
        "---\nreviewed: 2026-11-25\ntitle: Time off\nowner: dana\n---\nTake it.\n"
    );
}
