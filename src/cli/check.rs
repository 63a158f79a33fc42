//! `kb check`: validate the whole KB in one pass, for people and CI.

use super::{print, print_json, Ctx, Outcome};
use kb::check::{self, baseline, Finding, Severity};
use kb::error::{Error, Result};
use kb::render::{paint, ACCENT, BOLD, DIM, ERROR, WARNING};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// Check the knowledge base: front-matter, links, owners, ids, goals, reviews
///
/// Exit 0 when clean, 1 on errors (or on warnings with --strict), 2 on usage errors. PATHs limit
/// the findings to those docs, but links still resolve against the whole KB. With a baseline
/// (--write-baseline), only findings not in it fail.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb check
  kb check handbook/ specs/checkout-redesign.md
  kb check --changed-since origin/main --format github
  kb check --format sarif > kb.sarif
  kb check --write-baseline        # adopt kb on an old handbook: only new problems fail
  kb check --list-rules

Severities: kb.yaml `check: {rules: {broken-anchor: warning, rca-action-without-owner: off}}`;
one doc opts out with `kb-check: {ignore: [broken-link]}` in its front-matter.")]
pub struct CheckArgs {
    /// Docs or folders to report on (default: all)
    pub paths: Vec<String>,

    /// Only docs changed since this git revision (committed, staged or not)
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,

    /// Fail on warnings too
    #[arg(long)]
    pub strict: bool,

    /// Record today's findings in .kb/check-baseline.json; later runs fail only on new ones
    #[arg(long)]
    pub write_baseline: bool,

    /// Print the rules, their codes and default severities
    #[arg(long)]
    pub list_rules: bool,
    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Serialize)]
struct Diagnostic<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    severity: Severity,
    code: &'a str,
    message: &'a str,
    hint: &'a str,
}

#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    errors: usize,
    warnings: usize,
    files_checked: usize,
    baselined: usize,
    diagnostics: Vec<Diagnostic<'a>>,
}

/// `--format`: what this command can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text for people
    Text,
    /// JSON with a versioned schema, for scripts
    Json,
    /// GitHub Actions annotations (`::error file=...`)
    Github,
    /// SARIF 2.1.0, for code scanning
    Sarif,
}

