//! Review comments kept in git beside the docs: one immutable file per event under
//! `.kb/reviews/<doc path without .md>/<thread id>/<event id>.md`, so comments on different
//! branches merge without conflicts. A thread's state is a fold over its events in id (ULID)
//! order; where it points is resolved at read time ([`anchor`]); what a doc waits on is
//! [`status`].

pub mod anchor;
mod distance;
pub mod select;
pub mod status;

use crate::doc::{self, frontmatter, scalar_string, Fields};
use crate::error::{display_path, Error, Result};
use crate::kb::Kb;
use anchor::Anchor;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Where review events live, relative to the KB root.
pub const REVIEWS_DIR: &str = ".kb/reviews";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Comment,
    Resolve,
    Reopen,
    Edit,
    Retract,
    Reanchor,
    Approve,
    RequestChanges,
}

impl Action {
    pub fn parse(text: &str) -> Option<Action> {
        Some(match text {
            "comment" => Action::Comment,
            "resolve" => Action::Resolve,
            "reopen" => Action::Reopen,
            "edit" => Action::Edit,
            "retract" => Action::Retract,
            "reanchor" => Action::Reanchor,
            "approve" => Action::Approve,
            "request-changes" => Action::RequestChanges,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Action::Comment => "comment",
            Action::Resolve => "resolve",
            Action::Reopen => "reopen",
            Action::Edit => "edit",
            Action::Retract => "retract",
            Action::Reanchor => "reanchor",
            Action::Approve => "approve",
            Action::RequestChanges => "request-changes",
        }
    }
}

/// One event file.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Event {
    pub id: String,
    pub thread: String,
    /// The last event its writer saw.
    pub after: Option<String>,
    pub author: String,
    pub created: String,
    pub action: Action,
    /// The doc's path, on a thread's first event.
    pub doc: Option<String>,
    pub anchor: Option<Anchor>,
    /// For edit and retract: the event they change.
    pub target: Option<String>,
    /// The doc's git blob id when an approval was given.
    pub blob: Option<String>,
    pub body: String,
    /// The event file, relative to the KB root.
    #[serde(skip)]
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ThreadState {
    Open,
    Resolved,
    Retracted,
}

/// A thread: its events in order and the state they fold to.
#[derive(Debug, Clone, Serialize)]
pub struct Thread {
    pub id: String,
    pub doc: String,
    pub state: ThreadState,
    pub author: String,
    pub created: String,
    /// The anchor in force: the first event's, or the latest reanchor's.
    pub anchor: Option<Anchor>,
    /// Events with edits applied and retracted comments blanked.
    pub events: Vec<Event>,
    /// A doc-level verdict (approve or request-changes) rather than a comment on a passage.
    pub verdict: Option<Action>,
}

/// A review file that cannot be used, named so it can be fixed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewProblem {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Reviews {
    pub threads: Vec<Thread>,
    pub problems: Vec<ReviewProblem>,
}

/// The short form of an id people type and see: its last 7 characters.
pub fn short(id: &str) -> &str {
    let start = id.char_indices().rev().nth(6).map_or(0, |(i, _)| i);
    &id[start..]
}

/// An event file as [`load`] reads it, or why it cannot be used; kept in the doc cache.
pub type ReadEvent = std::result::Result<Event, EventProblem>;

/// Why an event file cannot be used, as the problem to report.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub enum EventProblem {
    /// The file could not be read: says nothing of what it holds, so never cached.
    Unreadable(String),
    /// What the file holds is not a valid event.
    Invalid(String),
}

impl crate::cache::Cached for ReadEvent {
    const FILE: &'static str = ".kb/cache/reviews.bin";

    fn remembered(&self) -> bool {
        !matches!(self, Err(EventProblem::Unreadable(_)))
    }
}

