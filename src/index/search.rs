//! Queries: parsing what a person types (words, "phrases", `field:value`, AND/OR/NOT, `prefix*`),
//! adding the filter flags, ranking sections and keeping each doc's best one, with a snippet.

use super::SearchIndex;
use crate::error::{Error, Result};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RegexQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{TantivyDocument, Term};

/// Title matches count most, then headings, then body text.
const TITLE_BOOST: f32 = 3.0;
const HEADING_BOOST: f32 = 1.5;
const SNIPPET_CHARS: usize = 180;
/// Docs considered for the title re-ranking, per result asked for.
const RERANK_DEPTH: usize = 3;
/// Sections examined at most to fill a page of distinct docs.
const MAX_WINDOW: usize = 50_000;

#[derive(Debug, Clone, Default)]
pub struct Request {
    pub query: String,
    pub types: Vec<String>,
    pub tags: Vec<String>,
    pub owners: Vec<String>,
    pub statuses: Vec<String>,
    pub limit: usize,
}

/// One doc found, at its best-matching section.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub path: String,
    pub id: Option<String>,
    pub title: String,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub score: f32,
    /// 1-based line of the section's start, so `path:line` opens there.
    pub line: u64,
    /// The section's heading (empty before the first heading).
    pub section: String,
    pub snippet: String,
    /// Byte ranges of the matched terms in `snippet`.
    pub highlights: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct Found {
    pub hits: Vec<Hit>,
    /// Matching docs (distinct paths) among the sections examined.
    pub total: usize,
}

/// Runs `request` against the index's last committed state.
pub fn search(index: &SearchIndex, request: &Request) -> Result<Found> {
    let f = index.fields;
    let query = build_query(index, request)?;
    let reader = index.index.reader().map_err(super::index_error)?;
    let searcher = reader.searcher();
    let (candidates, total) = best_sections(&searcher, &*query, request.limit * RERANK_DEPTH)?;

    // Known-item searches are mostly for a doc's title: among the best candidates, a doc whose
    // title holds more of the query's words comes first, then the higher score, then the path
    // (identical copies of a doc rank in a stable order).
    let words = query_words(index, &request.query);
    let mut ranked = Vec::with_capacity(candidates.len());
    for (score, address, path) in candidates {
        let doc: TantivyDocument = searcher.doc(address).map_err(super::index_error)?;
        let title = text(&doc, f.title).unwrap_or_default();
        let coverage = title_coverage(index, &words, &title);
        ranked.push((coverage, score, path, doc, title));
    }
    ranked.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.total_cmp(&a.1))
            .then_with(|| a.2.cmp(&b.2))
    });
    ranked.truncate(request.limit);

    let mut snippets =
        SnippetGenerator::create(&searcher, &*query, f.body).map_err(super::index_error)?;
    snippets.set_max_num_chars(SNIPPET_CHARS);
    let hits = ranked
        .into_iter()
        .map(|(_, score, path, doc, title)| {
            let snippet = snippets.snippet_from_doc(&doc);
            let (snippet, highlights) = match snippet.fragment().is_empty() {
                true => (lead(&text(&doc, f.body).unwrap_or_default()), Vec::new()),
                false => (
                    snippet.fragment().to_string(),
                    snippet
                        .highlighted()
                        .iter()
                        .map(|r| (r.start, r.end))
                        .collect(),
                ),
            };
            Hit {
                path,
                id: text(&doc, f.id),
                title,
                doc_type: text(&doc, f.doc_type),
                score,
                line: doc.get_first(f.line).and_then(|v| v.as_u64()).unwrap_or(1),
                section: text(&doc, f.heading).unwrap_or_default(),
                snippet,
                highlights,
            }
        })
        .collect();
    Ok(Found { total, hits })
}

/// A doc's best-scoring section.
type Candidate = (f32, tantivy::DocAddress, String);

