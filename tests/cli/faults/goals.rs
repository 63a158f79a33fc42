//! Faults: goals (see RELIABILITY.md). One bad goal doc must not take the report down with it:
//! a cycle of parent links, a weight or value that is not a usable number, and hostile text in
//! titles and owners that Markdown output would otherwise turn into HTML or broken tables.

use crate::Fixture;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

fn goal(id: &str, period: &str, extra: &str) -> String {
    format!("---\ntype: goal\nid: {id}\ntitle: Goal {id}\nowner: dana\nperiod: {period}\n{extra}---\n# Goal {id}\n")
}

#[test]
fn a_cycle_is_named_and_the_rest_still_reported() {
    let fx = Fixture::new()
        .file("goals/2026/a.md", &goal("a", "2026-Q4", "parent: b\n"))
        .file("goals/2026/b.md", &goal("b", "2026-Q4", "parent: a\n"))
        .file("goals/2026/ok.md", &goal("ok", "2026-Q4", ""));
    for format in ["md", "json"] {
        let out = fx
            .kb(&["--format", format, "goals", "report", "--period", "2026-Q4"])
            .assert()
            .code(1)
            .stderr(contains("error: goal parents form a cycle: a -> b"))
            .get_output()
            .clone();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("Goal ok"), "{stdout}");
        assert!(
            !stdout.contains("Goal a"),
            "goals on the cycle are left out"
        );
        if format == "json" {
            let r: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(r["goals"].as_array().unwrap().len(), 1);
            assert!(r["warnings"][0].as_str().unwrap().contains("cycle: a -> b"));
        }
    }
    fx.kb(&["goals", "tree"])
        .assert()
        .code(1)
        .stdout(contains("Goal ok"))
        .stderr(contains("cycle: a -> b"));
}

#[test]
fn a_cycle_among_drafts_of_another_period_does_not_touch_this_one() {
    let fx = Fixture::new()
        .file(
            "goals/2027/a.md",
            &goal("a", "2027-Q1", "state: draft\nparent: b\n"),
        )
        .file(
            "goals/2027/b.md",
            &goal("b", "2027-Q1", "state: draft\nparent: a\n"),
        )
        .file("goals/2026/ok.md", &goal("ok", "2026-Q4", ""));
    fx.kb(&["goals", "report", "--period", "2026-Q4"])
        .assert()
        .success()
        .stdout(contains("Goal ok"))
        .stderr(contains("cycle").not());
}

#[test]
fn bad_weights_are_reported_at_their_line_and_bounded_in_the_rollup() {
    let krs = "key_results:\n  - {id: k, kind: metric, start: 0, target: 10}\n";
    let fx = Fixture::new()
        .file("goals/2026/p.md", &goal("p", "2026-Q4", krs))
        // Line 7: the field after type, id, title, owner, period.
        .file(
            "goals/2026/neg.md",
            &goal("neg", "2026-Q4", "parent: p\nweight: -0.9\n"),
        )
        .file(
            "goals/2026/nan.md",
            &goal("nan", "2026-Q4", "parent: p\nweight: .nan\n"),
        )
        .file(
            "goals/2026/str.md",
            &goal("str", "2026-Q4", "parent: p\nweight: heavy\n"),
        )
        .file(
            "goals/2026/kr.md",
            &goal(
                "kr",
                "2026-Q4",
                "key_results:\n  - id: a\n    target: 10\n    weight: -2\n",
            ),
        )
        .file(
            "goals/checkins/2026/2026-11-24-dana.md",
            "---\ntype: checkin\nauthor: dana\ndate: 2026-11-24\ngoals:\n  p: {key_results: {k: 10}}\n---\n",
        );
    let check = fx
        .kb(&["--format", "json", "check"])
        .output()
        .unwrap()
        .stdout;
    let check: serde_json::Value = serde_json::from_slice(&check).unwrap();
    let mut kinds: Vec<String> = check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "bad-field-kind")
        .map(|d| format!("{}:{}", d["path"].as_str().unwrap(), d["line"]))
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "goals/2026/kr.md:10",
            "goals/2026/nan.md:8",
            "goals/2026/neg.md:8",
            "goals/2026/str.md:8"
        ],
        "{check}"
    );
    let r = fx.json(&["goals", "report", "--period", "2026-Q4"]);
    let p = r["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "p")
        .unwrap();
    // KR k is done (1.0), the three children have none done: bad weights count as 1, so 1/4.
    assert_eq!(p["score"], 0.25, "{p}");
}

#[test]
fn a_checkin_refuses_nan_and_leaves_the_file_alone() {
    let checkin = "goals/checkins/2026/2026-11-25-dana.md";
    let before = "---\ntype: checkin\nauthor: dana\ndate: 2026-11-25\ngoals:\n  g: {key_results: {p99: 900}}\n---\n";
    let fx = Fixture::new()
        .file(
            "goals/2026/g.md",
            &goal(
                "g",
                "2026-Q4",
                "key_results:\n  - {id: p99, kind: metric, start: 1200, target: 400}\n",
            ),
        )
        .file(checkin, before);
    for value in ["NaN", "inf", "-inf"] {
        fx.kb(&["goals", "checkin", "g", "--kr", &format!("p99={value}")])
            .env("KB_USER", "dana")
            .assert()
            .code(2)
            .stderr(contains(format!("{value:?} is not a finite number")));
    }
    fx.kb(&["goals", "checkin", "g", "--confidence", "NaN"])
        .env("KB_USER", "dana")
        .assert()
        .code(2)
        .stderr(contains("--confidence NaN is not a number from 0 to 1"));
    assert_eq!(fx.read(checkin), before);
}

#[test]
fn markdown_output_escapes_titles_and_owners() {
    let hostile = "---\ntype: goal\nid: x\ntitle: \"<script>alert(1)</script> a|b [c](javascript:d)\"\nowner: \"<img src=x onerror=alert(1)>|e\"\nperiod: 2026-Q4\n---\n";
    let fx = Fixture::new().file("goals/2026/x.md", hostile);
    let ls = fx.stdout(&["ls", "--format", "md"]);
    let report = fx.stdout(&["goals", "report", "--format", "md"]);
    for out in [&ls, &report] {
        assert!(!out.contains("<script") && !out.contains("<img"), "{out}");
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt; a\\|b \\[c\\](javascript:d)"));
        assert!(
            out.contains("&lt;img src=x onerror=alert(1)&gt;\\|e"),
            "{out}"
        );
    }
    // The link to the doc still works, and the row keeps its four cells.
    let row = ls.lines().find(|l| l.contains("goals/2026/x.md")).unwrap();
    assert!(row.starts_with("| [&lt;script&gt;"), "{row}");
    assert!(row.contains("](goals/2026/x.md) | goal |"), "{row}");
    assert_eq!(row.matches(" | ").count(), 3, "{row}");
}

#[test]
fn a_newline_in_a_title_stays_in_its_row() {
    let fx = Fixture::new().file(
        "goals/2026/x.md",
        "---\ntype: goal\nid: x\ntitle: \"one\\ntwo\"\nowner: dana\nperiod: 2026-Q4\n---\n",
    );
    let ls = fx.stdout(&["ls", "--format", "md"]);
    assert!(ls.contains("| [one two](goals/2026/x.md) | goal |"), "{ls}");
}
