//! A doc's relevance as a whole: BM25F over its title, headings and body (DESIGN §6). The index
//! holds one entry per section, so the doc's statistics are gathered at query time from the
//! sections' postings: a term's frequency in the doc is the sum over its sections (the title,
//! which every section carries, counts once), its length per field comes from fast fields the
//! indexer writes on every section, and a term's document frequency counts docs, not sections
//! (estimated for very common words). Only the docs already found by the section query are
//! scored, so filters, `NOT` and phrases keep their meaning.

use super::Fields;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Searcher, Term, TERMINATED};

/// Fast fields on every section entry: the word count of its doc's whole body and headings.
pub const DOC_BODY_WORDS: &str = "doc_body_words";
pub const DOC_HEADING_WORDS: &str = "doc_heading_words";

/// Postings (sections, over the three fields) up to which a word's doc frequency is counted
/// exactly.
const EXACT_DF_POSTINGS: f32 = 5_000.0;

/// A stemmed word of the query, how much it counts, and the concept it stands for: each word
/// typed is its own concept, and the synonyms it calls up share one.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryTerm {
    pub stem: String,
    pub weight: f32,
    pub concept: usize,
}

/// How much a term found in each field counts, and BM25's saturation and length normalisation.
#[derive(Debug, Clone, Copy)]
pub struct Weights {
    pub title: f32,
    pub heading: f32,
    pub body: f32,
    pub k1: f32,
    pub b: f32,
}

/// Words as the stemming analyzer cuts them (runs of letters and digits), counted: a doc's length
/// for BM25F's normalisation.
pub fn word_count(text: &str) -> u64 {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count() as u64
}

