//! `--compare REV`: each goal's score as it was at an earlier git revision.

use super::rollup::{self, Report, Selection, Settings};
use super::{checkin_from_doc, goal_from_doc, GoalData};
use crate::error::Result;
use crate::git;
use crate::kb::Kb;

/// Sets each goal's `previous_score`: its score from the goal and check-in files at `rev`,
/// rolled up at the same as-of date with the same selection.
pub fn previous_scores(
    kb: &Kb,
    rev: &str,
    settings: &Settings,
    selection: &Selection,
    report: &mut Report,
) -> Result<()> {
    let folders: Vec<String> = ["goal", "checkin"]
        .iter()
        .filter_map(|t| kb.config.schema.get(t).map(|t| t.folder.clone()))
        .collect();
    let docs = git::docs_at(kb, rev, &folders)?;
    let fiscal = kb.config.goals.fiscal_year_start;
    let mut old = GoalData::default();
    for doc in &docs {
        match doc.doc_type.as_deref() {
            Some("goal") => old.goals.extend(goal_from_doc(doc, fiscal).ok()),
            Some("checkin") => old.checkins.extend(checkin_from_doc(doc).ok()),
            _ => {}
        }
    }
    let before = rollup::rollup(&old.goals, &old.checkins, settings, selection);
    for g in &mut report.goals {
        // A goal that did not exist then has no previous score, not a zero one.
        g.previous_score = before.goals.iter().find(|b| b.id == g.id).map(|b| b.score);
    }
    Ok(())
}
