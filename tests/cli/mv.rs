//! `kb mv`: moving docs and folders without breaking a link (DESIGN §18). On a KB with every
//! kind of link at several depths, each kind of move must leave `kb check` saying what it said
//! before, change only the URL bytes of links, and `--dry-run` must change nothing.

use crate::{git_as, Fixture};
use predicates::str::contains;
use std::collections::BTreeMap;
use std::path::Path;

/// Filler that makes each doc long enough for git to see a doc whose links changed as renamed.
const PROSE: &str = "Plan trips early, keep every receipt, and ask your lead before booking anything over the limit. \
Travel is a cost the company carries gladly when it brings people together; it is also the first budget\n\
line a downturn cuts, so treat it with care and explain in a sentence why the trip matters.\n";

fn handbook() -> Fixture {
    let fx = Fixture::bare()
        .file("kb.yaml", "name: Test\nlinks: {roots: {/handbook/: handbook/}}\n")
        .file(
            "index.md",
            "---\ntitle: Home\n---\n# Home\n\n\
Travel: [the policy](handbook/travel.md), [booking](handbook/travel.md#booking \"Booking rules\"), [pretty](handbook/travel/), [site](/handbook/travel/#per-diem), [*angle*](<handbook/travel.md>).\n\
Team: [field marketing](handbook/field%20marketing.md) and [its goals](<handbook/field marketing.md#goals>).\n\
Wiki: [[handbook/travel]], [[handbook/travel.md|the policy]], [[travel]], [[TRAVEL-1]], [[Travel policy]], [[handbook/travel#per-diem]].\n\
Reference: [travel][t], [collapsed][], [shortcut], ![map](handbook/img/map.png).\n\
Ops: [on call](handbook/ops/on-call.md), [ops folder](handbook/ops/), [spec](specs/checkout.md#rollout).\n\n\
`[code span](handbook/travel.md)` and ``[[handbook/travel]]`` are code.\n\n\
```md\n[fenced](handbook/travel.md)\n```\n\n    [indented](handbook/travel.md)\n\n\
[gone](handbook/missing.md)\n\n\
[[NOPE-9]]\n\n\
[mail](mailto:travel@acme.example) [web](https://acme.example/handbook/travel.md)\n\n\
[t]: handbook/travel.md \"Travel\"\n\
[collapsed]: <handbook/travel.md#per-diem>\n\
[shortcut]: ./handbook/travel.md\n",
        )
        .file(
            "handbook/travel.md",
            &format!("---\ntitle: Travel policy\nid: TRAVEL-1\nsuperseded_by: decisions/0001-travel.md\n---\n# Travel policy\n\n{PROSE}\n## Booking\n\n\
Book through [expenses](expenses.md#receipts) and read the [checkout spec](../specs/checkout.md#rollout \"Rollout plan\").\n\
Back [home](../index.md), [the team](./field%20marketing.md), [on call](ops/on-call.md), ![map](img/map.png), [ops](ops/).\n\
[[specs/checkout]] and [site](/handbook/expenses/) and [self](#per-diem) and [self by name](travel.md#booking).\n\n\
[the repository's readme](../../README.md)\n\n\
## Per diem\n\n{PROSE}"),
        )
        .file(
            "handbook/expenses.md",
            &format!("---\ntitle: Expenses\n---\n# Expenses\n\n{PROSE}\n## Receipts\n\n\
See [travel](travel.md#per-diem) and [again](./travel.md) and [up](../handbook/travel.md).\n\n\
[missing](nowhere.md)\n"),
        )
        .file(
            "handbook/field marketing.md",
            &format!("---\ntitle: Field marketing\n---\n# Field marketing\n\n## Goals\n\n{PROSE}\nSee [travel](travel.md).\n"),
        )
        .file(
            "handbook/ops/on-call.md",
            &format!("---\ntitle: On call\n---\n# On call\n\n{PROSE}\n\
[travel](../travel.md#booking), [pretty](../travel/), [site](/handbook/travel/), [spec](../../specs/checkout.md), [home](../../index.md).\n"),
        )
        .bytes("handbook/img/map.png", b"\x89PNG not really")
        .file(
            "specs/checkout.md",
            &format!("---\ntitle: Checkout\ntype: spec\nowner: dana\nparent: handbook/travel.md\n---\n# Checkout\n\n## Rollout\n\n{PROSE}\n\
Per [travel](../handbook/travel.md#booking), [per diem](/handbook/travel/#per-diem), [[handbook/travel#booking]], [ops](../handbook/ops/on-call.md).\n"),
        )
        .file(
            "specs/deep/nested/notes.md",
            &format!("---\ntitle: Notes\ntype: spec\nowner: dana\n---\n# Notes\n\n{PROSE}\n[travel](../../../handbook/travel.md) [checkout](../../checkout.md#rollout)\n"),
        )
        .file(
            "decisions/0001-travel.md",
            &format!("---\ntitle: Travel by train\ntype: decision\nowner: dana\nsupersedes: \"handbook/travel.md\"\n---\n# Travel by train\n\n{PROSE}\nUpdates [the policy](../handbook/travel.md).\n"),
        );
    fx.kb(&[
        "review",
        "add",
        "handbook/travel.md",
        "--quote",
        "read the",
        "-m",
        "Which receipts?",
    ])
    .env("KB_USER", "sam")
    .assert()
    .success();
    fx
}

