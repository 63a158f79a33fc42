//! What each doc under review waits on, from its front-matter `review: {reviewers, due,
//! required}` and the review events: per reviewer pending, commented, approved, approved-stale
//! (the doc changed since) or changes-requested; per doc in-review, approved,
//! changes-requested or overdue.

use super::{Action, Reviews, Thread, ThreadState};
use crate::doc::{scalar_string, Document};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

/// The threads of each doc, so each doc's status looks only at its own.
pub fn by_doc(reviews: &Reviews) -> std::collections::HashMap<&str, Vec<&Thread>> {
    let mut map: std::collections::HashMap<&str, Vec<&Thread>> = Default::default();
    for t in &reviews.threads {
        map.entry(t.doc.as_str()).or_default().push(t);
    }
    map
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewerStatus {
    pub handle: String,
    pub state: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocStatus {
    pub path: String,
    pub title: String,
    pub state: &'static str,
    pub due: Option<String>,
    pub required: usize,
    pub open_threads: usize,
    pub reviewers: Vec<ReviewerStatus>,
}

/// The review settings of a doc's front-matter, if it asks for review.
pub struct Request {
    pub reviewers: Vec<String>,
    pub due: Option<NaiveDate>,
    pub required: Option<usize>,
}

pub fn request(doc: &Document) -> Option<Request> {
    let review = doc.fields.value("review")?;
    let review = review.as_object()?;
    let reviewers = match review.get("reviewers") {
        Some(Value::Array(items)) => items.iter().filter_map(scalar_string).collect(),
        Some(Value::String(s)) => s
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    };
    Some(Request {
        reviewers,
        due: review
            .get("due")
            .and_then(scalar_string)
            .and_then(|d| crate::date::parse(&d)),
        required: review
            .get("required")
            .and_then(Value::as_u64)
            .map(|n| n as usize),
    })
}

/// The doc's current git blob id, when [`doc_status`] needs it: only an approval (which records
/// the blob it approved) is compared with it, so a doc without one is not read again (reading
/// every doc asking for review was a tenth of `kb review status` at 100k docs). `None` when no
/// approval needs it; an error when the doc cannot be read now, which must not pass for a
/// stale approval.
pub fn current_blob(
    kb: &crate::kb::Kb,
    doc: &Document,
    threads: &[&Thread],
) -> Result<Option<String>, crate::error::DocError> {
    if !threads
        .iter()
        .flat_map(|t| &t.events)
        .any(|e| e.blob.is_some())
    {
        return Ok(None);
    }
    let source = kb.read_walked(doc.path.clone())?;
    Ok(Some(super::blob_id(source.text.as_bytes())))
}

/// The status of one doc; `blob` is its current git blob id ([`current_blob`]), `threads` the
/// doc's threads.
pub fn doc_status(
    doc: &Document,
    request: &Request,
    blob: Option<&str>,
    threads: &[&Thread],
    today: NaiveDate,
) -> DocStatus {
    let reviewers: Vec<ReviewerStatus> = request
        .reviewers
        .iter()
        .map(|handle| {
            // Handles are compared as people are everywhere: `@Dana` is dana.
            let key = crate::people::key(handle);
            let by = |e: &&crate::review::Event| crate::people::key(&e.author) == key;
            let events = || threads.iter().flat_map(|t| &t.events).filter(by);
            let verdict = events()
                .filter(|e| matches!(e.action, Action::Approve | Action::RequestChanges))
                .max_by(|a, b| a.id.cmp(&b.id));
            let commented = events().any(|e| e.action == Action::Comment);
            let state = match verdict {
                Some(e) if e.action == Action::RequestChanges => "changes-requested",
                Some(e) if e.blob.is_some() && e.blob.as_deref() != blob => "approved-stale",
                Some(_) => "approved",
                None if commented => "commented",
                None => "pending",
            };
            ReviewerStatus {
                handle: handle.clone(),
                state,
            }
        })
        .collect();
    let required = request
        .required
        .unwrap_or(reviewers.len())
        .min(reviewers.len().max(1));
    let approvals = reviewers.iter().filter(|r| r.state == "approved").count();
    let state = if reviewers.iter().any(|r| r.state == "changes-requested") {
        "changes-requested"
    } else if !reviewers.is_empty() && approvals >= required {
        "approved"
    } else if request.due.is_some_and(|d| d < today) {
        "overdue"
    } else {
        "in-review"
    };
    DocStatus {
        path: doc.path.clone(),
        title: doc.title.clone(),
        state,
        due: request.due.map(|d| d.to_string()),
        required,
        open_threads: threads
            .iter()
            .filter(|t| t.state == ThreadState::Open && t.verdict.is_none())
            .count(),
        reviewers,
    }
}
