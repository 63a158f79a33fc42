//! `kb search QUERY`: ranked full-text search, always fresh.

use super::{print, print_json, progress, Ctx, DocFilter, Outcome};
use kb::config::Refresh;
use kb::error::Result;
use kb::index::{self, search};
use kb::render::{diagnostic, search as view};
use std::time::Instant;

/// Search the knowledge base: ranked, with the section and line of each hit
///
/// Before answering, kb compares every doc's size, modification and change times and inode
/// with its index and reindexes what changed, so results are never stale; the first search builds the index (in
/// .kb/cache/, git-ignored). With --no-refresh (or `search: {refresh: never}` in kb.yaml, for a
/// KB kept fresh by CI or `kb index --watch`) the check is skipped.
///
/// Exit 1 when nothing matches; 2 only for a double quote that is never closed.
#[derive(Debug, clap::Args)]
#[command(after_help = "Query syntax:
  refund policy          docs with either word, those with both first (stemmed: refunds, refunded)
  \"refund policy\"        the phrase
  +refund +policy        both words (or: refund AND policy); -draft or NOT draft excludes
  title:onboarding       in a field: title, heading, body, id, type, status, owner, tags
  onboard*               words starting with onboard
  what's our budget?     a question: stop words and punctuation count for nothing
Synonyms (kb.yaml search.synonyms, plus a built-in list in the README) widen words, plurals
and phrases (\"time off\") too; a hyphenated word is its words; a word that matches
nothing is searched as the closest indexed word, and the output says so.

Examples:
  kb search \"who approves a refund?\"
  kb search \"refund policy\"
  kb search 'title:incident' --type playbook
  kb search outage --type rca --status published --limit 5 --format json
  kb search 'onboard*' --no-refresh")]
pub struct SearchArgs {
    /// What to look for
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    pub query: Vec<String>,

    #[command(flatten)]
    pub filter: DocFilter,

    /// At most this many results
    #[arg(long, default_value_t = 10, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub limit: u16,

    /// Search the index as it is, without checking for changed files
    #[arg(long)]
    pub no_refresh: bool,
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
    /// GitHub-flavoured Markdown
    #[value(alias = "markdown")]
    Md,
}

pub fn run(ctx: &Ctx, args: SearchArgs) -> Result<Outcome> {
    let started = Instant::now();
    let format = ctx.format("search", args.format)?;
    let request = search::Request {
        query: args.query.join(" "),
        types: args.filter.types,
        tags: args.filter.tags,
        owners: args.filter.owners,
        statuses: args.filter.statuses,
        limit: usize::from(args.limit),
        synonyms: index::free_text::synonyms(&ctx.kb.config.search),
    };
    let refresh = !args.no_refresh && ctx.kb.config.search.refresh == Refresh::Always;
    let bar = progress::Bar::new("indexing");
    let searched = index::search_fresh(&ctx.kb, &request, refresh, &|done, total| {
        bar.tick(done, total)
    });
    bar.finish();
    let index::Answer {
        found,
        unindexed,
        notices,
    } = searched?;
    warn_unindexed(&unindexed);
    for notice in &notices {
        warn(&notice.to_string());
    }
    let took_ms = started.elapsed().as_millis() as u64;
    let results = view::Results {
        schema_version: 1,
        query: request.query.clone(),
        total: found.total,
        took_ms,
        corrected: found.corrected.into_iter().collect(),
        results: with_git(ctx, found.hits, format == Format::Json),
    };
    match format {
        Format::Json => print_json(&results)?,
        Format::Md => print(&view::markdown(&results))?,
        _ => print(&view::text(&results))?,
    }
    if results.results.is_empty() {
        if format != Format::Json {
            anstream::eprintln!("no results for {:?}", request.query);
        }
        return Ok(Outcome::Problems);
    }
    Ok(Outcome::Clean)
}

/// The hits, with git's facts about their docs when `wanted`.
fn with_git(ctx: &Ctx, hits: Vec<search::Hit>, wanted: bool) -> Vec<view::Found> {
    let history = match wanted {
        true => {
            let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
            kb::history::load(&ctx.kb, &paths)
        }
        false => kb::history::History::default(),
    };
    for note in &history.notes {
        warn(note);
    }
    hits.into_iter()
        .map(|hit| view::Found {
            git: history.docs.get(&hit.path).cloned(),
            hit,
        })
        .collect()
}

fn warn_unindexed(errors: &[kb::error::DocError]) {
    if let Some(first) = errors.first() {
        let message = format!(
            "{} doc{} could not be indexed and will not be found; `kb ls` lists them",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        );
        // The others by place, a few of them: enough to find them without `kb ls`.
        const SHOWN: usize = 5;
        let mut hint = first.message.clone();
        let others: Vec<String> = errors[1..]
            .iter()
            .take(SHOWN)
            .map(|e| e.location())
            .collect();
        if !others.is_empty() {
            hint.push_str(&format!("; also {}", others.join(", ")));
        }
        if errors.len() > SHOWN + 1 {
            hint.push_str(&format!(" and {} more", errors.len() - SHOWN - 1));
        }
        let text = diagnostic::block(
            diagnostic::Severity::Warning,
            &message,
            Some(&first.location()),
            Some(&hint),
        );
        anstream::eprint!("{text}");
    }
}

/// A warning on stderr, coloured only where colour is wanted (anstream honours NO_COLOR and
/// strips it when stderr is not a terminal).
fn warn(message: &str) {
    let text = diagnostic::block(diagnostic::Severity::Warning, message, None, None);
    anstream::eprint!("{text}");
}
