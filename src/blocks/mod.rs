//! Live blocks (DESIGN §16): generated Markdown between `<!-- kb:KIND args -->` and
//! `<!-- /kb -->` in a doc. This module owns the syntax (finding blocks outside code fences,
//! reading their arguments), comparing a block with what it should hold, and rewriting a doc in
//! place: under the KB's write lock, atomically, touching no byte outside the markers and
//! keeping the doc's line endings. What a block holds comes from a [`Contents`]: the kinds in
//! [`kinds`], which run other commands' cores and renderers, are given to it by the caller, so
//! `kb check` (core) can compare blocks without importing the renderers.

pub mod kinds;

use crate::error::{Error, Result};
use crate::kb::Kb;
use serde::Serialize;
use std::ops::Range;

/// What opens a block, before its kind.
pub const OPEN: &str = "<!-- kb:";
/// The line that closes a block.
pub const CLOSE: &str = "<!-- /kb -->";

/// One block in a doc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: String,
    /// `key=value` arguments in the order written (a key may repeat: `where=`).
    pub args: Vec<(String, String)>,
    /// 1-based line of the opening marker.
    pub line: usize,
    /// The bytes between the end of the opening marker's line and the start of the closing one.
    pub inner: Range<usize>,
    /// The opening marker's line ending, which generated lines take.
    pub crlf: bool,
}

impl Block {
    /// Every value given for `key`.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.args
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The last value given for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.all(key).last().copied()
    }

    /// What the block should hold once `markdown` is its content: a blank line, the Markdown,
    /// a blank line, in the doc's line endings, so the markers stay their own HTML blocks.
    pub fn expected(&self, markdown: &str) -> String {
        let eol = if self.crlf { "\r\n" } else { "\n" };
        let mut out = String::from(eol);
        for line in markdown.trim_end_matches(['\n', '\r']).lines() {
            out.push_str(line);
            out.push_str(eol);
        }
        if !markdown.trim().is_empty() {
            out.push_str(eol);
        }
        out
    }
}

/// A marker kb cannot read: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// The blocks of a doc and the markers that do not make one.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Found {
    pub blocks: Vec<Block>,
    pub problems: Vec<Problem>,
}

/// Whether `text` may hold a block at all: a cheap test before [`find`].
pub fn mentions(text: &[u8]) -> bool {
    memchr::memmem::find(text, OPEN.as_bytes()).is_some()
}

/// The blocks in a doc's text, outside front-matter and fenced code.
pub fn find(text: &str) -> Found {
    let mut found = Found::default();
    let mut fence: Option<(char, usize)> = None;
    let mut open: Option<Block> = None;
    let mut front_matter: Option<&str> = None;
    let mut offset = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let number = i + 1;
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if number == 1 && (line == "---" || line == "+++") {
            front_matter = Some(if line == "---" { "---" } else { "+++" });
            continue;
        }
        if let Some(marker) = front_matter {
            if line == marker || (marker == "---" && line == "...") {
                front_matter = None;
            }
            continue;
        }
        // Four spaces of indent make an indented code block, where a marker is an example.
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = match indent {
            0..=3 => line.trim(),
            _ => "",
        };
        if let Some(block) = &mut open {
            if trimmed == CLOSE {
                block.inner.end = start;
                found.blocks.extend(open.take());
            } else if trimmed.starts_with(OPEN) {
                found.problems.push(Problem {
                    line: block.line,
                    message: format!(
                        "block `{}` is not closed before the next block opens at line {number}",
                        block.kind
                    ),
                });
                open = None;
                start_block(trimmed, raw, number, offset, &mut open, &mut found);
            }
            continue;
        }
        if let Some(f) = fence_marker(line) {
            fence = match fence {
                None => Some((f.0, f.1)),
                Some((c, n)) if f.0 == c && f.1 >= n && f.2 => None,
                still => still,
            };
            continue;
        }
        if fence.is_some() {
            continue;
        }
        if trimmed == CLOSE {
            found.problems.push(Problem {
                line: number,
                message: format!("`{CLOSE}` closes no block"),
            });
        } else if trimmed.starts_with(OPEN) {
            start_block(trimmed, raw, number, offset, &mut open, &mut found);
        }
    }
    if let Some(block) = open {
        found.problems.push(Problem {
            line: block.line,
            message: format!(
                "block `{}` is never closed: end it with a line `{CLOSE}`",
                block.kind
            ),
        });
    }
    found.problems.sort_by_key(|p| p.line);
    found
}

