//! `kb goals tree|report|checkin` end to end.

use crate::{kb_in, Fixture};
use predicates::str::contains;

fn goal(id: &str, parent: Option<&str>, extra: &str) -> String {
    let parent = parent.map(|p| format!("parent: {p}\n")).unwrap_or_default();
    format!("---\ntype: goal\nid: {id}\ntitle: Goal {id}\nowner: dana\nperiod: 2026-Q4\nlevel: division\n{parent}{extra}---\n# Goal {id}\n")
}

/// Q4 2026, as of 2026-11-25 (56/92 elapsed, expected 0.6087).
fn company() -> Fixture {
    Fixture::new()
        .file("goals/2026/root.md", &goal("root", None, "key_results:\n  - {id: arr, kind: metric, start: 0, target: 100}\n"))
        .file("goals/2026/eng.md", &goal("eng", Some("root"), "key_results:\n  - {id: p99, kind: metric, start: 1200, target: 400}\n  - {id: rca, kind: binary}\n"))
        .file("goals/2026/ops.md", &goal("ops", Some("root"), "key_results:\n  - {id: up, kind: threshold, target: 99.9, threshold: at_least}\n"))
        .file("goals/2026/dropped.md", &goal("dropped", Some("root"), "state: cancelled\n"))
        .file(
            "goals/checkins/2026/2026-11-24-dana.md",
            "---\ntype: checkin\nauthor: dana\ndate: 2026-11-24\ngoals:\n  root: {key_results: {arr: 60}}\n  eng: {status: at-risk, key_results: {p99: 800, rca: true}}\n---\nNotes.\n",
        )
        .file(
            "goals/checkins/2026/2026-11-10-sam.md",
            "---\ntype: checkin\nauthor: sam\ndate: 2026-11-10\ngoals:\n  ops: {key_results: {up: 99.95}}\n---\n",
        )
}

