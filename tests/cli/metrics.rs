//! `kb metrics` and `kb metrics record` end to end (DESIGN §16).

use crate::Fixture;
use predicates::str::contains;

fn metric(id: &str, title: &str, direction: &str, target: f64, cadence: &str) -> String {
    format!("---\ntype: metric\nid: {id}\ntitle: {title}\nowner: sam\nunit: ms\ndirection: {direction}\ntarget: {target}\ncadence: {cadence}\n---\n# {id}\n")
}

fn reading(author: &str, date: &str, values: &str) -> String {
    format!("---\ntype: reading\nauthor: {author}\ndate: {date}\nmetrics:\n{values}---\n")
}

/// p99 latency (lower is better, weekly) read every week; MRR (monthly) last read in September.
fn kb() -> Fixture {
    Fixture::new()
        .file(
            "metrics/p99.md",
            &metric("p99", "p99 latency", "down", 400.0, "weekly"),
        )
        .file(
            "metrics/mrr.md",
            &metric("mrr", "MRR", "up", 1000.0, "monthly"),
        )
        .file(
            "metrics/readings/2026/2026-09-20-sam.md",
            &reading("sam", "2026-09-20", "  mrr: 900\n"),
        )
        .file(
            "metrics/readings/2026/2026-10-20-sam.md",
            &reading("sam", "2026-10-20", "  p99: 900\n"),
        )
        .file(
            "metrics/readings/2026/2026-10-27-sam.md",
            &reading("sam", "2026-10-27", "  p99: 800\n"),
        )
        .file(
            "metrics/readings/2026/2026-11-17-sam.md",
            &reading("sam", "2026-11-17", "  p99: 450\n"),
        )
        .file(
            "metrics/readings/2026/2026-11-24-sam.md",
            &reading("sam", "2026-11-24", "  p99: {value: 380, note: pool fix}\n"),
        )
}

fn find<'a>(board: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    board["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap()
}

#[test]
fn lower_is_better_for_latency() {
    let board = kb().json(&["metrics"]);
    assert_eq!(board["schema_version"], 1);
    assert_eq!(board["as_of"], "2026-11-25");
    let p99 = find(&board, "p99");
    assert_eq!(p99["direction"], "down");
    assert_eq!(p99["value"], 380.0);
    assert_eq!(p99["date"], "2026-11-24");
    assert_eq!(p99["previous"], 450.0);
    assert_eq!(p99["change"], -70.0);
    // 4 weeks before 2026-11-24: the reading of 2026-10-27.
    assert_eq!(p99["change_4w"], -420.0);
    assert_eq!(p99["target"], 400.0);
    assert_eq!(p99["status"], "on-target");
    assert_eq!(p99["stale"], false);
    assert_eq!(p99["series"].as_array().unwrap().len(), 4);
    assert_eq!(
        p99["series"][0],
        serde_json::json!({"date": "2026-10-20", "value": 900.0})
    );
    for key in ["title", "owner", "unit"] {
        assert!(p99.get(key).is_some(), "{key}");
    }
}

#[test]
fn a_metric_without_a_reading_in_its_cadence_is_stale() {
    let board = kb().json(&["metrics"]);
    let mrr = find(&board, "mrr");
    assert_eq!(mrr["stale"], true);
    assert_eq!(mrr["status"], "off-target");
    let text = kb().stdout(&["metrics"]);
    assert!(text.contains("⏰ stale"), "{text}");
    assert!(text.contains("▇▆▃▁") || text.contains('▁'), "{text}");
}

#[test]
fn record_creates_then_extends_the_days_file() {
    let fx = kb();
    fx.kb(&["metrics", "record", "p99", "372", "-m", "warm pools"])
        .env("KB_USER", "sam")
        .assert()
        .success()
        .stdout("Created metrics/readings/2026/2026-11-25-sam.md: p99 = 372 on 2026-11-25\n");
    fx.kb(&["metrics", "record", "mrr", "905.5", "--date", "2026-11-25"])
        .env("KB_USER", "sam")
        .assert()
        .success()
        .stdout(contains("Updated metrics/readings/2026/2026-11-25-sam.md"));
    let text = fx.read("metrics/readings/2026/2026-11-25-sam.md");
    assert!(text.contains("type: reading"), "{text}");
    assert!(
        text.contains("p99:") && text.contains("372") && text.contains("warm pools"),
        "{text}"
    );
    assert!(text.contains("mrr: 905.5"), "{text}");
    let board = fx.json(&["metrics"]);
    assert_eq!(find(&board, "p99")["value"], 372.0);
    assert_eq!(find(&board, "mrr")["stale"], false);
    fx.kb(&["metrics", "record", "nope", "1"])
        .env("KB_USER", "sam")
        .assert()
        .code(2)
        .stderr(contains("no metric with id \"nope\""));
    fx.kb(&["metrics", "record", "p99", "fast"])
        .env("KB_USER", "sam")
        .assert()
        .code(2)
        .stderr(contains("is not a number"));
    fx.kb(&["check"]).assert().success();
}