/// Every file of the KB but kb's caches and git's, with its bytes.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            // kb's own scratch space and caches (and the .gitignore that hides them) are not
            // the user's files.
            if rel == ".git" || rel == ".kb/tmp" || rel == ".kb/cache" || rel == ".kb/.gitignore" {
                continue;
            }
            match entry.file_type().unwrap().is_dir() {
                true => stack.push(path),
                false => {
                    out.insert(rel, std::fs::read(&path).unwrap());
                }
            }
        }
    }
    out
}

/// Where a KB path goes when `from` moves to `to`.
fn map(path: &str, from: &str, to: &str) -> String {
    match path.strip_prefix(from) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("{to}{rest}"),
        _ => path.to_string(),
    }
}

/// `kb check`'s diagnostics, with the paths of moved docs (in `path` and in messages) as they
/// are after the move.
fn diagnostics(check: &serde_json::Value, from: &str, to: &str) -> Vec<String> {
    let mut out: Vec<String> = check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let path = map(d["path"].as_str().unwrap(), from, to);
            // A link above the KB root from a moved doc is rewritten to stay there: its
            // message quotes the new URL.
            let message = match d["code"].as_str() {
                Some("link-outside-kb") => String::new(),
                _ => d["message"].as_str().unwrap().replace(from, to),
            };
            format!(
                "{path}:{}:{} {} {} {message}",
                d["line"], d["column"], d["severity"], d["code"]
            )
        })
        .collect();
    out.sort();
    out
}

/// A text with each link destination (and each path-valued front-matter line, and a review
/// event's `doc:`) masked: two texts that differ only in URLs mask alike.
fn mask(text: &str) -> String {
    let split_at = kb::doc::parse("x.md".into(), text.as_bytes().to_vec(), &Default::default())
        .map(|s| s.text.len() - s.body().len())
        .unwrap_or(0);
    let (head, body) = text.split_at(split_at);
    let head: Vec<String> = head
        .lines()
        .map(|l| match l.split_once(':') {
            Some((k, _)) if ["parent", "supersedes", "superseded_by", "doc"].contains(&k) => {
                format!("{k}: <URL>")
            }
            _ => l.to_string(),
        })
        .collect();
    let mut body = body.to_string();
    let mut spans: Vec<_> = kb::doc::markdown::link_sites(&body, 1)
        .into_iter()
        .filter_map(|s| s.span)
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.start));
    spans.dedup();
    for span in spans {
        body.replace_range(span, "<URL>");
    }
    format!("{}\n{body}", head.join("\n"))
}

/// Moves `from` to `to` and checks what a move promises: `kb check` says the same, only URL
/// bytes changed, every file is where it should be. Returns the KB's files before and after.
fn check_move(
    fx: &Fixture,
    from: &str,
    to: &str,
) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, Vec<u8>>) {
    let before_check = fx.json_any(&["check"]);
    let before = files(fx.root());
    fx.kb(&["mv", from, to]).assert().success();
    let after = files(fx.root());
    let after_check = fx.json_any(&["check"]);
    assert_eq!(
        diagnostics(&after_check, "\u{0}", "\u{0}"),
        diagnostics(&before_check, from, to),
        "kb check after moving {from} to {to}"
    );
    assert_eq!(after_check["files_checked"], before_check["files_checked"]);
    // Every file is there, moved or not; only review events move beside docs.
    let review_from = format!(".kb/reviews/{}", from.trim_end_matches(".md"));
    let review_to = format!(".kb/reviews/{}", to.trim_end_matches(".md"));
    let mut changed = 0;
    for (path, bytes) in &before {
        let new = map(&map(path, from, to), &review_from, &review_to);
        let now = after
            .get(&new)
            .unwrap_or_else(|| panic!("{path} should be at {new}"));
        if now != bytes {
            changed += 1;
            let (old_text, new_text) = (
                String::from_utf8(bytes.clone()).unwrap(),
                String::from_utf8(now.clone()).unwrap(),
            );
            assert_eq!(
                mask(&new_text),
                mask(&old_text),
                "{path}: only URLs change\n--- before\n{old_text}\n--- after\n{new_text}"
            );
        }
    }
    assert_eq!(after.len(), before.len(), "no file appears or vanishes");
    assert!(changed > 0, "some links were rewritten");
    (before, after)
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(files[path].clone()).unwrap()
}

