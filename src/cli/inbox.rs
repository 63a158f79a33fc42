//! `kb inbox [HANDLE]`: every async duty waiting on one person (or, with `--all`, on everyone),
//! most urgent first.

use super::{print, print_json, Ctx, Outcome};
use kb::error::{Error, Result};
use kb::render::{diagnostic, inbox as view};

/// What waits on you: reviews, replies, check-ins, stale docs, RCA actions, pre-reads
///
/// Kinds: review-requested (you are a pending reviewer), review-stale (you approved; the doc
/// changed since), reply-needed (an open thread on your doc, or one you commented in, whose last
/// comment is someone else's), changes-requested (on your doc), checkin-due (an active goal of
/// yours without a check-in within goals.stale_after_days), doc-stale (a doc you own is due for
/// review), action-item (an open RCA action item naming you, not an example row in italics as
/// `kb new rca` writes them) and pre-read (a meeting within 7
/// days listing you in `attendees`, which you have not commented on or approved). Overdue first,
/// then due soonest, then oldest. A report: exit 0 whether or not anything waits.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb inbox                         # you: KB_USER, else your git identity
  kb inbox lena
  kb inbox lena --format json
  kb inbox --all --format md       # counts per person and kind, for the check-in post")]
pub struct InboxArgs {
    /// Whose inbox (default: you, from KB_USER or the git identity)
    #[arg(value_name = "HANDLE", conflicts_with = "all")]
    pub handle: Option<String>,

    /// Everyone's items; with --format md, a count per person and kind
    #[arg(long)]
    pub all: bool,

    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

/// `--format`: what this command can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text for people
    Text,
    /// GitHub-flavoured Markdown
    #[value(alias = "markdown")]
    Md,
    /// JSON with a versioned schema, for scripts
    Json,
}

pub fn run(ctx: &Ctx, args: InboxArgs) -> Result<Outcome> {
    let format = ctx.format("inbox", args.format)?;
    let handle = match (args.all, args.handle) {
        (true, _) => None,
        (false, Some(h)) => Some(h.trim_start_matches('@').to_string()),
        (false, None) => Some(ctx.author("show your inbox")?),
    };
    if let Some(h) = &handle {
        if h.trim().is_empty() {
            return Err(Error::usage_with_hint(
                "an empty handle has no inbox",
                "name a person: `kb inbox lena`",
            ));
        }
    }
    let today = ctx.kb.config.today;
    let loaded = ctx.kb.load();
    let inbox = kb::inbox::collect(&ctx.kb, &loaded, today, handle.as_deref());
    // The process ends soon: its memory goes back whole, sooner than every doc freed one by
    // one, mostly on threads other than those that made them.
    std::mem::forget(loaded);
    if let (true, Some(h)) = (inbox.unknown_handle, &handle) {
        // A typo in a handle would otherwise read as an empty inbox.
        diagnostic::print_problem(
            diagnostic::Severity::Warning,
            &format!("{h:?} is not a handle in people/"),
            None,
            Some("`kb people` lists the handles"),
        );
    }
    for note in &inbox.notes {
        diagnostic::print_problem(diagnostic::Severity::Warning, note, None, None);
    }
    diagnostic::print_doc_errors(&inbox.errors);
    let report = view::InboxReport {
        schema_version: 1,
        handle,
        as_of: today,
        items: inbox.items,
    };
    match format {
        Format::Text => print(&view::text(&report))?,
        Format::Md => print(&view::markdown(&report))?,
        Format::Json => print_json(&report)?,
    }
    Ok(Outcome::Clean)
}
