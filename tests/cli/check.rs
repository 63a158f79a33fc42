//! `kb check`: every rule on the broken fixture KB (and the near misses it must not report),
//! output formats, severities, opt-outs, the baseline, exit codes and --changed-since.

use crate::{copy_dir, kb_in, Fixture};
use predicates::str::contains;
use std::path::Path;

/// A copy of tests/fixtures/broken-kb in a temp dir.
fn broken() -> Fixture {
    let fx = Fixture::bare();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken-kb"),
        fx.root(),
    );
    fx
}

fn check_json(fx: &Fixture, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json", "check"];
    all.extend_from_slice(args);
    let out = fx.kb(&all).output().unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn codes(report: &serde_json::Value) -> Vec<(String, String)> {
    report["diagnostics"]
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
fn every_rule_fires_on_the_broken_kb_and_nothing_else() {
    let report = check_json(&broken(), &[]);
    let found = codes(&report);
    let expect = [
        ("bad-yaml", "handbook/bad-yaml.md:4"),
        ("broken-link", "handbook/links.md:10"),
        ("broken-anchor", "handbook/links.md:11"),
        ("broken-wiki-link", "handbook/links.md:12"),
        ("duplicate-id", "specs/good.md:4"),
        ("bad-enum", "specs/dup.md:6"),
        ("bad-date", "specs/dup.md:7"),
        ("unknown-person", "specs/dup.md:8"),
        ("bad-field-kind", "specs/kind.md:6"),
        ("unknown-type", "specs/oddtype.md:3"),
        ("missing-field", "rca/no-owner.md:1"),
        ("rca-action-without-owner", "rca/outage.md:12"),
        ("duplicate-key", "handbook/twice.md:5"),
        ("missing-doc-ref", "decisions/adr-0001.md:7"),
        ("supersedes-one-way", "decisions/adr-0002.md:7"),
        ("goal-cycle", "goals/2026/a.md:7"),
        ("goal-cycle", "goals/2026/b.md:7"),
        ("goal-parent-missing", "goals/2026/orphan.md:7"),
        ("bad-goal", "goals/2026/bad.md:6"),
        (
            "checkin-unknown-goal",
            "goals/checkins/2026/2026-11-24-dana.md:5",
        ),
        (
            "checkin-unknown-kr",
            "goals/checkins/2026/2026-11-24-dana.md:5",
        ),
        (
            "review-malformed",
            ".kb/reviews/specs/good/01JBBBBBBBBBBBBBBBBBBBBBBB/01JBBBBBBBBBBBBBBBBBBBBBBB.md:1",
        ),
        ("review-orphaned", "specs/good.md:1"),
    ];
    for (code, at) in expect {
        assert!(
            found.contains(&(code.to_string(), at.to_string())),
            "missing {code} at {at} in {found:?}"
        );
    }
    // The near misses: a fine relative link, a same-doc anchor, an external URL, template
    // syntax, a resolving wiki link, an opted-out doc, an owned action item.
    assert_eq!(found.len(), expect.len(), "{found:?}");
    assert_eq!(
        (report["errors"].as_u64(), report["warnings"].as_u64()),
        (Some(17), Some(6))
    );
    assert_eq!(report["schema_version"], 1);
    let d = &report["diagnostics"][0];
    for key in [
        "path", "line", "column", "severity", "code", "message", "hint",
    ] {
        assert!(d.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn a_finding_on_a_key_set_twice_points_at_the_value_yaml_keeps() {
    let doc =
        "---\ntitle: T\ntype: spec\ncreated: 2026-01-01\nowner: dana\ncreated: someday\n---\n";
    let fx = Fixture::new().file("specs/twice.md", doc);
    for run in ["first", "cached"] {
        let found = codes(&check_json(&fx, &[]));
        assert!(
            found.contains(&("bad-date".into(), "specs/twice.md:6".into())),
            "{run}: {found:?}"
        );
    }
}

#[test]
fn exit_codes_and_strict() {
    let fx = broken();
    fx.kb(&["check"])
        .assert()
        .code(1)
        .stdout(contains("handbook/links.md:10:3: error broken-link:"));
    let clean = Fixture::new().file("a.md", "---\ntitle: A\ntype: nope\n---\n");
    clean
        .kb(&["check"])
        .assert()
        .success()
        .stdout(contains("0 errors, 1 warning"));
    clean.kb(&["check", "--strict"]).assert().code(1);
    clean.kb(&["check", "--format", "md"]).assert().code(2);
}

#[test]
fn severities_from_kb_yaml_and_doc_opt_outs() {
    let fx = broken().file(
        "kb.yaml",
        "check:\n  rules: {broken-link: off, unknown-type: error}\n",
    );
    let found = codes(&check_json(&fx, &[]));
    assert!(
        !found.iter().any(|(c, _)| c == "broken-link"),
        "switched off"
    );
    let report = check_json(&fx, &[]);
    let odd = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "unknown-type")
        .unwrap();
    assert_eq!(odd["severity"], "error");
}

#[test]
fn github_and_sarif_formats() {
    let fx = broken();
    let gh = String::from_utf8(
        fx.kb(&["check", "--format", "github"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(gh.contains("::error file=handbook/links.md,line=10,col=3,title=broken-link::link to ./missing-page.md"), "{gh}");
    assert!(gh.contains("::warning file=rca/outage.md,line=12"));
    let out = fx.kb(&["check", "--format", "sarif"]).output().unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "kb");
    assert!(run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "broken-anchor"));
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "broken-link")
        .unwrap();
    assert_eq!(result["level"], "error");
    assert!(result["message"]["text"].is_string());
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        (
            loc["artifactLocation"]["uri"].as_str(),
            loc["region"]["startLine"].as_u64(),
            loc["region"]["startColumn"].as_u64()
        ),
        (Some("handbook/links.md"), Some(10), Some(3))
    );
}

#[test]
fn the_baseline_passes_old_findings_fails_new_ones_and_notices_fixes() {
    let fx = broken();
    fx.kb(&["check", "--write-baseline"])
        .assert()
        .success()
        .stdout(contains("Recorded 23 findings"));
    fx.kb(&["check"])
        .assert()
        .success()
        .stdout(contains("0 errors"))
        .stdout(contains(
            "Not counted: 23 older problems that were already there when the baseline was written (.kb/check-baseline.json). They belong to: dana (",
        ));
    // Lines moving above a known finding keep it known.
    let links = fx
        .read("handbook/links.md")
        .replace("# Links\n", "# Links\n\nA new paragraph.\n");
    std::fs::write(fx.path("handbook/links.md"), links).unwrap();
    fx.kb(&["check"]).assert().success();
    // A new problem fails.
    std::fs::write(
        fx.path("handbook/new.md"),
        "---\ntitle: New\n---\n[x](./nowhere.md)\n",
    )
    .unwrap();
    fx.kb(&["check"])
        .assert()
        .code(1)
        .stdout(contains("handbook/new.md:4:1: error broken-link"));
    std::fs::remove_file(fx.path("handbook/new.md")).unwrap();
    // A fixed one leaves the baseline stale and says so.
    std::fs::remove_file(fx.path("specs/oddtype.md")).unwrap();
    fx.kb(&["check"])
        .assert()
        .success()
        .stdout(contains("1 baseline finding fixed"));
}

#[test]
fn paths_limit_the_report_but_links_resolve_against_everything() {
    let fx = broken();
    let report = check_json(&fx, &["handbook/links.md"]);
    let found = codes(&report);
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(report["files_checked"], 1);
    let folder = codes(&check_json(&fx, &["goals"]));
    assert!(
        folder.iter().all(|(_, at)| at.starts_with("goals/")),
        "{folder:?}"
    );
    fx.kb(&["check", "nowhere/"]).assert().code(2);
}

#[test]
fn changed_since_checks_only_changed_docs() {
    let fx = Fixture::new()
        .file("a.md", "---\ntitle: A\n---\n[x](./gone.md)\n")
        .file("b.md", "---\ntitle: B\n---\nFine.\n");
    let repo = git2::Repository::init(fx.root()).unwrap();
    let sig = git2::Signature::now("t", "t@example.com").unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    repo.commit(Some("HEAD"), &sig, &sig, "base", &tree, &[])
        .unwrap();
    fx.kb(&["check", "--changed-since", "HEAD"])
        .assert()
        .success()
        .stdout(contains("in 0 files"));
    std::fs::write(fx.path("b.md"), "---\ntitle: B\n---\n[y](./nope.md)\n").unwrap();
    let found = codes(&check_json(&fx, &["--changed-since", "HEAD"]));
    assert_eq!(
        found,
        vec![("broken-link".to_string(), "b.md:4".to_string())]
    );
    fx.kb(&["check", "--changed-since", "no-such-rev"])
        .assert()
        .code(2)
        .stderr(contains("unknown revision"));
}

#[test]
fn list_rules_needs_no_kb() {
    let outside = tempfile::tempdir().unwrap();
    let out = kb_in(outside.path())
        .args(["check", "--list-rules", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let list: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let codes = list.to_string();
    assert!(codes.contains("broken-link"), "{codes}");
    kb_in(outside.path())
        .args(["--format", "text", "check", "--list-rules"])
        .assert()
        .success()
        .stdout(contains("broken-link"));
    kb_in(outside.path())
        .args(["check"])
        .assert()
        .code(2)
        .stderr(contains("no knowledge base found"));
}

#[test]
fn list_rules_and_the_example_kb_is_clean() {
    let fx = Fixture::new();
    let out = fx.stdout(&["check", "--list-rules"]);
    for code in [
        "broken-link",
        "duplicate-id",
        "goal-cycle",
        "review-orphaned",
        "rca-action-without-owner",
        "duplicate-key",
    ] {
        assert!(out.contains(code), "{code}");
    }
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    kb_in(&acme)
        .arg("check")
        .assert()
        .success()
        .stdout(contains("0 errors, 0 warnings"));
}

#[test]
fn site_absolute_links_resolve_through_link_roots() {
    let fx = Fixture::bare()
        .file("kb.yaml", "links:\n  roots: {/handbook/: handbook/}\n")
        .file("handbook/travel/index.md", "# Travel\n\n## Trains\n")
        .file("handbook/leave.md", "# Leave\n")
        .file(
            "handbook/a.md",
            "# A\n\n[ok](/handbook/travel/#trains) [ok](/handbook/leave/) [bad](/handbook/nope/) [unknown root](/blog/x/)\n",
        );
    let found = codes(&check_json(&fx, &[]));
    assert_eq!(
        found,
        vec![
            ("broken-link".to_string(), "handbook/a.md:3".to_string()),
            (
                "unresolved-site-link".to_string(),
                "handbook/a.md:3".to_string()
            )
        ]
    );
}

#[test]
fn schema_exports_json_schema() {
    let fx = Fixture::bare().file("kb.yaml", "types:\n  vendor:\n    folder: vendors\n    required: [title, owner, renewal]\n    fields: {renewal: date, tier: {enum: [gold, silver]}}\n");
    let out = fx.stdout(&["schema", "--format", "json-schema", "vendor"]);
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(s["required"], serde_json::json!(["owner", "renewal"]));
    assert_eq!(
        s["properties"]["tier"]["enum"],
        serde_json::json!(["gold", "silver"])
    );
    let all: serde_json::Value =
        serde_json::from_str(&fx.stdout(&["schema", "--format", "json-schema"])).unwrap();
    assert_eq!(
        all["definitions"]["decision"]["properties"]["status"]["enum"][1],
        "accepted"
    );
    fx.kb(&["schema", "--format", "json-schema", "nope"])
        .assert()
        .code(2);
}

#[test]
fn check_config_is_typed_unknown_codes_levels_and_keys_are_config_errors() {
    let fx = Fixture::bare().file("a.md", "# A\n").file(
        "kb.yaml",
        "name: T\ncheck:\n  rules:\n    broken-lnk: off\n",
    );
    fx.kb(&["check"])
        .assert()
        .code(2)
        .stderr(contains(
            "unknown rule code `broken-lnk`: did you mean `broken-link`?",
        ))
        .stderr(contains("kb.yaml:4"));
    let fx = fx.file(
        "kb.yaml",
        "name: T\ncheck:\n  rules: {broken-link: warning}\n  rules2: {}\n",
    );
    fx.kb(&["check"])
        .assert()
        .code(2)
        .stderr(contains("unknown field `rules2`"))
        .stderr(contains("kb.yaml:4"));
    let fx = fx.file("kb.yaml", "check:\n  rules:\n    broken-link: warnin\n");
    fx.kb(&["check"])
        .assert()
        .code(2)
        .stderr(contains("unknown level `warnin`: did you mean `warning`?"))
        .stderr(contains("kb.yaml:3"));
    // The example: every mistake is refused, not ignored.
    let fx = fx.file(
        "kb.yaml",
        "check: {rulez: {}, rules: {broken-lnk: off, broken-link: warnin}}\n",
    );
    fx.kb(&["check"])
        .assert()
        .code(2)
        .stderr(contains("kb.yaml:1"));
}

/// The text people read, on the broken fixture: a change to it is a reviewed change.
#[test]
fn check_text_output_snapshot() {
    let fx = broken();
    let out = fx
        .kb(&["check"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let root = fx.root().display().to_string();
    let escaped: String = root
        .chars()
        .flat_map(|c| match c.is_alphanumeric() || c == '/' {
            true => vec![c],
            false => vec!['\\', c],
        })
        .collect();
    insta::with_settings!({filters => vec![(escaped.as_str(), "[KB]")]}, {
        insta::assert_snapshot!("check-text", out);
    });
}

#[test]
fn paths_from_the_kb_root_are_taken_when_run_from_outside_it() {
    let fx = Fixture::new()
        .file("docs/a.md", "# A\n\n[gone](gone.md)\n")
        .file("docs/b.md", "# B\n\n[gone](gone.md)\n");
    let outside = tempfile::tempdir().unwrap();
    let out = kb_in(outside.path())
        .args(["--kb", fx.root().to_str().unwrap(), "check", "docs/a.md"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("docs/a.md:3"), "{text}");
    assert!(!text.contains("docs/b.md"), "{text}");
    kb_in(outside.path())
        .args(["--kb", fx.root().to_str().unwrap(), "check", "docs/nope.md"])
        .assert()
        .code(2);
}
