//! Review rules: event files that cannot be read, and open threads whose quoted text is gone.

use super::{finding, Context, Finding, Rule, Severity};
use crate::review::{self, anchor, ThreadState};

pub const REVIEWS: Rule = Rule {
    code: "review-malformed",
    severity: Severity::Error,
    summary: "review event files that cannot be read; open threads whose anchor is orphaned",
    run: reviews,
};

fn reviews(ctx: &Context, out: &mut Vec<Finding>) {
    let reviews = &ctx.reviews;
    for p in &reviews.problems {
        out.push(finding(
            "review-malformed",
            &p.path,
            1,
            1,
            p.message.clone(),
            "fix or delete this review event file",
            String::new(),
        ));
    }
    for t in reviews
        .threads
        .iter()
        .filter(|t| t.state == ThreadState::Open && t.verdict.is_none())
    {
        let Some(a) = &t.anchor else { continue };
        let orphaned = match ctx.by_path.get(&t.doc) {
            None => true,
            Some(&i) => {
                let d = &ctx.docs[i];
                let body = d.body.as_deref().unwrap_or_default();
                anchor::resolve(a, body, d.doc.body_line).resolution == anchor::Resolution::Orphaned
            }
        };
        if orphaned {
            out.push(finding(
                "review-orphaned",
                &t.doc,
                1,
                1,
                format!(
                    "open review thread {} lost its place: {:?} is no longer in the doc",
                    review::short(&t.id),
                    a.exact
                ),
                &format!(
                    "`kb review reanchor {} --quote ...` or resolve it",
                    review::short(&t.id)
                ),
                t.id.clone(),
            ));
        }
    }
}