#[test]
fn a_doc_to_another_folder() {
    let fx = handbook();
    let (_, after) = check_move(&fx, "handbook/travel.md", "policies/travel.md");
    let home = text(&after, "index.md");
    assert!(
        home.contains("Travel: [the policy](policies/travel.md), [booking](policies/travel.md#booking \"Booking rules\"), [pretty](policies/travel/), [site](/policies/travel/#per-diem), [*angle*](<policies/travel.md>)."),
        "{home}"
    );
    assert!(home.contains("Wiki: [[policies/travel]], [[policies/travel.md|the policy]], [[travel]], [[TRAVEL-1]], [[Travel policy]], [[policies/travel#per-diem]]."), "{home}");
    assert!(home.contains("[t]: policies/travel.md \"Travel\"\n[collapsed]: <policies/travel.md#per-diem>\n[shortcut]: ./policies/travel.md\n"), "{home}");
    for code in [
        "`[code span](handbook/travel.md)`",
        "[fenced](handbook/travel.md)",
        "    [indented](handbook/travel.md)",
        "[gone](handbook/missing.md)",
        "(https://acme.example/handbook/travel.md)",
    ] {
        assert!(home.contains(code), "{code} left alone");
    }
    let moved = text(&after, "policies/travel.md");
    assert!(moved.contains("Book through [expenses](../handbook/expenses.md#receipts) and read the [checkout spec](../specs/checkout.md#rollout \"Rollout plan\")."), "{moved}");
    assert!(moved.contains("Back [home](../index.md), [the team](../handbook/field%20marketing.md), [on call](../handbook/ops/on-call.md), ![map](../handbook/img/map.png), [ops](../handbook/ops/)."), "{moved}");
    assert!(
        moved.contains("[self](#per-diem) and [self by name](travel.md#booking)"),
        "{moved}"
    );
    assert!(text(&after, "specs/checkout.md").contains("parent: policies/travel.md\n"));
    assert!(
        text(&after, "decisions/0001-travel.md").contains("supersedes: \"policies/travel.md\"\n")
    );
    // The review thread moved with its doc, and still finds its passage.
    let threads = fx.json(&["review", "list", "--state", "all"]);
    assert_eq!(threads["threads"][0]["doc"], "policies/travel.md");
    assert_ne!(threads["threads"][0]["anchor"]["resolution"], "orphaned");
    assert!(after
        .keys()
        .any(|p| p.starts_with(".kb/reviews/policies/travel/")));
    assert!(
        !fx.path(".kb/reviews/handbook").exists(),
        "emptied review folders go"
    );
}

#[test]
fn a_folder() {
    let fx = handbook();
    let (_, after) = check_move(&fx, "handbook/ops", "runbooks/ops");
    assert!(text(&after, "index.md").contains("Ops: [on call](runbooks/ops/on-call.md), [ops folder](runbooks/ops/), [spec](specs/checkout.md#rollout)."));
    let on_call = text(&after, "runbooks/ops/on-call.md");
    assert!(on_call.contains("[travel](../../handbook/travel.md#booking), [pretty](../../handbook/travel/), [site](/handbook/travel/), [spec](../../specs/checkout.md), [home](../../index.md)."), "{on_call}");
}

#[test]
fn a_folder_with_its_own_links_and_front_matter() {
    let fx = handbook();
    let (_, after) = check_move(&fx, "specs", "product/specs");
    // Links between docs that move together stay as they were.
    assert!(text(&after, "product/specs/deep/nested/notes.md").contains(
        "[travel](../../../../handbook/travel.md) [checkout](../../checkout.md#rollout)"
    ));
    assert!(text(&after, "product/specs/checkout.md").contains("parent: handbook/travel.md\n"));
}