/// Reads an opening marker line; a block it opens goes to `open`, a problem to `found`.
fn start_block(
    trimmed: &str,
    raw: &str,
    number: usize,
    end: usize,
    open: &mut Option<Block>,
    found: &mut Found,
) {
    let Some(inside) = trimmed
        .strip_prefix(OPEN)
        .and_then(|r| r.strip_suffix("-->"))
    else {
        found.problems.push(Problem {
            line: number,
            message: "a block's opening marker must end with `-->` on the same line".into(),
        });
        return;
    };
    let mut words = match split_args(inside) {
        Ok(words) => words.into_iter(),
        Err(message) => {
            found.problems.push(Problem {
                line: number,
                message,
            });
            return;
        }
    };
    let kind = words.next().unwrap_or_default();
    if kind.is_empty() {
        found.problems.push(Problem {
            line: number,
            message: "a block needs a kind: `<!-- kb:ls type=rca -->`".into(),
        });
        return;
    }
    let mut args = Vec::new();
    for word in words {
        match word.split_once('=') {
            Some((k, v)) if !k.is_empty() => args.push((k.to_string(), v.to_string())),
            _ => {
                found.problems.push(Problem {
                    line: number,
                    message: format!("block argument `{word}` is not KEY=VALUE"),
                });
                return;
            }
        }
    }
    *open = Some(Block {
        kind,
        args,
        line: number,
        inner: end..end,
        crlf: raw.ends_with("\r\n"),
    });
}

/// Words separated by spaces; `"..."` or `'...'` keep spaces inside one word.
fn split_args(text: &str) -> std::result::Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            (None, c) => word.push(c),
        }
    }
    if quote.is_some() {
        return Err("a block argument opens a quote it does not close".into());
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    Ok(words)
}

/// A fence line: its character, its length, and whether it could close a fence (nothing after).
fn fence_marker(line: &str) -> Option<(char, usize, bool)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let c = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = rest.chars().take_while(|x| *x == c).count();
    if n < 3 {
        return None;
    }
    let info = &rest[n..];
    // A backtick fence's info string may not hold a backtick.
    if c == '`' && info.contains('`') {
        return None;
    }
    Some((c, n, info.trim().is_empty()))
}

/// What a block should hold: the Markdown of one block in the doc at `doc` (KB-relative), its
/// links relative to that doc. An `Err` is a message saying why the block is invalid.
pub trait Contents: std::fmt::Debug + Send + Sync {
    fn markdown(&self, kb: &Kb, doc: &str, block: &Block) -> std::result::Result<String, String>;

    /// Hands over every doc of the KB, already read (by `kb check`), so filling blocks does
    /// not read them all again. Ignored once the docs are loaded.
    fn seed_docs(&self, _kb: &Kb, _docs: Vec<crate::doc::Document>) {}
}

/// One block as compared or rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockState {
    pub path: String,
    pub line: usize,
    pub kind: String,
    pub state: State,
    /// Why the block is invalid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    UpToDate,
    OutOfDate,
    /// Out of date, and rewritten by this run.
    Rendered,
    Invalid,
}

