//! `kb review`: threads, anchoring through edits, merges without conflicts, status.

use crate::Fixture;
use predicates::str::contains;

const SPEC: &str = "---\ntitle: Checkout redesign\ntype: spec\nowner: ines\nreview: {reviewers: [dana, priya], due: 2026-12-01}\n---\n# Checkout redesign\n\n## Rollout\n\nWe will switch every merchant over in a single weekend, after the freeze lifts.\n\n## Risks\n\nThe old checkout keeps running for two weeks.\n";

fn fx() -> Fixture {
    Fixture::new().file("specs/checkout.md", SPEC)
}

/// Runs `kb --format json review ARGS` as `user`, returning the JSON.
fn review(fx: &Fixture, user: &str, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json", "review"];
    all.extend_from_slice(args);
    let out = fx.kb(&all).env("KB_USER", user).output().unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn start(fx: &Fixture) -> String {
    review(
        fx,
        "sam",
        &[
            "add",
            "specs/checkout.md",
            "--quote",
            "single weekend",
            "-m",
            "Too risky for peak season.",
        ],
    )["thread"]
        .as_str()
        .unwrap()
        .to_string()
}

fn thread(fx: &Fixture, id: &str) -> serde_json::Value {
    let list = review(fx, "sam", &["list", "--state", "all"]);
    list["threads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("no {id} in {list}"))
}

#[test]
fn a_threads_life() {
    let fx = fx();
    let id = start(&fx);
    let short = &id[id.len() - 7..];
    review(
        &fx,
        "ines",
        &["reply", short, "-m", "Agreed: staged rollout."],
    );
    review(&fx, "ines", &["resolve", short]);
    let t = thread(&fx, &id);
    assert_eq!(t["state"], "resolved");
    assert_eq!(t["doc"], "specs/checkout.md");
    assert_eq!(t["author"], "sam");
    assert_eq!(t["anchor"]["exact"], "single weekend");
    assert_eq!(
        (
            t["anchor"]["line"].as_u64(),
            t["anchor"]["section"].as_str(),
            t["anchor"]["resolution"].as_str()
        ),
        (Some(11), Some("Rollout"), Some("exact"))
    );
    let actions: Vec<&str> = t["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, vec!["comment", "comment", "resolve"]);
    assert_eq!(t["events"][1]["body"], "Agreed: staged rollout.");
    // Written on the KB's today, which KB_NOW (2026-11-25 here) fixes.
    for event in t["events"].as_array().unwrap() {
        let created = event["created"].as_str().unwrap();
        assert!(created.starts_with("2026-11-25T"), "{created}");
    }
    review(&fx, "sam", &["reopen", &id[..]]);
    assert_eq!(thread(&fx, &id)["state"], "open");
    assert_eq!(
        review(&fx, "sam", &["list"])["threads"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "open threads by default"
    );
    // Edits and retractions are the author's own.
    review(&fx, "sam", &["edit", short, "-m", "Too risky in December."]);
    assert_eq!(
        thread(&fx, &id)["events"][0]["body"],
        "Too risky in December."
    );
    review(&fx, "sam", &["retract", short]);
    assert_eq!(thread(&fx, &id)["state"], "retracted");
}

#[test]
fn anchors_follow_edits_and_say_how() {
    let fx = fx();
    let id = start(&fx);
    let edit = |text: String| std::fs::write(fx.path("specs/checkout.md"), text).unwrap();
    edit(SPEC.replace(
        "## Rollout\n",
        "## Rollout\n\nA paragraph inserted above.\n",
    ));
    let t = thread(&fx, &id);
    assert_eq!(
        (
            t["anchor"]["resolution"].as_str(),
            t["anchor"]["line"].as_u64()
        ),
        (Some("moved"), Some(13))
    );
    edit(SPEC.replace(
        "every merchant over in a single",
        "every merchant over in one single",
    ));
    assert_eq!(
        thread(&fx, &id)["anchor"]["resolution"],
        "moved",
        "the quote itself is untouched"
    );
    edit(SPEC.replace("in a single weekend", "in a singel weekend"));
    assert_eq!(thread(&fx, &id)["anchor"]["resolution"], "fuzzy");
    edit(SPEC.replace(
        "We will switch every merchant over in a single weekend, after the freeze lifts.",
        "Merchants move in waves.",
    ));
    assert_eq!(thread(&fx, &id)["anchor"]["resolution"], "section");
    edit("---\ntitle: Checkout redesign\n---\nAll gone.\n".into());
    assert_eq!(thread(&fx, &id)["anchor"]["resolution"], "orphaned");
    assert_eq!(
        review(&fx, "sam", &["list", "--state", "orphaned"])["threads"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The stored anchor is never rewritten; reanchor adds an event.
    edit(SPEC.replace("single weekend", "staged rollout"));
    review(&fx, "sam", &["reanchor", &id, "--quote", "staged rollout"]);
    let t = thread(&fx, &id);
    assert_eq!(
        (
            t["anchor"]["exact"].as_str(),
            t["anchor"]["resolution"].as_str()
        ),
        (Some("staged rollout"), Some("exact"))
    );
}

#[test]
fn a_quote_not_in_the_doc_is_an_error_that_says_so() {
    fx().kb(&[
        "review",
        "add",
        "specs/checkout.md",
        "--quote",
        "two weekends",
        "-m",
        "x",
    ])
    .env("KB_USER", "sam")
    .assert()
    .code(2)
    .stderr(contains("does not contain \"two weekends\""));
    fx().kb(&[
        "review",
        "add",
        "specs/checkout.md",
        "--quote",
        "ee",
        "-m",
        "x",
    ])
    .env("KB_USER", "sam")
    .assert()
    .code(2)
    .stderr(contains("appears"));
}

#[test]
fn line_and_section_anchors() {
    let fx = fx();
    let by_line = review(
        &fx,
        "sam",
        &[
            "add",
            "specs/checkout.md",
            "--line",
            "15",
            "-m",
            "Two weeks is short.",
        ],
    )["thread"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        thread(&fx, &by_line)["anchor"]["exact"],
        "The old checkout keeps running for two weeks."
    );
    let by_section = review(
        &fx,
        "sam",
        &["add", "Checkout", "--section", "risks", "-m", "More risks?"],
    )["thread"]
        .as_str()
        .unwrap()
        .to_string();
    let t = thread(&fx, &by_section);
    assert_eq!(
        (
            t["anchor"]["exact"].as_str(),
            t["anchor"]["section"].as_str(),
            t["anchor"]["line"].as_u64()
        ),
        (Some("## Risks"), Some("Risks"), Some(13))
    );
}

#[test]
fn short_id_ambiguity_lists_the_candidates() {
    let fx = fx();
    let a = start(&fx);
    review(
        &fx,
        "dana",
        &[
            "add",
            "specs/checkout.md",
            "--quote",
            "two weeks",
            "-m",
            "Why two?",
        ],
    );
    // Threads started in the same moment share the start of their ULIDs.
    fx.kb(&["review", "reply", &a[..4], "-m", "x"])
        .env("KB_USER", "sam")
        .assert()
        .code(2)
        .stderr(contains("matches 2"));
}

#[test]
fn approvals_go_stale_when_the_doc_changes() {
    let fx = fx();
    review(&fx, "dana", &["approve", "specs/checkout.md"]);
    start(&fx);
    let status = review(&fx, "sam", &["status"]);
    let doc = &status["docs"][0];
    assert_eq!(
        (
            doc["path"].as_str(),
            doc["state"].as_str(),
            doc["due"].as_str()
        ),
        (
            Some("specs/checkout.md"),
            Some("in-review"),
            Some("2026-12-01")
        )
    );
    assert_eq!(
        doc["reviewers"],
        serde_json::json!([{"handle": "dana", "state": "approved"}, {"handle": "priya", "state": "pending"}])
    );
    std::fs::write(
        fx.path("specs/checkout.md"),
        SPEC.replace("two weeks", "four weeks"),
    )
    .unwrap();
    let status = review(&fx, "sam", &["status"]);
    assert_eq!(status["docs"][0]["reviewers"][0]["state"], "approved-stale");
    review(
        &fx,
        "priya",
        &[
            "request-changes",
            "specs/checkout.md",
            "-m",
            "Numbers, please.",
        ],
    );
    assert_eq!(
        review(&fx, "sam", &["status"])["docs"][0]["state"],
        "changes-requested"
    );
    let late = fx
        .kb(&["--format", "json", "review", "status"])
        .env("KB_NOW", "2026-12-05")
        .output()
        .unwrap();
    let late: serde_json::Value = serde_json::from_slice(&late.stdout).unwrap();
    assert_eq!(late["docs"][0]["state"], "changes-requested");
}

#[test]
fn overdue_and_approved() {
    let fx = fx();
    let out = fx
        .kb(&["--format", "json", "review", "status"])
        .env("KB_NOW", "2026-12-05")
        .output()
        .unwrap();
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["docs"][0]["state"], "overdue");
    review(&fx, "dana", &["approve", "specs/checkout.md"]);
    review(
        &fx,
        "priya",
        &["approve", "specs/checkout.md", "-m", "Ship it."],
    );
    assert_eq!(
        review(&fx, "sam", &["status"])["docs"][0]["state"],
        "approved"
    );
}

#[test]
fn malformed_event_files_are_named_and_other_threads_still_show() {
    let fx = fx();
    let good = start(&fx);
    let fx = fx
        .file(".kb/reviews/specs/checkout/T1/bad.md", "---\nid: [unclosed\n---\n")
        .file(".kb/reviews/specs/checkout/T2/T2.md", "---\nid: T2\nthread: T2\nauthor: x\ncreated: 2026-11-25T00:00:00Z\naction: shout\ndoc: specs/checkout.md\n---\nHey\n")
        .file(".kb/reviews/specs/checkout/T3/T3B.md", "---\nid: T3B\nthread: T3\nauthor: x\ncreated: 2026-11-25T00:00:00Z\naction: comment\n---\nOrphan reply\n");
    let out = fx
        .kb(&["--format", "json", "review", "list"])
        .env("KB_USER", "sam")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(".kb/reviews/specs/checkout/T1/bad.md"),
        "{stderr}"
    );
    assert!(stderr.contains("unknown action \"shout\""), "{stderr}");
    assert!(stderr.contains("thread T3 has no first event"), "{stderr}");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list["threads"][0]["id"], good.as_str());
}

#[test]
fn comments_on_two_branches_merge_without_conflict() {
    let fx = fx();
    let repo = git2::Repository::init(fx.root()).unwrap();
    let sig = git2::Signature::now("t", "t@example.com").unwrap();
    let commit_all = |message: &str| {
        let mut index = repo.index().unwrap();
        index
            .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let parents: Vec<git2::Commit> = repo
            .head()
            .ok()
            .map(|h| h.peel_to_commit().unwrap())
            .into_iter()
            .collect();
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &refs)
            .unwrap()
    };
    let id = start(&fx);
    let base = commit_all("thread");
    // Branch a: dana replies.
    review(&fx, "dana", &["reply", &id, "-m", "From branch a."]);
    let a = commit_all("a");
    // Branch b, from the base: priya replies and resolves.
    repo.reset(
        &repo.find_object(base, None).unwrap(),
        git2::ResetType::Hard,
        None,
    )
    .unwrap();
    review(&fx, "priya", &["reply", &id, "-m", "From branch b."]);
    review(&fx, "priya", &["resolve", &id]);
    let b = commit_all("b");
    // Merge a into b.
    let mut merged = repo
        .merge_commits(
            &repo.find_commit(b).unwrap(),
            &repo.find_commit(a).unwrap(),
            None,
        )
        .unwrap();
    assert!(!merged.has_conflicts(), "event files never conflict");
    let tree = repo
        .find_tree(merged.write_tree_to(&repo).unwrap())
        .unwrap();
    repo.checkout_tree(
        tree.as_object(),
        Some(git2::build::CheckoutBuilder::new().force()),
    )
    .unwrap();
    let t = thread(&fx, &id);
    let bodies: Vec<&str> = t["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["body"].as_str().unwrap())
        .collect();
    assert!(
        bodies.contains(&"From branch a.") && bodies.contains(&"From branch b."),
        "{bodies:?}"
    );
    assert_eq!(t["state"], "resolved");
}

#[test]
fn show_with_comments_and_critic_markup() {
    let fx = fx();
    start(&fx);
    let out = fx.stdout(&["show", "specs/checkout.md", "--comments"]);
    let para = out.find("single weekend, after the freeze lifts.").unwrap();
    let comment = out.find("💬").unwrap();
    let risks = out.find("## Risks").unwrap();
    assert!(para < comment && comment < risks, "{out}");
    assert!(out.contains("sam: Too risky for peak season."));
    let critic = fx.stdout(&["review", "show", "specs/checkout.md", "--critic"]);
    assert!(
        critic.contains("{==single weekend==}{>>sam: Too risky for peak season.<<}"),
        "{critic}"
    );
}

#[test]
fn commit_records_the_event_file() {
    let fx = fx();
    let repo = git2::Repository::init(fx.root()).unwrap();
    let mut config = repo.config().unwrap();
    config.set_str("user.name", "Sam").unwrap();
    config.set_str("user.email", "sam@example.com").unwrap();
    fx.kb(&[
        "review",
        "add",
        "specs/checkout.md",
        "--quote",
        "two weeks",
        "-m",
        "Why?",
        "--commit",
    ])
    .env("KB_USER", "sam")
    .assert()
    .success()
    .stdout(contains("committed as"));
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    assert!(head
        .message()
        .unwrap()
        .starts_with("Review: Started thread"));
    assert!(head
        .tree()
        .unwrap()
        .get_path(std::path::Path::new(".kb/reviews/specs/checkout"))
        .is_ok());
}

#[test]
fn show_comments_on_a_body_without_a_final_newline() {
    let fx = Fixture::new().file("a.md", "---\ntitle: A\n---\nÜber alles, the one line");
    fx.kb(&[
        "review",
        "add",
        "a.md",
        "--quote",
        "the one line",
        "-m",
        "Hm.",
    ])
    .env("KB_USER", "sam")
    .assert()
    .success();
    let out = fx.stdout(&["show", "a.md", "--comments"]);
    assert!(out.contains("\nÜber alles, the one line"), "{out}");
    assert!(out.contains("sam: Hm."));
}

#[test]
fn review_with_an_unsupported_format_writes_nothing() {
    let fx = fx();
    fx.kb(&[
        "--format",
        "md",
        "review",
        "add",
        "specs/checkout.md",
        "--quote",
        "two weeks",
        "-m",
        "x",
    ])
    .env("KB_USER", "sam")
    .assert()
    .code(2);
    assert!(!fx.path(".kb/reviews").exists());
}

#[test]
fn a_comment_without_m_is_written_in_the_editor_run_as_a_shell_command() {
    use std::os::unix::fs::PermissionsExt;
    // An editor in a folder with a space, with an argument (`code --wait`): EDITOR is a shell
    // command line, as git reads it.
    let fx = fx().file(
        "my tools/fake editor",
        "#!/bin/sh\n[ \"$1\" = --wait ] || exit 3\nprintf 'Written in the editor.' > \"$2\"\n",
    );
    let script = fx.path("my tools/fake editor");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let editor = format!("'{}' --wait", script.display());
    let out = fx
        .kb(&[
            "--format",
            "json",
            "review",
            "add",
            "specs/checkout.md",
            "--quote",
            "single weekend",
        ])
        .env("KB_USER", "sam")
        .env("EDITOR", &editor)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let added: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let id = added["thread"].as_str().unwrap();
    assert_eq!(
        thread(&fx, id)["events"][0]["body"],
        "Written in the editor."
    );
    // An editor that fails is an error naming it, and nothing is added.
    fx.kb(&[
        "review",
        "add",
        "specs/checkout.md",
        "--quote",
        "single weekend",
    ])
    .env("KB_USER", "sam")
    .env("EDITOR", "false")
    .assert()
    .code(2)
    .stderr(contains("the editor false exited"));
    assert_eq!(
        review(&fx, "sam", &["list", "--state", "all"])["threads"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_verdict_from_someone_not_asked_is_kept_and_said_not_to_count() {
    let fx = fx();
    fx.kb(&["review", "approve", "specs/checkout.md"])
        .env("KB_USER", "sam")
        .assert()
        .success()
        .stderr(contains(
            "sam is not among the reviewers of specs/checkout.md (dana, priya)",
        ));
    // A reviewer who signs as `Priya` is priya: no warning, and the approval counts.
    fx.kb(&["review", "approve", "specs/checkout.md"])
        .env("KB_USER", "Priya")
        .assert()
        .success()
        .stderr(predicates::prelude::PredicateBooleanExt::not(contains(
            "not among",
        )));
    let status = review(&fx, "sam", &["status"]);
    assert_eq!(
        status["docs"][0]["reviewers"],
        serde_json::json!([{"handle": "dana", "state": "pending"}, {"handle": "priya", "state": "approved"}])
    );
}
