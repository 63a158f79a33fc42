//! Live blocks (DESIGN §16): a block whose content is not what `kb render` would write, and a
//! marker kb cannot read (unknown kind or argument, an unclosed block), so CI keeps generated
//! pages true.

use super::{Code, Context, Finding, Rule};
use crate::blocks::{self, State};

pub const RULE: Rule = Rule {
    codes: &[BLOCK_OUT_OF_DATE, BLOCK_INVALID],
    run: blocks_rule,
};

pub const BLOCK_OUT_OF_DATE: Code = Code {
    code: "block-out-of-date",
    severity: super::Severity::Warning,
    summary: "a live block whose content is not what `kb render` would write now",
    hint: "run `kb render` and commit the result",
};

pub const BLOCK_INVALID: Code = Code {
    code: "block-invalid",
    severity: super::Severity::Error,
    summary: "a live block kb cannot render: unknown kind or argument, or a marker not closed",
    hint: "fix the marker: `<!-- kb:KIND key=value -->` ... `<!-- /kb -->`",
};

fn blocks_rule(ctx: &Context, out: &mut Vec<Finding>) {
    let with_blocks = ctx.docs.iter().filter(|d| d.has_blocks);
    if let (Some(contents), Some(_)) = (&ctx.blocks, with_blocks.clone().next()) {
        // The kinds list docs: give them the ones this check has read.
        contents.seed_docs(ctx.kb, ctx.docs.iter().map(|d| d.doc.clone()).collect());
    }
    for info in with_blocks {
        let path = &info.doc.path;
        let Some(text) = ctx.kb.read_doc_text(path) else {
            continue;
        };
        let states = match &ctx.blocks {
            Some(contents) => blocks::compare(ctx.kb, contents.as_ref(), path, &text).0,
            // Without the kinds, only the syntax can be checked.
            None => blocks::find(&text)
                .problems
                .into_iter()
                .map(|p| blocks::BlockState {
                    path: path.clone(),
                    line: p.line,
                    kind: String::new(),
                    state: State::Invalid,
                    message: Some(p.message),
                })
                .collect(),
        };
        for s in states {
            let key = format!("{}:{}", s.kind, s.line);
            match s.state {
                State::Invalid => {
                    out.push(BLOCK_INVALID.at(path, s.line, 1, s.message.unwrap_or_default(), key))
                }
                State::OutOfDate => out.push(
                    BLOCK_OUT_OF_DATE
                        .at(
                            path,
                            s.line,
                            1,
                            format!("block `{}` is out of date", s.kind),
                            key,
                        )
                        .with_hint(format!("run `kb render {path}` and commit the result")),
                ),
                State::UpToDate | State::Rendered => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::check::testing::{found, run};

    #[test]
    fn unclosed_markers_are_invalid() {
        let files = [
            ("a.md", "# A\n\n<!-- kb:ls type=rca -->\nstale\n"),
            ("b.md", "# B\n\n```\n<!-- kb:ls -->\n```\n"),
        ];
        assert_eq!(run(&RULE, &files), found(&[("block-invalid", "a.md:3")]));
    }
}
