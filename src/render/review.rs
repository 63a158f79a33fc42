//! Review threads as people and scripts read them: the JSON contracts of DESIGN §10, a listing,
//! a doc with its threads after the paragraphs they point at, and CriticMarkup.

use super::{paint, ACCENT, BOLD, DIM};
use crate::review::anchor::{Located, Resolution};
use crate::review::status::DocStatus;
use crate::review::{short, Thread};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct AnchorView {
    pub exact: String,
    pub line: Option<usize>,
    pub section: String,
    pub resolution: Resolution,
}

#[derive(Debug, Serialize)]
pub struct EventView {
    pub id: String,
    pub action: &'static str,
    pub author: String,
    pub created: String,
    pub body: String,
}

#[derive(Debug, Serialize)]
pub struct ThreadView {
    pub id: String,
    pub short_id: String,
    pub doc: String,
    pub state: &'static str,
    pub author: String,
    pub created: String,
    pub anchor: Option<AnchorView>,
    pub events: Vec<EventView>,
}

impl ThreadView {
    pub fn new(t: &Thread, located: Option<&Located>) -> ThreadView {
        ThreadView {
            id: t.id.clone(),
            short_id: short(&t.id).to_string(),
            doc: t.doc.clone(),
            state: match t.state {
                crate::review::ThreadState::Open => "open",
                crate::review::ThreadState::Resolved => "resolved",
                crate::review::ThreadState::Retracted => "retracted",
            },
            author: t.author.clone(),
            created: t.created.clone(),
            anchor: t.anchor.as_ref().map(|a| AnchorView {
                exact: a.exact.clone(),
                line: located.and_then(|l| l.line),
                section: a.section.clone(),
                resolution: located.map_or(Resolution::Orphaned, |l| l.resolution),
            }),
            events: t
                .events
                .iter()
                .map(|e| EventView {
                    id: e.id.clone(),
                    action: e.action.name(),
                    author: e.author.clone(),
                    created: e.created.clone(),
                    body: e.body.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ThreadList {
    pub schema_version: u32,
    pub threads: Vec<ThreadView>,
}

#[derive(Debug, Serialize)]
pub struct StatusList {
    pub schema_version: u32,
    pub docs: Vec<DocStatus>,
}

/// `kb review list`: one block per thread.
pub fn list(threads: &[ThreadView]) -> String {
    let mut out = String::new();
    for t in threads {
        let place = match &t.anchor {
            Some(a) => {
                let line = a.line.map(|l| format!(":{l}")).unwrap_or_default();
                let section = if a.section.is_empty() {
                    String::new()
                } else {
                    format!("  § {}", a.section)
                };
                format!(
                    "{}{line}{section}  ({})",
                    t.doc,
                    resolution_name(a.resolution)
                )
            }
            None => t.doc.clone(),
        };
        out.push_str(&format!(
            "{}  {:<9} {}\n",
            paint(ACCENT, &t.short_id),
            t.state,
            place
        ));
        if let Some(a) = t.anchor.as_ref().filter(|a| !a.exact.is_empty()) {
            out.push_str(&format!(
                "  {}\n",
                paint(DIM, &format!("“{}”", one_line(&a.exact, 80)))
            ));
        }
        for (i, e) in t.events.iter().enumerate() {
            let lead = if i == 0 { "  " } else { "    └ " };
            let what = match e.action {
                "comment" => String::new(),
                other => format!("[{other}] "),
            };
            let line = format!("{what}{}", one_line(&e.body, 100));
            out.push_str(&format!(
                "{lead}{} {}: {}\n",
                paint(BOLD, &e.author),
                date(&e.created),
                line.trim_end()
            ));
        }
        out.push('\n');
    }
    if threads.is_empty() {
        out.push_str("No review threads.\n");
    }
    out
}

/// `kb review status`.
pub fn status(docs: &[DocStatus]) -> String {
    let mut out = String::new();
    for d in docs {
        let due = d
            .due
            .as_deref()
            .map(|d| format!(", due {d}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}  {}{due}, {} open thread{}\n  {}\n",
            paint(BOLD, d.state),
            d.path,
            d.open_threads,
            if d.open_threads == 1 { "" } else { "s" },
            paint(DIM, &d.title)
        ));
        for r in &d.reviewers {
            out.push_str(&format!("    {:<12} {}\n", r.handle, r.state));
        }
        out.push('\n');
    }
    if docs.is_empty() {
        out.push_str(
            "No doc asks for review (front-matter `review: {reviewers: [...], due: DATE}`).\n",
        );
    }
    out
}

/// The doc's body with each thread printed after the paragraph its anchor resolves into;
/// threads that lost their place come at the end.
pub fn annotated(body: &str, body_line: usize, threads: &[(ThreadView, Option<usize>)]) -> String {
    let lines: Vec<&str> = body.split('\n').collect();
    let blocks = crate::doc::markdown::top_level_blocks(body);
    let mut after: std::collections::BTreeMap<usize, Vec<&ThreadView>> = Default::default();
    let mut unplaced = Vec::new();
    for (t, line) in threads {
        match line.and_then(|l| l.checked_sub(body_line)) {
            Some(index) if index < lines.len() => {
                // After the whole block that holds the line (a list with its sub-items, a
                // table, a fence), so a thread never splits one.
                let end = blocks
                    .iter()
                    .find(|(start, end)| (*start..=*end).contains(&index))
                    .map_or(index, |(_, end)| *end)
                    + 1;
                after.entry(end.min(lines.len())).or_default().push(t);
            }
            _ => unplaced.push(t),
        }
    }
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(ts) = after.get(&i) {
            for t in ts {
                out.push_str(&thread_block(t));
            }
        }
        out.push_str(line);
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
    if let Some(ts) = after.get(&lines.len()) {
        out.push('\n');
        for t in ts {
            out.push_str(&thread_block(t));
        }
    }
    if !unplaced.is_empty() {
        out.push_str("\n\n## Review threads that lost their place\n\n");
        for t in unplaced {
            out.push_str(&thread_block(t));
        }
    }
    out
}

fn thread_block(t: &ThreadView) -> String {
    let mut out = String::new();
    let quote = t
        .anchor
        .as_ref()
        .map(|a| format!(" on “{}”", one_line(&a.exact, 60)))
        .unwrap_or_default();
    out.push_str(&paint(
        ACCENT,
        &format!("> 💬 {} ({}){quote}\n", t.short_id, t.state),
    ));
    for e in &t.events {
        let what = if e.action == "comment" {
            String::new()
        } else {
            format!("[{}] ", e.action)
        };
        let line = format!("{what}{}", one_line(&e.body, 200));
        out.push_str(&paint(
            ACCENT,
            &format!(">    {}: {}\n", e.author, line.trim_end()),
        ));
    }
    out.push('\n');
    out
}

/// The doc in CriticMarkup: each anchored passage highlighted with its comments.
pub fn critic(body: &str, placed: &[(ThreadView, Option<(usize, usize)>)]) -> String {
    let mut ranges: Vec<(usize, usize, String)> = placed
        .iter()
        .filter_map(|(t, r)| {
            let (s, e) = (*r)?;
            let comments: Vec<String> = t
                .events
                .iter()
                .map(|e| format!("{}: {}", e.author, one_line(&e.body, 400)))
                .collect();
            Some((s, e, comments.join(" | ")))
        })
        .collect();
    ranges.sort_by_key(|r| std::cmp::Reverse(r.0));
    let mut out = body.to_string();
    let mut last_start = usize::MAX;
    for (s, e, comment) in ranges {
        // Overlapping passages keep only the first comment's highlight.
        if e > last_start || !out.is_char_boundary(s) || !out.is_char_boundary(e) {
            continue;
        }
        out.replace_range(
            s..e,
            &format!(
                "{{=={}==}}{{>>{}<<}}",
                &body[s..e],
                comment.replace("<<", "< <")
            ),
        );
        last_start = s;
    }
    out
}

fn resolution_name(r: Resolution) -> &'static str {
    match r {
        Resolution::Exact => "exact",
        Resolution::Moved => "moved",
        Resolution::Fuzzy => "fuzzy",
        Resolution::Section => "section",
        Resolution::Orphaned => "orphaned",
    }
}

fn date(created: &str) -> &str {
    created.get(..10).unwrap_or(created)
}

fn one_line(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

/// What a review command wrote: one event file, perhaps committed.
#[derive(Debug, Serialize)]
pub struct EventWritten {
    pub schema_version: u32,
    pub thread: String,
    pub event: String,
    pub path: String,
    pub doc: String,
    pub commit: Option<String>,
    /// What happened, in words (`Replied in thread 7XK2M9Q on specs/x.md`).
    #[serde(skip)]
    pub sentence: String,
}

pub fn written(w: &EventWritten) -> String {
    let committed = w
        .commit
        .as_ref()
        .map(|c| format!(", committed as {c}"))
        .unwrap_or_default();
    format!("{}\n  {}{committed}\n", w.sentence, w.path)
}

/// The docs asking for review as one Markdown table (a live block's `reviews` kind).
pub fn status_markdown(docs: &[DocStatus]) -> String {
    use super::markdown::{escape_text, link};
    if docs.is_empty() {
        return "No doc asks for review.\n".into();
    }
    let mut out =
        String::from("| Doc | State | Due | Reviewers | Open threads |\n|---|---|---|---|---:|\n");
    for d in docs {
        let reviewers: Vec<String> = d
            .reviewers
            .iter()
            .map(|r| format!("{} ({})", escape_text(&r.handle), r.state))
            .collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            link(&d.title, &d.path),
            d.state,
            d.due.as_deref().map_or("-".into(), escape_text),
            match reviewers.is_empty() {
                true => "-".into(),
                false => reviewers.join(", "),
            },
            d.open_threads
        ));
    }
    out
}