pub fn run(ctx: &Ctx, args: CheckArgs) -> Result<Outcome> {
    let format = ctx.format("check", args.format)?;
    if args.list_rules {
        return list_rules(format);
    }
    let only = scope(ctx, &args)?;
    if args.write_baseline && only.is_some() {
        // A baseline from part of the KB would forget every finding outside that part.
        return Err(Error::usage_with_hint(
            "--write-baseline records the findings of the whole KB",
            "run `kb check --write-baseline` without PATH or --changed-since",
        ));
    }
    let scope_paths = only.clone();
    let report = check::run(&ctx.kb, &check::Options { only });
    if args.write_baseline {
        let n = baseline::write(&ctx.kb, &report.findings)?;
        print(&format!(
            "Recorded {n} finding{} in {}; `kb check` now fails only on new ones.\n",
            if n == 1 { "" } else { "s" },
            baseline::FILE
        ))?;
        return Ok(Outcome::Clean);
    }
    let split = baseline::split(&ctx.kb, report.findings, scope_paths.as_ref())?;
    let findings = split.new;
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    match format {
        Format::Json => print_json(&JsonReport {
            schema_version: 1,
            errors,
            warnings,
            files_checked: report.files_checked,
            baselined: split.baselined.len(),
            diagnostics: findings.iter().map(diagnostic).collect(),
        })?,
        Format::Github => print(&github(&findings))?,
        Format::Sarif => print_json(&sarif(&findings))?,
        _ => print(&text(
            &findings,
            report.files_checked,
            &split.baselined,
            split.fixed,
            ctx,
        ))?,
    }
    let failed = errors > 0 || (args.strict && warnings > 0);
    Ok(if failed {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

/// The docs to report on: PATHs (files or folders) and/or those changed since a revision.
fn scope(ctx: &Ctx, args: &CheckArgs) -> Result<Option<HashSet<String>>> {
    if args.paths.is_empty() && args.changed_since.is_none() {
        return Ok(None);
    }
    let all = ctx.kb.walk().files;
    let mut only = HashSet::new();
    for p in &args.paths {
        let rel = ctx
            .kb
            .relative_path(&ctx.cwd, std::path::Path::new(p))
            .ok_or_else(|| {
                Error::usage_with_hint(
                    format!("{p} is not inside the knowledge base"),
                    "give paths inside the KB",
                )
            })?;
        let prefix = format!("{}/", rel.trim_end_matches('/'));
        let matched: Vec<&String> = all
            .iter()
            .filter(|f| **f == rel || rel.is_empty() || f.starts_with(&prefix))
            .collect();
        if matched.is_empty() {
            return Err(Error::usage_with_hint(
                format!("no docs at {p}"),
                "give a Markdown file or a folder holding some",
            ));
        }
        only.extend(matched.into_iter().cloned());
    }
    if let Some(rev) = &args.changed_since {
        let changed = kb::git::changed_since(&ctx.kb, rev)?;
        let changed: HashSet<String> = changed.into_iter().collect();
        if args.paths.is_empty() {
            only = changed;
        } else {
            only.retain(|p| changed.contains(p));
        }
    }
    Ok(Some(only))
}

fn diagnostic(f: &Finding) -> Diagnostic<'_> {
    Diagnostic {
        path: &f.path,
        line: f.line,
        column: f.column,
        severity: f.severity,
        code: f.code,
        message: &f.message,
        hint: &f.hint,
    }
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `path:line:col: severity code: message` and its hint, grouped by file, then a summary.
fn text(
    findings: &[Finding],
    files: usize,
    baselined: &[Finding],
    fixed: usize,
    ctx: &Ctx,
) -> String {
    let mut out = String::new();
    let mut last_path = "";
    for f in findings {
        if f.path != last_path {
            if !last_path.is_empty() {
                out.push('\n');
            }
            last_path = &f.path;
        }
        let style = if f.severity == Severity::Error {
            ERROR
        } else {
            WARNING
        };
        out.push_str(&format!(
            "{}: {} {}: {}\n    {} {}\n",
            paint(BOLD, &format!("{}:{}:{}", f.path, f.line, f.column)),
            paint(style, severity_name(f.severity)),
            paint(ACCENT, f.code),
            f.message,
            paint(DIM, "hint:"),
            f.hint
        ));
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if !findings.is_empty() {
        out.push('\n');
    }
    out.push_str(&format!(
        "{errors} error{}, {warnings} warning{} in {files} file{}\n",
        plural(errors),
        plural(warnings),
        plural(files)
    ));
    if !baselined.is_empty() {
        let mut by_owner: BTreeMap<String, usize> = BTreeMap::new();
        let owners = owners(ctx);
        for f in baselined {
            *by_owner
                .entry(
                    owners
                        .get(&f.path)
                        .cloned()
                        .unwrap_or_else(|| "docs without an owner".into()),
                )
                .or_default() += 1;
        }
        let per: Vec<String> = by_owner.iter().map(|(o, n)| format!("{o} ({n})")).collect();
        let n = baselined.len();
        out.push_str(&format!(
            "Not counted: {n} older problem{} that {} already there when the baseline was written ({}). They belong to: {}.\n",
            plural(n),
            if n == 1 { "was" } else { "were" },
            baseline::FILE,
            per.join(", ")
        ));
    }
    if fixed > 0 {
        out.push_str(&format!("{fixed} baseline finding{} fixed: run `kb check --write-baseline` to shrink the baseline\n", plural(fixed)));
    }
    out
}

fn owners(ctx: &Ctx) -> std::collections::HashMap<String, String> {
    ctx.kb
        .load()
        .docs
        .into_iter()
        .filter_map(|d| Some((d.path.clone(), d.owner()?)))
        .collect()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// GitHub Actions workflow commands: each finding shows on its line in the pull request.
fn github(findings: &[Finding]) -> String {
    let escape = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| escape(s).replace(':', "%3A").replace(',', "%2C");
    findings
        .iter()
        .map(|f| {
            format!(
                "::{} file={},line={},col={},title={}::{} ({})\n",
                severity_name(f.severity),
                prop(&f.path),
                f.line,
                f.column,
                prop(f.code),
                escape(&f.message),
                escape(&f.hint)
            )
        })
        .collect()
}

/// SARIF 2.1.0, as GitHub code scanning takes it.
fn sarif(findings: &[Finding]) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = check::codes()
        .map(|c| {
            serde_json::json!({
                "id": c.code,
                "shortDescription": {"text": c.summary},
                "defaultConfiguration": {"level": c.severity.as_str()},
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            serde_json::json!({
                "ruleId": f.code,
                "level": severity_name(f.severity),
                "message": {"text": format!("{} ({})", f.message, f.hint)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": f.path},
                    "region": {"startLine": f.line, "startColumn": f.column},
                }}],
                "partialFingerprints": {"kbFinding/v1": format!("{}|{}|{}", f.code, f.path, f.key)},
            })
        })
        .collect();
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kb", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
            "results": results,
        }],
    })
}

fn list_rules(format: Format) -> Result<Outcome> {
    if format == Format::Json {
        let rules: Vec<serde_json::Value> = check::codes()
            .map(|c| serde_json::json!({"code": c.code, "severity": c.severity.as_str(), "summary": c.summary}))
            .collect();
        print_json(&serde_json::json!({"schema_version": 1, "rules": rules}))?;
    } else {
        let rows: Vec<Vec<String>> = check::codes()
            .map(|c| {
                vec![
                    c.code.to_string(),
                    c.severity.as_str().to_string(),
                    c.summary.to_string(),
                ]
            })
            .collect();
        print(&kb::render::table::render(
            &["CODE", "SEVERITY", "CHECKS"],
            &rows,
        ))?;
    }
    Ok(Outcome::Clean)
}
