//! `kb mv OLD NEW`: move or rename a doc or a folder, every link to it rewritten.

use super::{print, print_json, Ctx, Outcome, TextOrJson as Format};
use kb::error::Result;
use kb::render::{diagnostic, mv as view};

/// Move or rename a doc or a folder, and rewrite every link to it
///
/// Every link that led to a moved file is rewritten to lead to it where it goes: relative links
/// from any doc (anchors kept), site-absolute links through kb.yaml's `links.roots`, `[[wiki
/// links]]` by path or file name, path-valued front-matter (`supersedes`, `parent`, ...); so
/// are the relative links inside the moved docs. Only the URL changes: link text, titles and
/// formatting stay; links by id, links in code, and links that were already broken stay as they
/// are. The docs' review threads move with them. Every rewritten link is read again as
/// `kb check` reads links before anything is written: if one cannot be kept, nothing moves.
/// NEW may be an existing folder to move OLD into; an existing file is never overwritten.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb mv handbook/travel.md handbook/policies/travel.md
  kb mv handbook/people-ops handbook/people --dry-run
  kb mv specs/checkout.md specs/archive/ --commit
  kb mv rca/2026-11-20-outage.md rca/2026-11-20-checkout-outage.md --format json")]
pub struct MvArgs {
    /// The doc or folder to move (relative to here, or to the KB root)
    #[arg(value_name = "OLD")]
    pub old: String,

    /// Where it goes: a new path, or an existing folder to move it into
    #[arg(value_name = "NEW")]
    pub new: String,

    /// Print what would change, as a unified diff, and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Commit the move and the rewritten docs in one commit (git sees the renames); files git
    /// did not track stay uncommitted
    #[arg(long, conflicts_with = "dry_run")]
    pub commit: bool,

    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

pub fn run(ctx: &Ctx, args: MvArgs) -> Result<Outcome> {
    let format = ctx.format("mv", args.format)?;
    let (from, to) = kb::mv::paths(&ctx.kb, &ctx.cwd, &args.old, &args.new)?;
    if args.commit {
        // Checked before anything moves, so `--commit` outside git leaves nothing half-done.
        kb::git::ensure_repository(&ctx.kb.root)?;
    }
    // A dry run writes nothing, not even the lock file or the doc cache.
    let dry = args.dry_run.then(|| ctx.kb.without_cache());
    let planned = || -> Result<kb::mv::Plan> {
        let plan = kb::mv::plan(dry.as_ref().unwrap_or(&ctx.kb), &from, &to)?;
        for note in &plan.notes {
            diagnostic::print_problem(diagnostic::Severity::Warning, note, None, None);
        }
        Ok(plan)
    };
    if args.dry_run {
        let report = planned()?.report(true, None);
        match format {
            Format::Json => print_json(&report)?,
            Format::Text => {
                let diff = report.diff.as_deref().unwrap_or_default();
                print(&format!("{}\n{diff}", view::text(&report)))?
            }
        }
        return Ok(Outcome::Clean);
    }
    // One lock from reading the links to the last write: no other kb command writes between.
    let lock = kb::fsutil::lock(&ctx.kb.root)?;
    let plan = planned()?;
    kb::mv::apply(&ctx.kb, &plan, &lock)?;
    let commit = match args.commit {
        true => Some(kb::git::commit_moves(
            &ctx.kb.root,
            &plan.changes(),
            &commit_message(&plan),
        )?),
        false => None,
    };
    drop(lock);
    let report = plan.report(false, commit);
    match format {
        Format::Json => print_json(&report)?,
        Format::Text => print(&view::text(&report))?,
    }
    Ok(Outcome::Clean)
}

fn commit_message(plan: &kb::mv::Plan) -> String {
    let docs = plan
        .edits
        .iter()
        .filter(|e| !e.path.starts_with(kb::review::REVIEWS_DIR))
        .count();
    let mut message = format!("Move {} to {}", plan.from, plan.to);
    if docs > 0 {
        message.push_str(&format!(
            "\n\nLinks rewritten by kb mv in {docs} doc{}.",
            if docs == 1 { "" } else { "s" }
        ));
    }
    message
}
