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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::check::testing::{found, run};

    #[test]
    fn malformed_events_and_orphaned_threads() {
        let event = |id: &str, action: &str, anchor: &str| {
            format!("---\nid: {id}\nthread: {id}\nauthor: dana\ncreated: 2026-11-20T10:00:00Z\naction: {action}\ndoc: a.md\n{anchor}---\nText\n")
        };
        let gone = event(
            "01JAAAAAAAAAAAAAAAAAAAAAAA",
            "comment",
            "anchor: {exact: \"a sentence deleted long ago\", start: 0, end: 27, section: \"Gone\", line: 9}\n",
        );
        let here = event(
            "01JCCCCCCCCCCCCCCCCCCCCCCC",
            "comment",
            "anchor: {exact: \"still here\", start: 0, end: 10, section: \"A\", line: 5}\n",
        );
        let bad = event("01JBBBBBBBBBBBBBBBBBBBBBBB", "shout", "");
        let dir = ".kb/reviews/a";
        let files = [
            (
                "a.md",
                "---\ntitle: A\n---\n# A\n\nThis is still here.\n".to_string(),
            ),
            (
                &format!("{dir}/01JAAAAAAAAAAAAAAAAAAAAAAA/01JAAAAAAAAAAAAAAAAAAAAAAA.md") as &str,
                gone,
            ),
            (
                &format!("{dir}/01JCCCCCCCCCCCCCCCCCCCCCCC/01JCCCCCCCCCCCCCCCCCCCCCCC.md"),
                here,
            ),
            (
                &format!("{dir}/01JBBBBBBBBBBBBBBBBBBBBBBB/01JBBBBBBBBBBBBBBBBBBBBBBB.md"),
                bad,
            ),
        ];
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        assert_eq!(
            run(&RULE, &files),
            found(&[
                (
                    "review-malformed",
                    ".kb/reviews/a/01JBBBBBBBBBBBBBBBBBBBBBBB/01JBBBBBBBBBBBBBBBBBBBBBBB.md:1"
                ),
                ("review-orphaned", "a.md:1"),
            ])
        );
    }
}
