//! Review rules: event files that cannot be read, and open threads whose quoted text is gone.

use super::{Code, Context, Finding, Rule, Severity};
use crate::review::{self, anchor, ThreadState};

pub const RULE: Rule = Rule {
    codes: &[REVIEW_MALFORMED, REVIEW_ORPHANED],
    run: reviews,
};

pub const REVIEW_MALFORMED: Code = Code {
    code: "review-malformed",
    severity: Severity::Error,
    summary: "a review event file that cannot be read",
    hint: "fix or delete this review event file",
};
pub const REVIEW_ORPHANED: Code = Code {
    code: "review-orphaned",
    severity: Severity::Warning,
    summary: "an open review thread whose quoted text is gone",
    hint: "`kb review reanchor THREAD --quote ...` or resolve it",
};

fn reviews(ctx: &Context, out: &mut Vec<Finding>) {
    let reviews = &ctx.reviews;
    for p in &reviews.problems {
        out.push(REVIEW_MALFORMED.at(&p.path, 1, 1, p.message.clone(), String::new()));
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
            out.push(
                REVIEW_ORPHANED
                    .at(
                        &t.doc,
                        1,
                        1,
                        format!(
                            "open review thread {} lost its place: {:?} is no longer in the doc",
                            review::short(&t.id),
                            a.exact
                        ),
                        t.id.clone(),
                    )
                    .with_hint(format!(
                        "`kb review reanchor {} --quote ...` or resolve it",
                        review::short(&t.id)
                    )),
            );
        }
    }
}
