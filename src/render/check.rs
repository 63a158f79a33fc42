//! `kb check`'s outputs: the report as text for people, JSON for scripts, GitHub Actions
//! annotations and SARIF 2.1.0 for code scanning, and the list of rules. Each renders a view model
//! built from the core's findings and registry; nothing here decides what is a problem.

use super::github::{data, property};
use super::{paint, table, ACCENT, BOLD, DIM, ERROR, WARNING};
use crate::check::{self, baseline, Code, Finding, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

/// What one run of `kb check` found: the JSON contract (`schema_version` 1), and what the text
/// adds about the baseline.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub schema_version: u32,
    pub errors: usize,
    pub warnings: usize,
    pub files_checked: usize,
    /// Findings not counted because the baseline holds them.
    pub baselined: usize,
    pub diagnostics: &'a [Finding],
    /// How many baselined findings each owner's docs hold, `None` for docs without an owner
    /// (text only: filled in when there are some).
    #[serde(skip)]
    pub baselined_by_owner: BTreeMap<Option<String>, usize>,
    /// Baseline entries no longer found (text only).
    #[serde(skip)]
    pub fixed: usize,
}

impl<'a> Report<'a> {
    /// The report of `findings` (those that count), with the baseline's figures.
    pub fn new(
        findings: &'a [Finding],
        files_checked: usize,
        baselined: usize,
        fixed: usize,
    ) -> Report<'a> {
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        Report {
            schema_version: 1,
            errors,
            warnings: findings.len() - errors,
            files_checked,
            baselined,
            diagnostics: findings,
            baselined_by_owner: BTreeMap::new(),
            fixed,
        }
    }
}

/// `path:line:col: severity code: message` and its hint, grouped by file, then a summary.
pub fn text(r: &Report) -> String {
    let mut out = String::new();
    let mut last_path = "";
    for f in r.diagnostics {
        if f.path != last_path {
            if !last_path.is_empty() {
                out.push('\n');
            }
            last_path = &f.path;
        }
        let style = match f.severity {
            Severity::Error => ERROR,
            Severity::Warning => WARNING,
        };
        out.push_str(&format!(
            "{}: {} {}: {}\n    {} {}\n",
            paint(BOLD, &format!("{}:{}:{}", f.path, f.line, f.column)),
            paint(style, f.severity.as_str()),
            paint(ACCENT, f.code),
            f.message,
            paint(DIM, "hint:"),
            f.hint
        ));
    }
    if !r.diagnostics.is_empty() {
        out.push('\n');
    }
    out.push_str(&format!(
        "{} error{}, {} warning{} in {} file{}\n",
        r.errors,
        plural(r.errors),
        r.warnings,
        plural(r.warnings),
        r.files_checked,
        plural(r.files_checked)
    ));
    if r.baselined > 0 {
        let mut by_owner: BTreeMap<&str, usize> = BTreeMap::new();
        for (owner, n) in &r.baselined_by_owner {
            *by_owner
                .entry(owner.as_deref().unwrap_or("docs without an owner"))
                .or_default() += n;
        }
        let per: Vec<String> = by_owner.iter().map(|(o, n)| format!("{o} ({n})")).collect();
        let n = r.baselined;
        out.push_str(&format!(
            "Not counted: {n} older problem{} that {} already there when the baseline was written ({}). They belong to: {}.\n",
            plural(n),
            if n == 1 { "was" } else { "were" },
            baseline::FILE,
            per.join(", ")
        ));
    }
    if r.fixed > 0 {
        out.push_str(&format!(
            "{} baseline finding{} fixed: run `kb check --write-baseline` to shrink the baseline\n",
            r.fixed,
            plural(r.fixed)
        ));
    }
    out
}

/// What `kb check --write-baseline` says once it recorded `n` findings.
pub fn baseline_written(n: usize) -> String {
    format!(
        "Recorded {n} finding{} in {}; `kb check` now fails only on new ones.\n",
        plural(n),
        baseline::FILE
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// GitHub Actions workflow commands: each finding shows on its line (and column) in the pull
/// request.
pub fn github(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "::{} file={},line={},col={},title={}::{} ({})\n",
                f.severity.as_str(),
                property(&f.path),
                f.line,
                f.column,
                property(f.code),
                data(&f.message),
                data(&f.hint)
            )
        })
        .collect()
}

/// A SARIF 2.1.0 log, as GitHub code scanning takes it.
#[derive(Debug, Serialize)]
pub struct Sarif<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun<'a>; 1],
}

#[derive(Debug, Serialize)]
struct SarifRun<'a> {
    tool: SarifTool,
    results: Vec<SarifResult<'a>>,
}

#[derive(Debug, Serialize)]
struct SarifTool {
    driver: SarifDriver,
}

