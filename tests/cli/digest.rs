//! `kb digest` (DESIGN §14): a week of commits, review events and check-ins, told as the
//! announcement post.

use crate::{git_as, Fixture};
use predicates::str::contains;
use serde_json::Value;

fn commit(fx: &Fixture, date: &str, message: &str) {
    git_as(fx.root(), Some(date), &["add", "-A"]);
    git_as(fx.root(), Some(date), &["commit", "-q", "-m", message]);
}

const GOAL: &str = "---\ntype: goal\nid: sam-2026-11-latency\ntitle: Latency down\nowner: sam\nperiod: 2026-11\nstate: active\nkey_results:\n  - id: p\n    title: Progress\n    kind: metric\n    start: 0\n    target: 100\n---\n# Latency down\n";

/// A review event file under `.kb/reviews/specs/pay/<thread>/`.
fn event(
    fx: Fixture,
    thread: &str,
    id: &str,
    action: &str,
    author: &str,
    created: &str,
) -> Fixture {
    let first = thread == id;
    let doc = if first { "doc: specs/pay.md\n" } else { "" };
    let anchor = if first && action == "comment" {
        "anchor:\n  exact: one weekend\n"
    } else {
        ""
    };
    fx.file(
        &format!(".kb/reviews/specs/pay/{thread}/{id}.md"),
        &format!("---\nid: {id}\nthread: {thread}\nauthor: {author}\ncreated: {created}T10:00:00Z\naction: {action}\n{doc}{anchor}---\nA comment by {author}.\n"),
    )
}

/// Reviews and check-ins around the week 2026-11-19..25 (KB_NOW is 2026-11-25).
fn activity(fx: Fixture) -> Fixture {
    let fx = event(
        fx,
        "01JD00000000000000000THRDA",
        "01JD00000000000000000THRDA",
        "comment",
        "kenji",
        "2026-11-21",
    );
    let fx = event(
        fx,
        "01JD00000000000000000THRDA",
        "01JD00000000000000000THRDB",
        "resolve",
        "dana",
        "2026-11-23",
    );
    let fx = event(
        fx,
        "01JD00000000000000000OLDTH",
        "01JD00000000000000000OLDTH",
        "comment",
        "kenji",
        "2026-11-01",
    );
    let fx = event(
        fx,
        "01JD00000000000000000OLDTH",
        "01JD00000000000000000OLDRS",
        "resolve",
        "dana",
        "2026-11-24",
    );
    let fx = event(
        fx,
        "01JD00000000000000000APPRV",
        "01JD00000000000000000APPRV",
        "approve",
        "priya",
        "2026-11-22",
    );
    fx.file("goals/2026/sam-2026-11-latency.md", GOAL)
        .file(
            "goals/2026/lena-2026-11-keys.md",
            "---\ntype: goal\nid: lena-2026-11-keys\ntitle: Keys\nowner: lena\nperiod: 2026-11\nstate: active\n---\n",
        )
        .file(
            "goals/checkins/2026/2026-11-15-sam.md",
            "---\ntype: checkin\nauthor: sam\ndate: 2026-11-15\ngoals:\n  sam-2026-11-latency:\n    key_results:\n      p: 60\n---\n",
        )
        .file(
            "goals/checkins/2026/2026-11-24-lena.md",
            "---\ntype: checkin\nauthor: lena\ndate: 2026-11-24\ngoals:\n  lena-2026-11-keys:\n    progress: 0.9\n---\n",
        )
}

