//! `kb log DOC`: a doc's history, from git, review events and check-ins.

use super::{print, print_json, Ctx, Outcome, TextOrJson as Format};
use kb::error::{Error, Result};
use kb::render::{diagnostic, doclog as view};

/// Show a doc's history: commits across renames, review events, check-ins
///
/// Each commit that touched the doc (following it back through renames, with the path it had
/// then), each review event on it, and for a goal each check-in naming it, newest first.
/// Dates are committer dates; authors are handles where people/ knows the email.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  kb log handbook/values.md\n  kb log SPEC-0002\n  kb log eng-2026-q4-reliability --format json"
)]
pub struct LogArgs {
    /// A path, an id, or the start of a title
    #[arg(value_name = "DOC")]
    pub doc: String,

    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

pub fn run(ctx: &Ctx, args: LogArgs) -> Result<Outcome> {
    let format = ctx.format("log", args.format)?;
    let path = ctx.kb.resolve(&ctx.cwd, &args.doc)?;
    let doc = ctx.kb.read(path).map_err(Error::Doc)?.doc;
    let (commits, notes) = kb::history::doc_commits(&ctx.kb, &doc.path)?;
    for note in &notes {
        diagnostic::print_problem(diagnostic::Severity::Warning, note, None, None);
    }
    let reviews = kb::review::load(&ctx.kb);
    diagnostic::print_review_problems(diagnostic::Severity::Warning, &reviews.problems);
    let checkins = match doc.doc_type.as_deref() {
        Some("goal") => {
            let data = kb::goals::load(&ctx.kb);
            diagnostic::print_goal_problems(diagnostic::Severity::Warning, &data.problems);
            data.checkins
        }
        _ => Vec::new(),
    };
    let log = kb::doclog::doc_log(&doc, &commits, &reviews, &checkins);
    match format {
        Format::Json => print_json(&log)?,
        Format::Text => print(&view::text(&log))?,
    }
    Ok(Outcome::Clean)
}
