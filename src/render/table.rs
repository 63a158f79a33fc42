//! Aligned plain-text tables for human output; the last column is never padded.

use unicode_width::UnicodeWidthStr;

/// A table with a header row; `header` cells are shown bold on a terminal.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    push_row(&mut out, &header, &widths, true);
    for row in rows {
        push_row(&mut out, row, &widths, false);
    }
    out
}

fn push_row(out: &mut String, row: &[String], widths: &[usize], header: bool) {
    let last = row.len().saturating_sub(1);
    for (i, cell) in row.iter().enumerate() {
        let text = if header {
            super::paint(super::BOLD, cell)
        } else {
            cell.clone()
        };
        out.push_str(&text);
        if i < last {
            out.push_str(&" ".repeat(widths[i].saturating_sub(cell.width()) + 2));
        }
    }
    out.push('\n');
}

/// A GitHub-flavoured Markdown table of cells that are Markdown already: the caller escapes user
/// text with [`super::markdown`], since only it knows which part of a cell is a link.
pub fn markdown(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!(
        "| {} |\n|{}\n",
        header.join(" | "),
        "---|".repeat(header.len())
    );
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_align_by_display_width() {
        let text = super::render(
            &["A", "B"],
            &[
                vec!["日本".into(), "x".into()],
                vec!["abcde".into(), "y".into()],
            ],
        );
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[1].starts_with("日本   x"), "{text}");
        assert!(lines[2].starts_with("abcde  y"), "{text}");
    }

    #[test]
    fn markdown_cells_are_escaped_once() {
        let cell = crate::render::markdown::escape_text("a|b");
        assert_eq!(
            super::markdown(&["T"], &[vec![cell]]),
            "| T |\n|---|\n| a\\|b |\n"
        );
    }
}
