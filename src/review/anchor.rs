//! Anchors: where in a doc a review thread points, captured when the thread starts and found
//! again at read time after the doc has been edited. Resolution tries, in order: the stored
//! offsets, the exact quote elsewhere (the occurrence whose context fits best), the quote with
//! whitespace ignored, the text between the stored prefix and suffix, a fuzzy match of quote and
//! context, the section heading; else the thread is orphaned. A fuzzy match needs a minimum
//! score: attaching a comment to the wrong sentence is worse than saying it lost its place.

use crate::doc::markdown;
use serde::{Deserialize, Serialize};

/// Characters of context kept on each side of the quote.
pub const CONTEXT_CHARS: usize = 32;
/// Minimum fuzzy score (0-1) to re-attach a quote that no longer appears as written; tuned on
/// the fixture edits in this file's tests (typo fixes pass at >= 0.9, a similar but different
/// sentence elsewhere scores <= 0.7).
pub const FUZZY_THRESHOLD: f64 = 0.8;

/// What a thread's first event stores about its place in the doc.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Anchor {
    pub exact: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
    /// Byte offsets in the body (the text after the front-matter).
    #[serde(default)]
    pub start: usize,
    #[serde(default)]
    pub end: usize,
    #[serde(default)]
    pub section: String,
    /// 1-based line of the file.
    #[serde(default)]
    pub line: usize,
    /// The doc's git blob id when the anchor was taken.
    #[serde(default)]
    pub blob: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Resolution {
    Exact,
    Moved,
    Fuzzy,
    Section,
    Orphaned,
}

/// Where an anchor is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub resolution: Resolution,
    /// Byte range in the body, when the text itself was found.
    pub range: Option<(usize, usize)>,
    /// 1-based line of the file (of the section heading for `Section`).
    pub line: Option<usize>,
}

/// Captures an anchor for `quote` in `body` (whose first line is `body_line` of the file). The
/// quote must appear exactly once; otherwise the error says how to pick it.
pub fn capture(body: &str, body_line: usize, quote: &str, blob: &str) -> Result<Anchor, String> {
    let quote = quote.trim();
    if quote.is_empty() {
        return Err("the quote is empty".into());
    }
    let found: Vec<usize> = body.match_indices(quote).map(|(i, _)| i).collect();
    match found.as_slice() {
        [] => Err(format!("the doc does not contain {quote:?}")),
        [start] => Ok(at(body, body_line, *start, *start + quote.len(), blob)),
        many => Err(format!(
            "{quote:?} appears {} times in the doc; quote more of the sentence to pick one",
            many.len()
        )),
    }
}

/// An anchor on the byte range `start..end` of `body`.
pub fn at(body: &str, body_line: usize, start: usize, end: usize, blob: &str) -> Anchor {
    Anchor {
        exact: body[start..end].to_string(),
        prefix: tail_chars(&body[..start], CONTEXT_CHARS).to_string(),
        suffix: head_chars(&body[end..], CONTEXT_CHARS).to_string(),
        start,
        end,
        section: section_at(body, body_line, start).unwrap_or_default(),
        line: body_line + body[..start].matches('\n').count(),
        blob: blob.to_string(),
    }
}

/// The byte range of 1-based file line `line` of the body (without its newline).
pub fn line_range(body: &str, body_line: usize, line: usize) -> Option<(usize, usize)> {
    let index = line.checked_sub(body_line)?;
    let mut start = 0;
    for (i, l) in body.split_inclusive('\n').enumerate() {
        if i == index {
            let text = l.trim_end_matches(['\n', '\r']);
            return (!text.trim().is_empty()).then_some((start, start + text.len()));
        }
        start += l.len();
    }
    None
}

/// Finds `anchor` in the current `body`.
pub fn resolve(anchor: &Anchor, body: &str, body_line: usize) -> Located {
    let line_of =
        |start: usize| Some(body_line + body[..start.min(body.len())].matches('\n').count());
    let found = |resolution, start: usize, end: usize| Located {
        resolution,
        range: Some((start, end)),
        line: line_of(start),
    };
    let exact = anchor.exact.as_str();
    if exact.is_empty() {
        return section_or_orphan(anchor, body, body_line);
    }
    if body.get(anchor.start..anchor.end) == Some(exact) {
        return found(Resolution::Exact, anchor.start, anchor.end);
    }
    let occurrences: Vec<usize> = body.match_indices(exact).map(|(i, _)| i).collect();
    if let Some(&best) = occurrences.iter().max_by(|&&a, &&b| {
        let (ca, cb) = (
            context_score(anchor, body, a, a + exact.len()),
            context_score(anchor, body, b, b + exact.len()),
        );
        ca.total_cmp(&cb)
            .then_with(|| anchor.start.abs_diff(b).cmp(&anchor.start.abs_diff(a)))
    }) {
        return found(Resolution::Moved, best, best + exact.len());
    }
    if let Some((s, e)) = find_ignoring_whitespace(body, exact) {
        return found(Resolution::Moved, s, e);
    }
    if let Some((s, e)) = between_context(anchor, body) {
        return found(Resolution::Fuzzy, s, e);
    }
    if let Some((s, e)) = fuzzy(anchor, body) {
        return found(Resolution::Fuzzy, s, e);
    }
    section_or_orphan(anchor, body, body_line)
}

