//! `kb index`: build or refresh the search index, or keep it fresh with --watch.

use super::{print, print_json, progress, Ctx, Outcome, TextOrJson as Format};
use kb::error::{Error, Result};
use kb::index::{self, IndexStats};
use kb::render::{diagnostic, index as view};
use std::time::Duration;

/// Build or refresh the search index (kb search does this itself when needed)
///
/// Without options, reindexes the docs that changed since the last run; --rebuild starts
/// from nothing; --watch keeps the index fresh while people edit, until interrupted.
/// Docs that cannot be read are listed, and the exit code is then 1.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  kb index\n  kb index --rebuild --format json\n  kb index --watch   # in a terminal beside your editor"
)]
pub struct IndexArgs {
    /// Rebuild the whole index
    #[arg(long)]
    pub rebuild: bool,

    /// Keep the index fresh as files change (until Ctrl-C)
    #[arg(long, conflicts_with = "rebuild")]
    pub watch: bool,
    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

pub fn run(ctx: &Ctx, args: IndexArgs) -> Result<Outcome> {
    let format = ctx.format("index", args.format)?;
    let stats = match args.rebuild {
        true => with_bar(|tick| index::build(&ctx.kb, tick))?,
        false => refresh(ctx)?,
    };
    report(format, &stats)?;
    if args.watch {
        watch(ctx, format)?;
    }
    Ok(match kb::error::any_broken(&stats.errors) {
        false => Outcome::Clean,
        true => Outcome::Problems,
    })
}

fn with_bar(f: impl FnOnce(index::Progress) -> Result<IndexStats>) -> Result<IndexStats> {
    let bar = progress::Bar::new("indexing");
    let stats = f(&|done, total| bar.tick(done, total));
    bar.finish();
    stats
}

/// Opens (building if needed) and brings the index up to date.
fn refresh(ctx: &Ctx) -> Result<IndexStats> {
    with_bar(|tick| index::refresh(&ctx.kb, tick))
}

fn report(format: Format, stats: &IndexStats) -> Result<()> {
    if stats.repaired {
        diagnostic::print_problem(
            diagnostic::Severity::Warning,
            &index::Notice::Repaired.to_string(),
            None,
            None,
        );
    }
    match format {
        Format::Json => print_json(&view::Summary::from(stats)),
        Format::Text => {
            diagnostic::print_doc_errors(&stats.errors);
            print(&view::text(stats))
        }
    }
}

/// Watches the KB and refreshes the index after each burst of changes to Markdown files.
fn watch(ctx: &Ctx, format: Format) -> Result<()> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| Error::index(format!("cannot watch files: {e}"), None, e))?;
    watcher
        .watch(&ctx.kb.root, RecursiveMode::Recursive)
        .map_err(|e| {
            let message = format!("cannot watch {}: {e}", ctx.kb.root.display());
            Error::index(message, Some(&ctx.kb.root), e)
        })?;
    anstream::eprintln!(
        "watching {} for changes (Ctrl-C to stop)",
        ctx.kb.root.display()
    );
    let cache = index::index_dir(&ctx.kb);
    let relevant = |event: &notify::Event| {
        event.paths.iter().any(|p| {
            !p.starts_with(&cache) && p.extension().is_some_and(|e| e == "md" || e == "markdown")
        })
    };
    while let Ok(event) = rx.recv() {
        if !event.as_ref().is_ok_and(relevant) {
            continue;
        }
        // Let a burst of saves settle into one refresh.
        while rx.recv_timeout(Duration::from_millis(200)).is_ok() {}
        report(format, &refresh(ctx)?)?;
    }
    Ok(())
}
