//! The Markdown side of a document: its headings (with GitHub-style anchors) and its links, each
//! with the line it is on. This file holds the one set of pulldown-cmark options, so every command
//! sees the same structure.

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::HashMap;

/// The Markdown dialect kb reads: GitHub's, plus `{#id}` heading attributes and `[[wiki]]` links.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    /// The fragment a link uses to reach it: an explicit `{#id}`, else GitHub's slug.
    pub anchor: String,
    /// 1-based line of the file.
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// `[text](target)`, also reference-style and autolinks.
    Markdown,
    /// `[[target]]` or `[[target|text]]`.
    Wiki,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Link {
    pub kind: LinkKind,
    pub target: String,
    /// 1-based line of the file.
    pub line: usize,
    /// 1-based column (in characters) where the link starts.
    pub column: usize,
}

/// What later commands need of a body: headings and links.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
}

/// Reads the headings and links of `body`, whose first line is line `first_line` of the file.
pub fn outline(body: &str, first_line: usize) -> Outline {
    let lines = LineIndex::new(body, first_line);
    let mut out = Outline::default();
    let mut seen_anchors: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<(u8, Option<String>, usize, String)> = None;

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let id = id.map(|id| id.to_string());
                heading = Some((
                    level_number(level),
                    id,
                    lines.line_of(range.start),
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, line, text)) = heading.take() {
                    let text = text.trim().to_string();
                    let anchor = id.unwrap_or_else(|| unique_anchor(&text, &mut seen_anchors));
                    out.headings.push(Heading {
                        level,
                        text,
                        anchor,
                        line,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, _, text)) = heading.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let kind = match link_type {
                    LinkType::WikiLink { .. } => LinkKind::Wiki,
                    _ => LinkKind::Markdown,
                };
                out.links.push(Link {
                    kind,
                    target: dest_url.to_string(),
                    line: lines.line_of(range.start),
                    column: lines.column_of(body, range.start),
                });
            }
            _ => {}
        }
    }
    out
}

/// Where a link's destination is written in a body: what `kb mv` rewrites, byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSite {
    pub kind: LinkKind,
    /// The destination as the parser read it (backslash escapes resolved), as in [`Link`].
    pub target: String,
    /// The bytes of the body that spell the destination: inside `<...>` when angle-bracketed,
    /// before `|` in a wiki link, in the definition for a reference-style link. `None` where
    /// they could not be found exactly (the link is then never rewritten).
    pub span: Option<std::ops::Range<usize>>,
    /// Written as `<...>`: spaces need no escaping.
    pub angle: bool,
    /// 1-based line of the file.
    pub line: usize,
}

/// Every link and image destination of `body` (whose first line is line `first_line` of the
/// file) with where it is written: inline links and images, reference definitions (used or
/// not: every link naming one reads its destination there), `[[wiki links]]`. Links in code
/// spans and fences are not links; autolinks are always URLs, never paths.
pub fn link_sites(body: &str, first_line: usize) -> Vec<LinkSite> {
    let lines = LineIndex::new(body, first_line);
    let parser = Parser::new_ext(body, options());
    let mut out: Vec<LinkSite> = parser
        .reference_definitions()
        .iter()
        .map(|(_, def)| {
            let found = definition_dest(body, def.span.clone());
            site(
                body,
                &lines,
                LinkKind::Markdown,
                &def.dest,
                found,
                def.span.start,
            )
        })
        .collect();
    for (event, range) in parser.into_offset_iter() {
        let (link_type, dest) = match &event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            })
            | Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => (*link_type, dest_url),
            _ => continue,
        };
        match link_type {
            LinkType::Inline => {
                let found = inline_dest(body, range.clone());
                out.push(site(
                    body,
                    &lines,
                    LinkKind::Markdown,
                    dest,
                    found,
                    range.start,
                ));
            }
            LinkType::WikiLink { .. } => {
                let found = wiki_dest(body, range.clone());
                out.push(site(body, &lines, LinkKind::Wiki, dest, found, range.start));
            }
            // Read in their definition, listed above; autolinks are URLs.
            _ => {}
        }
    }
    out.sort_by_key(|s| (s.line, s.span.as_ref().map(|r| r.start)));
    out
}

/// A [`LinkSite`], its span kept only when the bytes there read as the parser's destination.
fn site(
    body: &str,
    lines: &LineIndex,
    kind: LinkKind,
    dest: &str,
    found: Option<(std::ops::Range<usize>, bool)>,
    at: usize,
) -> LinkSite {
    let (span, angle) = match found {
        Some((span, angle)) if body.get(span.clone()).map(unescape).as_deref() == Some(dest) => {
            (Some(span), angle)
        }
        _ => (None, false),
    };
    LinkSite {
        kind,
        target: dest.to_string(),
        span,
        angle,
        line: lines.line_of(at),
    }
}