fn section_or_orphan(anchor: &Anchor, body: &str, body_line: usize) -> Located {
    if !anchor.section.is_empty() {
        if let Some(h) = markdown::outline(body, body_line)
            .headings
            .into_iter()
            .find(|h| h.text == anchor.section)
        {
            return Located {
                resolution: Resolution::Section,
                range: None,
                line: Some(h.line),
            };
        }
    }
    Located {
        resolution: Resolution::Orphaned,
        range: None,
        line: None,
    }
}

fn section_at(body: &str, body_line: usize, offset: usize) -> Option<String> {
    let line = body_line + body[..offset].matches('\n').count();
    markdown::outline(body, body_line)
        .headings
        .into_iter()
        .rfind(|h| h.line <= line)
        .map(|h| h.text)
}

fn tail_chars(text: &str, n: usize) -> &str {
    let start = text
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &text[start..]
}

fn head_chars(text: &str, n: usize) -> &str {
    let end = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

/// How well the text around `start..end` matches the stored prefix and suffix, 0 to 1.
fn context_score(anchor: &Anchor, body: &str, start: usize, end: usize) -> f64 {
    let before = tail_chars(&body[..start], CONTEXT_CHARS);
    let after = head_chars(&body[end..], CONTEXT_CHARS);
    let score = |a: &str, b: &str| match a.is_empty() && b.is_empty() {
        true => 1.0,
        false => strsim::normalized_levenshtein(a, b),
    };
    (score(&anchor.prefix, before) + score(&anchor.suffix, after)) / 2.0
}

/// The quote with runs of whitespace matching any whitespace (a re-wrapped paragraph).
fn find_ignoring_whitespace(body: &str, quote: &str) -> Option<(usize, usize)> {
    let words: Vec<&str> = quote.split_whitespace().collect();
    let first = *words.first()?;
    for (start, _) in body.match_indices(first) {
        let mut at = start + first.len();
        let mut ok = true;
        for w in &words[1..] {
            let rest = &body[at..];
            let trimmed = rest.trim_start();
            if trimmed.len() == rest.len() || !trimmed.starts_with(w) {
                ok = false;
                break;
            }
            at += rest.len() - trimmed.len() + w.len();
        }
        if ok {
            return Some((start, at));
        }
    }
    None
}

/// The text between the stored prefix and suffix, when both still appear close together once.
fn between_context(anchor: &Anchor, body: &str) -> Option<(usize, usize)> {
    if anchor.prefix.chars().count() < CONTEXT_CHARS / 2
        || anchor.suffix.chars().count() < CONTEXT_CHARS / 2
    {
        return None;
    }
    let mut found = None;
    for (p, _) in body.match_indices(&anchor.prefix) {
        let start = p + anchor.prefix.len();
        let limit = (start + anchor.exact.len() * 2 + 64).min(body.len());
        let window = body.get(start..limit)?;
        if let Some(offset) = window.find(&anchor.suffix) {
            let end = start + offset;
            let similar = strsim::normalized_levenshtein(&anchor.exact, &body[start..end]);
            if end > start && similar >= FUZZY_THRESHOLD - 0.2 {
                if found.is_some() {
                    return None;
                }
                found = Some((start, end));
            }
        }
    }
    found
}

/// The best window of the body resembling the quote, scored on the quote (3/4) and its context
/// (1/4), if it reaches [`FUZZY_THRESHOLD`].
fn fuzzy(anchor: &Anchor, body: &str) -> Option<(usize, usize)> {
    let quote_len = anchor.exact.chars().count();
    if quote_len < 8 {
        return None;
    }
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            body.char_indices()
                .filter(|(_, c)| c.is_whitespace())
                .map(|(i, c)| i + c.len_utf8()),
        )
        .collect();
    let mut best: Option<(f64, usize, usize)> = None;
    for &s in &starts {
        // Windows of the quote's length, give or take a fifth, ending at a word boundary.
        for len in [quote_len * 4 / 5, quote_len, quote_len * 6 / 5] {
            let end = body[s..]
                .char_indices()
                .nth(len)
                .map_or(body.len(), |(i, _)| s + i);
            let end = snap_to_word_end(body, end);
            if end <= s {
                continue;
            }
            let text_score = strsim::normalized_levenshtein(&anchor.exact, &body[s..end]);
            if text_score < FUZZY_THRESHOLD - 0.1 {
                continue;
            }
            let score = 0.75 * text_score + 0.25 * context_score(anchor, body, s, end);
            if best.is_none_or(|(b, _, _)| score > b) {
                best = Some((score, s, end));
            }
        }
    }
    best.filter(|(score, _, _)| *score >= FUZZY_THRESHOLD)
        .map(|(_, s, e)| (s, e))
}

