//! One doc's history (`kb log`, DESIGN §14): the commits that touched it across renames, its
//! review events, and for a goal its check-ins, interleaved by date, newest first.

use crate::doc::{scalar_string, Document};
use crate::goals::{Checkin, KrValue};
use crate::history::{ChangeKind, DocCommit};
use crate::review::{self, Action, Reviews};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashSet;

/// `kb log DOC --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct DocLog {
    pub schema_version: u32,
    pub path: String,
    pub title: String,
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// Newest first.
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    Commit,
    Review,
    Checkin,
}

/// One thing that happened to the doc.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub date: NaiveDate,
    pub kind: EntryKind,
    /// A handle where people/ knows the email (commits), else as written.
    pub author: String,
    /// The commit's summary, the review event in words, or the check-in's values.
    pub summary: String,
    /// The commit's short id, or the review thread's.
    pub id: String,
    /// For a commit, the doc's path then; for a check-in, its file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// For a review event: comment, resolve, approve, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Seconds since the epoch where known, to order a day's entries.
    #[serde(skip)]
    pub time: i64,
}

/// Interleaves what git, the reviews and the check-ins say about `doc`.
pub fn doc_log(
    doc: &Document,
    commits: &[DocCommit],
    reviews: &Reviews,
    checkins: &[Checkin],
) -> DocLog {
    let mut entries = Vec::new();
    // Review threads follow the doc under every name it had.
    let mut names: HashSet<&str> = commits.iter().map(|c| c.path.as_str()).collect();
    names.insert(&doc.path);
    for c in commits {
        let summary = match c.kind {
            ChangeKind::Renamed => format!("{} (moved here)", c.summary),
            _ => c.summary.clone(),
        };
        entries.push(Entry {
            date: c.date,
            kind: EntryKind::Commit,
            author: c.author.clone(),
            summary,
            id: c.id.chars().take(7).collect(),
            path: Some(c.path.clone()),
            action: None,
            time: c.time,
        });
    }
    for thread in reviews
        .threads
        .iter()
        .filter(|t| names.contains(t.doc.as_str()))
    {
        for (i, e) in thread.events.iter().enumerate() {
            let Some(date) = crate::date::parse(&e.created) else {
                continue;
            };
            let time =
                chrono::DateTime::parse_from_rfc3339(&e.created).map_or(0, |t| t.timestamp());
            let first_line = e.body.lines().next().unwrap_or("").trim();
            let summary = match e.action {
                Action::Comment if i == 0 => match &thread.anchor {
                    Some(a) => format!("opened a thread on “{}”: {first_line}", a.exact),
                    None => format!("opened a thread: {first_line}"),
                },
                Action::Comment => format!("replied: {first_line}"),
                Action::Resolve => "resolved the thread".into(),
                Action::Reopen => "reopened the thread".into(),
                Action::Approve => "approved".into(),
                Action::RequestChanges if first_line.is_empty() => "requested changes".into(),
                Action::RequestChanges => format!("requested changes: {first_line}"),
                Action::Edit => "edited a comment".into(),
                Action::Retract => "retracted a comment".into(),
                Action::Reanchor => "re-anchored the thread".into(),
            };
            entries.push(Entry {
                date,
                kind: EntryKind::Review,
                author: e.author.clone(),
                summary,
                id: review::short(&thread.id).to_string(),
                path: None,
                action: Some(e.action.name().to_string()),
                time,
            });
        }
    }
    let goal_id = (doc.doc_type.as_deref() == Some("goal"))
        .then(|| doc.fields.get("id").and_then(scalar_string))
        .flatten();
    if let Some(goal_id) = &goal_id {
        for c in checkins.iter().filter(|c| !c.from_readings) {
            let Some(report) = c.goals.get(goal_id) else {
                continue;
            };
            let mut parts = Vec::new();
            if let Some(status) = &report.status {
                parts.push(status.clone());
            }
            if let Some(p) = report.progress {
                parts.push(format!("progress {:.0}%", p * 100.0));
            }
            for (kr, value) in &report.key_results {
                parts.push(match value {
                    KrValue::Number(n) => format!("{kr}={n}"),
                    KrValue::Bool(b) => format!("{kr}={b}"),
                });
            }
            if let Some(conf) = report.confidence {
                parts.push(format!("confidence {conf}"));
            }
            let shared = c.goals.len() == 1;
            let narrative =
                crate::goals::checkin::narrative_for(&c.narrative, &doc.title, goal_id, shared);
            if let Some(note) = report.note.as_deref().or_else(|| first_words(narrative?)) {
                parts.push(note.trim().to_string());
            }
            entries.push(Entry {
                date: c.date,
                kind: EntryKind::Checkin,
                author: c.author.clone(),
                summary: match parts.is_empty() {
                    true => "checked in".into(),
                    false => parts.join(" · "),
                },
                id: String::new(),
                path: Some(c.path.clone()),
                action: None,
                time: 0,
            });
        }
    }
    entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| b.time.cmp(&a.time)));
    DocLog {
        schema_version: 1,
        path: doc.path.clone(),
        title: doc.title.clone(),
        id: doc.fields.get("id").and_then(scalar_string),
        doc_type: doc.doc_type.clone(),
        entries,
    }
}

/// The first line of prose in a Markdown narrative: headings skipped, a list marker dropped.
fn first_words(markdown: &str) -> Option<&str> {
    markdown
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.trim_start_matches(['-', '*', '+', ' ']))
}
