//! Queries: parsing what a person types (words, "phrases", `field:value`, AND/OR/NOT, `prefix*`),
//! adding the filter flags, finding the matching sections, ranking their docs (the docs' best
//! sections mixed with BM25F over each doc as a whole, see [`doc_rank`]) and showing each doc at
//! its best section, with a snippet.

use super::doc_rank::{self, QueryTerm, Weights};
use super::{free_text, SearchIndex};
use crate::error::{Error, Result};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RegexQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{TantivyDocument, Term};

/// In the section query, title matches count most, then headings, then body text.
const TITLE_BOOST: f32 = 3.0;
const HEADING_BOOST: f32 = 1.5;
/// The doc-level BM25F's field weights and parameters, tuned on the handbook-18f question set
/// (BENCHMARKS.md, issue 13): a heading word counts half a body word there, because the
/// section query already favours headings.
const DOC_WEIGHTS: Weights = Weights {
    title: 3.0,
    heading: 0.5,
    body: 1.0,
    k1: 1.2,
    b: 0.5,
};
/// The doc-level BM25F's share of a doc's score; the rest is its best sections' score (each
/// normalised by the best candidate's), which carries phrases, proximity and synonyms.
const WHOLE_DOC_SHARE: f32 = 0.5;
/// How much a doc holding all the query's words in the form typed gains over one holding them
/// only as other words of the same stem.
const EXACT_SIGNAL: f32 = 0.1;
const SNIPPET_CHARS: usize = 180;
/// Docs considered for the re-ranking, per result asked for.
const RERANK_DEPTH: usize = 3;
/// How much a title holding all the query's words adds to a doc's score (half as much for half
/// the words).
const TITLE_SIGNAL: f32 = 0.6;
/// The score left to an archived, deprecated, superseded or draft doc.
const RETIRED_FACTOR: f32 = 0.5;
/// Weights of a doc's best sections in its score: the page that answers has several sections
/// about the question, a stray heading has one.
const SECTION_WEIGHTS: [f32; 4] = [1.0, 0.5, 0.25, 0.125];
/// How much a synonym's word counts in the whole-doc ranking against a word typed.
const SYNONYM_DOC_WEIGHT: f32 = 0.4;

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
    /// Groups of words that mean the same, from kb.yaml and the built-in list.
    pub synonyms: Vec<Vec<String>>,
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
    /// Query words that matched nothing, each with the indexed word searched instead.
    pub corrected: Vec<(String, String)>,
}

