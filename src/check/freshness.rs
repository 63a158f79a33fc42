//! Freshness: docs overdue for their owner's review (the same facts as `kb stale`), so CI can
//! fail on them.

use super::{Code, Context, Finding, Rule, Severity};
use crate::stale;

pub const RULE: Rule = Rule {
    codes: &[REVIEW_OVERDUE],
    run: review_overdue,
};

pub const REVIEW_OVERDUE: Code = Code {
    code: "review-overdue",
    severity: Severity::Warning,
    summary: "a doc past its review date (review_every, or its type's freshness in kb.yaml)",
    hint: "if it is still true, `kb stale confirm PATH`; else update it",
};

fn review_overdue(ctx: &Context, out: &mut Vec<Finding>) {
    let freshness = &ctx.kb.config.freshness;
    let docs: Vec<&crate::doc::Document> = ctx.docs.iter().map(|d| &d.doc).collect();
    // Reading git's history costs a walk: only when some doc can be due at all.
    if !stale::in_use(&docs, freshness) {
        return;
    }
    let paths: Vec<&str> = docs.iter().map(|d| d.path.as_str()).collect();
    let history = crate::history::load(ctx.kb, &paths);
    let today = ctx.kb.config.today;
    for info in &ctx.docs {
        let doc = &info.doc;
        let Some(due) = stale::status(doc, history.get(&doc.path), freshness, today) else {
            continue;
        };
        if due.days_overdue <= 0 {
            continue;
        }
        // The line of the date it counts from, else of the interval.
        let dated: &[&str] = match due.basis {
            stale::Basis::Reviewed => &stale::REVIEWED,
            stale::Basis::FrontMatter => &["updated", "lastmod"],
            stale::Basis::Git => &[],
        };
        let line = dated
            .iter()
            .chain(&stale::REVIEW_EVERY)
            .find_map(|k| info.line_of(k))
            .unwrap_or(1);
        let since = match due.basis {
            stale::Basis::Reviewed => "last reviewed",
            stale::Basis::FrontMatter => "updated",
            stale::Basis::Git => "last changed",
        };
        let date = due
            .reviewed
            .or(due.updated)
            .map_or("-".into(), |d| d.to_string());
        out.push(
            REVIEW_OVERDUE
                .at(
                    &doc.path,
                    line,
                    1,
                    format!(
                        "review overdue by {} days: {since} {date}, due every {} days",
                        due.days_overdue, due.review_every_days
                    ),
                    doc.path.clone(),
                )
                .with_hint(format!(
                    "if it is still true, `kb stale confirm {}`; else update it",
                    doc.path
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::check::testing::{found, run};

    #[test]
    fn a_doc_past_its_own_interval_is_overdue() {
        let files = [
            (
                "a.md",
                "---\ntitle: A\nreviewed: 2026-01-01\nreview_every: 90d\n---\nText\n",
            ),
            (
                "b.md",
                "---\ntitle: B\nreviewed: 2026-11-01\nreview_every: 90d\n---\nText\n",
            ),
        ];
        assert_eq!(run(&RULE, &files), found(&[("review-overdue", "a.md:3")]));
    }
}
