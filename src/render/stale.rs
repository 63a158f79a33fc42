//! What `kb stale` prints: the docs overdue for review, grouped by owner, most overdue first.

use super::markdown::{escape_text, link};
use super::{github, paint, BOLD, DIM};
use crate::stale::{Basis, StaleDoc};
use chrono::NaiveDate;
use serde::Serialize;

/// `kb stale --format json` (DESIGN §14).
#[derive(Debug, Serialize)]
pub struct StaleReport {
    pub schema_version: u32,
    pub as_of: NaiveDate,
    pub docs: Vec<StaleDoc>,
}

const NO_OWNER: &str = "(no owner)";

/// The docs by owner, owners in order of their most overdue doc.
fn by_owner(docs: &[StaleDoc]) -> Vec<(&str, Vec<&StaleDoc>)> {
    let mut groups: Vec<(&str, Vec<&StaleDoc>)> = Vec::new();
    for doc in docs {
        let owner = doc.owner.as_deref().unwrap_or(NO_OWNER);
        match groups.iter_mut().find(|(o, _)| *o == owner) {
            Some((_, group)) => group.push(doc),
            None => groups.push((owner, vec![doc])),
        }
    }
    groups
}

/// Why it is due, in words: `reviewed 2025-05-01, every 180 days`.
fn basis(doc: &StaleDoc) -> String {
    let since = match doc.basis {
        Basis::Reviewed => format!("reviewed {}", opt(doc.reviewed)),
        Basis::FrontMatter => format!("updated {}", opt(doc.updated)),
        Basis::Git => format!("last commit {}", opt(doc.updated)),
    };
    format!("{since}, every {} days", doc.review_every_days)
}

fn opt(date: Option<NaiveDate>) -> String {
    date.map_or("-".into(), |d| d.to_string())
}

fn days(n: i64) -> String {
    match n {
        1 => "1 day".into(),
        n => format!("{n} days"),
    }
}

pub fn text(report: &StaleReport) -> String {
    if report.docs.is_empty() {
        return format!("No doc is overdue for review as of {}.\n", report.as_of);
    }
    let mut out = format!(
        "{} overdue for review as of {}\n",
        match report.docs.len() {
            1 => "1 doc".to_string(),
            n => format!("{n} docs"),
        },
        report.as_of
    );
    for (owner, docs) in by_owner(&report.docs) {
        out.push_str(&format!("\n{} ({})\n", paint(BOLD, owner), docs.len()));
        for d in docs {
            out.push_str(&format!(
                "  {:>9} overdue  {}  {}\n            {}\n",
                days(d.days_overdue),
                d.path,
                d.title,
                paint(DIM, &basis(d))
            ));
        }
    }
    out.push_str("\nStill true? `kb stale confirm PATH` records today's review.\n");
    out
}

pub fn markdown(report: &StaleReport) -> String {
    if report.docs.is_empty() {
        return format!("No doc is overdue for review as of {}.\n", report.as_of);
    }
    let mut out = format!(
        "## Docs overdue for review ({}, as of {})\n",
        report.docs.len(),
        report.as_of
    );
    for (owner, docs) in by_owner(&report.docs) {
        out.push_str(&format!("\n### {}\n\n", escape_text(owner)));
        for d in docs {
            out.push_str(&format!(
                "- {} — {} overdue ({})\n",
                link(&d.title, &d.path),
                days(d.days_overdue),
                escape_text(&basis(d))
            ));
        }
    }
    out
}

pub fn github(report: &StaleReport) -> String {
    report
        .docs
        .iter()
        .map(|d| {
            let owner = d.owner.as_deref().unwrap_or(NO_OWNER);
            github::annotation(
                "warning",
                &d.path,
                1,
                "review overdue",
                &format!(
                    "{} overdue for review ({}); owner: {owner}. If it is still true: kb stale confirm {}",
                    days(d.days_overdue),
                    basis(d),
                    d.path
                ),
            )
        })
        .collect()
}

/// What `kb stale confirm` recorded.
#[derive(Debug, Serialize)]
pub struct Confirmed {
    pub schema_version: u32,
    pub reviewed: NaiveDate,
    pub docs: Vec<String>,
}

pub fn confirmed(c: &Confirmed) -> String {
    c.docs
        .iter()
        .map(|p| format!("Confirmed {p} as reviewed on {}\n", c.reviewed))
        .collect()
}