/// Reads every event under `.kb/reviews/` and folds them into threads.
pub fn load(kb: &Kb) -> Reviews {
    let dir = kb.root.join(REVIEWS_DIR);
    let mut events = Vec::new();
    let mut reviews = Reviews::default();
    if dir.is_dir() {
        use rayon::prelude::*;
        let mut paths: Vec<_> = walk_files(&dir);
        paths.sort();
        let cache = crate::cache::DocCache::<ReadEvent>::open(kb);
        let read: Vec<(String, ReadEvent)> = paths
            .par_iter()
            .map(|path| {
                let rel = display_path(&kb.root, path);
                let event = match &cache {
                    Some(cache) => cache.get_or(kb, &rel, || read_event(path, &rel)),
                    None => read_event(path, &rel),
                };
                (rel, event)
            })
            .collect();
        if let Some(cache) = cache {
            cache.save(kb, REVIEWS_DIR, &read);
        }
        for (rel, r) in read {
            match r {
                // The file's own path is not kept in the cache: it is the key.
                Ok(mut e) => {
                    e.path = rel;
                    events.push(e)
                }
                Err(EventProblem::Unreadable(message) | EventProblem::Invalid(message)) => {
                    reviews.problems.push(ReviewProblem { path: rel, message })
                }
            }
        }
    }
    let mut by_thread: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for e in events {
        by_thread.entry(e.thread.clone()).or_default().push(e);
    }
    for (id, mut events) in by_thread {
        events.sort_by(|a, b| a.id.cmp(&b.id));
        match fold(&id, events) {
            Ok(t) => reviews.threads.push(t),
            Err(p) => reviews.problems.push(p),
        }
    }
    reviews
        .threads
        .sort_by(|a, b| a.doc.cmp(&b.doc).then_with(|| a.id.cmp(&b.id)));
    reviews
}

fn walk_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(t) if t.is_file() && path.extension().is_some_and(|e| e == "md") => {
                    out.push(path)
                }
                _ => {}
            }
        }
    }
    out
}

fn read_event(path: &Path, rel: &str) -> ReadEvent {
    let bytes = std::fs::read(path)
        .map_err(|e| EventProblem::Unreadable(format!("cannot read the file: {e}")))?;
    parse_event(bytes, rel).map_err(EventProblem::Invalid)
}

/// Parses the bytes of the event file at `rel` (relative to the KB root) into an event; the
/// error is the problem to report for that file.
pub fn parse_event(bytes: Vec<u8>, rel: &str) -> std::result::Result<Event, String> {
    let source = doc::parse(rel.to_string(), bytes, &crate::schema::Schema::default())
        .map_err(|e| format!("line {}: {}", e.line, e.message))?;
    let f = &source.doc.fields;
    let text = |key: &str| f.get(key).and_then(scalar_string).filter(|s| !s.is_empty());
    let need = |key: &str| text(key).ok_or_else(|| format!("a review event needs `{key}`"));
    let action_text = need("action")?;
    let action = Action::parse(&action_text).ok_or_else(|| {
        format!("unknown action {action_text:?}: use comment, resolve, reopen, edit, retract, reanchor, approve or request-changes")
    })?;
    let doc = text("doc");
    if let Some(doc) = doc.as_deref().filter(|d| !is_inside_path(d)) {
        return Err(format!(
            "`doc: {doc}` leads outside the knowledge base; a review is about a doc inside it"
        ));
    }
    let anchor = match f.get("anchor") {
        None | Some(Value::Null) => None,
        Some(v) => Some(serde_json::from_value(v.clone()).map_err(|e| format!("bad anchor: {e}"))?),
    };
    Ok(Event {
        id: need("id")?,
        thread: need("thread")?,
        after: text("after"),
        author: need("author")?,
        created: need("created")?,
        action,
        doc,
        anchor,
        target: text("target"),
        blob: text("blob"),
        body: source.body().trim().to_string(),
        path: rel.to_string(),
    })
}

/// Folds a thread's events (sorted by id) into its state. A reply never changes the state.
fn fold(id: &str, events: Vec<Event>) -> std::result::Result<Thread, ReviewProblem> {
    let first = events.iter().find(|e| e.id == id).ok_or_else(|| ReviewProblem {
        path: events.first().map(|e| e.path.clone()).unwrap_or_default(),
        message: format!("thread {id} has no first event (no file {id}.md): it may have been deleted or not merged"),
    })?;
    let doc = first.doc.clone().ok_or_else(|| ReviewProblem {
        path: first.path.clone(),
        message: "a thread's first event needs `doc`".into(),
    })?;
    let mut thread = Thread {
        id: id.to_string(),
        doc,
        state: ThreadState::Open,
        author: first.author.clone(),
        created: first.created.clone(),
        anchor: first.anchor.clone(),
        events: Vec::new(),
        verdict: matches!(first.action, Action::Approve | Action::RequestChanges)
            .then_some(first.action),
    };
    let mut shown: Vec<Event> = Vec::new();
    for e in events {
        match e.action {
            Action::Resolve => thread.state = ThreadState::Resolved,
            Action::Reopen => thread.state = ThreadState::Open,
            Action::Reanchor => thread.anchor = e.anchor.clone().or(thread.anchor.take()),
            Action::Edit | Action::Retract => {
                if let Some(target) = shown
                    .iter_mut()
                    .find(|t| Some(&t.id) == e.target.as_ref() && t.author == e.author)
                {
                    if e.action == Action::Edit {
                        target.body = e.body.clone();
                    } else {
                        target.body = "(retracted)".into();
                        if target.id == id {
                            thread.state = ThreadState::Retracted;
                        }
                    }
                }
            }
            Action::Comment | Action::Approve | Action::RequestChanges => {}
        }
        shown.push(e);
    }
    thread.events = shown;
    Ok(thread)
}