#[derive(Debug, Serialize)]
struct SarifDriver {
    name: &'static str,
    version: &'static str,
    rules: Vec<SarifRule>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRule {
    id: &'static str,
    short_description: SarifText,
    default_configuration: SarifLevel,
}

#[derive(Debug, Serialize)]
struct SarifText {
    text: String,
}

#[derive(Debug, Serialize)]
struct SarifLevel {
    level: Severity,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    level: Severity,
    message: SarifText,
    locations: [SarifLocation<'a>; 1],
    partial_fingerprints: SarifFingerprints,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    physical_location: SarifPhysicalLocation<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifPhysicalLocation<'a> {
    artifact_location: SarifArtifact<'a>,
    region: SarifRegion,
}

#[derive(Debug, Serialize)]
struct SarifArtifact<'a> {
    uri: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: usize,
    start_column: usize,
}

#[derive(Debug, Serialize)]
struct SarifFingerprints {
    /// Rule, path and subject: what the baseline matches on, so code scanning tracks a finding
    /// across edits that move its line.
    #[serde(rename = "kbFinding/v1")]
    kb_finding: String,
}

/// The SARIF log of `findings`, with every rule of the registry.
pub fn sarif(findings: &[Finding]) -> Sarif<'_> {
    let rules = check::codes()
        .map(|c| SarifRule {
            id: c.code,
            short_description: SarifText {
                text: c.summary.to_string(),
            },
            default_configuration: SarifLevel { level: c.severity },
        })
        .collect();
    let results = findings
        .iter()
        .map(|f| SarifResult {
            rule_id: f.code,
            level: f.severity,
            message: SarifText {
                text: format!("{} ({})", f.message, f.hint),
            },
            locations: [SarifLocation {
                physical_location: SarifPhysicalLocation {
                    artifact_location: SarifArtifact { uri: &f.path },
                    region: SarifRegion {
                        start_line: f.line,
                        start_column: f.column,
                    },
                },
            }],
            partial_fingerprints: SarifFingerprints {
                kb_finding: format!("{}|{}|{}", f.code, f.path, f.key),
            },
        })
        .collect();
    Sarif {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [SarifRun {
            tool: SarifTool {
                driver: SarifDriver {
                    name: "kb",
                    version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            results,
        }],
    }
}

/// `kb check --list-rules`: every code with its default severity and what it checks.
#[derive(Debug, Serialize)]
pub struct RuleList {
    pub schema_version: u32,
    pub rules: Vec<RuleRow>,
}

#[derive(Debug, Serialize)]
pub struct RuleRow {
    pub code: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

impl RuleList {
    /// The codes of the registry, in its order.
    pub fn new<'a>(codes: impl IntoIterator<Item = &'a Code>) -> RuleList {
        RuleList {
            schema_version: 1,
            rules: codes
                .into_iter()
                .map(|c| RuleRow {
                    code: c.code,
                    severity: c.severity,
                    summary: c.summary,
                })
                .collect(),
        }
    }
}

/// The rules as a table: code, severity, what it checks.
pub fn rules_text(list: &RuleList) -> String {
    let rows: Vec<Vec<String>> = list
        .rules
        .iter()
        .map(|r| {
            vec![
                r.code.to_string(),
                r.severity.as_str().to_string(),
                r.summary.to_string(),
            ]
        })
        .collect();
    table::render(&["CODE", "SEVERITY", "CHECKS"], &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(path: &str, message: &str, hint: &str) -> Finding {
        Finding {
            path: path.to_string(),
            line: 3,
            column: 7,
            severity: Severity::Warning,
            code: "broken-link",
            message: message.to_string(),
            hint: hint.to_string(),
            key: "k".to_string(),
        }
    }

    #[test]
    fn github_annotations_escape_what_would_end_the_command() {
        let f = finding("docs/a,b:c.md", "100% broken\r\nsecond line", "see a:b, c");
        assert_eq!(
            github(&[f]),
            "::warning file=docs/a%2Cb%3Ac.md,line=3,col=7,title=broken-link::100%25 broken%0D%0Asecond line (see a:b, c)\n"
        );
        // `%` is escaped first, so an escape in the text does not become a character.
        assert_eq!(data("%0A"), "%250A");
        assert_eq!(property("a%2C"), "a%252C");
    }

    #[test]
    fn sarif_keeps_text_as_data_and_fingerprints_the_subject() {
        let f = finding("a \"b\".md", "quote \" and \\ and\nnewline", "hint <x>");
        let json = crate::render::json(&sarif(std::slice::from_ref(&f)));
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let result = &value["runs"][0]["results"][0];
        assert_eq!(
            result["message"]["text"],
            "quote \" and \\ and\nnewline (hint <x>)"
        );
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "a \"b\".md"
        );
        assert_eq!(result["level"], "warning");
        assert_eq!(
            result["partialFingerprints"]["kbFinding/v1"],
            "broken-link|a \"b\".md|k"
        );
        let rules = value["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(rules.len(), check::codes().count());
        assert!(rules
            .iter()
            .any(|r| r["id"] == "broken-anchor" && r["defaultConfiguration"]["level"] == "error"));
    }

    #[test]
    fn text_groups_by_file_and_counts() {
        let findings = [
            finding("a.md", "one", "h1"),
            finding("a.md", "two", "h2"),
            finding("b.md", "three", "h3"),
        ];
        let mut report = Report::new(&findings, 1, 1, 2);
        report
            .baselined_by_owner
            .insert(Some("dana".to_string()), 1);
        let out = text(&report);
        assert_eq!(
            anstream::adapter::strip_str(&out).to_string(),
            "a.md:3:7: warning broken-link: one\n    hint: h1\na.md:3:7: warning broken-link: two\n    hint: h2\n\nb.md:3:7: warning broken-link: three\n    hint: h3\n\n0 errors, 3 warnings in 1 file\nNot counted: 1 older problem that was already there when the baseline was written (.kb/check-baseline.json). They belong to: dana (1).\n2 baseline findings fixed: run `kb check --write-baseline` to shrink the baseline\n"
        );
    }
}
