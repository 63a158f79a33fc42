//! A doc's relevance as a whole: BM25F over its title, headings and body (DESIGN §6). The index
//! holds one entry per section, so the doc's statistics are gathered at query time from the
//! sections' postings: a term's frequency in the doc is the sum over its sections (the title,
//! which every section carries, counts once), its length per field comes from fast fields the
//! indexer writes on every section, and a term's document frequency counts docs, not sections.
//! Only the docs already found by the section query are scored, so filters, `NOT` and phrases
//! keep their meaning.

use super::Fields;
use std::collections::HashMap;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, Term, TERMINATED};

/// Fast fields on every section entry: the word count of its doc's whole body and headings.
pub const DOC_BODY_WORDS: &str = "doc_body_words";
pub const DOC_HEADING_WORDS: &str = "doc_heading_words";

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

/// The BM25F score of each candidate doc (`(any section's address, path)`) for the stemmed
/// `terms`.
pub fn scores(
    searcher: &Searcher,
    f: &Fields,
    weights: Weights,
    terms: &[String],
    candidates: &[(DocAddress, String)],
) -> Vec<f32> {
    let mut out = vec![0.0; candidates.len()];
    if candidates.is_empty() || terms.is_empty() {
        return out;
    }
    let fields = [f.title, f.heading, f.body];
    let field_weights = [weights.title, weights.heading, weights.body];

    // Collection statistics: docs (distinct paths per segment) and tokens per field.
    let mut docs = 0f32;
    let mut tokens = [0f32; 3];
    let mut sections = 0f32;
    for segment in searcher.segment_readers() {
        if let Ok(Some(paths)) = segment.fast_fields().str("path") {
            docs += paths.num_terms() as f32;
        }
        sections += segment.max_doc() as f32;
        for (i, field) in fields.iter().enumerate() {
            if let Ok(inverted) = segment.inverted_index(*field) {
                tokens[i] += inverted.total_num_tokens() as f32;
            }
        }
    }
    if docs == 0.0 {
        return out;
    }
    // Every section carries the title: its average is per section; headings and body per doc.
    let average = [
        (tokens[0] / sections.max(1.0)).max(1.0),
        (tokens[1] / docs).max(1.0),
        (tokens[2] / docs).max(1.0),
    ];

    // Each candidate's lengths, from the section it was found at.
    let mut lengths: Vec<[f32; 3]> = vec![[0.0; 3]; candidates.len()];
    for (i, (address, _)) in candidates.iter().enumerate() {
        let segment = searcher.segment_reader(address.segment_ord);
        let fast = segment.fast_fields();
        let read = |name: &str| {
            fast.u64(name)
                .ok()
                .and_then(|c| c.first(address.doc_id))
                .unwrap_or(0) as f32
        };
        lengths[i][1] = read(DOC_HEADING_WORDS);
        lengths[i][2] = read(DOC_BODY_WORDS);
        lengths[i][0] = segment
            .get_fieldnorms_reader(f.title)
            .map(|r| r.fieldnorm(address.doc_id) as f32)
            .unwrap_or(0.0);
    }

    for term in terms {
        let mut per_doc: Vec<[f32; 3]> = vec![[0.0; 3]; candidates.len()];
        let mut df = 0usize;
        for segment in searcher.segment_readers() {
            let Ok(Some(paths)) = segment.fast_fields().str("path") else {
                continue;
            };
            let wanted: HashMap<u64, usize> = candidates
                .iter()
                .enumerate()
                .filter_map(|(i, (_, path))| {
                    let ord = paths.dictionary().term_ord(path.as_bytes()).ok()??;
                    Some((ord, i))
                })
                .collect();
            let mut seen = vec![false; paths.num_terms()];
            let alive = segment.alive_bitset();
            for (field_index, field) in fields.iter().enumerate() {
                let Ok(inverted) = segment.inverted_index(*field) else {
                    continue;
                };
                let term = Term::from_field_text(*field, term);
                let Ok(Some(mut postings)) =
                    inverted.read_postings(&term, IndexRecordOption::WithFreqs)
                else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        if let Some(ord) = paths.term_ords(doc).next() {
                            if let Some(slot) = seen.get_mut(ord as usize) {
                                if !*slot {
                                    *slot = true;
                                    df += 1;
                                }
                            }
                            if let Some(&i) = wanted.get(&ord) {
                                let tf = postings.term_freq() as f32;
                                let cell = &mut per_doc[i][field_index];
                                *cell = match field_index {
                                    0 => cell.max(tf),
                                    _ => *cell + tf,
                                };
                            }
                        }
                    }
                    doc = postings.advance();
                }
            }
        }
        if df == 0 {
            continue;
        }
        let df = df as f32;
        let idf = (1.0 + (docs - df + 0.5) / (df + 0.5)).ln().max(0.0);
        for (i, tfs) in per_doc.iter().enumerate() {
            let weighted: f32 = (0..3)
                .map(|k| {
                    let norm = 1.0 - weights.b + weights.b * lengths[i][k] / average[k];
                    field_weights[k] * tfs[k] / norm.max(0.01)
                })
                .sum();
            if weighted > 0.0 {
                out[i] += idf * weighted * (weights.k1 + 1.0) / (weighted + weights.k1);
            }
        }
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
