//! The choices review commands make before anything is written or shown: where a new comment
//! points, which comment an edit replaces, which threads a listing shows and where their anchors
//! are now, and what each doc under review waits on.

use super::anchor::{self, Anchor, Located, Resolution};
use super::status::{self, DocStatus};
use super::{Action, Reviews, Thread, ThreadState};
use crate::doc::Source;
use crate::error::{Error, Result};
use crate::kb::Kb;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Where a new comment points in a doc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Text that appears exactly once in the doc.
    Quote(String),
    /// A 1-based line of the file, front-matter included.
    Line(usize),
    /// A section, by its heading (ignoring case).
    Section(String),
}

/// The anchor for `place` in `source`, whose git blob id is `blob`.
pub fn capture(source: &Source, place: &Place, blob: &str) -> Result<Anchor> {
    let body = source.body();
    let line0 = source.doc.body_line;
    let not_found = |what: String| {
        Error::usage_with_hint(
            what,
            "quote text as it is in the doc, or use --line N or --section HEADING",
        )
    };
    let line = match place {
        Place::Quote(quote) => return anchor::capture(body, line0, quote, blob).map_err(not_found),
        Place::Line(line) => *line,
        Place::Section(heading) => {
            source
                .outline()
                .headings
                .into_iter()
                .find(|h| h.text.eq_ignore_ascii_case(heading.trim()))
                .ok_or_else(|| {
                    not_found(format!("the doc has no section {}", anchor::shown(heading)))
                })?
                .line
        }
    };
    let (start, end) = anchor::line_range(body, line0, line).ok_or_else(|| match place {
        Place::Section(heading) => not_found(format!(
            "the section {} has no heading line",
            anchor::shown(heading)
        )),
        _ => not_found(format!(
            "line {line} is not a non-empty line of the doc's body"
        )),
    })?;
    Ok(anchor::at(body, line0, start, end, blob))
}

/// The id of `me`'s latest comment in `thread`, which an edit or a retraction targets.
pub fn own_last_comment(thread: &Thread, me: &str, action: Action) -> Result<String> {
    thread
        .events
        .iter()
        .rev()
        .find(|e| e.author == me && e.action == Action::Comment)
        .map(|e| e.id.clone())
        .ok_or_else(|| {
            Error::usage(format!(
                "you ({me}) have no comment in thread {} to {}",
                super::short(&thread.id),
                action.name()
            ))
        })
}

/// Which threads `kb review list --state` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListState {
    Open,
    Resolved,
    /// Open threads whose passage is gone from the doc.
    Orphaned,
    All,
}

/// Each thread with where its anchor is now; each doc is read once.
pub fn locate(kb: &Kb, threads: Vec<Thread>) -> Vec<(Thread, Option<Located>)> {
    let mut sources: HashMap<String, Option<Source>> = HashMap::new();
    threads
        .into_iter()
        .map(|t| {
            let source = sources
                .entry(t.doc.clone())
                .or_insert_with(|| kb.read(t.doc.clone()).ok());
            let located = match (&t.anchor, source) {
                (Some(a), Some(s)) => Some(anchor::resolve(a, s.body(), s.doc.body_line)),
                _ => None,
            };
            (t, located)
        })
        .collect()
}

/// The comment threads (not verdicts) `kb review list` shows, with where each is now.
pub fn list(
    kb: &Kb,
    reviews: Reviews,
    state: ListState,
    author: Option<&str>,
    doc: Option<&str>,
) -> Vec<(Thread, Option<Located>)> {
    let threads: Vec<Thread> = reviews
        .threads
        .into_iter()
        .filter(|t| t.verdict.is_none())
        .filter(|t| author.is_none_or(|a| t.author == a || t.events.iter().any(|e| e.author == a)))
        .filter(|t| doc.is_none_or(|d| t.doc == d))
        .collect();
    locate(kb, threads)
        .into_iter()
        .filter(|(t, located)| match state {
            ListState::Open => t.state == ThreadState::Open,
            ListState::Resolved => t.state == ThreadState::Resolved,
            ListState::Orphaned => {
                t.state == ThreadState::Open
                    && located
                        .as_ref()
                        .is_none_or(|l| l.resolution == Resolution::Orphaned)
            }
            ListState::All => true,
        })
        .collect()
}

/// The comment threads on one doc (open ones, or all), with where each is now.
pub fn on_doc(kb: &Kb, reviews: Reviews, doc: &str, all: bool) -> Vec<(Thread, Option<Located>)> {
    let threads = reviews
        .threads
        .into_iter()
        .filter(|t| t.doc == doc && t.verdict.is_none())
        .filter(|t| all || t.state == ThreadState::Open)
        .collect();
    locate(kb, threads)
}

/// What each doc asking for review (`review:` in its front-matter) waits on; `only` narrows
/// it to those paths when not empty.
pub fn statuses(
    kb: &Kb,
    reviews: &Reviews,
    only: &[String],
    today: NaiveDate,
) -> Result<Vec<DocStatus>> {
    statuses_of(kb, &kb.load().docs, reviews, only, today)
}

/// [`statuses`] over docs already loaded (a live block's, which other blocks share).
pub fn statuses_of(
    kb: &Kb,
    loaded: &[crate::doc::Document],
    reviews: &Reviews,
    only: &[String],
    today: NaiveDate,
) -> Result<Vec<DocStatus>> {
    use rayon::prelude::*;
    let threads = status::by_doc(reviews);
    let asking: Vec<_> = loaded
        .iter()
        .filter(|doc| only.is_empty() || only.contains(&doc.path))
        .filter_map(|doc| Some((doc, status::request(doc)?)))
        .collect();
    let statuses: Vec<Result<DocStatus>> = asking
        .into_par_iter()
        .map(|(doc, request)| {
            let own = threads
                .get(doc.path.as_str())
                .map_or(&[][..], Vec::as_slice);
            let blob = status::current_blob(kb, doc, own).map_err(Error::Doc)?;
            Ok(status::doc_status(
                doc,
                &request,
                blob.as_deref(),
                own,
                today,
            ))
        })
        .collect();
    // The first doc that cannot be read in path order, whichever thread met it first.
    let docs = statuses.into_iter().collect::<Result<Vec<_>>>()?;
    Ok(docs)
}