/// Backslash escapes of ASCII punctuation resolved, as CommonMark reads a destination.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(next)) if next.is_ascii_punctuation() => {
                out.push(*next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// The destination of an inline link or image `[text](dest "title")` whose source is
/// `range`: past the bracketed text (nested brackets, escapes and code spans skipped).
fn inline_dest(
    body: &str,
    range: std::ops::Range<usize>,
) -> Option<(std::ops::Range<usize>, bool)> {
    let bytes = body.as_bytes();
    let end = range.end.min(bytes.len());
    let mut i = range.start;
    if bytes.get(i) == Some(&b'!') {
        i += 1;
    }
    if bytes.get(i) != Some(&b'[') {
        return None;
    }
    let mut depth = 0usize;
    while i < end {
        match bytes[i] {
            b'\\' => {
                i += 2;
                continue;
            }
            b'`' => {
                let run = bytes[i..end].iter().take_while(|&&b| b == b'`').count();
                i = closing_backticks(&bytes[..end], i + run, run).unwrap_or(i + run);
                continue;
            }
            b'[' => depth += 1,
            b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if bytes.get(i + 1) != Some(&b'(') {
        return None;
    }
    destination(bytes, i + 2, end)
}

/// Where the backtick run of length `run` that closes a code span opened before `from` ends.
fn closing_backticks(bytes: &[u8], from: usize, run: usize) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let n = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if n == run {
                return Some(i + n);
            }
            i += n;
        } else {
            i += 1;
        }
    }
    None
}

/// A link destination starting at or after `i` (after optional white space, one line end
/// included): `<...>` or a run without white space and with balanced parentheses.
fn destination(bytes: &[u8], mut i: usize, end: usize) -> Option<(std::ops::Range<usize>, bool)> {
    while i < end && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    if bytes.get(i) == Some(&b'<') {
        let start = i + 1;
        let mut j = start;
        while j < end && bytes[j] != b'>' && bytes[j] != b'\n' {
            j += if bytes[j] == b'\\' { 2 } else { 1 };
        }
        return (j < end && bytes[j] == b'>').then_some((start..j, true));
    }
    let start = i;
    let mut parens = 0usize;
    while i < end {
        match bytes[i] {
            b'\\' => {
                i += 2;
                continue;
            }
            b' ' | b'\t' | b'\n' | b'\r' => break,
            b'(' => parens += 1,
            b')' if parens == 0 => break,
            b')' => parens -= 1,
            _ => {}
        }
        i += 1;
    }
    Some((start..i.min(end), false))
}

/// The destination of a reference definition `[label]: dest "title"` whose source is `span`.
fn definition_dest(
    body: &str,
    span: std::ops::Range<usize>,
) -> Option<(std::ops::Range<usize>, bool)> {
    let bytes = body.as_bytes();
    let end = span.end.min(bytes.len());
    let mut i = span.start;
    // The label ends at the first `]` not escaped (a label cannot hold brackets).
    while i < end && bytes[i] != b']' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    if bytes.get(i + 1) != Some(&b':') {
        return None;
    }
    destination(bytes, i + 2, end)
}

/// The target of a `[[target|text]]` wiki link whose source is `range`.
fn wiki_dest(body: &str, range: std::ops::Range<usize>) -> Option<(std::ops::Range<usize>, bool)> {
    let inner = body.get(range.start + 2..range.end.checked_sub(2)?)?;
    if !body.get(range.clone())?.starts_with("[[") {
        return None;
    }
    let len = inner.find('|').unwrap_or(inner.len());
    Some((range.start + 2..range.start + 2 + len, false))
}

/// A part of a doc under one heading: what search indexes and ranks, so that a hit can name the
/// section and line it came from, and a long doc ranks by its best part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading's text; empty for the part before the first heading.
    pub heading: String,
    /// 1-based line of the file where the section starts.
    pub line: usize,
    /// The section's text with Markdown markup dropped.
    pub text: String,
}