/// The one thread whose id is `query`, or ends or starts with it (4 characters at least).
pub fn find_thread<'a>(threads: &'a [Thread], query: &str) -> Result<&'a Thread> {
    let q = query.trim().to_uppercase();
    if q.len() < 4 {
        return Err(Error::usage_with_hint(
            format!("thread id {query:?} is too short"),
            "give at least 4 characters of the id (the short id has 7)",
        ));
    }
    let matches: Vec<&Thread> = threads
        .iter()
        .filter(|t| t.id == q || t.id.ends_with(&q) || t.id.starts_with(&q))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::usage_with_hint(
            format!("no review thread {query:?}"),
            "`kb review list` shows the threads and their ids",
        )),
        many => Err(Error::Ambiguous {
            query: query.to_string(),
            candidates: many
                .iter()
                .map(|t| {
                    format!(
                        "{}  {}  {}",
                        short(&t.id),
                        t.doc,
                        first_line(&t.events[0].body)
                    )
                })
                .collect(),
        }),
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    match line.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}

/// A new event, ready to be written by [`write_event`].
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub thread: Option<String>,
    pub action: Action,
    pub doc: String,
    pub anchor: Option<Anchor>,
    pub target: Option<String>,
    pub blob: Option<String>,
    pub author: String,
    pub body: String,
}

/// Writes `event` as a new file and returns (event id, path relative to the root). Its id is a
/// ULID later than every event already in the thread, so the fold sees events in the order
/// they were written even within one millisecond.
pub fn write_event(
    kb: &Kb,
    existing: Option<&Thread>,
    event: NewEvent,
) -> Result<(String, String)> {
    // `doc` and `thread` may come from files others committed: keep the new file inside
    // .kb/reviews/ whatever they say.
    let thread_id = event.thread.clone();
    if !is_inside_path(&event.doc)
        || !thread_id
            .as_deref()
            .is_none_or(|t| t.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(Error::usage(format!(
            "review thread {} names doc {:?}, which is not a path inside the knowledge base",
            thread_id.as_deref().unwrap_or("(new)"),
            event.doc
        )));
    }
    let doc_dir = event
        .doc
        .strip_suffix(".md")
        .unwrap_or(&event.doc)
        .to_string();
    // Under the lock, the thread's last event on disk is the one this event follows, even when
    // another reviewer replied a moment ago.
    let _lock = crate::fsutil::lock(&kb.root)?;
    let last_on_disk = thread_id
        .as_deref()
        .and_then(|t| last_event_id(&kb.root.join(REVIEWS_DIR).join(&doc_dir).join(t)));
    let last_known = existing
        .and_then(|t| t.events.last())
        .and_then(|e| e.id.parse::<ulid::Ulid>().ok());
    let last = last_on_disk.max(last_known);
    let mut id = ulid::Ulid::generate();
    if let Some(last) = last {
        if id <= last {
            id = last.increment().unwrap_or(id);
        }
    }
    let id = id.to_string();
    let thread = thread_id.unwrap_or_else(|| id.clone());
    let mut f = Fields::new();
    f.insert("id".into(), Value::from(id.clone()));
    f.insert("thread".into(), Value::from(thread.clone()));
    if let Some(after) = last {
        f.insert("after".into(), Value::from(after.to_string()));
    }
    f.insert("author".into(), Value::from(event.author));
    f.insert(
        "created".into(),
        // On the KB's today, as every date kb writes: `KB_NOW` fixes it.
        Value::from(crate::date::now_rfc3339(kb.config.today)),
    );
    f.insert("action".into(), Value::from(event.action.name()));
    if event.thread.is_none() {
        f.insert("doc".into(), Value::from(event.doc.clone()));
    }
    if let Some(anchor) = &event.anchor {
        f.insert(
            "anchor".into(),
            serde_json::to_value(anchor).unwrap_or(Value::Null),
        );
    }
    if let Some(target) = event.target {
        f.insert("target".into(), Value::from(target));
    }
    if let Some(blob) = event.blob {
        f.insert("blob".into(), Value::from(blob));
    }
    let rel = format!("{REVIEWS_DIR}/{doc_dir}/{thread}/{id}.md");
    let text = format!("{}{}\n", frontmatter::to_yaml_block(&f), event.body.trim());
    crate::fsutil::write_new(&kb.root, &rel, text.as_bytes())?;
    Ok((id, rel))
}