fn snap_to_word_end(body: &str, end: usize) -> usize {
    let rest = &body[end..];
    let extra = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    let end = end + extra;
    let text = &body[..end];
    text.trim_end_matches(|c: char| c.is_whitespace()).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# Checkout redesign\n\n## Rollout\n\nWe will switch every merchant over in a single weekend, after the freeze lifts.\nSupport will be on call for the whole weekend.\n\n## Risks\n\nThe old checkout keeps running for two weeks in case we need to roll back.\n";
    const QUOTE: &str = "switch every merchant over in a single weekend";

    fn anchor() -> Anchor {
        capture(DOC, 5, QUOTE, "b").unwrap()
    }

    fn resolve_in(edited: &str) -> (Resolution, Option<String>) {
        let located = resolve(&anchor(), edited, 5);
        (
            located.resolution,
            located.range.map(|(s, e)| edited[s..e].to_string()),
        )
    }

    #[test]
    fn capture_records_context_section_and_line() {
        let a = anchor();
        assert_eq!(a.exact, QUOTE);
        assert_eq!(a.section, "Rollout");
        assert_eq!(a.line, 9);
        assert_eq!(a.prefix, "t redesign\n\n## Rollout\n\nWe will ");
        assert_eq!(a.suffix.chars().count(), CONTEXT_CHARS);
        assert!(capture(DOC, 5, "not in the doc", "")
            .unwrap_err()
            .contains("does not contain"));
        assert!(capture(DOC, 5, "weekend", "")
            .unwrap_err()
            .contains("appears 2 times"));
    }

    /// The fixture edits the fuzzy threshold was tuned on, and what each must resolve to.
    #[test]
    fn anchoring_through_edits() {
        // Unchanged.
        assert_eq!(resolve_in(DOC), (Resolution::Exact, Some(QUOTE.into())));
        // A paragraph inserted above: the quote moved.
        let inserted = DOC.replace(
            "## Rollout\n",
            "## Rollout\n\nA new paragraph about timing.\n",
        );
        assert_eq!(
            resolve_in(&inserted),
            (Resolution::Moved, Some(QUOTE.into()))
        );
        // The quote's paragraph moved to another section.
        let moved = "# Checkout redesign\n\n## Risks\n\nThe old checkout keeps running for two weeks in case we need to roll back.\n\n## Rollout\n\nWe will switch every merchant over in a single weekend, after the freeze lifts.\n";
        assert_eq!(resolve_in(moved), (Resolution::Moved, Some(QUOTE.into())));
        // The paragraph re-wrapped.
        let wrapped = DOC.replace("over in a single", "over\nin a single");
        assert_eq!(resolve_in(&wrapped).0, Resolution::Moved);
        // A typo fixed inside the quote.
        let typo = DOC.replace("every merchant", "every single merchant");
        let (res, text) = resolve_in(&typo);
        assert_eq!(res, Resolution::Fuzzy);
        assert!(text.unwrap().contains("single merchant"));
        // The sentence reworded: the words changed enough that only the section is certain.
        let reworded = DOC.replace(
            "We will switch every merchant over in a single weekend, after the freeze lifts.",
            "Merchants move in three waves over a month, starting after the freeze.",
        );
        assert_eq!(resolve_in(&reworded).0, Resolution::Section);
        // The quote deleted while a similar but different sentence remains elsewhere: never
        // attach to it.
        let decoy = "# Checkout redesign\n\n## Plan\n\nWe will not switch every merchant in a single week.\n";
        assert_eq!(resolve_in(decoy).0, Resolution::Orphaned);
        // The quote and its section deleted.
        assert_eq!(
            resolve_in("# Checkout redesign\n\nNothing left.\n").0,
            Resolution::Orphaned
        );
    }

    #[test]
    fn line_ranges() {
        assert_eq!(line_range("a\nbb\n", 3, 4), Some((2, 4)));
        assert_eq!(line_range("a\n\nc", 1, 2), None);
        assert_eq!(line_range("a", 5, 2), None);
    }
}
