//! `kb stale`: the docs overdue for their owner's review; `kb stale confirm DOC...` records
//! that a doc is still true.

use super::{print, print_json, Ctx, Outcome};
use kb::error::{Error, Result};
use kb::query::one_of;
use kb::render::{diagnostic, stale as view};

/// Docs overdue for review, by owner, most overdue first
///
/// A doc is due when its last review (`reviewed:`), else its last update (`updated:`, else its
/// last commit), is older than its `review_every:` (90d, 6m, 1y) or its type's `freshness:` in
/// kb.yaml. A report: exit 0 whether or not docs are overdue (`kb check` fails CI, with the
/// rule review-overdue).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb stale
  kb stale --owner dana --format md
  kb stale --format github       # annotations in a CI job
  kb stale confirm handbook/expenses.md

kb.yaml:
  freshness: {handbook: 180d, playbook: 90d, default: off}")]
pub struct StaleArgs {
    #[command(subcommand)]
    pub action: Option<Action>,

    /// Only docs owned by this handle (repeatable)
    #[arg(long = "owner", value_name = "HANDLE", value_delimiter = ',')]
    pub owners: Vec<String>,

    /// Only docs of this type (repeatable)
    #[arg(long = "type", value_name = "TYPE", value_delimiter = ',')]
    pub types: Vec<String>,

    /// Output format
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Record that docs are still true: sets `reviewed:` to today, touching no other line
    Confirm {
        /// Paths, ids or title prefixes
        #[arg(value_name = "DOC", required = true)]
        docs: Vec<String>,
    },
}

/// `--format`: what this command can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text for people
    Text,
    /// GitHub-flavoured Markdown, grouped by owner
    #[value(alias = "markdown")]
    Md,
    /// JSON with a versioned schema, for scripts
    Json,
    /// GitHub Actions annotations (`::warning file=...`)
    Github,
}

pub fn run(ctx: &Ctx, args: StaleArgs) -> Result<Outcome> {
    match args.action {
        Some(Action::Confirm { docs }) => confirm(ctx, args.format, &docs),
        None => list(ctx, args),
    }
}

fn list(ctx: &Ctx, args: StaleArgs) -> Result<Outcome> {
    let format = ctx.format("stale", args.format)?;
    let mut loaded = ctx.kb.load();
    let history = kb::history::attach(&ctx.kb, &mut loaded.docs);
    for note in &history.notes {
        diagnostic::print_problem(diagnostic::Severity::Warning, note, None, None);
    }
    diagnostic::print_doc_errors(&loaded.errors);
    let today = ctx.kb.config.today;
    let docs = kb::stale::overdue(&loaded.docs, &ctx.kb.config.freshness, today)
        .into_iter()
        .filter(|d| {
            one_of(&args.owners, d.owner.as_deref()) && one_of(&args.types, d.doc_type.as_deref())
        })
        .collect();
    let report = view::StaleReport {
        schema_version: 1,
        as_of: today,
        docs,
    };
    match format {
        Format::Text => print(&view::text(&report))?,
        Format::Md => print(&view::markdown(&report))?,
        Format::Json => print_json(&report)?,
        Format::Github => print(&view::github(&report))?,
    }
    Ok(Outcome::Clean)
}

fn confirm(ctx: &Ctx, chosen: Option<Format>, queries: &[String]) -> Result<Outcome> {
    let format = ctx.format("stale confirm", chosen)?;
    if matches!(format, Format::Md | Format::Github) {
        return Err(Error::usage_with_hint(
            "`kb stale confirm` prints text or json",
            "use --format text or --format json",
        ));
    }
    // Every DOC is resolved before any is written, so a typo leaves nothing half-done.
    let paths: Vec<String> = queries
        .iter()
        .map(|q| ctx.kb.resolve(&ctx.cwd, q))
        .collect::<Result<_>>()?;
    let today = ctx.kb.config.today;
    for path in &paths {
        kb::stale::confirm(&ctx.kb, path, today)?;
    }
    let confirmed = view::Confirmed {
        schema_version: 1,
        reviewed: today,
        docs: paths,
    };
    match format {
        Format::Json => print_json(&confirmed)?,
        _ => print(&view::confirmed(&confirmed))?,
    }
    Ok(Outcome::Clean)
}