/// Each block of the doc `text` at `doc` compared with what it should hold, with the text the
/// doc would have once its out-of-date blocks are regenerated (`None` when none is).
pub fn compare(
    kb: &Kb,
    contents: &dyn Contents,
    doc: &str,
    text: &str,
) -> (Vec<BlockState>, Option<String>) {
    let found = find(text);
    let mut states: Vec<BlockState> = found
        .problems
        .into_iter()
        .map(|p| BlockState {
            path: doc.to_string(),
            line: p.line,
            kind: String::new(),
            state: State::Invalid,
            message: Some(p.message),
        })
        .collect();
    let mut replacements: Vec<(Range<usize>, String)> = Vec::new();
    for block in &found.blocks {
        let (state, message) = match contents.markdown(kb, doc, block) {
            Err(message) => (State::Invalid, Some(message)),
            Ok(markdown) => {
                let expected = block.expected(&markdown);
                match text.get(block.inner.clone()) == Some(expected.as_str()) {
                    true => (State::UpToDate, None),
                    false => {
                        replacements.push((block.inner.clone(), expected));
                        (State::OutOfDate, None)
                    }
                }
            }
        };
        states.push(BlockState {
            path: doc.to_string(),
            line: block.line,
            kind: block.kind.clone(),
            state,
            message,
        });
    }
    states.sort_by_key(|s| s.line);
    if replacements.is_empty() {
        return (states, None);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, content) in replacements {
        out.push_str(&text[at..range.start]);
        out.push_str(&content);
        at = range.end;
    }
    out.push_str(&text[at..]);
    (states, Some(out))
}

/// Regenerates the out-of-date blocks of the doc at `doc` in place: the doc is read and written
/// under the KB's write lock, so an edit landing meanwhile is never lost, and written (atomically)
/// only when a block changes. Returns each block's state; out-of-date blocks come back
/// [`State::Rendered`].
pub fn render_doc(kb: &Kb, contents: &dyn Contents, doc: &str) -> Result<Vec<BlockState>> {
    let _lock = crate::fsutil::lock(&kb.root)?;
    let bytes = kb.read_doc_bytes(doc).map_err(Error::Doc)?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(Vec::new());
    };
    let (mut states, new_text) = compare(kb, contents, doc, &text);
    if let Some(new_text) = new_text {
        crate::fsutil::replace(&kb.root, doc, new_text.as_bytes())?;
        for s in &mut states {
            if s.state == State::OutOfDate {
                s.state = State::Rendered;
            }
        }
    }
    Ok(states)
}

/// The docs of the KB (among `only`, when given) that may hold blocks, sorted.
pub fn docs_with_blocks(kb: &Kb, only: Option<&std::collections::HashSet<String>>) -> Vec<String> {
    let (found, _) = kb.walk_with(|rel| {
        if only.is_some_and(|o| !o.contains(rel)) {
            return false;
        }
        kb.read_doc_bytes(rel).is_ok_and(|b| mentions(&b))
    });
    found
        .into_iter()
        .filter(|(_, has)| *has)
        .map(|(p, _)| p)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_their_arguments() {
        let text = "---\ntitle: A\n---\n# A\n<!-- kb:ls type=rca sort=-created where='title~a b' -->\nold\n<!-- /kb -->\nafter\n";
        let found = find(text);
        assert!(found.problems.is_empty(), "{:?}", found.problems);
        let b = &found.blocks[0];
        assert_eq!(b.kind, "ls");
        assert_eq!(b.line, 5);
        assert_eq!(b.get("where"), Some("title~a b"));
        assert_eq!(b.get("sort"), Some("-created"));
        assert_eq!(&text[b.inner.clone()], "old\n");
    }

    #[test]
    fn fences_hide_markers() {
        let text = "```md\n<!-- kb:ls -->\n<!-- /kb -->\n```\n~~~\n<!-- kb:ls -->\n~~~\n\n    <!-- kb:ls -->\n";
        assert_eq!(find(text), Found::default());
    }

    #[test]
    fn unclosed_and_stray_markers_are_problems() {
        let found = find("a\n<!-- /kb -->\n<!-- kb:ls -->\nx\n<!-- kb:goals -->\n");
        let lines: Vec<usize> = found.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 5]);
        assert!(found.problems[1].message.contains("not closed"));
        assert!(found.problems[2].message.contains("never closed"));
    }

    #[test]
    fn expected_content_keeps_line_endings() {
        let found = find("<!-- kb:ls -->\r\n<!-- /kb -->\r\n");
        assert_eq!(found.blocks[0].expected("a\nb\n"), "\r\na\r\nb\r\n\r\n");
    }
}