#[test]
fn a_key_result_takes_its_values_from_a_metric() {
    let fx = kb()
        .file(
            "goals/2026/eng.md",
            "---\ntype: goal\nid: eng\ntitle: Faster API\nowner: dana\nperiod: 2026-Q4\nkey_results:\n  - {id: p99, kind: metric, start: 1200, target: 400, metric: p99}\n---\n# Faster API\n",
        );
    let report = fx.json(&["goals", "report"]);
    let goal = &report["goals"][0];
    assert_eq!(goal["key_results"][0]["value"], 380.0);
    assert_eq!(goal["score"], 1.0);
    // Readings move values, never the goal's last check-in.
    assert_eq!(goal["last_checkin"], serde_json::Value::Null);
    // A reading as of an earlier date is replayed like a check-in.
    let earlier = fx.json(&["goals", "report", "--as-of", "2026-10-30"]);
    assert_eq!(earlier["goals"][0]["key_results"][0]["value"], 800.0);
}

#[test]
fn html_escapes_titles_and_draws_svg() {
    let fx = kb().file(
        "metrics/evil.md",
        &metric(
            "evil",
            "<script>alert(1)</script> & co",
            "up",
            1.0,
            "weekly",
        ),
    );
    let html = fx.stdout(&["metrics", "--format", "html"]);
    assert!(html.starts_with("<!doctype html>"));
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; co"),
        "{html}"
    );
    assert!(html.contains("<svg class=\"spark\""), "{html}");
    let md = fx.stdout(&["metrics", "--format", "md"]);
    assert!(
        md.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"),
        "{md}"
    );
    assert!(md.contains("| [p99 latency](metrics/p99.md) | 380 ms (2026-11-24) | -70 | -420 | ≤ 400 ms | 🟢 on-target |"), "{md}");
}

#[test]
fn check_reports_unknown_metrics_and_values_that_are_not_numbers() {
    let fx = kb().file(
        "metrics/readings/2026/2026-11-20-lena.md",
        &reading("lena", "2026-11-20", "  p99: about 400\n  nrr: 104\n"),
    );
    fx.kb(&["check"])
        .assert()
        .code(1)
        .stdout(contains(
            "2026-11-20-lena.md:6:1: error reading-not-a-number",
        ))
        .stdout(contains(
            "2026-11-20-lena.md:7:1: error reading-unknown-metric",
        ));
}

#[test]
fn a_metrics_block_renders_the_scoreboard() {
    let fx = kb().file(
        "pages/board.md",
        "---\ntitle: Board\n---\n# Board\n\n<!-- kb:metrics -->\n<!-- /kb -->\n",
    );
    fx.kb(&["render"]).assert().success();
    let text = fx.read("pages/board.md");
    assert!(text.contains("[p99 latency](../metrics/p99.md)"), "{text}");
    fx.kb(&["render", "--check"]).assert().success();
}

#[test]
fn readings_recorded_at_once_all_land() {
    let mut fx = kb();
    for i in 0..8 {
        fx = fx.file(
            &format!("metrics/m{i}.md"),
            &metric(&format!("m{i}"), "M", "up", 1.0, "weekly"),
        );
    }
    let children: Vec<_> = (0..8)
        .map(|i| {
            let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("kb"));
            cmd.current_dir(fx.root())
                .env_clear()
                .env("HOME", fx.root())
                .env("KB_NOW", "2026-11-25")
                .env("KB_USER", "sam")
                .stdout(std::process::Stdio::null())
                .args(["metrics", "record", &format!("m{i}"), &i.to_string()]);
            cmd.spawn().unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let board = fx.json(&["metrics"]);
    for i in 0..8 {
        assert_eq!(find(&board, &format!("m{i}"))["value"], i as f64, "m{i}");
    }
}
