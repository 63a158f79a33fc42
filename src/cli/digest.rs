//! `kb digest`: what changed in a window of time, for the weekly announcement.

use super::{print, print_json, Ctx, Outcome};
use kb::error::{Error, Result};
use kb::render::{diagnostic, digest as view};

/// What changed in the knowledge base: the weekly announcement post
///
/// Reads git, review events and check-ins in a window of days (both ends included): docs
/// added (by type, with title and owner), updated (commits and authors), moved and removed;
/// decisions, specs and RCAs whose status changed; goals whose status moved between the day
/// before the window and its last day; review threads opened and resolved, docs approved;
/// check-ins, and people with active goals who wrote none. A report: exits 0 whether or not
/// anything changed. Outside git it still reports reviews and check-ins.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb digest
  kb digest --since 2w --format md >> \"$GITHUB_STEP_SUMMARY\"
  kb digest --since 2026-11-01 --until 2026-11-30 --format html > digest.html
  kb digest --since v1.4 --format json")]
pub struct DigestArgs {
    /// Where the window starts: 7d or 2w (that many days, ending with --until), a date, or a
    /// git revision (a commit, tag or branch: changes after it)
    #[arg(long, value_name = "7d|DATE|REV", default_value = "7d")]
    pub since: String,

    /// The window's last day (default: today, or KB_NOW)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

/// `--format` of `kb digest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text for the terminal
    Text,
    /// Markdown to paste in an announcement channel or a CI job summary
    #[value(alias = "markdown")]
    Md,
    /// JSON with a versioned schema, for scripts
    Json,
    /// One self-contained HTML page
    Html,
}

pub fn run(ctx: &Ctx, args: DigestArgs) -> Result<Outcome> {
    let format = ctx.format("digest", args.format)?;
    let config = &ctx.kb.config;
    let until = match &args.until {
        Some(text) => kb::date::parse(text).ok_or_else(|| {
            Error::usage_with_hint(
                format!("--until {text:?} is not a date"),
                "write a date like 2026-11-25",
            )
        })?,
        None => config.today,
    };
    let since = kb::digest::parse_since(&args.since, until)?;
    let window = kb::history::window(&ctx.kb, &since, until)?;
    for note in &window.notes {
        diagnostic::print_problem(diagnostic::Severity::Warning, note, None, None);
    }
    let goals = kb::goals::load(&ctx.kb);
    diagnostic::print_doc_errors(&goals.doc_errors);
    diagnostic::print_goal_problems(diagnostic::Severity::Warning, &goals.problems);
    let reviews = kb::review::load(&ctx.kb);
    diagnostic::print_review_problems(diagnostic::Severity::Warning, &reviews.problems);
    let digest = kb::digest::digest(&ctx.kb, &window, &goals, &reviews);
    let name = &config.name;
    match format {
        Format::Json => print_json(&digest)?,
        Format::Md => print(&view::markdown(&digest, name))?,
        Format::Text => print(&view::text(&digest, name))?,
        Format::Html => print(&view::html(&digest, name).map_err(|e| Error::Template {
            file: "src/render/digest.html (built-in)".into(),
            line: e.line(),
            message: e.to_string(),
        })?)?,
    }
    Ok(Outcome::Clean)
}