/// The BM25F score of each candidate doc (by path) for the stemmed `terms`. Of the postings, only
/// the candidates' own sections (found through their path) and the doc counts of words on at
/// most [`EXACT_DF_POSTINGS`] sections are read, so a common word costs no more than a rare one.
pub fn scores(
    searcher: &Searcher,
    f: &Fields,
    weights: Weights,
    query: &[QueryTerm],
    candidates: &[&str],
) -> Vec<f32> {
    let terms: Vec<&String> = query.iter().map(|q| &q.stem).collect();
    let mut out = vec![0.0; candidates.len()];
    if candidates.is_empty() || terms.is_empty() {
        return out;
    }
    let fields = [f.title, f.heading, f.body];
    let field_weights = [weights.title, weights.heading, weights.body];

    // Collection statistics: sections, docs (distinct paths per segment), tokens per field, and
    // each term's document frequency in docs: the distinct paths among its postings in any field
    // (one bit per path). For a word on more than EXACT_DF_POSTINGS sections, reading them all
    // would cost more than the query, so its count is estimated from the term dictionaries (the
    // most sections of one field, a title's counted once per doc): it weighs little either way.
    let mut sections = 0f32;
    let mut docs = 0f32;
    let mut tokens = [0f32; 3];
    let mut section_df = vec![[0f32; 3]; terms.len()];
    let mut df = vec![0f32; terms.len()];
    for segment in searcher.segment_readers() {
        sections += segment.num_docs() as f32;
        let Ok(Some(paths)) = segment.fast_fields().str("path") else {
            continue;
        };
        docs += paths.num_terms() as f32;
        for (k, field) in fields.iter().enumerate() {
            let Ok(inverted) = segment.inverted_index(*field) else {
                continue;
            };
            tokens[k] += inverted.total_num_tokens() as f32;
            for (t, term) in terms.iter().enumerate() {
                let term = Term::from_field_text(*field, term);
                section_df[t][k] += inverted.doc_freq(&term).unwrap_or(0) as f32;
            }
        }
    }
    let exact: Vec<bool> = section_df
        .iter()
        .map(|d| d.iter().sum::<f32>() <= EXACT_DF_POSTINGS)
        .collect();
    for segment in searcher.segment_readers() {
        let Ok(Some(paths)) = segment.fast_fields().str("path") else {
            continue;
        };
        let alive = segment.alive_bitset();
        let mut seen = vec![0u64; paths.num_terms().div_ceil(64)];
        for (t, term) in terms.iter().enumerate() {
            if !exact[t] {
                continue;
            }
            seen.fill(0);
            for field in fields {
                let Ok(inverted) = segment.inverted_index(field) else {
                    continue;
                };
                let term = Term::from_field_text(field, term);
                let Ok(Some(mut postings)) =
                    inverted.read_postings(&term, IndexRecordOption::Basic)
                else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        if let Some(ord) = paths.ords().first(doc) {
                            let (word, bit) = ((ord / 64) as usize, ord % 64);
                            if let Some(w) = seen.get_mut(word) {
                                if *w & (1 << bit) == 0 {
                                    *w |= 1 << bit;
                                    df[t] += 1.0;
                                }
                            }
                        }
                    }
                    doc = postings.advance();
                }
            }
        }
    }
    if docs == 0.0 || sections == 0.0 {
        return out;
    }
    for (t, d) in section_df.iter().enumerate() {
        if !exact[t] {
            df[t] = (d[0] * docs / sections).max(d[1]).max(d[2]).min(docs);
        }
    }
    // Every section carries the title: its average is per section; headings and body per doc.
    let average = [
        (tokens[0] / sections).max(1.0),
        (tokens[1] / docs).max(1.0),
        (tokens[2] / docs).max(1.0),
    ];
    let idf: Vec<f32> = df
        .iter()
        .map(|&n| match n > 0.0 {
            true => (1.0 + (docs - n + 0.5) / (n + 0.5)).ln().max(0.0),
            false => 0.0,
        })
        .collect();

    // Term frequencies per candidate, term and field, summed over the doc's sections (the
    // title, on every section, counted once); lengths per candidate and field.
    let mut tf = vec![vec![[0f32; 3]; terms.len()]; candidates.len()];
    let mut lengths = vec![[0f32; 3]; candidates.len()];
    for segment in searcher.segment_readers() {
        let Ok(paths) = segment.inverted_index(f.path) else {
            continue;
        };
        let alive = segment.alive_bitset();
        // (section, candidate) of every candidate's sections in this segment, by section.
        let mut owned: Vec<(tantivy::DocId, usize)> = Vec::new();
        for (i, path) in candidates.iter().enumerate() {
            let term = Term::from_field_text(f.path, path);
            let Ok(Some(mut postings)) = paths.read_postings(&term, IndexRecordOption::Basic)
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    owned.push((doc, i));
                }
                doc = postings.advance();
            }
        }
        if owned.is_empty() {
            continue;
        }
        owned.sort_unstable();
        let fast = segment.fast_fields();
        let body_words = fast.u64(DOC_BODY_WORDS).ok();
        let heading_words = fast.u64(DOC_HEADING_WORDS).ok();
        let title_norms = segment.get_fieldnorms_reader(f.title).ok();
        for &(doc, i) in &owned {
            let read = |c: &Option<tantivy::columnar::Column<u64>>| {
                c.as_ref().and_then(|c| c.first(doc)).unwrap_or(0) as f32
            };
            lengths[i] = [
                title_norms
                    .as_ref()
                    .map_or(0.0, |r| r.fieldnorm(doc) as f32),
                read(&heading_words),
                read(&body_words),
            ];
        }
        for (k, field) in fields.iter().enumerate() {
            let Ok(inverted) = segment.inverted_index(*field) else {
                continue;
            };
            for (t, term) in terms.iter().enumerate() {
                let term = Term::from_field_text(*field, term);
                let Ok(Some(mut postings)) =
                    inverted.read_postings(&term, IndexRecordOption::WithFreqs)
                else {
                    continue;
                };
                for &(doc, i) in &owned {
                    if postings.doc() > doc || postings.seek(doc) != doc {
                        continue;
                    }
                    let n = postings.term_freq() as f32;
                    let cell = &mut tf[i][t][k];
                    *cell = if k == 0 { cell.max(n) } else { *cell + n };
                }
            }
        }
    }

    let concepts = query.iter().map(|q| q.concept + 1).max().unwrap_or(0);
    for (i, score) in out.iter_mut().enumerate() {
        // A concept (a word typed, or the synonyms it calls up) counts by its best word, so a
        // group of five synonyms does not outweigh the word it stands in for.
        let mut best = vec![0f32; concepts];
        for (t, idf) in idf.iter().enumerate() {
            let weighted: f32 = (0..3)
                .map(|k| {
                    let norm = 1.0 - weights.b + weights.b * lengths[i][k] / average[k];
                    field_weights[k] * tf[i][t][k] / norm.max(0.01)
                })
                .sum();
            if weighted > 0.0 {
                let term =
                    query[t].weight * idf * weighted * (weights.k1 + 1.0) / (weighted + weights.k1);
                let best = &mut best[query[t].concept];
                *best = best.max(term);
            }
        }
        *score = best.iter().sum();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        assert_eq!(word_count("Refunds, in 30 days (EU-only)."), 6);
        assert_eq!(word_count(""), 0);
    }
}
