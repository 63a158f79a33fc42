//! The tables of a Markdown body as pulldown-cmark reads them (with the one set of options of
//! `doc::markdown`), each cell as written: what the rules that read tables (RCA action items)
//! see. Reading the parser's table events, not lines starting with `|`, means a table shown
//! inside a code fence is not a table, and a row without its leading `|` is a row.

use crate::doc::markdown::options;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// A table: its header cells and its rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

/// A row of a table's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line of the file.
    pub line: usize,
    /// Each cell's Markdown source, trimmed (`_TBD_` stays `_TBD_`).
    pub cells: Vec<String>,
}

/// The tables of `body`, whose first line is line `first_line` of the file.
pub fn tables(body: &str, first_line: usize) -> Vec<Table> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset) - 1 + first_line;
    let mut out = Vec::new();
    let mut table: Option<Table> = None;
    let mut row: Option<Row> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Table(_)) => table = Some(Table::default()),
            Event::End(TagEnd::Table) => out.extend(table.take()),
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                row = Some(Row {
                    line: line_of(range.start),
                    cells: Vec::new(),
                });
            }
            Event::End(TagEnd::TableHead) => {
                if let (Some(t), Some(r)) = (table.as_mut(), row.take()) {
                    t.header = r.cells;
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let (Some(t), Some(r)) = (table.as_mut(), row.take()) {
                    t.rows.push(r);
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Some(r) = row.as_mut() {
                    let source = body.get(range).unwrap_or_default();
                    r.cells
                        .push(source.trim().trim_matches('|').trim().to_string());
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_as_written_with_their_lines() {
        let body = "Intro\n\n| Action | Owner |\n|---|:---:|\n| Add **alerts** | _TBD_ |\n| Fix \\| pipes |  |\nno pipe | dana\n";
        let t = tables(body, 5);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].header, ["Action", "Owner"]);
        let rows: Vec<(usize, Vec<&str>)> = t[0]
            .rows
            .iter()
            .map(|r| (r.line, r.cells.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            rows,
            [
                (9, vec!["Add **alerts**", "_TBD_"]),
                (10, vec!["Fix \\| pipes", ""]),
                (11, vec!["no pipe", "dana"]),
            ]
        );
    }

    #[test]
    fn a_table_in_a_code_fence_is_not_a_table() {
        let body = "```\n| Action | Owner |\n|---|---|\n| x | |\n```\n\n~~~md\n| a |\n|---|\n~~~\n";
        assert!(tables(body, 1).is_empty());
    }

    #[test]
    fn short_rows_and_separate_tables() {
        let body = "| A | Owner |\n|---|---|\n| only |\n\ntext\n\n| B |\n|---|\n| 1 |\n";
        let t = tables(body, 1);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].rows[0].cells.first().map(String::as_str), Some("only"));
        assert_eq!(
            t[0].rows[0].cells.get(1).map(String::as_str).unwrap_or(""),
            ""
        );
        assert_eq!(t[1].header, ["B"]);
        assert_eq!(t[1].rows[0].line, 9);
    }
}
