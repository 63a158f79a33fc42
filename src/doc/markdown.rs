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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    /// The fragment a link uses to reach it: an explicit `{#id}`, else GitHub's slug.
    pub anchor: String,
    /// 1-based line of the file.
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// `[text](target)`, also reference-style and autolinks.
    Markdown,
    /// `[[target]]` or `[[target|text]]`.
    Wiki,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub kind: LinkKind,
    pub target: String,
    /// 1-based line of the file.
    pub line: usize,
}

/// What later commands need of a body: headings and links.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
                });
            }
            _ => {}
        }
    }
    out
}

/// The text of the first `# heading` of `body`, if it has one: the title of a doc without one.
pub fn first_h1(body: &str) -> Option<String> {
    let mut in_h1 = false;
    let mut text = String::new();
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => in_h1 = true,
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                let title = text.trim();
                if !title.is_empty() {
                    return Some(title.to_string());
                }
                in_h1 = false;
            }
            Event::Text(t) | Event::Code(t) if in_h1 => text.push_str(&t),
            _ => {}
        }
    }
    None
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

    fn line_of(&self, offset: usize) -> usize {
        let index = self.starts.partition_point(|&start| start <= offset) - 1;
        index + self.first_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn links_in_code_are_not_links() {
        let o = outline("```\n[x](y.md)\n```\n`[[z]]`\n", 1);
        assert!(o.links.is_empty());
    }

    #[test]
    fn first_h1_skips_lower_levels_and_code() {
        assert_eq!(
            first_h1("## Sub\n\n```\n# not\n```\n# Real `title`\n").as_deref(),
            Some("Real title")
        );
        assert_eq!(first_h1("no heading"), None);
        assert_eq!(first_h1("Setext\n======\n").as_deref(), Some("Setext"));
    }
}
