//! `kb check`: validate the whole KB in one pass, for people and CI.

use super::{print, print_json, Ctx, Outcome};
use kb::check::{self, baseline};
use kb::error::{Error, Result};
use kb::render::check as render;

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

/// `kb check --list-rules`: needs no KB.
pub fn list_rules(format_before: Option<&str>, args: CheckArgs) -> Result<Outcome> {
    let list = render::RuleList::new(check::codes());
    match super::choose_format("check", args.format, format_before)? {
        Format::Json => print_json(&list)?,
        _ => print(&render::rules_text(&list))?,
    }
    Ok(Outcome::Clean)
}

pub fn run(ctx: &Ctx, args: CheckArgs) -> Result<Outcome> {
    let format = ctx.format("check", args.format)?;
    let mut options = check::Options::scoped(
        &ctx.kb,
        &ctx.cwd,
        &args.paths,
        args.changed_since.as_deref(),
    )?;
    options.blocks = Some(std::sync::Arc::new(kb::blocks::kinds::Live::default()));
    if args.write_baseline && options.only.is_some() {
        // A baseline from part of the KB would forget every finding outside that part.
        return Err(Error::usage_with_hint(
            "--write-baseline records the findings of the whole KB",
            "run `kb check --write-baseline` without PATH or --changed-since",
        ));
    }
    let report = check::run(&ctx.kb, &options);
    if args.write_baseline {
        let n = baseline::write(&ctx.kb, &report.findings)?;
        print(&render::baseline_written(n))?;
        return Ok(Outcome::Clean);
    }
    let owners = report.owners;
    let split = baseline::split(&ctx.kb, report.findings, options.only.as_ref())?;
    let mut view = render::Report::new(
        &split.new,
        report.files_checked,
        split.baselined.len(),
        split.fixed,
    );
    match format {
        Format::Json => print_json(&view)?,
        Format::Github => print(&render::github(&split.new))?,
        Format::Sarif => print_json(&render::sarif(&split.new))?,
        Format::Text => {
            if !split.baselined.is_empty() {
                view.baselined_by_owner = baseline::by_owner(&owners, &split.baselined);
            }
            print(&render::text(&view))?
        }
    }
    let failed = view.errors > 0 || (args.strict && view.warnings > 0);
    Ok(if failed {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}
