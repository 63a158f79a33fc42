//! `kb log DOC` (DESIGN §14): commits across renames, review events and check-ins, newest first.

use crate::{git_as, Fixture};
use predicates::str::contains;
use serde_json::Value;

fn commit(fx: &Fixture, date: &str, message: &str) {
    git_as(fx.root(), Some(date), &["add", "-A"]);
    git_as(fx.root(), Some(date), &["commit", "-q", "-m", message]);
}

fn review_event(
    fx: Fixture,
    doc: &str,
    id: &str,
    action: &str,
    author: &str,
    created: &str,
) -> Fixture {
    let thread = "01JD00000000000000000THRDA";
    let first = if id == thread {
        format!("doc: {doc}\nanchor:\n  exact: Take it\n")
    } else {
        String::new()
    };
    fx.file(
        &format!(".kb/reviews/{}/{thread}/{id}.md", doc.trim_end_matches(".md")),
        &format!("---\nid: {id}\nthread: {thread}\nauthor: {author}\ncreated: {created}T10:00:00Z\naction: {action}\n{first}---\nShould we say how many days?\n"),
    )
}

/// The PTO page: written, commented on under its first name, moved, edited.
fn pto() -> Fixture {
    let fx = Fixture::new()
        .file(
            "people/dana.md",
            "---\nhandle: dana\nemail: dana@acme.example\n---\n# Dana Reyes\n",
        )
        .file("handbook/pto.md", "# Time off\n\nTake it.\n");
    let fx = review_event(
        fx,
        "handbook/pto.md",
        "01JD00000000000000000THRDA",
        "comment",
        "kenji",
        "2026-02-01",
    );
    let fx = review_event(
        fx,
        "handbook/pto.md",
        "01JD00000000000000000THRDB",
        "resolve",
        "dana",
        "2026-03-06",
    );
    git_as(fx.root(), None, &["init", "-q", "-b", "main"]);
    commit(&fx, "2026-01-10", "Add the PTO page");
    std::fs::write(
        fx.path("handbook/pto.md"),
        "# Time off\n\nTake it, all of it.\n",
    )
    .unwrap();
    commit(&fx, "2026-03-05", "PTO: say it plainly");
    std::fs::create_dir_all(fx.path("handbook/benefits")).unwrap();
    git_as(
        fx.root(),
        None,
        &["mv", "handbook/pto.md", "handbook/benefits/pto.md"],
    );
    commit(&fx, "2026-04-01", "Move PTO under benefits");
    std::fs::write(
        fx.path("handbook/benefits/pto.md"),
        "# Time off\n\nTake it, all of it, now.\n",
    )
    .unwrap();
    commit(&fx, "2026-05-01", "PTO: now");
    fx
}

