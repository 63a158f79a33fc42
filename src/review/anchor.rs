//! Anchors: where in a doc a review thread points, captured when the thread starts and found
//! again at read time after the doc has been edited. Resolution tries, in order: the stored
//! offsets, the exact quote elsewhere (the occurrence whose context fits best), the quote with
//! whitespace ignored, the text between the stored prefix and suffix, a fuzzy match of quote and
//! context, the section heading; else the thread is orphaned. A fuzzy match needs a minimum
//! score: attaching a comment to the wrong sentence is worse than saying it lost its place.
//! Every step is linear in the doc's length or held to a budget ([`FUZZY_BUDGET`]): `kb review
//! list` and `kb check` resolve every open thread, so one long quote lost in a large doc must not
//! stall them.

use super::distance::Pattern;
use crate::doc::markdown;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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
        [] => Err(format!("the doc does not contain {}", shown(quote))),
        [start] => Ok(at(body, body_line, *start, *start + quote.len(), blob)),
        many => Err(format!(
            "{} appears {} times in the doc; quote more of the sentence to pick one",
            shown(quote),
            many.len()
        )),
    }
}

/// Characters of a quote a message repeats: a quote can be pages long, and a message that
/// echoes it whole buries what went wrong.
pub const SHOWN_CHARS: usize = 80;

/// `text` quoted for a message, cut to [`SHOWN_CHARS`] characters and `…`.
pub fn shown(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((i, _)) => format!("{:?}", format!("{}…", text[..i].trim_end())),
        None => format!("{text:?}"),
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

/// The quote with runs of whitespace matching any whitespace (a re-wrapped paragraph): one
/// substring search in the body with its whitespace runs collapsed, so a repetitive body costs
/// no more than any other.
fn find_ignoring_whitespace(body: &str, quote: &str) -> Option<(usize, usize)> {
    let quote = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    if quote.is_empty() {
        return None;
    }
    let (collapsed, origin) = collapse_whitespace(body);
    let at = collapsed.find(&quote)?;
    let end = at + quote.len();
    // The match ends with a word, so its last byte maps to a byte of the body.
    Some((origin[at], origin[end - 1] + 1))
}

/// `text` with each run of whitespace replaced by one space, and for each byte of the result
/// the offset of the byte of `text` it came from.
fn collapse_whitespace(text: &str) -> (String, Vec<usize>) {
    let mut collapsed = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if !in_space {
                collapsed.push(' ');
                origin.push(i);
            }
            in_space = true;
            continue;
        }
        in_space = false;
        collapsed.push(c);
        origin.extend(i..i + c.len_utf8());
    }
    (collapsed, origin)
}

/// The text between the stored prefix and suffix, when both still appear close together once.
/// The suffix's places are found once, so each place of the prefix costs a binary search; the
/// text between is compared with the quote only when their lengths allow a match.
fn between_context(anchor: &Anchor, body: &str) -> Option<(usize, usize)> {
    if anchor.prefix.chars().count() < CONTEXT_CHARS / 2
        || anchor.suffix.chars().count() < CONTEXT_CHARS / 2
    {
        return None;
    }
    let suffixes = overlapping_matches(body, &anchor.suffix);
    let quote = Pattern::new(&anchor.exact);
    let mut found = None;
    for (p, _) in body.match_indices(&anchor.prefix) {
        let start = p + anchor.prefix.len();
        let limit = floor_char_boundary(body, start + anchor.exact.len() * 2 + 64);
        let first = suffixes.partition_point(|&q| q < start);
        let Some(&end) = suffixes
            .get(first)
            .filter(|&&q| q + anchor.suffix.len() <= limit)
        else {
            continue;
        };
        if end > start && similarity_at_least(&quote, &body[start..end], FUZZY_THRESHOLD - 0.2) {
            if found.is_some() {
                return None;
            }
            found = Some((start, end));
        }
    }
    found
}

