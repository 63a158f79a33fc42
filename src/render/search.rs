//! Search results: the JSON contract of DESIGN §10, and text and Markdown for people.

use super::markdown::{code_span, escape_text, link};
use super::{paint, ACCENT, BOLD, DIM};
use crate::history::GitFacts;
use crate::index::search::Hit;
use anstyle::{AnsiColor, Style};
use serde::Serialize;

const MATCH: Style = AnsiColor::Yellow.on_default().bold();

#[derive(Debug, Serialize)]
pub struct Results {
    pub schema_version: u32,
    pub query: String,
    pub total: usize,
    pub took_ms: u64,
    /// Words that matched nothing, and the indexed word searched instead.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub corrected: std::collections::BTreeMap<String, String>,
    pub results: Vec<Found>,
}

/// One result: the hit, and what git says about its doc (JSON only: reading history is not
/// worth its time for a list people read).
#[derive(Debug, Serialize)]
pub struct Found {
    #[serde(flatten)]
    pub hit: Hit,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git: Option<GitFacts>,
}

impl std::ops::Deref for Found {
    type Target = Hit;
    fn deref(&self) -> &Hit {
        &self.hit
    }
}

pub fn text(r: &Results) -> String {
    let mut out = String::new();
    if !r.corrected.is_empty() {
        let pairs: Vec<String> = r
            .corrected
            .iter()
            .map(|(typed, used)| format!("{used} (for {typed})"))
            .collect();
        out.push_str(&paint(
            DIM,
            &format!("showing results for: {}\n\n", pairs.join(", ")),
        ));
    }
    for (i, hit) in r.results.iter().enumerate() {
        let kind = hit
            .doc_type
            .as_deref()
            .map(|t| format!("  {}", paint(DIM, t)))
            .unwrap_or_default();
        out.push_str(&format!("{}. {}{kind}\n", i + 1, paint(BOLD, &hit.title)));
        let section = match hit.section.is_empty() {
            true => String::new(),
            false => format!("  § {}", hit.section),
        };
        out.push_str(&format!(
            "   {}{section}\n",
            paint(ACCENT, &format!("{}:{}", hit.path, hit.line))
        ));
        let snippet = mark(hit, |m| paint(MATCH, m));
        if !snippet.trim().is_empty() {
            out.push_str(&format!("   {}\n", one_line(&snippet)));
        }
        out.push('\n');
    }
    if !r.results.is_empty() {
        out.push_str(&paint(
            DIM,
            &format!(
                "{} of {} docs, {} ms\n",
                r.results.len(),
                r.total,
                r.took_ms
            ),
        ));
    }
    out
}

pub fn markdown(r: &Results) -> String {
    let mut out = String::new();
    for (i, hit) in r.results.iter().enumerate() {
        let section = match hit.section.is_empty() {
            true => String::new(),
            false => format!(" § {}", escape_text(&hit.section)),
        };
        out.push_str(&format!(
            "{}. {} {}{section}\n",
            i + 1,
            link(&hit.title, &hit.path),
            code_span(&format!("{}:{}", hit.path, hit.line)),
        ));
        let snippet = mark_with(hit, escape_text, |m| format!("**{}**", escape_text(m)));
        if !snippet.trim().is_empty() {
            out.push_str(&format!("   > {}\n", one_line(&snippet)));
        }
    }
    out
}

/// The snippet with each matched range passed through `style`.
fn mark(hit: &Hit, style: impl Fn(&str) -> String) -> String {
    mark_with(hit, str::to_string, style)
}

/// The snippet with the text between matches passed through `plain` and each match through
/// `style`: Markdown escapes both, since a snippet is the doc's own text.
fn mark_with(hit: &Hit, plain: impl Fn(&str) -> String, style: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &(start, end) in &hit.highlights {
        if start < at
            || end > hit.snippet.len()
            || !hit.snippet.is_char_boundary(start)
            || !hit.snippet.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&plain(&hit.snippet[at..start]));
        out.push_str(&style(&hit.snippet[start..end]));
        at = end;
    }
    out.push_str(&plain(&hit.snippet[at..]));
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
