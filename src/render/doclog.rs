//! `kb log DOC` for people: one line per commit, review event and check-in, newest first.

use super::{paint, ACCENT, BOLD, DIM};
use crate::doclog::{DocLog, EntryKind};

/// How much of a summary a terminal line shows; JSON has it in full.
const SUMMARY_CHARS: usize = 100;

fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
        None => text.to_string(),
    }
}

pub fn text(log: &DocLog) -> String {
    let mut out = format!("{}  {}\n\n", paint(BOLD, &log.title), paint(DIM, &log.path));
    if log.entries.is_empty() {
        out.push_str("No history yet: no commit, review event or check-in.\n");
        return out;
    }
    let width = log
        .entries
        .iter()
        .map(|e| e.author.chars().count())
        .max()
        .unwrap_or(0)
        .min(20);
    for e in &log.entries {
        let kind = match e.kind {
            EntryKind::Commit => "commit ",
            EntryKind::Review => "review ",
            EntryKind::Checkin => "checkin",
        };
        let mut tail = e.id.clone();
        if let Some(path) = e.path.as_deref().filter(|p| *p != log.path) {
            if !tail.is_empty() {
                tail.push_str(" · ");
            }
            tail.push_str(path);
        }
        let tail = match tail.is_empty() {
            true => String::new(),
            false => format!("  {}", paint(DIM, &tail)),
        };
        out.push_str(&format!(
            "{}  {} {:<width$}  {}{tail}\n",
            e.date,
            paint(ACCENT, kind),
            e.author,
            shorten(&e.summary, SUMMARY_CHARS),
        ));
    }
    out
}
