//! What `kb render` prints: each block it rendered (or, with `--check`, found out of date),
//! then a one-line summary.

use crate::blocks::{BlockState, State};
use serde::Serialize;

/// `kb render --format json`.
#[derive(Debug, Serialize)]
pub struct Rendered {
    pub schema_version: u32,
    /// Whether this was `--check` (nothing written).
    pub check: bool,
    pub blocks: Vec<BlockState>,
}

impl Rendered {
    fn count(&self, state: State) -> usize {
        self.blocks.iter().filter(|b| b.state == state).count()
    }
}

fn blocks(n: usize) -> String {
    match n {
        1 => "1 block".into(),
        n => format!("{n} blocks"),
    }
}

pub fn text(r: &Rendered) -> String {
    let mut out = String::new();
    for b in &r.blocks {
        match b.state {
            State::OutOfDate => out.push_str(&format!(
                "{}:{}: block `{}` is out of date\n",
                b.path, b.line, b.kind
            )),
            State::Rendered => {
                out.push_str(&format!("rendered {}:{} ({})\n", b.path, b.line, b.kind))
            }
            State::UpToDate | State::Invalid => {}
        }
    }
    let invalid = r.count(State::Invalid);
    let invalid = match invalid {
        0 => String::new(),
        n => format!(", {} invalid", blocks(n)),
    };
    let valid = r.blocks.len() - r.count(State::Invalid);
    let summary = match (r.check, r.count(State::OutOfDate), r.count(State::Rendered)) {
        _ if r.blocks.is_empty() => {
            "No live blocks: a doc holds one as `<!-- kb:ls type=rca -->` ... `<!-- /kb -->`.\n"
                .to_string()
        }
        (_, 0, 0) => format!("{} up to date{invalid}\n", blocks(valid)),
        (true, n, _) => format!(
            "{} of {} out of date{invalid}: run `kb render` and commit the result\n",
            blocks(n),
            valid
        ),
        (false, _, n) => format!("rendered {} of {}{invalid}\n", blocks(n), valid),
    };
    out.push_str(&summary);
    out
}