/// The best section of each of the first `wanted` docs, best first, and how many docs matched
/// among the sections examined. Sections, not docs, are ranked, so the window of sections grows
/// until it holds enough distinct docs; paths come from a fast field, not the stored docs.
fn best_sections(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    wanted: usize,
) -> Result<(Vec<Candidate>, usize)> {
    let paths: Vec<Option<tantivy::columnar::StrColumn>> = searcher
        .segment_readers()
        .iter()
        .map(|s| s.fast_fields().str("path").ok().flatten())
        .collect();
    let path_of = |address: tantivy::DocAddress| -> String {
        let mut out = String::new();
        if let Some(column) = &paths[address.segment_ord as usize] {
            if let Some(ord) = column.term_ords(address.doc_id).next() {
                let _ = column.ord_to_str(ord, &mut out);
            }
        }
        out
    };
    let mut window = (wanted * 10).max(100);
    loop {
        let top = searcher
            .search(query, &TopDocs::with_limit(window).order_by_score())
            .map_err(super::index_error)?;
        let exhausted = top.len() < window;
        let mut with_paths: Vec<Candidate> = top
            .into_iter()
            .map(|(score, address)| (score, address, path_of(address)))
            .collect();
        with_paths.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
        let mut seen = std::collections::HashSet::new();
        with_paths.retain(|(_, _, path)| seen.insert(path.clone()));
        if exhausted || with_paths.len() >= wanted || window >= MAX_WINDOW {
            let total = with_paths.len();
            with_paths.truncate(wanted);
            return Ok((with_paths, total));
        }
        window *= 4;
    }
}

/// The stemmed words a person searched for (not the excluded ones, not field names).
fn query_words(index: &SearchIndex, query: &str) -> Vec<String> {
    let plain: Vec<&str> = query
        .split_whitespace()
        .filter(|w| !w.starts_with('-') && !matches!(*w, "AND" | "OR" | "NOT"))
        .map(|w| w.rsplit_once(':').map_or(w, |(_, v)| v))
        .collect();
    let mut words = analyze(index, &plain.join(" "));
    words.sort();
    words.dedup();
    words
}

fn analyze(index: &SearchIndex, text: &str) -> Vec<String> {
    let Ok(mut analyzer) = index
        .index
        .tokenizers()
        .get(super::analyzer::STEMMED)
        .ok_or(())
    else {
        return Vec::new();
    };
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// How many of the query's words the title holds, in tenths (0 to 10).
fn title_coverage(index: &SearchIndex, words: &[String], title: &str) -> u8 {
    if words.is_empty() {
        return 0;
    }
    let title = analyze(index, title);
    let found = words.iter().filter(|w| title.contains(w)).count();
    (found * 10 / words.len()) as u8
}

fn text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// The start of a section's text, for a hit that matched only the title or a heading.
fn lead(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(SNIPPET_CHARS) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

/// Parses what a person typed (`request.query`) and the filter flags into a tantivy query.
pub fn build_query(index: &SearchIndex, request: &Request) -> Result<Box<dyn Query>> {
    let f = index.fields;
    check_balance(&request.query)?;
    let (rest, prefixes) = split_prefixes(&request.query);
    let rest = normalize_fields(&rest);
    let mut parser = QueryParser::for_index(&index.index, vec![f.title, f.heading, f.body]);
    parser.set_field_boost(f.title, TITLE_BOOST);
    parser.set_field_boost(f.heading, HEADING_BOOST);

    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if !rest.trim().is_empty() {
        let parsed = parser.parse_query(&rest).map_err(|e| {
            Error::usage_with_hint(
                format!("cannot read the query {:?}: {e}", request.query),
                "use words, \"a phrase\", field:value (title, heading, body, id, type, status, owner, tags), AND, OR, NOT, word*",
            )
        })?;
        any.push((Occur::Should, parsed));
    }
    for (field, prefix) in &prefixes {
        let pattern = format!("{}.*", regex_escape(&prefix.to_lowercase()));
        let fields = match field
            .as_deref()
            .and_then(|name| index.index.schema().get_field(name).ok())
        {
            Some(field) => vec![field],
            None => vec![f.title, f.heading, f.body],
        };
        for field in fields {
            let q = RegexQuery::from_pattern(&pattern, field).map_err(super::index_error)?;
            any.push((Occur::Should, Box::new(q)));
        }
    }
    if any.is_empty() {
        return Err(Error::usage_with_hint(
            "the query is empty",
            "search for some words: kb search \"refund policy\"",
        ));
    }
    let mut must: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, Box::new(BooleanQuery::new(any)))];
    for (field, values) in [
        (f.doc_type, &request.types),
        (f.tags, &request.tags),
        (f.owner, &request.owners),
        (f.status, &request.statuses),
    ] {
        if values.is_empty() {
            continue;
        }
        let options: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .map(|v| {
                let term = Term::from_field_text(field, &v.to_lowercase());
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                )
            })
            .collect();
        must.push((Occur::Must, Box::new(BooleanQuery::new(options))));
    }
    Ok(Box::new(BooleanQuery::new(must)))
}