/// A KB with a history: the base on 2026-11-10, then a week of changes.
fn week() -> Fixture {
    let fx = Fixture::new()
        .file(
            "people/dana.md",
            "---\nhandle: dana\nemail: dana@acme.example\n---\n# Dana Reyes\n",
        )
        .file(
            "decisions/adr-0001-queue.md",
            "---\ntitle: Use a queue\nowner: dana\nstatus: proposed\n---\n# Use a queue\n",
        )
        .file("handbook/pto.md", "# Time off\n\nTake it.\n")
        .file("handbook/old.md", "# Old page\n\nGone soon.\n")
        .file(
            "specs/pay.md",
            "---\ntitle: Pay\nowner: ines\nstatus: in-review\n---\n# Pay\n\nIn one weekend.\n",
        );
    let fx = activity(fx);
    git_as(fx.root(), None, &["init", "-q", "-b", "main"]);
    commit(&fx, "2026-11-10", "Base");
    let fx = fx
        .file(
            "rca/2026-11-20-outage.md",
            "---\ntitle: Checkout outage\nowner: dana\nstatus: draft\n---\n# Checkout outage\n",
        )
        .file("handbook/pto.md", "# Time off\n\nTake it, all of it.\n")
        .file(
            "decisions/adr-0001-queue.md",
            "---\ntitle: Use a queue\nowner: dana\nstatus: accepted\n---\n# Use a queue\n",
        );
    commit(&fx, "2026-11-20", "Accept the queue; outage RCA");
    git_as(
        fx.root(),
        None,
        &["mv", "handbook/pto.md", "handbook/time-off.md"],
    );
    git_as(fx.root(), None, &["rm", "-q", "handbook/old.md"]);
    commit(&fx, "2026-11-21", "Rename PTO; drop the old page");
    let fx = fx.file(
        "handbook/time-off.md",
        "# Time off\n\nTake it, all of it, really.\n",
    );
    commit(&fx, "2026-11-22", "PTO: stronger");
    fx
}