/// Cuts `body` (whose first line is line `first_line` of the file) into sections at headings.
pub fn sections(body: &str, first_line: usize) -> Vec<Section> {
    let lines = LineIndex::new(body, first_line);
    let mut out = vec![Section {
        heading: String::new(),
        line: first_line,
        text: String::new(),
    }];
    let mut in_heading = false;
    let mut in_comment = false;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        // `out` starts with one section and only grows, so this never skips.
        let Some(current) = out.last_mut() else {
            continue;
        };
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                out.push(Section {
                    heading: String::new(),
                    line: lines.line_of(range.start),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if in_heading => current.heading.push_str(&t),
            // HTML comments hold a template's guidance or text taken out: not the doc's words.
            Event::Html(t) => current
                .text
                .push_str(&without_comments(&t, &mut in_comment)),
            Event::Text(t) | Event::Code(t) => current.text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::InlineHtml(_) => current.text.push(' '),
            // A nested list or a paragraph must not glue its first word to the text before it.
            Event::Start(
                Tag::Paragraph
                | Tag::Item
                | Tag::List(_)
                | Tag::CodeBlock(_)
                | Tag::BlockQuote(_)
                | Tag::HtmlBlock
                | Tag::TableCell,
            ) if !current.text.is_empty() && !current.text.ends_with(char::is_whitespace) => {
                current.text.push('\n');
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) if !current.text.is_empty() && !current.text.ends_with('\n') => {
                current.text.push('\n');
            }
            _ => {}
        }
    }
    out.retain(|s| !(s.heading.is_empty() && s.text.trim().is_empty()));
    for s in &mut out {
        s.heading = s.heading.trim().to_string();
    }
    out
}

/// [`sections`], never empty: a doc without text is one empty section at line 1, so that search
/// and export still carry its title.
pub fn sections_or_one(body: &str, first_line: usize) -> Vec<Section> {
    let mut out = sections(body, first_line);
    if out.is_empty() {
        out.push(Section {
            heading: String::new(),
            line: 1,
            text: String::new(),
        });
    }
    out
}

/// `html` without the parts inside `<!-- -->`; `in_comment` carries an open comment from one
/// line of an HTML block to the next.
fn without_comments(html: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = html;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    *in_comment = false;
                    rest = &rest[end + 3..];
                }
                None => return out,
            }
        } else {
            match rest.find("<!--") {
                Some(start) => {
                    out.push_str(&rest[..start]);
                    *in_comment = true;
                    rest = &rest[start + 4..];
                }
                None => {
                    out.push_str(rest);
                    return out;
                }
            }
        }
    }
}

/// The line span (0-based, inclusive, counted in `body`) of each top-level block: a paragraph,
/// a whole list with its nested items, a table, a code fence, a quote. Whatever is said about a
/// line belongs after the block that holds it, never inside it.
pub fn top_level_blocks(body: &str) -> Vec<(usize, usize)> {
    let line_of = |offset: usize| body[..offset.min(body.len())].matches('\n').count();
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(_) => {
                if depth == 0 {
                    start = range.start;
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let end = body[..range.end.min(body.len())].trim_end().len();
                    blocks.push((line_of(start), line_of(end.max(start))));
                }
            }
            _ if depth == 0 => {
                let end = body[..range.end.min(body.len())].trim_end().len();
                blocks.push((line_of(range.start), line_of(end.max(range.start))));
            }
            _ => {}
        }
    }
    blocks
}

/// The title a doc's headings give it: its first `# heading`, else its first heading of any
/// level (handbooks exported from wikis often start at `##`).
///
/// Called on every doc without a `title:`, so it scans lines rather than parsing the whole doc
/// (pulldown-cmark builds the block tree of the whole text before its first event): code fences
/// and indented code are skipped, ATX (`# T`) and setext (`T` over `===` or `---`) headings are
/// found, and only the heading's own line goes through the Markdown parser, to drop inline
/// markup.
pub fn title_heading(body: &str) -> Option<String> {
    let mut fence: Option<(u8, usize)> = None;
    let mut previous: Option<&str> = None;
    let mut first_lower: Option<String> = None;
    for line in body.lines() {
        let text = line.trim_start_matches(' ');
        let code_indent = line.len() - text.len() >= 4;
        if let Some((ch, len)) = fence {
            if !code_indent && closes_fence(text, ch, len) {
                fence = None;
            }
            continue;
        }
        if code_indent {
            previous = None;
            continue;
        }
        if let Some(open) = opens_fence(text) {
            fence = Some(open);
            previous = None;
            continue;
        }
        if let Some(level) = atx_level(text) {
            let title = inline_text(line);
            match level {
                _ if title.is_empty() => {}
                1 => return Some(title),
                _ => {
                    first_lower.get_or_insert(title);
                }
            }
            previous = None;
            continue;
        }
        let underline = text.trim_end();
        let setext = ['=', '-']
            .into_iter()
            .find(|&c| !underline.is_empty() && underline.chars().all(|u| u == c));
        if let (Some(c), Some(heading)) = (setext, previous) {
            let title = inline_text(heading);
            match c {
                _ if title.is_empty() => {}
                '=' => return Some(title),
                _ => {
                    first_lower.get_or_insert(title);
                }
            }
        }
        previous = (!text.trim().is_empty() && setext.is_none()).then_some(line);
    }
    first_lower
}

