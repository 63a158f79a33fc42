//! `kb inbox`: each kind of duty on a fixture, present when it should be and absent for its near
//! miss (a reply by the person themselves, a resolved thread, a check-in within the limit, a
//! meeting in 8 days, a done action item, a doc reviewed recently), most urgent first.

use crate::Fixture;
use serde_json::Value;

/// `kb ARGS` as `user`, returning the JSON output.
fn as_user(fx: &Fixture, user: &str, args: &[&str]) -> Value {
    let out = fx
        .kb(args)
        .args(["--format", "json"])
        .env("KB_USER", user)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

fn person(handle: &str) -> String {
    format!("---\ntype: person\ntitle: {handle}\nhandle: {handle}\n---\n")
}

const GOAL: &str = "---\ntype: goal\nid: ID\ntitle: TITLE\nperiod: 2026-Q4\nowner: OWNER\nstate: active\nkey_results:\n  - id: kr\n    title: Done\n    kind: binary\n---\n# Goal\n";

fn goal(id: &str, owner: &str) -> String {
    GOAL.replace("ID", id)
        .replace("TITLE", id)
        .replace("OWNER", owner)
}

fn checkin(author: &str, date: &str, goal: &str) -> String {
    format!("---\ntype: checkin\nauthor: {author}\ndate: {date}\ngoals:\n  {goal}:\n    status: on-track\n---\n# Check-in\n")
}

/// KB_NOW is 2026-11-25.
fn team() -> Fixture {
    let mut fx = Fixture::bare().file(
        "kb.yaml",
        "name: Team\ngoals: {stale_after_days: 4}\nfreshness: {default: off}\n",
    );
    for h in ["dana", "ines", "lena", "sam"] {
        fx = fx.file(&format!("people/{h}.md"), &person(h));
    }
    let fx = fx
        .file(
            "specs/a.md",
            "---\ntitle: Spec A\nowner: ines\nreview:\n  reviewers: [lena, sam, dana]\n  due: 2026-11-30\n---\n# Spec A\n\nWe ship on a single weekend.\n",
        )
        .file("specs/b.md", "---\ntitle: Spec B\nowner: ines\n---\n# Spec B\n\nRetry forever.\n")
        .file(
            "rca/x.md",
            "---\ntitle: Outage\ntype: rca\nowner: dana\ncreated: 2026-11-01\n---\n# Outage\n\n| Action | Owner | Due | Status |\n|---|---|---|---|\n| Add alerts | @lena | 2026-11-20 | open |\n| Runbook | sam | 2026-11-10 | done |\n",
        )
        .file(
            "meetings/soon.md",
            "---\ntype: meeting\ntitle: Soon\nowner: ines\ndate: 2026-12-02\nattendees: [ines, lena, sam]\n---\n# Soon\n",
        )
        .file(
            "meetings/later.md",
            "---\ntype: meeting\ntitle: Later\nowner: ines\ndate: 2026-12-03\nattendees: [lena]\n---\n# Later\n",
        )
        .file("goals/lena.md", &goal("lena-q4", "lena"))
        .file("goals/sam.md", &goal("sam-q4", "sam"))
        .file("goals/checkins/l.md", &checkin("lena", "2026-11-10", "lena-q4"))
        .file("goals/checkins/s.md", &checkin("sam", "2026-11-23", "sam-q4"))
        .file(
            "handbook/pto.md",
            "---\ntitle: PTO\nowner: dana\nreviewed: 2026-01-01\nreview_every: 90d\n---\n# PTO\n",
        )
        .file(
            "handbook/fresh.md",
            "---\ntitle: Fresh\nowner: dana\nreviewed: 2026-11-01\nreview_every: 90d\n---\n# Fresh\n",
        );
    // Lena comments on Spec A and Ines replies: the ball is in Lena's court, not Ines's.
    let t = as_user(
        &fx,
        "lena",
        &[
            "review",
            "add",
            "specs/a.md",
            "--quote",
            "single weekend",
            "-m",
            "Too risky?",
        ],
    );
    let thread = t["thread"].as_str().unwrap().to_string();
    as_user(
        &fx,
        "ines",
        &["review", "reply", &thread, "-m", "We have a rollback."],
    );
    // Sam's thread on Spec B is resolved: it waits on no one.
    let t = as_user(
        &fx,
        "sam",
        &[
            "review",
            "add",
            "specs/b.md",
            "--quote",
            "Retry forever",
            "-m",
            "Bound it",
        ],
    );
    let resolved = t["thread"].as_str().unwrap().to_string();
    as_user(&fx, "ines", &["review", "resolve", &resolved]);
    // Dana's open thread on Spec B waits on its owner, Ines.
    as_user(
        &fx,
        "dana",
        &[
            "review",
            "add",
            "specs/b.md",
            "--quote",
            "Retry forever",
            "-m",
            "Why forever?",
        ],
    );
    // Sam approves Spec A, which then changes; Dana asks for changes.
    as_user(&fx, "sam", &["review", "approve", "specs/a.md"]);
    as_user(
        &fx,
        "dana",
        &[
            "review",
            "request-changes",
            "specs/a.md",
            "-m",
            "Two weekends",
        ],
    );
    std::fs::write(
        fx.path("specs/a.md"),
        fx.read("specs/a.md")
            .replace("single weekend", "single weekend, then a second"),
    )
    .unwrap();
    // Sam read the pre-read of the meeting next week.
    as_user(
        &fx,
        "sam",
        &[
            "review",
            "add",
            "meetings/soon.md",
            "--quote",
            "Soon",
            "-m",
            "Read it",
        ],
    );
    fx
}

fn kinds(inbox: &Value) -> Vec<(String, String)> {
    inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_string(),
                format!("{}:{}", i["path"].as_str().unwrap(), i["line"]),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn every_kind_of_duty_most_urgent_first_and_the_near_misses_absent() {
    let fx = team();
    let lena = fx.json(&["inbox", "lena"]);
    assert_eq!(lena["schema_version"], 1);
    assert_eq!(lena["handle"], "lena");
    assert_eq!(lena["as_of"], "2026-11-25");
    assert_eq!(
        kinds(&lena),
        pairs(&[
            // Last check-in 2026-11-10, every 4 days: due 2026-11-14.
            ("checkin-due", "goals/lena.md:1"),
            ("action-item", "rca/x.md:11"),
            ("review-requested", "specs/a.md:4"),
            // 2026-12-02 is 7 days ahead; the meeting on 2026-12-03 (8 days) is not yet.
            ("pre-read", "meetings/soon.md:5"),
            ("reply-needed", "specs/a.md:10"),
        ])
    );
    let first = &lena["items"][0];
    for key in ["kind", "path", "line", "title", "due", "age_days", "detail"] {
        assert!(first.get(key).is_some(), "{key}");
    }
    assert_eq!(first["due"], "2026-11-14");
    assert_eq!(lena["items"][1]["detail"], "action item: Add alerts");
    assert_eq!(lena["items"][1]["due"], "2026-11-20");

    // Ines replied last in Lena's thread and resolved Sam's; Dana's thread on Spec B and Sam's
    // comment on her meeting wait on her, and Dana asked for changes on her spec. She owns the
    // meeting: no pre-read for her.
    assert_eq!(
        kinds(&fx.json(&["inbox", "ines"])),
        pairs(&[
            ("changes-requested", "specs/a.md:4"),
            ("reply-needed", "meetings/soon.md:8"),
            ("reply-needed", "specs/b.md:7"),
        ])
    );
    // Sam approved before the change; his check-in is 2 days old; his action item is done; he
    // commented on the pre-read.
    assert_eq!(
        kinds(&fx.json(&["inbox", "sam"])),
        pairs(&[("review-stale", "specs/a.md:4")])
    );
    // Dana's PTO page was reviewed 2026-01-01, every 90 days; Fresh was reviewed this month.
    // Her own thread on Spec B waits on Ines, not on her.
    assert_eq!(
        kinds(&fx.json(&["inbox", "dana"])),
        pairs(&[("doc-stale", "handbook/pto.md:1")])
    );
}

#[test]
fn text_shows_where_when_and_why_and_an_empty_inbox_exits_0() {
    let fx = team();
    let text = fx.stdout(&["inbox", "lena"]);
    assert!(
        text.starts_with("5 items for lena as of 2026-11-25, most urgent first"),
        "{text}"
    );
    assert!(text.contains("overdue 11d  checkin-due"), "{text}");
    assert!(text.contains("rca/x.md:11"), "{text}");
    assert!(
        text.contains("action item: Add alerts (due 2026-11-20)"),
        "{text}"
    );
    assert!(text.contains("ines wrote in thread"), "{text}");
    let none = fx.stdout(&["inbox", "nobody"]);
    assert_eq!(none, "Nothing waits on nobody as of 2026-11-25.\n");
    // The default is you.
    let mine = fx
        .kb(&["inbox", "--format", "json"])
        .env("KB_USER", "sam")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mine: Value = serde_json::from_slice(&mine).unwrap();
    assert_eq!(mine["handle"], "sam");
}

#[test]
fn all_counts_per_person_and_kind_in_markdown() {
    let fx = team();
    let md = fx.stdout(&["inbox", "--all", "--format", "md"]);
    assert!(md.contains("| Person | review-requested | review-stale | reply-needed | changes-requested | checkin-due | doc-stale | action-item | pre-read | Total |"), "{md}");
    assert!(
        md.contains("| `lena` | 1 |  | 1 |  | 1 |  | 1 | 1 | 5 |"),
        "{md}"
    );
    assert!(
        md.contains("| **Total** | 1 | 1 | 3 | 1 | 1 | 1 | 1 | 1 | **10** |"),
        "{md}"
    );
    let all = fx.json(&["inbox", "--all"]);
    assert_eq!(all["handle"], Value::Null);
    assert_eq!(all["items"].as_array().unwrap().len(), 10);
    assert!(all["items"][0].get("handle").is_some());
    fx.kb(&["inbox", "lena", "--all"]).assert().code(2);
}

#[test]
fn an_unknown_handle_is_warned_about() {
    let fx = crate::Fixture::new().file(
        "people/dana.md",
        "---\ntype: person\nhandle: dana\nname: Dana\n---\n# Dana\n",
    );
    fx.kb(&["inbox", "dnaa"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "\"dnaa\" is not a handle in people/",
        ));
}

#[test]
fn a_new_rcas_example_action_items_wait_on_nobody_until_filled_in() {
    let fx = crate::Fixture::new();
    fx.kb(&["new", "rca", "Checkout outage"])
        .env("KB_USER", "dana")
        .assert()
        .success();
    let inbox = as_user(&fx, "dana", &["inbox"]);
    assert_eq!(kinds(&inbox), pairs(&[]), "{inbox}");
    // Filled in, a row is an action.
    let path = fx.path("rca/2026-11-25-checkout-outage.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let placeholder = "_Prevent: the change that stops this cause from recurring_";
    let line = 1 + text.lines().position(|l| l.contains(placeholder)).unwrap();
    std::fs::write(
        &path,
        text.replace(placeholder, "Roll back on a failed health check"),
    )
    .unwrap();
    let inbox = as_user(&fx, "dana", &["inbox"]);
    let at = format!("rca/2026-11-25-checkout-outage.md:{line}");
    assert_eq!(kinds(&inbox), pairs(&[("action-item", &at)]));
}
