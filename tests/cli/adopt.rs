//! The first hour on a handbook kb did not write: site-absolute links, titles from `##`, typed
//! `--where`, the exit rule of listings, reviewers on plain pages, threads beside whole lists,
//! a git identity that is nobody in people/.

use crate::Fixture;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

fn codes(fx: &Fixture) -> Vec<(String, String)> {
    let check = fx.json_any(&["check"]);
    check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                format!("{}:{}", d["path"].as_str().unwrap(), d["line"]),
            )
        })
        .collect()
}

#[test]
fn the_site_root_mapped_as_dot_slash_resolves_valid_links() {
    for root in ["./", ".", "/", "\"\""] {
        let fx = Fixture::bare()
            .file("kb.yaml", &format!("links:\n  roots: {{/: {root}}}\n"))
            .file("operations/oncall.md", "# On call\n\n## Paging\n")
            .file(
                "a.md",
                "# A\n\n[ok](/operations/oncall/#paging) [bad](/operations/nope/)\n",
            );
        assert_eq!(
            codes(&fx),
            [("broken-link".to_string(), "a.md:3".to_string())],
            "root spelled {root}"
        );
    }
}

#[test]
fn unmapped_site_links_are_inferred_from_the_root_or_reported_once() {
    let fx = Fixture::new()
        .file("operations/oncall.md", "# On call\n")
        .file(
            "a.md",
            "# A\n\n[ok](/operations/oncall/) [typo](/operations/operations/oncall/)\n\n[blog](/blog/x/) [news](/news/y/)\n",
        );
    assert_eq!(
        codes(&fx),
        [
            ("broken-link".to_string(), "a.md:3".to_string()),
            ("unresolved-site-link".to_string(), "a.md:5".to_string())
        ]
    );
    fx.kb(&["check"])
        .assert()
        .stdout(contains("/blog/x/ and 1 other lead to no folder"))
        .stdout(contains("links.roots"));
}

#[test]
fn a_page_that_starts_at_h2_takes_its_title_from_it() {
    let fx = Fixture::new().file(
        "handbook/values.md",
        "Intro.\n\n## Our values\n\n### Candour\n",
    );
    let listing = fx.json(&["ls"]);
    assert_eq!(listing["docs"][0]["title"], "Our values");
}

#[test]
fn where_reads_values_as_the_fields_kind() {
    let fx = Fixture::new()
        .file("a.md", "---\ntitle: Old\ncreated: 2026-01-05\n---\n")
        .file("b.md", "---\ntitle: New\ncreated: 2026-11-25\n---\n");
    let listing = fx.json(&["ls", "--where", "created<yesterday"]);
    assert_eq!(crate::paths(&listing), ["a.md"]);
    fx.kb(&["ls", "--where", "created<<2026"])
        .assert()
        .code(2)
        .stderr(contains("not an operator"));
    fx.kb(&["ls", "--where", "created<soon"])
        .assert()
        .code(2)
        .stderr(contains("is a date field"));
    fx.kb(&["ls", "--sort", "craeted"])
        .assert()
        .success()
        .stderr(contains("did you mean --sort created?"));
}

#[test]
fn listings_that_match_nothing_exit_1_and_say_so() {
    let fx = Fixture::new().file(
        "a.md",
        "---\ntitle: A\ntype: spec\nowner: ann\n---\nText.\n",
    );
    fx.kb(&["ls", "--type", "rca"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("no docs match"));
    let out = fx
        .kb(&["--format", "json", "ls", "--type", "rca"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let listing: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listing["docs"].as_array().unwrap().len(), 0);
    fx.kb(&["search", "nothing-like-this"]).assert().code(1);
    fx.kb(&["review", "list"]).assert().code(1);
    fx.kb(&["ls"]).assert().success();
}

#[test]
fn reviewers_of_a_plain_page_must_be_people() {
    let fx = Fixture::new()
        .file("people/ann.md", "---\ntype: person\nhandle: ann\n---\n")
        .file(
            "handbook/leave.md",
            "---\ntitle: Leave\nreview: {reviewers: [ann, ghost]}\n---\nText.\n",
        );
    let found = codes(&fx);
    assert!(
        found.contains(&(
            "unknown-person".to_string(),
            "handbook/leave.md:3".to_string()
        )),
        "{found:?}"
    );
}

#[test]
fn a_thread_on_a_list_item_comes_after_the_whole_list() {
    let fx = Fixture::new().file(
        "a.md",
        "---\ntitle: A\n---\n# Steps\n\n5. Freeze deploys.\n6. Page the owner.\n7. Roll back.\n   - check the dashboard\n   - tell support\n\nAfter the list.\n",
    );
    fx.kb(&[
        "review",
        "add",
        "a.md",
        "--quote",
        "Freeze deploys",
        "-m",
        "Who decides?",
    ])
    .env("KB_USER", "bo")
    .assert()
    .success();
    let shown = fx.stdout(&["show", "a.md", "--comments"]);
    let list_end = shown.find("tell support").unwrap();
    let thread = shown.find("Who decides?").unwrap();
    let after = shown.find("After the list.").unwrap();
    assert!(list_end < thread && thread < after, "{shown}");
}

#[test]
fn a_git_identity_that_is_nobody_in_people_is_named_once() {
    let fx = Fixture::new()
        .file(
            "people/ann.md",
            "---\ntype: person\nhandle: ann\nemail: ann@acme.example\n---\n",
        )
        .file(
            ".gitconfig",
            "[user]\n  name = Sam Stone\n  email = sam@acme.example\n",
        );
    fx.kb(&["new", "spec", "Refunds"])
        .assert()
        .success()
        .stderr(contains("sam@acme.example matches no person in people/"))
        .stderr(contains("`sam-stone`"))
        .stderr(contains("add `email:`"));
    fx.kb(&["new", "spec", "Payouts"])
        .env("KB_USER", "ann")
        .assert()
        .success()
        .stderr(contains("matches no person").not());
}

#[test]
fn a_type_on_the_root_folder_types_every_unclaimed_page() {
    let fx = Fixture::bare()
        .file("kb.yaml", "types:\n  handbook: {folder: .}\n")
        .file("benefits/leave.md", "# Leave\n")
        .file("rca/outage.md", "# Outage\n");
    let listing = fx.json(&["ls"]);
    let types: Vec<&str> = listing["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["type"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(types, ["handbook", "rca"]);
}