/// Every place `needle` starts in `haystack`, overlapping ones included.
fn overlapping_matches(haystack: &str, needle: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = haystack.get(from..).and_then(|rest| rest.find(needle)) {
        found.push(from + i);
        from += i + haystack[from + i..]
            .chars()
            .next()
            .map_or(1, char::len_utf8);
    }
    found
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Whether `text` scores at least `min` against the quote, as `strsim::normalized_levenshtein`
/// would score it; the lengths alone settle most misses before any distance is computed.
fn similarity_at_least(quote: &Pattern, text: &str, min: f64) -> bool {
    let chars = text.chars().count();
    let longest = quote.chars().max(chars);
    let score = |distance: usize| match longest {
        0 => 1.0,
        _ => 1.0 - distance as f64 / longest as f64,
    };
    score(quote.chars().abs_diff(chars)) >= min && score(quote.distance(text)) >= min
}

/// Word operations [`fuzzy`] may spend on one anchor, about 5 ms in a release build. Trying
/// every window costs the doc's length times the square of the quote's: a 2 KB quote lost in a
/// 1 MB doc would take an hour. Past the budget, the windows where the quote's words line up
/// are tried first, then those nearest the anchor's old place.
const FUZZY_BUDGET: usize = 2_000_000;

/// A window of the body scored against the quote.
#[derive(Clone, Copy)]
struct Candidate {
    score: f64,
    start: usize,
    /// Which of the window lengths: on a tie the earlier start, then the shorter, wins.
    length: usize,
    end: usize,
}

/// The best window of the body resembling the quote, scored on the quote (3/4) and its context
/// (1/4), if it reaches [`FUZZY_THRESHOLD`].
fn fuzzy(anchor: &Anchor, body: &str) -> Option<(usize, usize)> {
    let quote = Pattern::new(&anchor.exact);
    let quote_len = quote.chars();
    if quote_len < 8 {
        return None;
    }
    let starts = word_starts(body);
    let per_start = (quote_len * 6 / 5 + CONTEXT_CHARS) * quote.cost_per_char();
    let affordable = (FUZZY_BUDGET / per_start).max(1);
    let starts = match starts.len() <= affordable {
        true => starts,
        false => promising_starts(anchor, body, starts, affordable),
    };
    let mut best: Option<Candidate> = None;
    for s in starts {
        for candidate in windows_at(anchor, &quote, body, s, best.map(|b| b.score)) {
            if best.is_none_or(|b| beats(&candidate, &b)) {
                best = Some(candidate);
            }
        }
    }
    best.filter(|b| b.score >= FUZZY_THRESHOLD)
        .map(|b| (b.start, b.end))
}

fn beats(a: &Candidate, b: &Candidate) -> bool {
    a.score > b.score || (a.score == b.score && (a.start, a.length) < (b.start, b.length))
}

/// Offset 0 and every offset just after a whitespace character: where a window may start.
fn word_starts(body: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            body.char_indices()
                .filter(|(_, c)| c.is_whitespace())
                .map(|(i, c)| i + c.len_utf8()),
        )
        .collect()
}

/// The windows starting at `s` that may reach the threshold and beat `best`: the quote's length
/// give or take a fifth, each ending at a word boundary. One pass of the distance computation
/// scores all three.
fn windows_at(
    anchor: &Anchor,
    quote: &Pattern,
    body: &str,
    s: usize,
    best: Option<f64>,
) -> Vec<Candidate> {
    let quote_len = quote.chars();
    let ends = [quote_len * 4 / 5, quote_len, quote_len * 6 / 5].map(|len| {
        let end = body[s..]
            .char_indices()
            .nth(len)
            .map_or(body.len(), |(i, _)| s + i);
        snap_to_word_end(body, end)
    });
    let Some(&last) = ends.iter().max().filter(|&&e| e > s) else {
        return Vec::new();
    };
    let mut scored = [None; 3];
    quote.prefix_distances(&body[s..last], |bytes, chars, distance| {
        for (k, &end) in ends.iter().enumerate() {
            if end == s + bytes {
                let longest = quote_len.max(chars) as f64;
                scored[k] = Some(1.0 - distance as f64 / longest);
            }
        }
    });
    let mut out = Vec::new();
    for (length, (&end, text_score)) in ends.iter().zip(scored).enumerate() {
        let Some(text_score) = text_score.filter(|&t| t >= FUZZY_THRESHOLD - 0.1) else {
            continue;
        };
        // The context can add at most a quarter: skip what cannot reach the threshold or the
        // best so far before comparing contexts.
        let ceiling = 0.75 * text_score + 0.25 * 1.0;
        if ceiling < FUZZY_THRESHOLD || best.is_some_and(|b| ceiling < b) {
            continue;
        }
        let score = 0.75 * text_score + 0.25 * context_score(anchor, body, s, end);
        out.push(Candidate {
            score,
            start: s,
            length,
            end,
        });
    }
    out
}

/// Up to `n` of `starts`, those where most of the quote's words line up first (a word of the
/// quote at offset o, found in the body at p, votes for a window starting near p - o), then
/// those nearest the anchor's old offset, which searches its section before the rest.
fn promising_starts(anchor: &Anchor, body: &str, starts: Vec<usize>, n: usize) -> Vec<usize> {
    const BIN: usize = 32;
    let mut offsets: HashMap<&str, Vec<usize>> = HashMap::new();
    for (o, word) in words(&anchor.exact) {
        offsets.entry(word).or_default().push(o);
    }
    // A word repeated all over the quote says little about where it starts, and would cost a
    // vote per repetition for each of its places in the body.
    offsets.retain(|_, o| o.len() <= 8);
    let mut votes = vec![0u32; body.len() / BIN + 1];
    for (p, word) in words(body) {
        for &o in offsets.get(word).into_iter().flatten() {
            if let Some(start) = p.checked_sub(o) {
                votes[start / BIN] += 1;
            }
        }
    }
    let near = |s: usize| {
        let bin = s / BIN;
        votes[bin.saturating_sub(1)..(bin + 2).min(votes.len())]
            .iter()
            .sum::<u32>()
    };
    let mut ranked: Vec<(std::cmp::Reverse<u32>, usize, usize)> = starts
        .into_iter()
        .map(|s| (std::cmp::Reverse(near(s)), anchor.start.abs_diff(s), s))
        .collect();
    if ranked.len() > n {
        ranked.select_nth_unstable(n);
        ranked.truncate(n);
    }
    ranked.sort_unstable();
    ranked.into_iter().map(|(_, _, s)| s).collect()
}