#[test]
fn a_doc_into_a_deeper_folder() {
    let fx = handbook();
    let (_, after) = check_move(
        &fx,
        "handbook/travel.md",
        "handbook/policies/trips/travel.md",
    );
    let on_call = text(&after, "handbook/ops/on-call.md");
    assert!(on_call.contains("[travel](../policies/trips/travel.md#booking), [pretty](../policies/trips/travel/), [site](/handbook/policies/trips/travel/)"), "{on_call}");
    let moved = text(&after, "handbook/policies/trips/travel.md");
    assert!(
        moved.contains("[the team](../../field%20marketing.md)")
            && moved.contains("[the repository's readme](../../../../README.md)"),
        "{moved}"
    );
}

#[test]
fn a_rename_in_the_same_folder() {
    let fx = handbook();
    let (_, after) = check_move(&fx, "handbook/travel.md", "handbook/trips.md");
    let home = text(&after, "index.md");
    // Named by file name, Obsidian-style: the new name; by id or title: unchanged.
    assert!(home.contains("Wiki: [[handbook/trips]], [[handbook/trips.md|the policy]], [[trips]], [[TRAVEL-1]], [[Travel policy]]"), "{home}");
    let expenses = text(&after, "handbook/expenses.md");
    assert!(expenses.contains("See [travel](trips.md#per-diem) and [again](./trips.md) and [up](../handbook/trips.md)."), "{expenses}");
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let fx = handbook();
    let before = files(fx.root());
    let out = fx.stdout(&["mv", "handbook/travel.md", "handbook/trips.md", "--dry-run"]);
    assert_eq!(files(fx.root()), before);
    assert!(
        out.starts_with("Would move handbook/travel.md to handbook/trips.md\n"),
        "{out}"
    );
    assert!(out.contains("diff --git a/handbook/travel.md b/handbook/trips.md\nrename from handbook/travel.md\nrename to handbook/trips.md\n"), "{out}");
    assert!(out.contains("-See [travel](travel.md#per-diem) and [again](./travel.md) and [up](../handbook/travel.md).\n+See [travel](trips.md#per-diem) and [again](./trips.md) and [up](../handbook/trips.md).\n"), "{out}");
    let json = fx.json(&["mv", "handbook/ops", "runbooks", "--dry-run"]);
    assert_eq!(json["to"], "runbooks");
    assert_eq!(json["folder"], true);
    assert_eq!(json["dry_run"], true);
    assert!(json["diff"]
        .as_str()
        .unwrap()
        .contains("rename to runbooks/on-call.md"));
    assert_eq!(files(fx.root()), before);
}

#[test]
fn a_dry_run_writes_not_even_a_lock() {
    let fx = Fixture::new()
        .file("a.md", "# A\n\n[b](b.md)\n")
        .file("b.md", "# B\n");
    let out = fx.stdout(&["mv", "b.md", "c.md", "--dry-run"]);
    assert!(out.contains("-[b](b.md)\n+[b](c.md)\n"), "{out}");
    assert!(!fx.path(".kb").exists());
}

#[test]
fn commit_records_renames() {
    let fx = handbook();
    git_as(fx.root(), None, &["init", "-q", "-b", "main"]);
    git_as(fx.root(), None, &["config", "user.name", "Dana Reyes"]);
    git_as(
        fx.root(),
        None,
        &["config", "user.email", "dana@acme.example"],
    );
    git_as(fx.root(), Some("2026-11-01"), &["add", "-A"]);
    git_as(
        fx.root(),
        Some("2026-11-01"),
        &["commit", "-q", "-m", "Start"],
    );
    let report = fx.json(&["mv", "handbook/travel.md", "policies/travel.md", "--commit"]);
    assert!(report["commit"].as_str().is_some_and(|c| c.len() == 7));
    let repo = git2::Repository::open(fx.root()).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    assert!(head
        .message()
        .unwrap()
        .starts_with("Move handbook/travel.md to policies/travel.md"));
    let mut diff = repo
        .diff_tree_to_tree(
            Some(&head.parent(0).unwrap().tree().unwrap()),
            Some(&head.tree().unwrap()),
            None,
        )
        .unwrap();
    diff.find_similar(Some(git2::DiffFindOptions::new().renames(true)))
        .unwrap();
    let renames: Vec<(String, String)> = diff
        .deltas()
        .filter(|d| d.status() == git2::Delta::Renamed)
        .map(|d| {
            let p = |f: git2::DiffFile| f.path().unwrap().to_string_lossy().into_owned();
            (p(d.old_file()), p(d.new_file()))
        })
        .collect();
    assert!(
        renames.contains(&("handbook/travel.md".into(), "policies/travel.md".into())),
        "{renames:?}"
    );
    assert_eq!(
        renames
            .iter()
            .filter(|(f, _)| f.starts_with(".kb/reviews/handbook/travel/"))
            .count(),
        1,
        "{renames:?}"
    );
    let modified = diff
        .deltas()
        .filter(|d| d.status() == git2::Delta::Modified)
        .count();
    assert_eq!(modified, 7, "the docs whose links changed");
    // Nothing left to commit: the index agrees.
    let statuses = repo.statuses(None).unwrap();
    let dirty: Vec<_> = statuses
        .iter()
        .filter_map(|s| s.path().ok().map(str::to_string))
        .filter(|p| !p.starts_with(".kb/"))
        .collect();
    assert!(dirty.is_empty(), "{dirty:?}");
}