fn report(fx: &Fixture, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json", "goals", "report"];
    all.extend_from_slice(args);
    let out = fx.kb(&all).output().unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn find<'a>(r: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    r["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

#[test]
fn json_report_with_hand_computed_scores() {
    let r = report(&company(), &["--period", "2026-Q4"]);
    assert_eq!(
        (
            r["schema_version"].as_u64(),
            r["as_of"].as_str(),
            r["period"].as_str()
        ),
        (Some(1), Some("2026-11-25"), Some("2026-Q4"))
    );
    let ids: Vec<&str> = r["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec!["root", "eng", "ops"],
        "parents first, siblings by id, cancelled never listed"
    );
    // eng: p99 (1200 -> 400, at 800) = 0.5, rca = 1: (0.5 + 1) / 2 = 0.75.
    let eng = find(&r, "eng");
    assert_eq!(eng["score"], 0.75);
    assert_eq!(eng["expected"], 0.6087);
    assert_eq!(
        (
            eng["computed_status"].as_str(),
            eng["status"].as_str(),
            eng["reported_status"].as_str()
        ),
        (Some("on-track"), Some("at-risk"), Some("at-risk"))
    );
    assert_eq!(eng["key_results"][0]["raw"], 0.5);
    // ops: threshold met, but no check-in since 11-10: stale.
    let ops = find(&r, "ops");
    assert_eq!(
        (
            ops["score"].as_f64(),
            ops["stale"].as_bool(),
            ops["last_checkin"].as_str()
        ),
        (Some(1.0), Some(true), Some("2026-11-10"))
    );
    // root: arr 0.6, eng 0.75, ops 1.0, equal weights: 0.7833.
    let root = find(&r, "root");
    assert_eq!(root["score"], 0.7833);
    assert_eq!(root["children"], serde_json::json!(["eng", "ops"]));
    assert_eq!(
        r["counts"],
        serde_json::json!({"at-risk": 1, "on-track": 2, "stale": 1})
    );
    for key in [
        "id",
        "title",
        "level",
        "owner",
        "parent",
        "period",
        "state",
        "weight",
        "score",
        "expected",
        "status",
        "computed_status",
        "reported_status",
        "confidence",
        "stale",
        "last_checkin",
        "key_results",
        "children",
    ] {
        assert!(eng.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn as_of_replays_and_kb_now_sets_today() {
    let fx = company();
    let r = report(&fx, &["--as-of", "2026-11-20"]);
    assert_eq!(
        find(&r, "eng")["score"],
        0.0,
        "the 11-24 check-in is in the future"
    );
    let out = fx
        .kb(&["--format", "json", "goals", "report"])
        .env("KB_NOW", "2027-01-05")
        .output()
        .unwrap();
    let later: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(find(&later, "ops")["status"], "achieved");
    assert_eq!(find(&later, "eng")["status"], "missed");
}

#[test]
fn fail_on_sets_the_exit_code() {
    let fx = company();
    fx.kb(&["goals", "report"]).assert().success();
    fx.kb(&["goals", "report", "--fail-on", "off-track"])
        .assert()
        .success();
    fx.kb(&["goals", "report", "--fail-on", "at-risk"])
        .assert()
        .code(1)
        .stderr(contains("eng"));
    fx.kb(&["goals", "report", "--fail-on", "off-track,stale"])
        .assert()
        .code(1)
        .stderr(contains("ops"));
    fx.kb(&["goals", "report", "--fail-on", "late"])
        .assert()
        .code(2);
}

#[test]
fn markdown_report_has_counts_attention_and_tree() {
    let out = company().stdout(&["goals", "report", "--period", "2026-Q4"]);
    assert!(
        out.starts_with("# Goals: 2026-Q4, as of 2026-11-25"),
        "{out}"
    );
    assert!(out.contains("| 🟡 at-risk | 1 |"));
    assert!(out.contains("## Needs attention"));
    assert!(out.contains("[Goal eng](goals/2026/eng.md) `eng` | dana | 🟡 at-risk"));
    assert!(
        out.contains("  - 🟡 **Goal eng** `eng` `████████░░` 75% of 61% expected"),
        "{out}"
    );
}

#[test]
fn html_is_self_contained_and_escapes_titles() {
    let fx = company().file("goals/2026/x.md", "---\ntype: goal\nid: x\ntitle: \"<script>alert(1)</script> & co\"\nperiod: 2026-Q4\nowner: dana\n---\n");
    let html = fx.stdout(&["goals", "report", "--format", "html"]);
    assert!(html.starts_with("<!doctype html>"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; co"),
        "escaped title"
    );
    assert!(!html.contains("<script"), "no scripts");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external requests"
    );
}

#[test]
fn tree_for_people() {
    let out = company().stdout(&["goals", "tree"]);
    assert!(out.contains("Goals as of 2026-11-25"));
    assert!(out.contains("  ████████░░  75% at-risk     Goal eng (eng) · dana (reported at-risk, computed on-track)"), "{out}");
    assert!(out.contains("stale"));
}

#[test]
fn cycles_are_errors_naming_every_goal_on_them() {
    let fx = Fixture::new()
        .file("goals/a.md", &goal("a", Some("c"), ""))
        .file("goals/b.md", &goal("b", Some("a"), ""))
        .file("goals/c.md", &goal("c", Some("b"), ""));
    fx.kb(&["goals", "report"])
        .assert()
        .code(1)
        .stderr(contains("cycle: a -> b -> c"));
}

#[test]
fn a_missing_parent_warns_and_the_goal_is_a_root() {
    let fx = Fixture::new().file("goals/a.md", &goal("a", Some("ghost"), ""));
    let out = fx
        .kb(&["--format", "json", "goals", "report"])
        .assert()
        .success()
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("parent ghost"));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["goals"][0]["parent"], serde_json::Value::Null);
}

#[test]
fn a_broken_goal_is_reported_with_its_file() {
    let fx = company().file(
        "goals/2026/bad.md",
        "---\ntype: goal\nid: bad\ntitle: Bad\nperiod: someday\n---\n",
    );
    fx.kb(&["goals", "report"])
        .assert()
        .code(1)
        .stderr(contains("goals/2026/bad.md"))
        .stderr(contains("not a period"));
}

#[test]
fn checkin_writes_then_extends_todays_file() {
    let fx = company();
    fx.kb(&[
        "goals",
        "checkin",
        "eng",
        "--kr",
        "p99=700",
        "--status",
        "on-track",
        "--confidence",
        "0.8",
        "-m",
        "Pool fix shipped.",
    ])
    .env("KB_USER", "lee")
    .assert()
    .success()
    .stdout(contains(
        "Wrote check-in on eng in goals/checkins/2026/2026-11-25-lee.md",
    ));
    fx.kb(&["goals", "checkin", "ops", "--kr", "up=99.97"])
        .env("KB_USER", "lee")
        .assert()
        .success()
        .stdout(contains("Added to"));
    fx.kb(&["goals", "checkin", "eng", "--kr", "rca=true"])
        .env("KB_USER", "lee")
        .assert()
        .success();
    let doc = fx.json(&["show", "goals/checkins/2026/2026-11-25-lee.md"]);
    assert_eq!(doc["type"], "checkin");
    assert_eq!(
        doc["fields"]["goals"]["eng"]["key_results"],
        serde_json::json!({"p99": 700.0, "rca": true})
    );
    assert_eq!(doc["fields"]["goals"]["eng"]["status"], "on-track");
    assert_eq!(doc["fields"]["goals"]["ops"]["key_results"]["up"], 99.97);
    assert!(doc["body"].as_str().unwrap().contains("Pool fix shipped."));
    // The report sees it: p99 (1200 -> 400, at 700) = 0.625, rca done.
    let r = report(&fx, &[]);
    assert_eq!(find(&r, "eng")["score"], 0.8125);
    assert_eq!(find(&r, "ops")["stale"], false);
}

#[test]
fn checkin_validates_goal_kr_status_and_state() {
    let fx = company();
    let run = |args: &[&str]| {
        let mut all = vec!["goals", "checkin"];
        all.extend_from_slice(args);
        fx.kb(&all).env("KB_USER", "lee").assert().code(2)
    };
    run(&["nope", "--kr", "a=1"])
        .stderr(contains("no goal with id \"nope\""))
        .stderr(contains("eng, ops, root"));
    run(&["eng", "--kr", "latency=1"])
        .stderr(contains("no key result \"latency\""))
        .stderr(contains("p99, rca"));
    run(&["eng", "--kr", "p99=fast"]).stderr(contains("not a number"));
    run(&["eng", "--status", "great"]).stderr(contains("on-track, at-risk, off-track"));
    run(&["dropped", "-m", "x"]).stderr(contains("cancelled"));
    run(&["eng"]).stderr(contains("nothing to check in"));
    assert!(!fx.path("goals/checkins/2026/2026-11-25-lee.md").exists());
}

#[test]
fn unknown_kr_in_a_checkin_file_is_a_warning() {
    let fx = company().file(
        "goals/checkins/2026/2026-11-25-kim.md",
        "---\ntype: checkin\nauthor: kim\ndate: 2026-11-25\ngoals:\n  eng: {key_results: {latency: 3}}\n  ghost: {status: on-track}\n---\n",
    );
    fx.kb(&["goals", "report"])
        .assert()
        .success()
        .stderr(contains("key result latency of goal eng"))
        .stderr(contains("goal ghost, which does not exist"));
}

#[test]
fn compare_shows_movement_since_a_commit() {
    let fx = company();
    let repo = git2::Repository::init(fx.root()).unwrap();
    let sig = git2::Signature::now("t", "t@example.com").unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["goals/2026"].iter(), git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    repo.commit(Some("HEAD"), &sig, &sig, "goals only", &tree, &[])
        .unwrap();
    let r = report(&fx, &["--compare", "HEAD"]);
    assert_eq!(find(&r, "eng")["previous_score"], 0.0);
    assert_eq!(find(&r, "eng")["score"], 0.75);
    fx.kb(&["goals", "report", "--compare", "nope"])
        .assert()
        .code(2)
        .stderr(contains("unknown revision"));
}

#[test]
fn the_example_company_reads_as_intended() {
    let acme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let out = kb_in(&acme)
        .args(["--format", "json", "goals", "report", "--period", "2026-Q4"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let status = |id: &str| find(&r, id)["status"].as_str().unwrap().to_string();
    assert_eq!(status("checkout-2026-q4-redesign"), "off-track");
    assert_eq!(status("eng-2026-q4-reliability"), "at-risk");
    assert_eq!(status("gtm-2026-q4-revenue"), "on-track");
    let stale: Vec<&str> = r["goals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["stale"] == true)
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(stale, vec!["cs-2026-q4-trial-rescue"]);
}

/// `company()` plus a check-in by lee that gives eng a note through `kb goals checkin -m`.
fn company_with_a_note() -> Fixture {
    let fx = company();
    fx.kb(&[
        "goals",
        "checkin",
        "eng",
        "--kr",
        "p99=700",
        "-m",
        "Pool fix shipped; p99 down 12%.\n\nNext: the <scheduler> work.",
    ])
    .env("KB_USER", "lee")
    .assert()
    .success();
    fx
}

#[test]
fn the_latest_note_is_beside_its_goal_in_every_format() {
    let fx = company_with_a_note();
    let r = report(&fx, &[]);
    assert_eq!(
        find(&r, "eng")["last_note"],
        serde_json::json!({
            "date": "2026-11-25",
            "author": "lee",
            "path": "goals/checkins/2026/2026-11-25-lee.md",
            "text": "Pool fix shipped; p99 down 12%.\n\nNext: the <scheduler> work."
        }),
        "in full in JSON"
    );
    assert_eq!(find(&r, "ops")["last_note"], serde_json::Value::Null);
    let earlier = report(&fx, &["--as-of", "2026-11-24"]);
    assert_eq!(
        find(&earlier, "eng")["last_note"]["text"],
        "Notes.",
        "a later check-in's note is not replayed into the past; dana's shared one stands"
    );
    let md = fx.stdout(&["goals", "report"]);
    assert!(
        md.contains("- 💬 “Pool fix shipped; p99 down 12%.” — lee, [2026-11-25](goals/checkins/2026/2026-11-25-lee.md)"),
        "the first paragraph in md: {md}"
    );
    assert!(!md.contains("scheduler"), "only the first paragraph");
    let html = fx.stdout(&["goals", "report", "--format", "html"]);
    assert!(
        html.contains("“Pool fix shipped; p99 down 12%.” <span class=\"by\">— lee,"),
        "{html}"
    );
}

#[test]
fn a_front_matter_note_counts_and_numbers_alone_leave_it_standing() {
    let fx = company()
        .file(
            "goals/checkins/2026/2026-11-20-kim.md",
            "---\ntype: checkin\nauthor: kim\ndate: 2026-11-20\ngoals:\n  ops: {note: \"Vendor SLA renegotiated.\"}\n---\n",
        )
        .file(
            "goals/checkins/2026/2026-11-22-kim.md",
            "---\ntype: checkin\nauthor: kim\ndate: 2026-11-22\ngoals:\n  ops: {key_results: {up: 99.96}}\n---\n",
        );
    let r = report(&fx, &[]);
    let note = &find(&r, "ops")["last_note"];
    assert_eq!(
        (note["date"].as_str(), note["text"].as_str()),
        (Some("2026-11-20"), Some("Vendor SLA renegotiated."))
    );
}

#[test]
fn html_titles_link_to_their_goal_docs() {
    let html = company().stdout(&["goals", "report", "--format", "html"]);
    assert!(
        html.contains("<a class=\"title\" href=\"goals&#x2f;2026&#x2f;eng.md\">Goal eng</a>")
            || html.contains("<a class=\"title\" href=\"goals/2026/eng.md\">Goal eng</a>"),
        "{html}"
    );
    assert!(html.contains("name=\"viewport\""));
    assert!(html.contains("@media (max-width: 640px)"), "a phone layout");
}

#[test]
fn at_most_thresholds_read_as_met_not_as_a_regression() {
    let fx = company().file(
        "goals/2026/sev.md",
        &goal("sev", None, "key_results:\n  - {id: sev1, title: Sev1 incidents, kind: threshold, target: 5, threshold: at_most}\n"),
    ).file(
        "goals/checkins/2026/2026-11-25-dana.md",
        "---\ntype: checkin\nauthor: dana\ndate: 2026-11-25\ngoals:\n  sev: {key_results: {sev1: 4}}\n---\n",
    );
    let md = fx.stdout(&["goals", "report"]);
    assert!(md.contains("- Sev1 incidents: at most 5: 4 ✓ met"), "{md}");
    assert!(!md.contains("4 → 5"));
    let html = fx.stdout(&["goals", "report", "--format", "html"]);
    assert!(
        html.contains("<li>Sev1 incidents: at most 5: 4 ✓ met</li>"),
        "{html}"
    );
    let r = report(&fx, &[]);
    let kr = &find(&r, "sev")["key_results"][0];
    assert_eq!(
        (
            kr["threshold"].as_str(),
            kr["score"].as_f64(),
            kr["target"].as_f64()
        ),
        (Some("at_most"), Some(1.0), Some(5.0))
    );
}

#[test]
fn json_counts_stale_as_md_and_html_do() {
    let fx = company();
    let r = report(&fx, &[]);
    assert_eq!(r["counts"]["stale"], 1);
    assert_eq!(r["counts"]["on-track"], 2, "status counts stay");
    let md = fx.stdout(&["goals", "report"]);
    assert!(md.contains("| ⏰ stale (no check-in for a while) | 1 |"));
    assert!(
        !md.contains("| ⚪ stale"),
        "stale is not listed as a status too"
    );
    let html = fx.stdout(&["goals", "report", "--format", "html"]);
    assert_eq!(html.matches("stale (no recent check-in)").count(), 1);
}

#[test]
fn as_of_leaves_out_goals_created_later() {
    let fx = company().file(
        "goals/2026/late.md",
        &goal("late", Some("root"), "created: 2026-12-01\n"),
    );
    let ids = |r: &serde_json::Value| -> Vec<String> {
        r["goals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["id"].as_str().unwrap().to_string())
            .collect()
    };
    let before = report(&fx, &["--as-of", "2026-11-20"]);
    assert!(!ids(&before).contains(&"late".to_string()), "{before}");
    assert_eq!(
        find(&before, "root")["children"],
        serde_json::json!(["eng", "ops"])
    );
    let after = report(&fx, &["--as-of", "2026-12-02"]);
    assert!(ids(&after).contains(&"late".to_string()));
}
