//! What `kb mv` prints: what moved, which docs' links were rewritten, which review threads
//! followed, and the commit.

use super::{paint, BOLD, DIM};
use crate::mv::Report;

fn plural(n: usize, one: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {one}s"),
    }
}

/// The summary people read; with `--dry-run` it heads the diff.
pub fn text(report: &Report) -> String {
    let verb = |done: &str, planned: &str| {
        if report.dry_run {
            planned.to_string()
        } else {
            done.to_string()
        }
    };
    let what = match report.folder {
        true => format!("{}/ ({})", report.from, plural(report.moved.len(), "file")),
        false => report.from.clone(),
    };
    let mut out = format!(
        "{} {what} to {}{}\n",
        verb("Moved", "Would move"),
        paint(BOLD, &report.to),
        if report.folder { "/" } else { "" }
    );
    let links: usize = report.rewritten.iter().map(|r| r.links + r.fields).sum();
    if links > 0 {
        out.push_str(&format!(
            "{} {} in {}:\n",
            verb("Rewrote", "Would rewrite"),
            plural(links, "link"),
            plural(report.rewritten.len(), "doc")
        ));
        for r in &report.rewritten {
            out.push_str(&format!(
                "  {}  {}\n",
                r.path,
                paint(DIM, &plural(r.links + r.fields, "link"))
            ));
        }
    } else {
        out.push_str("No link needed rewriting.\n");
    }
    if !report.reviews.is_empty() {
        out.push_str(&format!(
            "{} {} with {}.\n",
            verb("Moved", "Would move"),
            plural(report.reviews.len(), "review thread"),
            if report.folder {
                "their docs"
            } else {
                "the doc"
            }
        ));
    }
    if let Some(commit) = &report.commit {
        out.push_str(&format!("Committed {commit}.\n"));
    }
    out
}