/// The runs of letters and digits of `text`, with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = rest.find(|(_, c)| c.is_alphanumeric())?;
        let mut end = text.len();
        while let Some(&(i, c)) = rest.peek() {
            if !c.is_alphanumeric() {
                end = i;
                break;
            }
            rest.next();
        }
        Some((start, &text[start..end]))
    })
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

    /// A doc of about `size` bytes: sections of paragraphs of pseudo-random words.
    fn big_doc(size: usize) -> String {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut doc = String::from("# Big\n");
        while doc.len() < size {
            doc.push_str(&format!("\n## Part {}\n\n", doc.len()));
            for _ in 0..150 {
                let len = 2 + next() % 8;
                doc.extend((0..len).map(|_| (b'a' + (next() % 26) as u8) as char));
                doc.push(if next() % 12 == 0 { '\n' } else { ' ' });
            }
            doc.push_str(".\n");
        }
        doc
    }

    /// A quote of about 2 KB from the middle of `doc`, and its anchor.
    fn middle_quote(doc: &str) -> (String, Anchor) {
        let from = doc[doc.len() / 2..].find(' ').unwrap() + doc.len() / 2 + 1;
        let to = doc[from + 2000..].find(' ').unwrap() + from + 2000;
        let quote = doc[from..to].to_string();
        let anchor = capture(doc, 1, &quote, "b").unwrap();
        (quote, anchor)
    }

    /// Re-anchoring used to try every window with a quadratic distance: a 1.5 KB quote lost in
    /// a 160 KB doc took three minutes. A release build takes about 25 ms for this one.
    #[test]
    fn a_long_lost_quote_in_a_large_doc_gives_up_quickly() {
        let doc = big_doc(1_000_000);
        let (quote, anchor) = middle_quote(&doc);
        let lost = doc.replacen(&quote, "The paragraph was rewritten.", 1);
        let started = std::time::Instant::now();
        let located = resolve(&anchor, &lost, 1);
        let took = started.elapsed();
        assert_eq!(located.resolution, Resolution::Section);
        assert!(took.as_secs_f64() < 2.0, "took {took:?}");
    }

    /// Past the search budget, the windows where the quote's words line up are tried first: a
    /// long quote edited together with its context is still found in a large doc.
    #[test]
    fn a_long_edited_quote_in_a_large_doc_is_found() {
        let doc = big_doc(300_000);
        let (quote, anchor) = middle_quote(&doc);
        let mut edited_quote = quote.replacen(' ', "  x ", 3);
        edited_quote.insert_str(quote.len() / 2, " an inserted clause ");
        let edited = doc.replacen(
            &format!("{}{quote}", anchor.prefix),
            &format!("{}{edited_quote}", anchor.prefix.replacen(' ', " y ", 2)),
            1,
        );
        let located = resolve(&anchor, &edited, 1);
        assert_eq!(located.resolution, Resolution::Fuzzy);
        let (s, e) = located.range.unwrap();
        assert!(edited[s..e].contains("an inserted clause"));
    }

    #[test]
    fn whitespace_and_context_searches() {
        assert_eq!(
            find_ignoring_whitespace("x  a\n b\tc y", "a b c"),
            Some((3, 9))
        );
        assert_eq!(find_ignoring_whitespace("a bc", "a b c"), None);
        assert_eq!(find_ignoring_whitespace("é  ü", "é ü"), Some((0, 6)));
        assert_eq!(overlapping_matches("aaaa", "aa"), [0, 1, 2]);
        let anchor = Anchor {
            exact: "the middle part".into(),
            prefix: "0123456789abcdefghij".into(),
            suffix: "klmnopqrstuvwxyz9876".into(),
            ..Anchor::default()
        };
        let body = "0123456789abcdefghij the midle part klmnopqrstuvwxyz9876";
        let (s, e) = between_context(&anchor, body).unwrap();
        assert_eq!(&body[s..e], " the midle part ");
        let twice = format!("{body}\n{body}");
        assert_eq!(between_context(&anchor, &twice), None);
    }

    #[test]
    fn messages_cut_long_quotes() {
        assert_eq!(shown("a\nb"), "\"a\\nb\"");
        let long = "word ".repeat(20_000);
        let e = capture(DOC, 5, &format!("{long}end"), "").unwrap_err();
        assert!(e.len() < 200, "{e}");
        assert!(e.contains("word word…\""), "{e}");
    }

    #[test]
    fn line_ranges() {
        assert_eq!(line_range("a\nbb\n", 3, 4), Some((2, 4)));
        assert_eq!(line_range("a\n\nc", 1, 2), None);
        assert_eq!(line_range("a", 5, 2), None);
    }
}
