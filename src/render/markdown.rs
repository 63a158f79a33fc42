//! Escaping for every Markdown renderer (`ls`, `goals report`, `search` with `--format md`):
//! titles, owners and other text come from users, and Markdown output lands in CI summaries and
//! wikis that render raw HTML. So user text goes through [`escape_text`], ids through
//! [`code_span`] and paths through [`link_target`]; the renderers never escape by hand.

/// User text as inert Markdown inline content, safe in prose, list items and table cells.
///
/// HTML-significant `<`, `>`, `&` become entities (no tags, no autolinks); `|` becomes `\|` so a
/// table cell stays one cell; line breaks become spaces so a row stays one row; `[`, `]`, `*`,
/// `` ` ``, `\` and `_` next to a non-word character are backslash-escaped so text cannot make
/// links, emphasis or code; and a leading `#`, `-`, `+`, `=` or `1.` cannot start a block.
pub fn escape_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    // Where a block marker would sit once the line is trimmed.
    let lead = chars.iter().position(|c| !c.is_whitespace()).unwrap_or(0);
    let word = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_alphanumeric())
    };
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '|' => out.push_str("\\|"),
            '\r' if chars.get(i + 1) == Some(&'\n') => {}
            '\n' | '\r' => out.push(' '),
            '\\' | '[' | ']' | '*' | '`' => {
                out.push('\\');
                out.push(c);
            }
            // `snake_case` is never emphasis; `_word_` is.
            '_' if !(word(i.checked_sub(1)) && word(Some(i + 1))) => out.push_str("\\_"),
            '#' | '-' | '+' | '=' if i == lead => {
                out.push('\\');
                out.push(c);
            }
            // `1. Title` at the start would be an ordered list.
            '.' | ')' if i > lead && ordered_list_marker(&chars[lead..i]) => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Whether `before` is only digits: the `.` or `)` after them would open an ordered list.
fn ordered_list_marker(before: &[char]) -> bool {
    before.len() <= 9 && before.iter().all(char::is_ascii_digit)
}