/// Runs `request` against the index's last committed state.
pub fn search(index: &SearchIndex, request: &Request) -> Result<Found> {
    let f = index.fields;
    let searcher = index.searcher();
    let corrected = corrections(index, &searcher, &request.query);
    let mut stem = stemmer(index);
    let synonyms = free_text::Synonyms::new(&request.synonyms, &mut stem);
    let prepared = prepared_query(request)?;
    let query = build_query(index, request, &prepared, &synonyms, &mut stem, &corrected)?;
    let (candidates, total) = best_sections(&searcher, &*query, request.limit * RERANK_DEPTH)?;

    // A doc's relevance is its text as a whole (BM25F over title, headings and body) mixed with
    // its best sections' scores (which carry phrases, proximity and synonyms). A title that
    // holds the query's words is one signal among the text's, never an override; a doc holding
    // the words as typed ranks above one holding only words of the same stem; archived,
    // deprecated, superseded and draft docs rank below live ones with the same text. Ties go by
    // path, so identical copies of a doc rank in a stable order.
    let mut terms = query_terms(index, request, &prepared, &synonyms, &mut stem);
    for (_, stem) in &corrected {
        let concept = terms.len();
        terms.push(QueryTerm {
            stem: stem.clone(),
            weight: 1.0,
            concept,
        });
    }
    let words: Vec<String> = terms
        .iter()
        .filter(|t| t.weight >= 1.0)
        .map(|t| t.stem.clone())
        .collect();
    let typed = typed_words(&request.query);
    let paths: Vec<&str> = candidates.iter().map(|(_, _, p)| p.as_str()).collect();
    let whole = doc_rank::scores(&searcher, &f, DOC_WEIGHTS, &terms, &paths);
    let top_section = candidates.iter().map(|c| c.0).fold(0f32, f32::max);
    let top_whole = whole.iter().copied().fold(0f32, f32::max);
    let share = |x: f32, top: f32| if top > 0.0 { x / top } else { 0.0 };
    let mut ranked = Vec::with_capacity(candidates.len());
    for ((section_score, address, path), whole) in candidates.into_iter().zip(whole) {
        let doc: TantivyDocument = searcher.doc(address).map_err(super::index_error)?;
        let title = text(&doc, f.title).unwrap_or_default();
        let coverage = f32::from(title_coverage(index, &words, &title)) / 10.0;
        let status = text(&doc, f.status).unwrap_or_default();
        let mut score = (1.0 - WHOLE_DOC_SHARE) * share(section_score, top_section)
            + WHOLE_DOC_SHARE * share(whole, top_whole);
        score *= 1.0 + TITLE_SIGNAL * coverage;
        score *= 1.0 + EXACT_SIGNAL * exact_share(&typed, &doc, f);
        if is_retired(&path, &status) {
            score *= RETIRED_FACTOR;
        }
        ranked.push((score, path, doc, title));
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    ranked.truncate(request.limit);

    let mut snippets =
        SnippetGenerator::create(&searcher, &*query, f.body).map_err(super::index_error)?;
    snippets.set_max_num_chars(SNIPPET_CHARS);
    let hits: Vec<Hit> = ranked
        .into_iter()
        .map(|(score, path, doc, title)| {
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
    let corrected = corrected
        .into_iter()
        .map(|(typed, stem)| {
            let shown = surface_form(index, &hits, &stem).unwrap_or(stem);
            (typed, shown)
        })
        .collect();
    Ok(Found {
        total,
        hits,
        corrected,
    })
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
    // A segment whose path column cannot be read (written by a kb built with other codecs) is
    // a damaged index: rebuilt, not answered with empty paths.
    let paths: Vec<tantivy::columnar::StrColumn> = searcher
        .segment_readers()
        .iter()
        .map(|s| {
            s.fast_fields()
                .str("path")
                .ok()
                .flatten()
                .ok_or_else(|| super::generation::damaged("the path column cannot be read"))
        })
        .collect::<Result<_>>()?;
    let path_of = |address: tantivy::DocAddress| -> String {
        let mut out = String::new();
        if let Some(column) = paths.get(address.segment_ord as usize) {
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
        with_paths = by_doc(with_paths);
        if exhausted || with_paths.len() >= wanted || window >= MAX_WINDOW {
            let total = with_paths.len();
            with_paths.truncate(wanted);
            return Ok((with_paths, total));
        }
        window *= 4;
    }
}

/// The words a person typed, lowercased and unstemmed (not stop words, not excluded ones, not
/// field names): the exact forms to look for.
fn typed_words(query: &str) -> Vec<String> {
    let prepared = free_text::prepare(query).unwrap_or_default();
    let mut words: Vec<String> = prepared
        .split_whitespace()
        .filter(|w| !w.starts_with('-') && !matches!(*w, "AND" | "OR" | "NOT"))
        .map(|w| w.rsplit_once(':').map_or(w, |(_, v)| v))
        .flat_map(|w| w.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// The share of the typed words that the doc's title or the section found holds in exactly that
/// form ("response", not only "responsibility", which stems the same).
fn exact_share(typed: &[String], doc: &TantivyDocument, f: super::Fields) -> f32 {
    if typed.is_empty() {
        return 0.0;
    }
    let mut held = std::collections::HashSet::new();
    for field in [f.title, f.heading, f.body] {
        if let Some(text) = doc.get_first(field).and_then(|v| v.as_str()) {
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                if !word.is_empty() {
                    held.insert(word.to_lowercase());
                }
            }
        }
    }
    let found = typed.iter().filter(|w| held.contains(*w)).count();
    found as f32 / typed.len() as f32
}

/// Typo tolerance: each plain query word (5 letters or more, outside quotes and fields) whose
/// stem is in no title, heading or body is matched against the index's words, at edit distance
/// 1, or 2 for words of 9 letters or more; the closest, then the most frequent, is searched
/// instead. Only words that find nothing pay for the scan of the term dictionary.
fn corrections(
    index: &SearchIndex,
    searcher: &tantivy::Searcher,
    query: &str,
) -> Vec<(String, String)> {
    let f = index.fields;
    let Ok(prepared) = free_text::prepare(query) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut in_quote = false;
    for token in prepared.split(' ') {
        let quotes = token.matches('"').count();
        let quoted = in_quote || quotes > 0;
        if quotes % 2 == 1 {
            in_quote = !in_quote;
        }
        let word = token.to_lowercase();
        if quoted || word.chars().count() < 5 || !word.chars().all(char::is_alphabetic) {
            continue;
        }
        let stems = analyze(index, &word);
        let [stem] = stems.as_slice() else {
            continue;
        };
        let known = [f.title, f.heading, f.body].iter().any(|&field| {
            searcher
                .doc_freq(&Term::from_field_text(field, stem))
                .is_ok_and(|n| n > 0)
        });
        if known {
            continue;
        }
        let limit = if word.chars().count() >= 9 { 2 } else { 1 };
        if let Some(best) = closest_term(searcher, f.body, &word, stem, limit) {
            out.push((word, best));
        }
    }
    out
}

/// Moves a hit's line from its section's heading to the first line of the section that holds
/// one of the highlighted words, so `path:line` opens where the match is. The index keeps the
/// section's text without markup, so the line is found in the file itself (one small read per
/// hit shown).
pub fn point_at_match(kb: &crate::kb::Kb, hit: &mut Hit) {
    let words: Vec<String> = hit
        .highlights
        .iter()
        .filter_map(|&(start, end)| hit.snippet.get(start..end))
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return;
    }
    let Ok(source) = kb.read(hit.path.clone()) else {
        return;
    };
    let start = usize::try_from(hit.line).unwrap_or(1).max(1);
    let found = source
        .text
        .lines()
        .enumerate()
        .skip(start)
        .take_while(|(_, line)| !line.starts_with('#'))
        .find(|(_, line)| {
            let line = line.to_lowercase();
            words.iter().any(|w| line.contains(w.as_str()))
        });
    if let Some((index, _)) = found {
        hit.line = index as u64 + 1;
    }
}

/// A word as the docs write it for an indexed stem (`escalation` for `escal`), taken from the
/// highlighted matches of the hits, to tell the user what was searched in words they read.
fn surface_form(index: &SearchIndex, hits: &[Hit], stem: &str) -> Option<String> {
    hits.iter().find_map(|hit| {
        hit.highlights.iter().find_map(|&(start, end)| {
            let word = hit.snippet.get(start..end)?.to_lowercase();
            (analyze(index, &word) == [stem]).then_some(word)
        })
    })
}

/// The indexed word of `field` closest to what was typed, within `limit` edits (a swap of two
/// letters is one), then the most frequent. The index holds stems, and a misspelt word keeps
/// its suffix (`escalaton` does not stem to `escal`), so a stem also counts when it is, within
/// the limit, the start of the typed word.
fn closest_term(
    searcher: &tantivy::Searcher,
    field: tantivy::schema::Field,
    typed: &str,
    stem: &str,
    limit: usize,
) -> Option<String> {
    let len = stem.chars().count();
    let typed: Vec<char> = typed.chars().collect();
    let distance_to = |text: &str| {
        let whole = strsim::osa_distance(text, stem);
        let n = text.chars().count();
        let as_prefix = if n >= 4 && typed.len() > n && typed.len() - n <= 4 {
            strsim::osa_distance(text, &typed[..n].iter().collect::<String>())
        } else {
            usize::MAX
        };
        whole.min(as_prefix.saturating_add(1))
    };
    let mut best: Option<(usize, std::cmp::Reverse<u32>, String)> = None;
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut terms) = inverted.terms().stream() else {
            continue;
        };
        while terms.advance() {
            let Ok(text) = std::str::from_utf8(terms.key()) else {
                continue;
            };
            if text.chars().count().abs_diff(len) > limit + 4 {
                continue;
            }
            let distance = distance_to(text);
            if distance == 0 || distance > limit {
                continue;
            }
            let candidate = (
                distance,
                std::cmp::Reverse(terms.value().doc_freq),
                text.to_string(),
            );
            if best.as_ref().is_none_or(|b| candidate < *b) {
                best = Some(candidate);
            }
        }
    }
    best.map(|(_, _, text)| text)
}

/// One candidate per doc, at its best section, scored by its best sections together.
fn by_doc(sections: Vec<Candidate>) -> Vec<Candidate> {
    let mut seen: std::collections::HashMap<String, (usize, usize)> = Default::default();
    let mut docs: Vec<Candidate> = Vec::new();
    for (score, address, path) in sections {
        match seen.get_mut(&path) {
            Some((at, count)) => {
                if let Some(weight) = SECTION_WEIGHTS.get(*count) {
                    docs[*at].0 += score * weight;
                }
                *count += 1;
            }
            None => {
                seen.insert(path.clone(), (docs.len(), 1));
                docs.push((score, address, path));
            }
        }
    }
    docs.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
    docs
}

/// A doc kept for the record rather than current: under an `archive` folder, or with a status
/// that says so.
fn is_retired(path: &str, status: &str) -> bool {
    path.split('/')
        .any(|p| p.eq_ignore_ascii_case("archive") || p.eq_ignore_ascii_case("archived"))
        || matches!(
            status.to_lowercase().as_str(),
            "archived" | "deprecated" | "superseded" | "draft" | "obsolete"
        )
}

/// What a person typed, as text the query parser reads: stop words out, stray syntax as text,
/// synonym phrases kept whole.
fn prepared_query(request: &Request) -> Result<String> {
    free_text::prepare(&free_text::keep_synonym_phrases(
        &request.query,
        &request.synonyms,
    ))
}

/// The stemmed words of a text, joined by spaces: how synonyms are compared. One analyzer for
/// the whole search, so the built-in list costs no analyzer set-up per word.
fn stemmer(index: &SearchIndex) -> impl FnMut(&str) -> String {
    let mut analyzer = index.index.tokenizers().get(super::analyzer::STEMMED);
    move |text: &str| {
        let Some(analyzer) = analyzer.as_mut() else {
            return text.to_lowercase();
        };
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out.join(" ")
    }
}

/// The words the whole-doc ranking scores: the stems a person searched for, each its own
/// concept, and at a lower weight those of the synonyms each calls up, one concept per group.
fn query_terms(
    index: &SearchIndex,
    request: &Request,
    prepared: &str,
    synonyms: &free_text::Synonyms,
    stem: &mut dyn FnMut(&str) -> String,
) -> Vec<QueryTerm> {
    let mut terms: Vec<QueryTerm> = query_words(index, &request.query)
        .into_iter()
        .enumerate()
        .map(|(concept, stem)| QueryTerm {
            stem,
            weight: 1.0,
            concept,
        })
        .collect();
    let groups = free_text::synonyms_called_up(prepared, synonyms, stem);
    for synonyms in groups {
        let concept = terms.len();
        for word in synonyms.iter().flat_map(|s| analyze(index, s)) {
            if !free_text::is_stop_word(&word) && !terms.iter().any(|t| t.stem == word) {
                terms.push(QueryTerm {
                    stem: word,
                    weight: SYNONYM_DOC_WEIGHT,
                    concept,
                });
            }
        }
    }
    terms
}

/// The stemmed words a person searched for (not the excluded ones, not field names).
fn query_words(index: &SearchIndex, query: &str) -> Vec<String> {
    let prepared = free_text::prepare(query).unwrap_or_default();
    let plain: Vec<&str> = prepared
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

/// Parses what a person typed (`prepared`: the query as [`prepared_query`] reads it) and the
/// filter flags into a tantivy query; `corrected` adds the indexed words searched instead of typos.
fn build_query(
    index: &SearchIndex,
    request: &Request,
    prepared: &str,
    synonyms: &free_text::Synonyms,
    stem: &mut dyn FnMut(&str) -> String,
    corrected: &[(String, String)],
) -> Result<Box<dyn Query>> {
    let f = index.fields;
    let prepared = free_text::with_proximity(prepared);
    let prepared = free_text::expand_synonyms(&prepared, synonyms, stem);
    let (rest, prefixes) = split_prefixes(&prepared);
    let rest = normalize_fields(&rest);
    let mut parser = QueryParser::for_index(&index.index, vec![f.title, f.heading, f.body]);
    parser.set_field_boost(f.title, TITLE_BOOST);
    parser.set_field_boost(f.heading, HEADING_BOOST);

    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if !rest.trim().is_empty() {
        // Free text never fails: what the parser still refuses is searched as plain words.
        let parsed = parser
            .parse_query(&rest)
            .or_else(|_| parser.parse_query(&free_text::plain_words(&rest)))
            .map_err(|e| {
                Error::usage_with_hint(
                    format!("cannot read the query {:?}: {e}", request.query),
                    "use words, \"a phrase\", field:value (title, heading, body, id, type, status, owner, tags), AND, OR, NOT, word*",
                )
            })?;
        any.push((Occur::Should, parsed));
    }
    for (_, term) in corrected {
        for field in [f.title, f.heading, f.body] {
            let term = Term::from_field_text(field, term);
            any.push((
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
            ));
        }
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
    if any.is_empty() && request.query.trim().is_empty() {
        return Err(Error::usage_with_hint(
            "the query is empty",
            "search for some words: kb search \"refund policy\"",
        ));
    }
    // Only punctuation (`((((`, `*`, `?`): nothing to find, which is no result, not an error.
    if any.is_empty() {
        any.push((Occur::Should, Box::new(tantivy::query::EmptyQuery)));
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
    fn field_aliases() {
        assert_eq!(
            normalize_fields("tag:ops -tag:x section:Refunds"),
            "tags:ops -tags:x heading:Refunds"
        );
    }

    #[test]
    fn typed_words_are_the_content_words_as_typed() {
        assert_eq!(
            typed_words("What's our Response time? -pager owner:dana"),
            vec!["dana", "response", "time"]
        );
    }

    #[test]
    fn leads_are_bounded() {
        assert_eq!(lead("a  b\nc"), "a b c");
        assert!(lead(&"x ".repeat(500)).ends_with('…'));
    }
}
