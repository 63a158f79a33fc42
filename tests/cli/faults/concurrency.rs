//! Faults: many people writing at once. Every read-modify-write holds the KB's write lock, so
//! concurrent runs lose nothing and never hand out one id twice.

use crate::Fixture;
use std::process::{Child, Command, Stdio};

const GOAL: &str = "---\ntype: goal\nid: eng\ntitle: Reliability\nowner: lee\nperiod: 2026-Q4\nstate: active\nkey_results:\n  - {id: p99, title: p99 latency, start: 900, target: 400}\n---\n";

/// `kb ARGS` started in the fixture, as `kb_in` would run it, without waiting.
fn spawn(fx: &Fixture, user: &str, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_kb"))
        .args(args)
        .current_dir(fx.root())
        .env_clear()
        .env("HOME", fx.root())
        .env("KB_NOW", "2026-11-25")
        .env("KB_USER", user)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kb starts")
}

fn all_succeed(children: Vec<Child>) {
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn ten_checkins_at_once_by_one_person_all_land() {
    let fx = Fixture::new().file("goals/2026/eng.md", GOAL);
    let messages: Vec<String> = (0..10).map(|i| format!("Update number {i}.")).collect();
    let children = messages
        .iter()
        .map(|m| spawn(&fx, "lee", &["goals", "checkin", "eng", "-m", m]))
        .collect();
    all_succeed(children);
    let text = fx.read("goals/checkins/2026/2026-11-25-lee.md");
    for m in &messages {
        assert!(text.contains(m.as_str()), "{m} lost from:\n{text}");
    }
}

#[test]
fn ten_new_specs_at_once_get_ten_ids() {
    let fx = Fixture::new();
    let children = (0..10)
        .map(|i| spawn(&fx, "ann", &["new", "spec", &format!("Spec number {i}")]))
        .collect();
    all_succeed(children);
    let listing = fx.json(&["ls", "--type", "spec"]);
    let mut ids: Vec<String> = listing["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap_or_default().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 10, "duplicate ids: {listing}");
}

#[test]
fn replies_at_once_keep_their_order_and_all_land() {
    let fx = Fixture::new().file(
        "specs/a.md",
        "---\ntitle: A\ntype: spec\nowner: ann\n---\nWe ship on Friday.\n",
    );
    let out = fx
        .kb(&[
            "--format",
            "json",
            "review",
            "add",
            "specs/a.md",
            "--quote",
            "Friday",
            "-m",
            "Why?",
        ])
        .env("KB_USER", "bo")
        .output()
        .unwrap();
    let added: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let thread = added["thread"].as_str().unwrap().to_string();
    let children = (0..8)
        .map(|i| {
            spawn(
                &fx,
                "ann",
                &["review", "reply", &thread, "-m", &format!("reply {i}")],
            )
        })
        .collect();
    all_succeed(children);
    let list = fx.json(&["review", "list", "--state", "all"]);
    let events = list["threads"][0]["events"].as_array().unwrap();
    assert_eq!(events.len(), 9, "{list}");
}

#[test]
fn a_dead_runs_temp_file_is_removed_and_none_lands_beside_docs() {
    let fx = Fixture::new().file("goals/2026/eng.md", GOAL);
    fx.kb(&["goals", "checkin", "eng", "-m", "first"])
        .env("KB_USER", "lee")
        .assert()
        .success();
    // What `kill -9` between write and rename leaves: an unlocked temp file.
    let dead = fx.path(".kb/tmp/tmp-dead");
    let file = std::fs::File::create(&dead).unwrap();
    file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(600))
        .unwrap();
    drop(file);
    fx.kb(&["goals", "checkin", "eng", "-m", "second"])
        .env("KB_USER", "lee")
        .assert()
        .success();
    assert!(!dead.exists(), "a dead run's temp file is removed");
    let beside: Vec<_> = std::fs::read_dir(fx.path("goals/checkins/2026"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["2026-11-25-lee.md"]);
    assert!(fx.read(".kb/tmp/.gitignore").contains('*'));
}