/// An id or path as inline code, whatever backticks, pipes or line breaks it holds.
pub fn code_span(text: &str) -> String {
    let text = one_line(text).replace('|', "\\|");
    let longest = longest_run(&text, '`');
    let fence = "`".repeat(longest + 1);
    // A space on each side keeps a backtick at either end out of the fence.
    let pad = if longest > 0 { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

fn one_line(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\n', '\r'], " ")
}

/// A KB-relative path as a link destination: characters that would end or break the link, the
/// table cell or the HTML are percent-encoded, so the link still leads to the file.
///
/// A `:` before the first `/` is encoded too: `javascript:x.md` at the root is a file, and must
/// not read as a URL scheme in a browser.
pub fn link_target(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let first_segment = path.find('/').unwrap_or(path.len());
    for (i, c) in path.char_indices() {
        match c {
            ':' if i < first_segment => percent_encode(c, &mut out),
            ' ' | '%' | '(' | ')' | '<' | '>' | '[' | ']' | '|' | '"' | '\'' | '`' | '\\' => {
                percent_encode(c, &mut out)
            }
            c if c.is_control() => percent_encode(c, &mut out),
            c => out.push(c),
        }
    }
    out
}

fn percent_encode(c: char, out: &mut String) {
    let mut buf = [0; 4];
    for b in c.encode_utf8(&mut buf).bytes() {
        out.push_str(&format!("%{b:02X}"));
    }
}

/// `[text](path)`, both escaped.
pub fn link(text: &str, path: &str) -> String {
    format!("[{}]({})", escape_text(text), link_target(path))
}

/// Markdown whose links lead from the KB root (as every renderer writes them), with each
/// link's destination rewritten to lead from the doc at `from` instead: how a live block's
/// links work on GitHub and in editors. External links and anchors are left alone. Link text
/// never holds an unescaped `](`, so every `](` found after an even run of backslashes opens a
/// destination.
pub fn relative_links(markdown: &str, from: &str) -> String {
    let depth = from.matches('/').count();
    if depth == 0 {
        return markdown.to_string();
    }
    let dir: Vec<&str> = from.split('/').take(depth).collect();
    let mut out = String::with_capacity(markdown.len() + 16);
    let mut rest = markdown;
    while let Some(i) = rest.find("](") {
        let backslashes = rest[..i].chars().rev().take_while(|c| *c == '\\').count();
        out.push_str(&rest[..i + 2]);
        rest = &rest[i + 2..];
        if backslashes % 2 == 1 {
            continue;
        }
        let end = rest.find(')').unwrap_or(rest.len());
        let target = &rest[..end];
        let external = target.contains("://")
            || target.starts_with(['#', '/'])
            || target.starts_with("mailto:");
        match external {
            true => out.push_str(target),
            false => out.push_str(&relative_to(&dir, target)),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `target` (from the root) as seen from the folder `dir` (its segments).
fn relative_to(dir: &[&str], target: &str) -> String {
    let parts: Vec<&str> = target.split('/').collect();
    let common = dir
        .iter()
        .zip(&parts)
        .take_while(|(a, b)| a == b)
        .count()
        // The file name is never a shared folder.
        .min(parts.len().saturating_sub(1));
    let mut out = "../".repeat(dir.len() - common);
    out.push_str(&parts[common..].join("/"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_inert() {
        assert_eq!(
            escape_text("<script>alert(1)</script> & <img src=x onerror=alert(1)>"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;"
        );
    }

    #[test]
    fn tables_keep_their_cells_and_rows() {
        assert_eq!(escape_text("a|b"), "a\\|b");
        assert_eq!(escape_text("one\ntwo\r\nthree\rfour"), "one two three four");
        // A backslash before a pipe cannot undo the pipe's escape.
        assert_eq!(escape_text("a\\|b"), "a\\\\\\|b");
    }

    #[test]
    fn text_cannot_make_links_emphasis_code_or_blocks() {
        assert_eq!(
            escape_text("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(escape_text("**big** `code`"), "\\*\\*big\\*\\* \\`code\\`");
        assert_eq!(escape_text("_em_ snake_case"), "\\_em\\_ snake_case");
        assert_eq!(escape_text("# Title"), "\\# Title");
        assert_eq!(escape_text("- item"), "\\- item");
        assert_eq!(escape_text("\n  + item"), "   \\+ item");
        assert_eq!(escape_text("a - b"), "a - b");
        assert_eq!(escape_text("2026. A year"), "2026\\. A year");
        assert_eq!(escape_text("Q4 v1.2"), "Q4 v1.2");
    }

    #[test]
    fn plain_text_is_unchanged() {
        for s in [
            "Goal eng",
            "Reduce p99 to 400ms",
            "dana",
            "lena_k",
            "Über-Ziel 🚀",
        ] {
            assert_eq!(escape_text(s), s);
        }
    }

    #[test]
    fn code_spans_hold_backticks_and_pipes() {
        assert_eq!(code_span("eng"), "`eng`");
        assert_eq!(code_span("a`b"), "`` a`b ``");
        assert_eq!(code_span("a|b\nc"), "`a\\|b c`");
    }

    #[test]
    fn links_still_lead_to_the_file() {
        assert_eq!(link("CDN outage", "rca/cdn.md"), "[CDN outage](rca/cdn.md)");
        assert_eq!(
            link("[a]", "goals/my goal (old).md"),
            "[\\[a\\]](goals/my%20goal%20%28old%29.md)"
        );
        assert_eq!(link_target("a|b<c>.md"), "a%7Cb%3Cc%3E.md");
        assert_eq!(link_target("javascript:x.md"), "javascript%3Ax.md");
        assert_eq!(link_target("goals/a:b.md"), "goals/a:b.md");
    }

    #[test]
    fn links_lead_from_the_doc_that_holds_them() {
        let md = "[A](rca/a.md) · [B](handbook/team/b.md#x) [\\](x)\\](y) [w](https://e.com/a)";
        assert_eq!(relative_links(md, "index.md"), md);
        assert_eq!(
            relative_links(md, "handbook/team/index.md"),
            "[A](../../rca/a.md) · [B](b.md#x) [\\](x)\\](y) [w](https://e.com/a)"
        );
        assert_eq!(
            relative_links("[A](handbook/a.md)", "handbook/x/y.md"),
            "[A](../a.md)"
        );
    }
}
