//! The weekly digest (DESIGN §14): what changed in a window of time, from git (docs added,
//! updated, renamed, removed; statuses that moved), from the goal rollup at both ends of the
//! window, from review events and from check-ins. The view model's JSON is a contract.
//!
//! The window is days, both ends included. Docs are followed through renames commit by commit;
//! a doc's "before" is the window's start commit and its "after" the end commit, so a status
//! that moved and moved back is no change.

use crate::doc::{scalar_string, Document};
use crate::error::{Error, Result};
use crate::goals::period::Period;
use crate::goals::rollup::{self, Selection, Settings};
use crate::goals::{GoalData, State};
use crate::history::{ChangeKind, Since, Window};
use crate::kb::Kb;
use crate::review::{self, Action, Reviews, ThreadState};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// `kb digest --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct Digest {
    pub schema_version: u32,
    pub since: NaiveDate,
    pub until: NaiveDate,
    pub docs: DocChanges,
    pub status_changes: Vec<StatusChange>,
    pub goals: Vec<GoalChange>,
    pub reviews: ReviewActivity,
    pub checkins: Checkins,
    /// Commits in the window that changed a doc (none outside git).
    pub commits: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DocChanges {
    /// By type, then path.
    pub added: Vec<Added>,
    /// Most commits first.
    pub updated: Vec<Updated>,
    pub renamed: Vec<Renamed>,
    pub removed: Vec<Removed>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Added {
    pub path: String,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub title: String,
    pub owner: Option<String>,
    pub date: NaiveDate,
    /// Who committed it (a handle where people/ knows the email).
    pub author: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Updated {
    pub path: String,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub title: String,
    pub owner: Option<String>,
    /// Commits in the window that changed its content.
    pub commits: usize,
    /// Their authors, most commits first.
    pub authors: Vec<String>,
    /// The last of them.
    pub date: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct Renamed {
    pub from: String,
    pub to: String,
    pub title: String,
    pub date: NaiveDate,
    pub author: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Removed {
    pub path: String,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub title: String,
    pub date: NaiveDate,
    pub author: String,
}

/// A decision, spec, RCA (any type with statuses but goals) whose status moved.
#[derive(Debug, Clone, Serialize)]
pub struct StatusChange {
    pub path: String,
    #[serde(rename = "type")]
    pub doc_type: String,
    pub title: String,
    pub field: String,
    /// At the window's start, or when the doc was added within it.
    pub from: Option<String>,
    pub to: String,
    /// The commit that set it.
    pub date: NaiveDate,
    pub author: String,
}

/// A goal whose rollup status differs between the day before the window and its last day.
#[derive(Debug, Clone, Serialize)]
pub struct GoalChange {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub path: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ReviewActivity {
    pub opened: Vec<ThreadEvent>,
    pub resolved: Vec<ThreadEvent>,
    pub approved: Vec<Approval>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThreadEvent {
    /// The thread's short id (its last 7 characters).
    pub thread: String,
    pub doc: String,
    pub title: String,
    /// Who opened or resolved it.
    pub author: String,
    pub date: NaiveDate,
    /// The passage it is about, when anchored to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// The first line of the comment, for an opened thread.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Approval {
    pub doc: String,
    pub title: String,
    pub author: String,
    pub date: NaiveDate,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Checkins {
    /// Check-in files dated in the window.
    pub count: usize,
    /// Owners of goals active in the window who wrote none in it.
    pub missing: Vec<String>,
}

impl Digest {
    /// Whether the window holds nothing to announce.
    pub fn is_empty(&self) -> bool {
        let d = &self.docs;
        d.added.is_empty()
            && d.updated.is_empty()
            && d.renamed.is_empty()
            && d.removed.is_empty()
            && self.status_changes.is_empty()
            && self.goals.is_empty()
            && self.reviews.opened.is_empty()
            && self.reviews.resolved.is_empty()
            && self.reviews.approved.is_empty()
            && self.checkins.count == 0
            && self.checkins.missing.is_empty()
    }
}

/// Reads `--since`: `7d` or `2w` (that many days ending on `until`, so `7d` is a week with
/// `until` its last day), a date, or else a git revision.
pub fn parse_since(text: &str, until: NaiveDate) -> Result<Since> {
    let text = text.trim();
    if let Some(days) = crate::date::span_days(text) {
        if days == 0 {
            return Err(Error::usage_with_hint(
                format!("--since {text}: a window is at least one day"),
                "give --since 1d for today alone, 7d for a week",
            ));
        }
        return until
            .checked_sub_days(chrono::Days::new(days - 1))
            .map(Since::Date)
            .ok_or_else(|| Error::usage(format!("--since {text} reaches before the calendar")));
    }
    if let Some(date) = crate::date::parse(text) {
        if date > until {
            return Err(Error::usage_with_hint(
                format!("--since {date} is after the window's end, {until}"),
                "give a date on or before --until (default: today)",
            ));
        }
        return Ok(Since::Date(date));
    }
    if text.is_empty() || text.starts_with('-') {
        return Err(Error::usage_with_hint(
            format!("--since {text:?} is not a number of days, a date, or a git revision"),
            "give a window like 7d or 2w, a date like 2026-11-18, or a commit, tag or branch",
        ));
    }
    Ok(Since::Rev(text.to_string()))
}

/// Builds the digest of `window` from its commits, the goals and check-ins, and the reviews.
pub fn digest(kb: &Kb, window: &Window, goals: &GoalData, reviews: &Reviews) -> Digest {
    let (since, until) = (window.since, window.until);
    let (docs, status_changes) = doc_changes(kb, window);
    Digest {
        schema_version: 1,
        since,
        until,
        docs,
        status_changes,
        goals: goal_changes(kb, goals, since, until),
        reviews: review_activity(kb, reviews, since, until),
        checkins: checkins(goals, since, until),
        commits: window.commits.len(),
    }
}

/// One doc as the window's commits carry it along, keyed by its latest path.
#[derive(Debug, Default)]
struct Tracked {
    /// Its path at the window's start; none when added in the window.
    origin: Option<String>,
    /// Its blob at the window's start (the old side of its first change).
    first_blob: Option<String>,
    added: Option<usize>,
    renamed: Option<usize>,
    /// Commits (indexes) that changed its content, with the blob each left.
    versions: Vec<(usize, Option<String>)>,
}

fn doc_changes(kb: &Kb, window: &Window) -> (DocChanges, Vec<StatusChange>) {
    let mut tracked: HashMap<String, Tracked> = HashMap::new();
    let mut removed: Vec<(String, Option<String>, usize)> = Vec::new();
    for (i, commit) in window.commits.iter().enumerate() {
        for change in &commit.changes {
            match change.kind {
                ChangeKind::Added => {
                    if let Some(new) = &change.new_path {
                        tracked.insert(
                            new.clone(),
                            Tracked {
                                added: Some(i),
                                versions: vec![(i, change.new_blob.clone())],
                                ..Tracked::default()
                            },
                        );
                    }
                }
                ChangeKind::Modified => {
                    if let Some(new) = &change.new_path {
                        let t = tracked.entry(new.clone()).or_insert_with(|| Tracked {
                            origin: Some(new.clone()),
                            first_blob: change.old_blob.clone(),
                            ..Tracked::default()
                        });
                        t.versions.push((i, change.new_blob.clone()));
                    }
                }
                ChangeKind::Renamed => {
                    let (Some(old), Some(new)) = (&change.old_path, &change.new_path) else {
                        continue;
                    };
                    let mut t = tracked.remove(old).unwrap_or_else(|| Tracked {
                        origin: Some(old.clone()),
                        first_blob: change.old_blob.clone(),
                        ..Tracked::default()
                    });
                    t.renamed = Some(i);
                    if change.old_blob != change.new_blob {
                        t.versions.push((i, change.new_blob.clone()));
                    }
                    tracked.insert(new.clone(), t);
                }
                ChangeKind::Deleted => {
                    let Some(old) = &change.old_path else {
                        continue;
                    };
                    let t = tracked.remove(old).unwrap_or_else(|| Tracked {
                        origin: Some(old.clone()),
                        first_blob: change.old_blob.clone(),
                        ..Tracked::default()
                    });
                    // Added and removed within the window: nothing to announce.
                    if let Some(origin) = t.origin {
                        removed.push((origin, t.first_blob, i));
                    }
                }
            }
        }
    }
    let commit = |i: usize| &window.commits[i];
    let parse = |path: &str, bytes: Option<Vec<u8>>| -> Option<Document> {
        crate::doc::parse(path.to_string(), bytes?, &kb.config.schema)
            .ok()
            .map(|s| s.doc)
    };
    let fallback_title = |path: &str| {
        path.rsplit('/')
            .next()
            .unwrap_or(path)
            .trim_end_matches(".md")
            .to_string()
    };
    let mut out = DocChanges::default();
    let mut statuses = Vec::new();
    let mut paths: Vec<&String> = tracked.keys().collect();
    paths.sort();
    for path in paths {
        let t = &tracked[path];
        if !kb.is_doc_path(path) {
            continue;
        }
        let doc = parse(path, window.at_end(path));
        let title = doc
            .as_ref()
            .map_or_else(|| fallback_title(path), |d| d.title.clone());
        let doc_type = doc.as_ref().and_then(|d| d.doc_type.clone());
        let owner = doc.as_ref().and_then(|d| text_field(d, "owner"));
        // Check-ins are counted on their own, not listed as new docs every week.
        if doc_type.as_deref() == Some("checkin") {
            continue;
        }
        // A path that was there at the start is not new, whatever happened between.
        let origin = match (&t.origin, t.added) {
            (None, Some(_)) if window.at_start(path).is_some() => Some(path.clone()),
            (origin, _) => origin.clone(),
        };
        match &origin {
            None => {
                let Some(i) = t.added else { continue };
                out.added.push(Added {
                    path: path.clone(),
                    doc_type: doc_type.clone(),
                    title: title.clone(),
                    owner: owner.clone(),
                    date: commit(i).date,
                    author: commit(i).author.clone(),
                });
            }
            Some(origin) => {
                if origin != path && kb.is_doc_path(origin) {
                    let i = t.renamed.unwrap_or(0);
                    out.renamed.push(Renamed {
                        from: origin.clone(),
                        to: path.clone(),
                        title: title.clone(),
                        date: commit(i).date,
                        author: commit(i).author.clone(),
                    });
                }
                if let Some(&(last, _)) = t.versions.last() {
                    let mut by_author: BTreeMap<&str, usize> = BTreeMap::new();
                    for (i, _) in &t.versions {
                        *by_author.entry(&commit(*i).author).or_default() += 1;
                    }
                    let mut authors: Vec<(&str, usize)> = by_author.into_iter().collect();
                    authors.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
                    out.updated.push(Updated {
                        path: path.clone(),
                        doc_type: doc_type.clone(),
                        title: title.clone(),
                        owner: owner.clone(),
                        commits: t.versions.len(),
                        authors: authors.into_iter().map(|(a, _)| a.to_string()).collect(),
                        date: commit(last).date,
                    });
                }
            }
        }
        if let Some(change) = doc
            .as_ref()
            .and_then(|d| status_change(kb, window, d, t, origin.as_deref()))
        {
            statuses.push(change);
        }
    }
    for (path, blob, i) in removed {
        // Deleted and added again under the same name: an update, listed above.
        if !kb.is_doc_path(&path) || window.at_end(&path).is_some() {
            continue;
        }
        let bytes = window
            .at_start(&path)
            .or_else(|| blob.and_then(|b| window.blob(&b)));
        let doc = parse(&path, bytes);
        if doc.as_ref().and_then(|d| d.doc_type.as_deref()) == Some("checkin") {
            continue;
        }
        out.removed.push(Removed {
            title: doc
                .as_ref()
                .map_or_else(|| fallback_title(&path), |d| d.title.clone()),
            doc_type: doc.and_then(|d| d.doc_type),
            path,
            date: commit(i).date,
            author: commit(i).author.clone(),
        });
    }
    out.added.sort_by(|a, b| {
        (a.doc_type.as_deref().unwrap_or("~"), &a.path)
            .cmp(&(b.doc_type.as_deref().unwrap_or("~"), &b.path))
    });
    out.updated
        .sort_by(|a, b| b.commits.cmp(&a.commits).then_with(|| a.path.cmp(&b.path)));
    out.renamed.sort_by(|a, b| a.to.cmp(&b.to));
    out.removed.sort_by(|a, b| a.path.cmp(&b.path));
    statuses.sort_by(|a, b| (a.date, &a.path).cmp(&(b.date, &b.path)));
    (out, statuses)
}

/// The doc's status field at the window's start (or when it was added) against its end, and
/// the commit that last moved it. Goals are the rollup's business, not this.
fn status_change(
    kb: &Kb,
    window: &Window,
    doc: &Document,
    t: &Tracked,
    origin: Option<&str>,
) -> Option<StatusChange> {
    let doc_type = doc.doc_type.as_deref()?;
    let spec = kb.config.schema.get(doc_type)?;
    if spec.statuses.is_empty() || matches!(doc_type, "goal" | "checkin") {
        return None;
    }
    let field = spec.status_field.as_str();
    let to = text_field(doc, field)?;
    let status_of = |bytes: Option<Vec<u8>>| {
        crate::doc::parse(doc.path.clone(), bytes?, &kb.config.schema)
            .ok()
            .and_then(|s| text_field(&s.doc, field))
    };
    let versions: Vec<(usize, Option<String>)> = t
        .versions
        .iter()
        .map(|(i, blob)| (*i, status_of(blob.as_ref().and_then(|b| window.blob(b)))))
        .collect();
    let from = match origin {
        Some(origin) if t.added.is_none() => status_of(
            window
                .at_start(origin)
                .or_else(|| t.first_blob.as_ref().and_then(|b| window.blob(b))),
        ),
        _ => versions.first().and_then(|(_, s)| s.clone()),
    };
    if from.as_deref() == Some(to.as_str()) {
        return None;
    }
    // The last commit whose version differs from the one before it and matches the end.
    let mut setter = versions.last().map(|(i, _)| *i)?;
    let mut previous = from.clone();
    for (i, status) in &versions {
        if status != &previous && status.as_deref() == Some(to.as_str()) {
            setter = *i;
        }
        previous = status.clone();
    }
    let commit = &window.commits[setter];
    Some(StatusChange {
        path: doc.path.clone(),
        doc_type: doc_type.to_string(),
        title: doc.title.clone(),
        field: field.to_string(),
        from,
        to,
        date: commit.date,
        author: commit.author.clone(),
    })
}

fn text_field(doc: &Document, key: &str) -> Option<String> {
    doc.fields
        .get(key)
        .and_then(scalar_string)
        .filter(|s| !s.trim().is_empty())
}

/// Goals whose final status on the day before the window differs from its last day's.
fn goal_changes(kb: &Kb, data: &GoalData, since: NaiveDate, until: NaiveDate) -> Vec<GoalChange> {
    let before_day = since.pred_opt().unwrap_or(since);
    let at = |day| {
        rollup::rollup(
            &data.goals,
            &data.checkins,
            &Settings::new(&kb.config.goals, day),
            &Selection::default(),
        )
    };
    let (before, after) = (at(before_day), at(until));
    let was: HashMap<&str, rollup::Status> = before
        .goals
        .iter()
        .map(|g| (g.id.as_str(), g.status))
        .collect();
    after
        .goals
        .iter()
        .filter_map(|g| {
            let from = *was.get(g.id.as_str())?;
            (from != g.status).then(|| GoalChange {
                id: g.id.clone(),
                title: g.title.clone(),
                owner: g.owner.clone(),
                path: g.path.clone(),
                from: from.name().to_string(),
                to: g.status.name().to_string(),
            })
        })
        .collect()
}

/// Threads opened and resolved, and approvals given, in the window (event dates, UTC).
fn review_activity(
    kb: &Kb,
    reviews: &Reviews,
    since: NaiveDate,
    until: NaiveDate,
) -> ReviewActivity {
    let inside =
        |created: &str| crate::date::parse(created).filter(|d| (since..=until).contains(d));
    let mut titles: HashMap<String, String> = HashMap::new();
    let mut title = |doc: &str| {
        titles
            .entry(doc.to_string())
            .or_insert_with(|| {
                kb.read_metadata(doc)
                    .map_or_else(|_| doc.to_string(), |d| d.title)
            })
            .clone()
    };
    let mut out = ReviewActivity::default();
    for thread in &reviews.threads {
        if let Some(date) = inside(&thread.created) {
            if thread.verdict.is_none() && thread.state != ThreadState::Retracted {
                let first = thread.events.first();
                out.opened.push(ThreadEvent {
                    thread: review::short(&thread.id).to_string(),
                    doc: thread.doc.clone(),
                    title: title(&thread.doc),
                    author: thread.author.clone(),
                    date,
                    quote: thread.anchor.as_ref().map(|a| a.exact.clone()),
                    comment: first.and_then(|e| e.body.lines().next().map(str::to_string)),
                });
            }
        }
        if thread.state == ThreadState::Resolved {
            let resolve = thread
                .events
                .iter()
                .rev()
                .find(|e| e.action == Action::Resolve);
            if let Some((e, date)) = resolve.and_then(|e| Some((e, inside(&e.created)?))) {
                out.resolved.push(ThreadEvent {
                    thread: review::short(&thread.id).to_string(),
                    doc: thread.doc.clone(),
                    title: title(&thread.doc),
                    author: e.author.clone(),
                    date,
                    quote: None,
                    comment: None,
                });
            }
        }
        for e in thread.events.iter().filter(|e| e.action == Action::Approve) {
            if let Some(date) = inside(&e.created) {
                out.approved.push(Approval {
                    doc: thread.doc.clone(),
                    title: title(&thread.doc),
                    author: e.author.clone(),
                    date,
                });
            }
        }
    }
    out.opened
        .sort_by(|a, b| (a.date, &a.doc, &a.thread).cmp(&(b.date, &b.doc, &b.thread)));
    out.resolved
        .sort_by(|a, b| (a.date, &a.doc, &a.thread).cmp(&(b.date, &b.doc, &b.thread)));
    out.approved
        .sort_by(|a, b| (a.date, &a.doc, &a.author).cmp(&(b.date, &b.doc, &b.author)));
    out
}

/// Check-ins dated in the window, and the owners of goals active in it who wrote none.
fn checkins(data: &GoalData, since: NaiveDate, until: NaiveDate) -> Checkins {
    let in_window: Vec<_> = data
        .checkins
        .iter()
        .filter(|c| !c.from_readings && (since..=until).contains(&c.date))
        .collect();
    let wrote: BTreeSet<&str> = in_window.iter().map(|c| c.author.as_str()).collect();
    let window = Period::between(since, until).ok();
    let missing: BTreeSet<String> = data
        .goals
        .iter()
        .filter(|g| g.state == State::Active)
        .filter(|g| window.as_ref().is_some_and(|w| g.period.overlaps(w)))
        .filter_map(|g| g.owner.clone())
        .filter(|owner| !wrote.contains(owner.as_str()))
        .collect();
    Checkins {
        count: in_window.len(),
        missing: missing.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn since_reads_spans_dates_and_revisions() {
        let until = day("2026-11-25");
        assert_eq!(
            parse_since("7d", until).unwrap(),
            Since::Date(day("2026-11-19"))
        );
        assert_eq!(
            parse_since("2w", until).unwrap(),
            Since::Date(day("2026-11-12"))
        );
        assert_eq!(
            parse_since("1d", until).unwrap(),
            Since::Date(until),
            "one day is today alone"
        );
        assert_eq!(
            parse_since("2026-11-01", until).unwrap(),
            Since::Date(day("2026-11-01"))
        );
        assert_eq!(
            parse_since("HEAD~3", until).unwrap(),
            Since::Rev("HEAD~3".into())
        );
        assert!(parse_since("0d", until).is_err());
        assert!(parse_since("2026-12-01", until).is_err(), "after until");
        assert!(parse_since("-x", until).is_err());
        assert!(parse_since("", until).is_err());
    }
}
