//! kb: a git repository of Markdown files as a company's knowledge base.
//!
//! The crate is a library core that never prints and never sees clap; the command line is the
//! binary's (`src/main.rs`, `src/cli/`). ARCHITECTURE.md has the layers and how to add a doc
//! type, a rule, a format or a command.
//!
//! - [`kb`]: finding the KB root, walking its Markdown files, loading docs in parallel;
//!   `Kb::resolve` (in `resolve.rs`) finds the doc a DOC argument names.
//! - [`cache`]: the doc cache every load reads through, keyed by each file's stat.
//! - [`config`]: kb.yaml, the environment (`KB_NOW`, `KB_USER`) and their defaults.
//! - [`doc`]: one document: front-matter (the only YAML code), title, type, Markdown outline.
//! - [`schema`]: the doc types, built in and from kb.yaml.
//! - [`stale`]: freshness: which docs are overdue for review, and confirming one.
//! - [`template`]: built-in and overridden templates, a generic one for types without, rendered
//!   with minijinja.
//! - [`init`]: making a folder a knowledge base.
//! - [`scaffold`]: planning a new doc: path, next id, author, rendered text.
//! - [`git`]: the user's identity and committing a new file.
//! - [`check`]: the rules of `kb check`, severities, opt-outs and the baseline.
//! - [`goals`]: goals, check-ins, periods, the rollup with pacing and staleness.
//! - [`history`]: each doc's dates and authors from one walk over git's commits, cached by HEAD.
//! - [`digest`]: what changed in a window of days (docs, statuses, goals, reviews, check-ins),
//!   from the commits `history::window` lists; [`doclog`]: one doc's commits, review events
//!   and check-ins, newest first.
//! - [`index`]: the tantivy search index: generations published atomically, freshness, free-text
//!   queries with synonyms and typo tolerance, ranking.
//! - [`export`]: section records for a search engine, whole or since a revision.
//! - [`query`]: `--where` conditions, filters and sorting over front-matter.
//! - [`date`]: what a date is in front-matter (`2026-11-25`, or a timestamp's date part).
//! - [`slug`]: titles and handles as safe file names.
//! - [`json_text`]: pretty JSON written as text, as serde_json writes it, for `kb ls`'s listing.
//! - [`fsutil`]: every write: inside the root, atomic (temp file under `.kb/tmp/` + rename),
//!   never over a user's file unasked, and the KB's write lock for read-modify-writes.
//! - [`error`]: the one error type, its exit codes and hints.
//! - [`people`]: person docs, open roles and the reporting tree drawn from `manager`.
//! - [`inbox`]: every async duty waiting on one person (reviews, replies, check-ins, stale docs,
//!   RCA action items, pre-reads), most urgent first.
//! - [`mv`]: moving a doc or folder and rewriting every link to it, checked as `kb check` reads
//!   links, review threads moved along.
//! - [`review`]: review threads as event files, their fold, anchoring and review status.
//! - [`blocks`]: live blocks in docs: their syntax, comparing and rewriting them in place;
//!   `blocks::kinds` runs other commands' cores and renderers to fill them.
//! - [`metrics`]: metric definitions, readings, recording one, the scoreboard.
//! - [`render`]: turns the view models commands build into text, Markdown, JSON, HTML and CI
//!   annotations.

pub mod blocks;
pub mod cache;
pub mod check;
pub mod config;
pub mod date;
pub mod digest;
pub mod doc;
pub mod doclog;
pub mod error;
pub mod export;
pub mod fsutil;
pub mod git;
pub mod goals;
pub mod history;
pub mod inbox;
pub mod index;
pub mod init;
pub mod json_text;
pub mod kb;
pub mod metrics;
pub mod mv;
pub mod people;
pub mod query;
pub mod render;
mod resolve;
pub mod review;
pub mod scaffold;
pub mod schema;
pub mod slug;
pub mod stale;
pub mod stamp;
pub mod template;
mod walk;