#[test]
fn a_week_in_every_group_with_the_json_contract() {
    let fx = week();
    let d = fx.json(&["digest"]);
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "schema_version",
        "since",
        "until",
        "docs",
        "status_changes",
        "goals",
        "reviews",
        "checkins",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    assert_eq!(d["schema_version"], 1);
    assert_eq!(
        (d["since"].as_str(), d["until"].as_str()),
        (Some("2026-11-19"), Some("2026-11-25"))
    );
    for key in ["added", "updated", "renamed", "removed"] {
        assert!(d["docs"][key].is_array(), "docs.{key}");
    }
    let added = &d["docs"]["added"];
    assert_eq!(added.as_array().unwrap().len(), 1, "{added}");
    assert_eq!(added[0]["path"], "rca/2026-11-20-outage.md");
    assert_eq!(
        (
            added[0]["type"].as_str(),
            added[0]["title"].as_str(),
            added[0]["owner"].as_str()
        ),
        (Some("rca"), Some("Checkout outage"), Some("dana"))
    );
    assert_eq!(added[0]["author"], "dana", "handles through people/ emails");
    // The PTO page: edited, renamed, edited again: one doc, two commits, at its new path.
    let updated = d["docs"]["updated"].as_array().unwrap();
    let pto = updated
        .iter()
        .find(|u| u["path"] == "handbook/time-off.md")
        .expect("pto updated");
    assert_eq!(pto["commits"], 2);
    assert_eq!(pto["authors"], serde_json::json!(["dana"]));
    assert_eq!(d["docs"]["renamed"][0]["from"], "handbook/pto.md");
    assert_eq!(d["docs"]["renamed"][0]["to"], "handbook/time-off.md");
    assert_eq!(d["docs"]["renamed"][0]["date"], "2026-11-21");
    assert_eq!(d["docs"]["removed"][0]["path"], "handbook/old.md");
    assert_eq!(d["docs"]["removed"][0]["title"], "Old page");
    // The decision accepted; the new RCA's draft status is not a change.
    let statuses = d["status_changes"].as_array().unwrap();
    assert_eq!(statuses.len(), 1, "{statuses:?}");
    let s = &statuses[0];
    assert_eq!(
        (s["path"].as_str(), s["type"].as_str(), s["field"].as_str()),
        (
            Some("decisions/adr-0001-queue.md"),
            Some("decision"),
            Some("status")
        )
    );
    assert_eq!(
        (s["from"].as_str(), s["to"].as_str()),
        (Some("proposed"), Some("accepted"))
    );
    assert_eq!(
        (s["date"].as_str(), s["author"].as_str()),
        (Some("2026-11-20"), Some("dana"))
    );
    // Sam's goal slipped from on-track to at-risk over the week.
    let goal = d["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "sam-2026-11-latency")
        .expect("sam's goal moved");
    assert_eq!(
        (goal["from"].as_str(), goal["to"].as_str()),
        (Some("on-track"), Some("at-risk"))
    );
    assert_eq!(goal["owner"], "sam");
    // Reviews: one thread opened, two resolved (one opened before the window), one approval.
    let r = &d["reviews"];
    assert_eq!(r["opened"].as_array().unwrap().len(), 1, "{r}");
    assert_eq!(r["opened"][0]["author"], "kenji");
    assert_eq!(r["opened"][0]["quote"], "one weekend");
    assert_eq!(r["resolved"].as_array().unwrap().len(), 2);
    assert_eq!(r["approved"][0]["author"], "priya");
    assert_eq!(r["approved"][0]["title"], "Pay");
    // Check-ins: Lena wrote one; Sam has an active goal and wrote none this week.
    assert_eq!(d["checkins"]["count"], 1);
    assert_eq!(d["checkins"]["missing"], serde_json::json!(["sam"]));
}

#[test]
fn markdown_is_the_announcement_post() {
    let fx = week();
    let md = fx.stdout(&["digest", "--format", "md"]);
    insta::assert_snapshot!("digest-md", md);
    assert!(
        md.contains("[Time off](handbook/time-off.md)"),
        "relative links: {md}"
    );
    assert!(!md.contains("\n\n\n"), "short: {md}");
    let text = fx.stdout(&["digest"]);
    assert!(
        text.contains("handbook/pto.md → handbook/time-off.md"),
        "{text}"
    );
    let html = fx.stdout(&["digest", "--format", "html"]);
    assert!(html.starts_with("<!doctype html>") && html.contains("<style>"));
    assert!(html.contains("href=\"handbook&#x2f;time-off.md\"") && !html.contains("<script"));
}

#[test]
fn an_empty_window_says_so_in_one_line_and_exits_0() {
    let fx = week();
    let out = fx.stdout(&[
        "digest",
        "--since",
        "2026-01-01",
        "--until",
        "2026-01-07",
        "--format",
        "md",
    ]);
    assert_eq!(
        out,
        "Nothing changed in Test between 2026-01-01 and 2026-01-07.\n"
    );
    let d = fx.json(&["digest", "--since", "2026-01-01", "--until", "2026-01-07"]);
    assert_eq!(d["docs"]["added"], serde_json::json!([]));
}

#[test]
fn a_window_from_a_revision() {
    let fx = week();
    // HEAD~1 is the rename of 2026-11-21: only the last commit comes after it.
    let d = fx.json(&["digest", "--since", "HEAD~1"]);
    assert_eq!(d["since"], "2026-11-21");
    assert_eq!(d["docs"]["added"], serde_json::json!([]));
    assert_eq!(d["docs"]["renamed"], serde_json::json!([]));
    assert_eq!(d["docs"]["updated"][0]["path"], "handbook/time-off.md");
    assert_eq!(d["docs"]["updated"][0]["commits"], 1);
    assert_eq!(d["status_changes"], serde_json::json!([]));
    // --until closes a date window: only the 2026-11-20 commit.
    let d = fx.json(&["digest", "--since", "2026-11-20", "--until", "2026-11-20"]);
    assert_eq!(d["docs"]["added"][0]["path"], "rca/2026-11-20-outage.md");
    assert_eq!(d["docs"]["renamed"], serde_json::json!([]));
}

#[test]
fn usage_errors_exit_2() {
    let fx = week();
    fx.kb(&["digest", "--since", "no-such-rev"])
        .assert()
        .code(2)
        .stderr(contains("not a number of days, a date, or a git revision"));
    fx.kb(&["digest", "--since", "0d"]).assert().code(2);
    fx.kb(&["digest", "--until", "soon"]).assert().code(2);
    fx.kb(&["digest", "--since", "2026-12-01"]).assert().code(2);
}

#[test]
fn outside_git_it_still_reports_reviews_and_checkins() {
    let fx = activity(Fixture::new().file("specs/pay.md", "---\ntitle: Pay\n---\n# Pay\n"));
    let out = fx
        .kb(&["digest", "--format", "json"])
        .assert()
        .success()
        .stderr(contains("not in a git repository"))
        .get_output()
        .stdout
        .clone();
    let d: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(d["reviews"]["opened"].as_array().unwrap().len(), 1);
    assert_eq!(d["checkins"]["count"], 1);
    assert_eq!(d["docs"]["added"], serde_json::json!([]));
    fx.kb(&["digest", "--since", "HEAD~1"]).assert().code(2);
}

#[test]
fn a_shallow_clone_starts_where_its_history_does() {
    let fx = week();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", fx.root().display());
    git_as(
        clone.path(),
        None,
        &["clone", "-q", "--depth", "1", &url, "kb"],
    );
    let out = crate::kb_in(&clone.path().join("kb"))
        .args(["digest", "--format", "json"])
        .assert()
        .success()
        .stderr(contains("shallow clone: history before 2026-11-22"))
        .get_output()
        .stdout
        .clone();
    let d: Value = serde_json::from_slice(&out).unwrap();
    // Not every doc of the clone's one commit is "new".
    assert_eq!(d["docs"]["added"], serde_json::json!([]));
}

#[test]
fn a_doc_removed_and_written_again_is_updated_not_removed() {
    let fx = Fixture::new().file("handbook/a.md", "# A\n\nOne.\n");
    git_as(fx.root(), None, &["init", "-q", "-b", "main"]);
    commit(&fx, "2026-11-01", "A");
    git_as(fx.root(), None, &["rm", "-q", "handbook/a.md"]);
    commit(&fx, "2026-11-20", "Drop A");
    let fx = fx.file("handbook/a.md", "# A\n\nTwo.\n");
    commit(&fx, "2026-11-21", "A again");
    let d = fx.json(&["digest"]);
    assert_eq!(d["docs"]["removed"], serde_json::json!([]));
    assert_eq!(d["docs"]["added"], serde_json::json!([]));
    assert_eq!(d["docs"]["updated"][0]["path"], "handbook/a.md");
}

#[test]
fn a_kb_in_a_subfolder_of_its_repository() {
    let fx = Fixture::bare()
        .file("README.md", "# The repo\n")
        .file("docs/kb.yaml", "name: Docs\n")
        .file("docs/handbook/pto.md", "# Time off\n");
    git_as(fx.root(), None, &["init", "-q", "-b", "main"]);
    commit(&fx, "2026-11-02", "Start");
    let fx = fx
        .file("docs/handbook/travel.md", "# Travel\n")
        .file("notes.md", "# Outside the KB\n");
    commit(&fx, "2026-11-20", "Travel");
    let out = crate::kb_in(&fx.path("docs"))
        .args(["digest", "--format", "json"])
        .output()
        .unwrap();
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["docs"]["added"].as_array().unwrap().len(), 1, "{d}");
    assert_eq!(d["docs"]["added"][0]["path"], "handbook/travel.md");
}

#[test]
fn a_branch_merged_in_the_window_brings_its_commits() {
    let fx = Fixture::new().file("handbook/a.md", "# A\n");
    git_as(fx.root(), None, &["init", "-q", "-b", "main"]);
    commit(&fx, "2026-11-01", "A");
    git_as(fx.root(), None, &["checkout", "-q", "-b", "travel"]);
    let fx = fx.file("handbook/travel.md", "# Travel\n");
    // Written on the branch before the window, merged within it: it landed this week.
    commit(&fx, "2026-11-12", "Travel page");
    git_as(fx.root(), None, &["checkout", "-q", "main"]);
    let fx = fx.file("handbook/a.md", "# A\n\nMore.\n");
    commit(&fx, "2026-11-13", "More A");
    git_as(
        fx.root(),
        Some("2026-11-21"),
        &["merge", "-q", "--no-ff", "-m", "Merge travel", "travel"],
    );
    let d = fx.json(&["digest"]);
    assert_eq!(d["docs"]["added"][0]["path"], "handbook/travel.md", "{d}");
    assert_eq!(
        d["docs"]["updated"],
        serde_json::json!([]),
        "main's own work was last week"
    );
    assert_eq!(d["commits"], 1);
}