/// The level of an ATX heading line (`## x` is 2), if the line is one.
fn atx_level(text: &str) -> Option<usize> {
    let level = text.bytes().take_while(|&b| b == b'#').count();
    let rest = &text[level..];
    ((1..=6).contains(&level) && (rest.is_empty() || rest.starts_with([' ', '\t'])))
        .then_some(level)
}

fn opens_fence(text: &str) -> Option<(u8, usize)> {
    let ch = *text.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = text.bytes().take_while(|&b| b == ch).count();
    (len >= 3).then_some((ch, len))
}

fn closes_fence(text: &str, ch: u8, len: usize) -> bool {
    let run = text.bytes().take_while(|&b| b == ch).count();
    run >= len && text[run..].trim().is_empty()
}

/// The plain text of one line of Markdown (a heading's), markup dropped.
fn inline_text(line: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(line.trim_start(), options()) {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(&t);
        }
    }
    text.trim().to_string()
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// GitHub's heading slug: lowercase, punctuation dropped, spaces to `-`.
pub fn anchor_slug(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// GitHub numbers repeated headings: `faq`, `faq-1`, `faq-2`.
fn unique_anchor(text: &str, seen: &mut HashMap<String, usize>) -> String {
    let base = anchor_slug(text);
    let count = seen.entry(base.clone()).or_insert(0);
    let anchor = if *count == 0 {
        base
    } else {
        format!("{base}-{count}")
    };
    *count += 1;
    anchor
}

/// Maps byte offsets of a text to 1-based file lines.
struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    fn new(text: &str, first_line: usize) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts, first_line }
    }

    /// 1-based character column of `offset` on its line.
    fn column_of(&self, text: &str, offset: usize) -> usize {
        let start = self.starts[self.starts.partition_point(|&s| s <= offset) - 1];
        text.get(start..offset).map_or(1, |t| t.chars().count() + 1)
    }

    fn line_of(&self, offset: usize) -> usize {
        let index = self.starts.partition_point(|&start| start <= offset) - 1;
        index + self.first_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_split_at_headings_with_lines() {
        let body = "Intro *text*.\n\n# Title\n\nPara one\nwraps.\n\n## Refunds\n\n- item `code`\n";
        let s = sections(body, 4);
        let got: Vec<_> = s
            .iter()
            .map(|s| (s.heading.as_str(), s.line, s.text.trim()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("", 4, "Intro text."),
                ("Title", 6, "Para one wraps."),
                ("Refunds", 11, "item code")
            ]
        );
    }

    #[test]
    fn nested_lists_and_inline_html_do_not_glue_words() {
        let s = sections(
            "- Paid vacation days\n  - Keep minimum standard\n\npara<br>after\n",
            1,
        );
        let words: Vec<&str> = s[0].text.split_whitespace().collect();
        assert_eq!(
            words,
            vec!["Paid", "vacation", "days", "Keep", "minimum", "standard", "para", "after"]
        );
    }

    #[test]
    fn github_anchors() {
        assert_eq!(anchor_slug("Root cause: 5 whys"), "root-cause-5-whys");
        assert_eq!(anchor_slug("What's next?"), "whats-next");
        assert_eq!(anchor_slug("API_v2 -- notes"), "api_v2----notes");
        assert_eq!(anchor_slug("Über Café"), "über-café");
    }

    #[test]
    fn headings_with_lines_and_duplicates() {
        let body = "# Title\n\ntext\n\n## FAQ\n\n## FAQ\n\n### Custom {#my-id}\n";
        let o = outline(body, 5);
        let got: Vec<_> = o
            .headings
            .iter()
            .map(|h| (h.level, h.anchor.as_str(), h.line))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "title", 5),
                (2, "faq", 9),
                (2, "faq-1", 11),
                (3, "my-id", 13)
            ]
        );
        assert_eq!(o.headings[3].text, "Custom");
    }

    #[test]
    fn markdown_and_wiki_links() {
        let body =
            "See [the policy](../handbook/x.md#refunds).\n\nAlso [[RCA-0007]] and [[specs/a|A]].\n";
        let o = outline(body, 1);
        assert_eq!(o.links.len(), 3);
        assert_eq!(o.links[0].target, "../handbook/x.md#refunds");
        assert_eq!(o.links[0].kind, LinkKind::Markdown);
        assert_eq!(
            (o.links[1].target.as_str(), o.links[1].kind, o.links[1].line),
            ("RCA-0007", LinkKind::Wiki, 3)
        );
        assert_eq!(o.links[2].target, "specs/a");
    }

    #[test]
    fn link_sites_spell_each_destination_where_it_is_written() {
        let body = "[a](x.md \"T\") ![i](img/p.png) [b](<a b.md#s>) [[w/x|W]] [c][r] [[y]]\n\
`[no](code.md)` [d](y(1).md) [e\\]](z.md)\n\n```\n[no](fence.md)\n```\n\n[r]: ref.md \"R\"\n[unused]:\n  <u v.md>\n";
        let sites = link_sites(body, 1);
        let spelled: Vec<(&str, &str, bool)> = sites
            .iter()
            .map(|s| (s.target.as_str(), &body[s.span.clone().unwrap()], s.angle))
            .collect();
        assert_eq!(
            spelled,
            vec![
                ("x.md", "x.md", false),
                ("img/p.png", "img/p.png", false),
                ("a b.md#s", "a b.md#s", true),
                ("w/x", "w/x", false),
                ("y", "y", false),
                ("y(1).md", "y(1).md", false),
                ("z.md", "z.md", false),
                ("ref.md", "ref.md", false),
                ("u v.md", "u v.md", true),
            ]
        );
        assert_eq!(sites[7].line, 8);
    }

    #[test]
    fn link_sites_survive_hostile_text() {
        for body in [
            "[a](",
            "[a](<b",
            "[日](<é>) [[é|日]] [[]] [x]: <",
            "![](日\\",
            "[a]: \n",
            "[`]`](x) [a\\",
            "[[a]]]] [[|]]",
            "> [r]:\n> <a b.md>\n\n[r]",
        ] {
            for site in link_sites(body, 1) {
                if let Some(span) = site.span {
                    assert!(body.get(span).is_some(), "{body:?}");
                }
            }
        }
    }

    #[test]
    fn a_destination_spelled_with_an_entity_has_no_span() {
        let sites = link_sites("[a](b&#46;md)\n", 1);
        assert_eq!((sites[0].target.as_str(), &sites[0].span), ("b.md", &None));
    }

    #[test]
    fn links_in_code_are_not_links() {
        let o = outline("```\n[x](y.md)\n```\n`[[z]]`\n", 1);
        assert!(o.links.is_empty());
    }

    #[test]
    fn html_comments_are_not_section_text() {
        let s = sections("# A\n\n<!--\nGuidance: two sentences.\n-->\n\nReal <!-- aside --> text.\n\n<div>kept</div>\n", 1);
        let text = &s[0].text;
        assert!(
            !text.contains("Guidance") && !text.contains("aside"),
            "{text}"
        );
        assert!(text.contains("Real") && text.contains("kept"), "{text}");
    }

    #[test]
    fn top_level_blocks_hold_whole_lists_tables_and_fences() {
        let body = "Para one\nstill one\n\n5. five\n6. six\n7. seven\n   - sub\n\n| a |\n|---|\n| 1 |\n\n```\ncode\n\nmore\n```\n";
        assert_eq!(top_level_blocks(body), [(0, 1), (3, 6), (8, 10), (12, 16)]);
    }

    #[test]
    fn title_heading_prefers_h1_and_skips_code() {
        assert_eq!(
            title_heading("## Sub\n\n```\n# not\n```\n# Real `title`\n").as_deref(),
            Some("Real title")
        );
        assert_eq!(title_heading("no heading"), None);
        assert_eq!(
            title_heading("Intro text\n\n## Our values\n\n### More\n").as_deref(),
            Some("Our values")
        );
        assert_eq!(title_heading("Sub\n---\n").as_deref(), Some("Sub"));
        assert_eq!(title_heading("####### seven\n"), None);
        assert_eq!(title_heading("Setext\n======\n").as_deref(), Some("Setext"));
        assert_eq!(
            title_heading("    # indented code\n~~~~\n# in fence\n~~~~\n#not a heading\n# *Yes*\n")
                .as_deref(),
            Some("Yes")
        );
        assert_eq!(
            title_heading("<!-- c -->\n\n## Sub\n\n#\n\n# Later\n").as_deref(),
            Some("Later")
        );
    }
}