/// Unbalanced quotes and parentheses, reported with their position (1-based character).
fn check_balance(query: &str) -> Result<()> {
    let mut open_quote = None;
    let mut parens = Vec::new();
    for (i, c) in query.chars().enumerate() {
        match c {
            '"' => open_quote = if open_quote.is_some() { None } else { Some(i) },
            '(' if open_quote.is_none() => parens.push(i),
            ')' if open_quote.is_none() && parens.pop().is_none() => {
                return Err(syntax(query, i, "a `)` closes nothing"));
            }
            _ => {}
        }
    }
    if let Some(i) = open_quote {
        return Err(syntax(query, i, "this quote is never closed"));
    }
    if let Some(i) = parens.pop() {
        return Err(syntax(query, i, "this `(` is never closed"));
    }
    Ok(())
}

fn syntax(query: &str, at: usize, what: &str) -> Error {
    Error::usage_with_hint(
        format!(
            "query syntax error at character {}: {what}\n  {query}\n  {}^",
            at + 1,
            " ".repeat(at)
        ),
        "close the quote or parenthesis, or quote a literal one",
    )
}

/// Takes the bare `word*` terms out of the query (tantivy's parser has no single-term prefix
/// query); `field:word*` keeps its field.
fn split_prefixes(query: &str) -> (String, Vec<(Option<String>, String)>) {
    let mut rest = Vec::new();
    let mut prefixes = Vec::new();
    let mut in_quote = false;
    for token in query.split(' ') {
        let quotes = token.matches('"').count();
        let starts_inside = in_quote;
        if quotes % 2 == 1 {
            in_quote = !in_quote;
        }
        if !starts_inside && quotes == 0 {
            if let Some(stem) = token.strip_suffix('*') {
                let (field, word) = match stem.split_once(':') {
                    Some((field, word)) => (Some(field.to_string()), word),
                    None => (None, stem),
                };
                if !word.is_empty()
                    && word
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
                {
                    prefixes.push((field, word.to_string()));
                    continue;
                }
            }
        }
        rest.push(token);
    }
    (rest.join(" "), prefixes)
}

/// Field names as people type them: `tag:` and `section:` are the index's `tags:` and `heading:`.
fn normalize_fields(query: &str) -> String {
    query
        .split(' ')
        .map(|token| {
            let (prefix, rest) =
                token.split_at(token.len() - token.trim_start_matches(['-', '+', '(']).len());
            for (alias, field) in [
                ("tag:", "tags:"),
                ("section:", "heading:"),
                ("headings:", "heading:"),
            ] {
                if let Some(value) = rest.strip_prefix(alias) {
                    return format!("{prefix}{field}{value}");
                }
            }
            token.to_string()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c.is_alphanumeric() || c == '_' {
            true => vec![c],
            false => vec!['\\', c],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_split_out_outside_quotes() {
        let (rest, p) = split_prefixes("refund onboard* \"a b*\" title:pol*");
        assert_eq!(rest, "refund \"a b*\"");
        assert_eq!(
            p,
            vec![
                (None, "onboard".into()),
                (Some("title".into()), "pol".into())
            ]
        );
    }

    #[test]
    fn balance_errors_have_positions() {
        let e = check_balance("refund \"policy").unwrap_err().to_string();
        assert!(e.contains("character 8"), "{e}");
        assert!(check_balance("(a OR b")
            .unwrap_err()
            .to_string()
            .contains("character 1"));
        assert!(check_balance("a) b").is_err());
        assert!(check_balance("\"(\" a").is_ok());
    }

    #[test]
    fn field_aliases() {
        assert_eq!(
            normalize_fields("tag:ops -tag:x section:Refunds"),
            "tags:ops -tags:x heading:Refunds"
        );
    }

    #[test]
    fn leads_are_bounded() {
        assert_eq!(lead("a  b\nc"), "a b c");
        assert!(lead(&"x ".repeat(500)).ends_with('…'));
    }
}