/// A relative path with no `..`, no empty part and no leading `/`: one that cannot lead out of
/// the folder it is joined to.
pub fn is_inside_path(path: &str) -> bool {
    crate::fsutil::lexically_inside(std::path::Path::new(path)).is_ok()
        && !path.contains('\\')
        && path.split('/').all(|part| !part.is_empty() && part != ".")
}

/// The newest event id among a thread's files.
fn last_event_id(dir: &Path) -> Option<ulid::Ulid> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name();
            name.to_str()?
                .strip_suffix(".md")?
                .parse::<ulid::Ulid>()
                .ok()
        })
        .max()
}

/// The git blob id of `bytes`: what the doc was when an anchor or approval was taken.
pub fn blob_id(bytes: &[u8]) -> String {
    git2::Oid::hash_object(git2::ObjectType::Blob, bytes)
        .map(|o| o.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str, action: Action, author: &str, target: Option<&str>) -> Event {
        Event {
            id: id.into(),
            thread: "T0001".into(),
            after: None,
            author: author.into(),
            created: "2026-11-25T10:00:00Z".into(),
            action,
            doc: (id == "T0001").then(|| "specs/a.md".to_string()),
            anchor: None,
            target: target.map(str::to_string),
            blob: None,
            body: format!("{} by {author}", action.name()),
            path: format!("{id}.md"),
        }
    }

    #[test]
    fn fold_resolve_reopen_and_replies() {
        let t = fold(
            "T0001",
            vec![
                event("T0001", Action::Comment, "sam", None),
                event("T0002", Action::Comment, "dana", None),
                event("T0003", Action::Resolve, "dana", None),
            ],
        )
        .unwrap();
        assert_eq!(t.state, ThreadState::Resolved);
        let t = fold(
            "T0001",
            vec![
                event("T0001", Action::Comment, "sam", None),
                event("T0003", Action::Resolve, "dana", None),
                event("T0004", Action::Reopen, "sam", None),
                event("T0005", Action::Comment, "dana", None),
            ],
        )
        .unwrap();
        assert_eq!(
            t.state,
            ThreadState::Open,
            "a reply does not change the state"
        );
    }

    #[test]
    fn edits_and_retractions_by_the_author_only() {
        let mut edit = event("T0002", Action::Edit, "sam", Some("T0001"));
        edit.body = "better words".into();
        let foreign = event("T0003", Action::Retract, "dana", Some("T0001"));
        let t = fold(
            "T0001",
            vec![event("T0001", Action::Comment, "sam", None), edit, foreign],
        )
        .unwrap();
        assert_eq!(t.events[0].body, "better words");
        assert_eq!(t.state, ThreadState::Open);
        let own = event("T0004", Action::Retract, "sam", Some("T0001"));
        let t = fold(
            "T0001",
            vec![event("T0001", Action::Comment, "sam", None), own],
        )
        .unwrap();
        assert_eq!(t.state, ThreadState::Retracted);
    }

    #[test]
    fn a_thread_without_its_first_event_is_a_problem() {
        let e = fold("T0001", vec![event("T0002", Action::Comment, "dana", None)]).unwrap_err();
        assert!(e.message.contains("no first event"));
    }

    #[test]
    fn short_ids() {
        assert_eq!(short("01JD3ZQ4K8N2W5X7Y9ABCDEFGH"), "BCDEFGH");
    }
}