#[test]
fn the_search_index_follows() {
    let fx = handbook();
    let hits = fx.json(&["search", "receipt"]);
    assert!(hits["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["path"] == "handbook/travel.md"));
    fx.kb(&["mv", "handbook/travel.md", "policies/travel.md"])
        .assert()
        .success();
    let hits = fx.json(&["search", "receipt"]);
    let paths: Vec<&str> = hits["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"policies/travel.md") && !paths.contains(&"handbook/travel.md"),
        "{paths:?}"
    );
}

#[test]
fn refusals_leave_everything_in_place() {
    let fx = handbook();
    let before = files(fx.root());
    for (args, message) in [
        (
            vec!["mv", "handbook/travel.md", "handbook/expenses.md"],
            "already exists",
        ),
        (
            vec!["mv", "handbook/nope.md", "x.md"],
            "no such file or folder",
        ),
        (vec!["mv", "handbook", "handbook/inner"], "into itself"),
        (
            vec!["mv", "handbook/travel.md", "../outside.md"],
            "outside the knowledge base",
        ),
        (
            vec!["mv", "handbook/travel.md", "handbook/travel.txt"],
            "would not be a doc",
        ),
        (vec!["mv", "kb.yaml", "x.yaml"], "not kb.yaml"),
    ] {
        fx.kb(&args).assert().code(2).stderr(contains(message));
    }
    assert_eq!(files(fx.root()), before);
}

#[test]
fn a_link_that_cannot_follow_stops_the_move() {
    // `&#46;` is a `.` to a Markdown reader: kb reads the link but will not rewrite its bytes.
    let fx = Fixture::new()
        .file("a.md", "# A\n\n[b](b&#46;md) and [fine](b.md)\n")
        .file("b.md", "# B\n");
    let before = files(fx.root());
    fx.kb(&["mv", "b.md", "c.md"])
        .assert()
        .code(2)
        .stderr(contains(
            "nothing moved: 1 link would not lead where it led",
        ))
        .stderr(contains(
            "a.md:3: b.md is written in a form kb cannot rewrite",
        ));
    assert_eq!(files(fx.root()), before);
}

#[test]
fn into_an_existing_folder_keeps_the_name() {
    let fx = handbook();
    let report = fx.json(&["mv", "specs/checkout.md", "decisions"]);
    assert_eq!(report["to"], "decisions/checkout.md");
    assert!(fx.path("decisions/checkout.md").is_file());
}

#[test]
fn a_bom_and_crlf_line_ends_are_kept_around_the_rewritten_url() {
    let fx = Fixture::new()
        .bytes(
            "a.md",
            b"\xef\xbb\xbf---\r\ntitle: A\r\nsupersedes: b.md\r\n---\r\n# A\r\n\r\n[b](b.md#x) and [b again](./b.md)\r\n",
        )
        .file("b.md", "# B\n\n## X\n");
    fx.kb(&["mv", "b.md", "old/b.md"]).assert().success();
    assert_eq!(
        std::fs::read(fx.path("a.md")).unwrap(),
        b"\xef\xbb\xbf---\r\ntitle: A\r\nsupersedes: old/b.md\r\n---\r\n# A\r\n\r\n[b](old/b.md#x) and [b again](./old/b.md)\r\n"
    );
}

#[cfg(unix)]
#[test]
fn a_target_through_a_symlink_that_leaves_the_root_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let fx = Fixture::new().file("a.md", "# A\n");
    std::os::unix::fs::symlink(outside.path(), fx.path("out")).unwrap();
    fx.kb(&["mv", "a.md", "out/a.md"])
        .assert()
        .code(2)
        .stderr(contains("outside the knowledge base"));
    assert!(fx.path("a.md").is_file());
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}