fn summaries(log: &Value) -> Vec<(String, String, String)> {
    log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["date"].as_str().unwrap().to_string(),
                e["kind"].as_str().unwrap().to_string(),
                e["summary"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn commits_across_a_rename_and_review_events_newest_first() {
    let fx = pto();
    let log = fx.json(&["log", "handbook/benefits/pto.md"]);
    assert_eq!(log["schema_version"], 1);
    assert_eq!(log["title"], "Time off");
    let got = summaries(&log);
    let want = [
        ("2026-05-01", "commit", "PTO: now"),
        (
            "2026-04-01",
            "commit",
            "Move PTO under benefits (moved here)",
        ),
        ("2026-03-06", "review", "resolved the thread"),
        ("2026-03-05", "commit", "PTO: say it plainly"),
        (
            "2026-02-01",
            "review",
            "opened a thread on “Take it”: Should we say how many days?",
        ),
        ("2026-01-10", "commit", "Add the PTO page"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want);
    let entries = log["entries"].as_array().unwrap();
    assert_eq!(entries[0]["path"], "handbook/benefits/pto.md");
    assert_eq!(
        entries[3]["path"], "handbook/pto.md",
        "the path it had then"
    );
    assert_eq!(entries[0]["author"], "dana", "a handle through people/");
    assert_eq!(entries[0]["id"].as_str().unwrap().len(), 7);
    assert_eq!(entries[2]["action"], "resolve");
    let text = fx.stdout(&["log", "Time off"]);
    assert!(
        text.contains("2026-03-05  commit  dana   PTO: say it plainly"),
        "{text}"
    );
    assert!(text.contains("handbook/pto.md"), "{text}");
}

#[test]
fn a_goal_shows_its_checkins() {
    let fx = Fixture::new()
        .file(
            "goals/2026/sam-latency.md",
            "---\ntype: goal\nid: sam-latency\ntitle: Latency down\nowner: sam\nperiod: 2026-11\nstate: active\n---\n",
        )
        .file(
            "goals/checkins/2026/2026-11-15-sam.md",
            "---\ntype: checkin\nauthor: sam\ndate: 2026-11-15\ngoals:\n  sam-latency:\n    status: at-risk\n    progress: 0.4\n---\n# Check-in\n\nThe cache fix slipped a week.\n",
        )
        .file(
            "goals/checkins/2026/2026-11-20-lena.md",
            "---\ntype: checkin\nauthor: lena\ndate: 2026-11-20\ngoals:\n  other-goal:\n    progress: 0.4\n---\n",
        );
    git_as(fx.root(), None, &["init", "-q", "-b", "main"]);
    commit(&fx, "2026-11-02", "Sam's goal");
    let log = fx.json(&["log", "sam-latency"]);
    assert_eq!(
        summaries(&log),
        [
            (
                "2026-11-15".to_string(),
                "checkin".to_string(),
                "at-risk · progress 40% · The cache fix slipped a week.".to_string()
            ),
            (
                "2026-11-02".to_string(),
                "commit".to_string(),
                "Sam's goal".to_string()
            ),
        ]
    );
    assert_eq!(
        log["entries"][0]["path"],
        "goals/checkins/2026/2026-11-15-sam.md"
    );
}

#[test]
fn outside_git_and_in_a_shallow_clone() {
    let fx = review_event(
        Fixture::new().file("handbook/pto.md", "# Time off\n\nTake it.\n"),
        "handbook/pto.md",
        "01JD00000000000000000THRDA",
        "comment",
        "kenji",
        "2026-02-01",
    );
    let out = fx
        .kb(&["log", "handbook/pto.md", "--format", "json"])
        .assert()
        .success()
        .stderr(contains("not in a git repository"))
        .get_output()
        .stdout
        .clone();
    let log: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(log["entries"].as_array().unwrap().len(), 1);

    let fx = pto();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", fx.root().display());
    git_as(
        clone.path(),
        None,
        &["clone", "-q", "--depth", "1", &url, "kb"],
    );
    let out = crate::kb_in(&clone.path().join("kb"))
        .args(["log", "handbook/benefits/pto.md", "--format", "json"])
        .assert()
        .success()
        .stderr(contains("shallow clone"))
        .get_output()
        .stdout
        .clone();
    let log: Value = serde_json::from_slice(&out).unwrap();
    let commits: Vec<&Value> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "commit")
        .collect();
    assert_eq!(commits.len(), 1);
    assert_eq!(commits[0]["summary"], "PTO: now");
}

#[test]
fn an_unknown_doc_is_an_error() {
    let fx = pto();
    fx.kb(&["log", "no-such-doc"])
        .assert()
        .failure()
        .stderr(contains("no document matches"));
}

#[test]
fn a_rename_with_an_edit_among_other_moves_is_followed() {
    let body = "# Travel\n\nBook through the portal. Economy for flights under six hours.\nHotels up to the city rate. Keep receipts for everything you claim.\n";
    let fx = Fixture::new().file("handbook/travel.md", body).file(
        "handbook/other.md",
        "# Other\n\nSomething else entirely, with different words.\n",
    );
    git_as(fx.root(), None, &["init", "-q", "-b", "main"]);
    commit(&fx, "2026-01-10", "Travel");
    std::fs::remove_file(fx.path("handbook/travel.md")).unwrap();
    std::fs::remove_file(fx.path("handbook/other.md")).unwrap();
    let fx = fx
        .file("policies/travel.md", &body.replace("everything", "all"))
        .file("policies/new.md", "# New\n\nUnrelated.\n");
    commit(&fx, "2026-02-01", "Policies folder");
    let log = fx.json(&["log", "policies/travel.md"]);
    let paths: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["policies/travel.md", "handbook/travel.md"]);
}
