//! What a person types, made into a query tantivy's parser accepts. People type questions, not
//! query syntax: "what's our travel budget?", "who signs off on a new vendor?", "refunds (EU)".
//! So apostrophes, `?`, `:` (outside a known `field:`), stray parentheses and other punctuation
//! are text; question words and other stop words count for nothing outside a quoted phrase
//! (unless the query has nothing else); `"phrases"`, `field:value`, `AND`/`OR`/`NOT`, `+word`
//! and `-word` keep their meaning. The only error is a double quote that is never closed.

use crate::error::{Error, Result};

/// Fields a person may name in a query (`tag:` and `section:` are aliases the parser learns
/// later).
const FIELDS: &[&str] = &[
    "title", "heading", "headings", "section", "body", "id", "type", "status", "owner", "tags",
    "tag",
];

/// Words that say nothing about what a doc is about: articles, pronouns, auxiliaries, question
/// words, and the bits an apostrophe leaves (`what's` -> `what`, `s`).
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "d",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "ll",
    "m",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "re",
    "s",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "ve",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Workplace words that mean the same thing, so "time off" finds the leave policy and "laptop"
/// the hardware page: the topics employees look up in a handbook (leave, pay, benefits,
/// equipment, security, engineering, people, ways of working), one group a line. Words are
/// compared by stem, so plurals need no entry. kb.yaml `search.synonyms` adds a KB's own and
/// `search.builtin_synonyms: false` switches these off. Listed in the README.
#[rustfmt::skip]
pub const BUILTIN_SYNONYMS: &[&[&str]] = &[
    &["time off", "pto", "paid time off", "vacation", "holiday", "leave", "annual leave", "days off"],
    &["sick", "illness", "sick leave", "unwell"],
    &["parental leave", "maternity", "paternity", "baby", "newborn", "adoption", "adopting"],
    &["leave of absence", "medical leave", "sabbatical", "unpaid leave", "surgery", "recovery"],
    &["bereavement", "funeral", "death in the family", "compassionate leave"],
    &["public holiday", "company holiday", "bank holiday"],
    &["pay", "salary", "compensation", "payroll", "paycheck", "wage"],
    &["bonus", "commission", "incentive"],
    &["equity", "stock", "stock options", "shares", "rsu", "vesting"],
    &["expense", "reimbursement", "reimburse", "paid back", "money back", "receipt"],
    &["budget", "allowance", "stipend"],
    &["overtime", "comp time", "extra hours", "after hours", "weekend"],
    &["raise", "promotion", "pay increase", "salary increase"],
    &["retirement", "401k", "pension"],
    &["company card", "corporate card", "credit card", "travel card"],
    &["invoice", "bill", "billing"],
    &["benefits", "perks", "insurance"],
    &["mental health", "therapy", "therapist", "counseling", "counselling", "eap", "employee assistance"],
    &["wellness", "wellbeing", "well-being", "fitness", "gym"],
    &["doctor", "medical", "healthcare", "health care", "physician"],
    &["fertility", "ivf", "egg freezing", "family planning", "family forming"],
    &["disability", "accommodation", "accessibility"],
    &["laptop", "computer", "hardware", "equipment", "macbook"],
    &["monitor", "screen", "display"],
    &["desk", "chair", "ergonomic", "home office", "workstation"],
    &["phone", "mobile", "cell phone", "smartphone"],
    &["password", "credentials", "login", "sign in", "2fa", "mfa", "two-factor"],
    &["wifi", "internet", "broadband"],
    &["access", "permission", "permissions"],
    &["phishing", "suspicious email", "scam", "spam"],
    &["security incident", "breach", "compromised", "hacked"],
    &["vulnerability", "security bug", "exploit", "cve"],
    &["lost", "stolen", "missing"],
    &["rollback", "roll back", "revert", "undo"],
    &["deploy", "deployment", "release", "rollout", "ship"],
    &["outage", "incident", "downtime", "production issue"],
    &["on-call", "on call", "pager", "paged", "pagerduty"],
    &["code review", "pull request", "merge request"],
    &["postmortem", "post-mortem", "retrospective", "retro", "root cause"],
    &["bug", "defect"],
    &["manager", "boss", "supervisor", "lead"],
    &["coworker", "colleague", "teammate", "peer"],
    &["quit", "resign", "resignation", "leaving", "offboarding", "last day"],
    &["fired", "termination", "terminated", "dismissal", "let go"],
    &["hire", "hiring", "recruiting", "recruit", "interview", "candidate"],
    &["referral", "refer"],
    &["onboarding", "first week", "new hire", "getting started"],
    &["mentor", "mentorship", "mentoring", "coach", "coaching", "buddy"],
    &["review", "performance review", "feedback", "evaluation", "appraisal"],
    &["harassment", "bullying", "bully", "belittling", "discrimination", "misconduct", "hostile"],
    &["complaint", "grievance", "whistleblower", "report a concern"],
    &["conflict", "disagreement", "disagree", "dispute"],
    &["diversity", "inclusion", "dei", "belonging"],
    &["pronouns", "gender identity"],
    &["career", "growth", "career ladder", "leveling", "levels"],
    &["training", "learning", "course", "professional development"],
    &["conference", "event", "meetup"],
    &["side job", "outside employment", "moonlighting", "second job"],
    &["contractor", "consultant", "freelancer"],
    &["remote", "work from home", "wfh", "distributed"],
    &["move", "relocate", "relocation", "moving"],
    &["abroad", "another country", "overseas", "international"],
    &["time zone", "timezone", "working hours"],
    &["meeting", "video call", "zoom"],
    &["vendor", "supplier", "procurement", "purchase", "buy"],
    &["contract", "agreement", "nda"],
    &["travel", "trip", "flight", "hotel"],
    &["emergency", "disaster", "hurricane", "earthquake", "flood", "wildfire", "crisis"],
    &["birthday", "anniversary", "celebrate", "celebration"],
    &["offsite", "retreat", "team event"],
    &["swag", "merch", "merchandise"],
];

/// The groups in force for a KB.
pub fn synonyms(config: &crate::config::SearchConfig) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = config
        .synonyms
        .iter()
        .map(|g| g.iter().map(|w| w.to_lowercase()).collect())
        .collect();
    if config.builtin_synonyms {
        groups.extend(
            BUILTIN_SYNONYMS
                .iter()
                .map(|g| g.iter().map(|w| w.to_string()).collect()),
        );
    }
    groups
}

/// Slop and weight of the pairs of adjacent query words: "vacation days" found as "vacation
/// days" or "vacation and sick days" scores above the two words far apart.
const PROXIMITY_SLOP: u32 = 2;
const PROXIMITY_BOOST: f32 = 1.5;

/// Adds, for a query of plain words only (no operators, signs, fields or phrases, whose meaning
/// extra clauses could change), each pair of adjacent words as a sloppy phrase: words found
/// near each other score higher.
pub fn with_proximity(prepared: &str) -> String {
    let words: Vec<&str> = prepared.split(' ').filter(|w| !w.is_empty()).collect();
    let plain = words.iter().all(|w| {
        !w.starts_with(['-', '+'])
            && w.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    }) && !words.iter().any(|w| is_operator(w));
    if !plain || words.len() < 2 {
        return prepared.to_string();
    }
    let pairs: Vec<String> = words
        .windows(2)
        .map(|p| format!("\"{} {}\"~{PROXIMITY_SLOP}^{PROXIMITY_BOOST}", p[0], p[1]))
        .collect();
    format!("{prepared} {}", pairs.join(" "))
}

/// How much a synonym counts against the word the person typed.
const SYNONYM_BOOST: f32 = 0.4;

/// Each plain word (or run of up to three words) of a prepared query that is in a synonym group
/// becomes `(word OR synonym^0.4 OR "a phrase"^0.4 ...)`: found either way, the typed word first.
/// Words are compared by `normal` (the index's stemmer), so "therapists" finds the group of
/// "therapist". Phrases, fields, signs and operators are left as they are.
pub fn expand_synonyms(
    prepared: &str,
    synonyms: &Synonyms,
    normal: &mut dyn FnMut(&str) -> String,
) -> String {
    let tokens: Vec<&str> = prepared.split(' ').filter(|t| !t.is_empty()).collect();
    let runs = synonym_runs(&tokens, synonyms, normal);
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    for run in runs {
        out.extend(tokens[i..run.start].iter().map(|t| t.to_string()));
        let typed = tokens[run.start..run.start + run.len].join(" ");
        let mut options = vec![quoted_if_phrase(typed.trim_matches('"'))];
        for other in run.others {
            options.push(format!("{}^{SYNONYM_BOOST}", quoted_if_phrase(other)));
        }
        out.push(format!("({})", options.join(" OR ")));
        i = run.start + run.len;
    }
    out.extend(tokens[i..].iter().map(|t| t.to_string()));
    out.join(" ")
}

/// Quotes, in what a person typed, the synonyms whose words include a stop word ("time off",
/// "paid back"), which [`prepare`] would otherwise cut to their other words ("time"), so that
/// they are still found and expanded as a whole.
pub fn keep_synonym_phrases(query: &str, groups: &[Vec<String>]) -> String {
    let phrases: Vec<Vec<&str>> = groups
        .iter()
        .flatten()
        .map(|p| p.split(' ').collect::<Vec<_>>())
        .filter(|w| w.len() > 1 && w.iter().any(|w| is_stop_word(w)))
        .collect();
    if phrases.is_empty() || query.contains('"') {
        return query.to_string();
    }
    let words: Vec<&str> = query.split_whitespace().collect();
    // A word with a sign, a field or an opening parenthesis, or after NOT, keeps its own
    // meaning; trailing punctuation ("off?") is text.
    let bare = |w: &str| match w.starts_with(char::is_alphanumeric) && !w.contains(':') {
        true => w
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase(),
        false => String::new(),
    };
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let negated = i > 0 && words[i - 1] == "NOT";
        let found = phrases.iter().filter(|_| !negated).find(|p| {
            words
                .get(i..i + p.len())
                .is_some_and(|run| run.iter().zip(p.iter()).all(|(w, p)| bare(w) == *p))
        });
        match found {
            Some(p) => {
                out.push(format!("\"{}\"", p.join(" ")));
                i += p.len();
            }
            None => {
                out.push(words[i].to_string());
                i += 1;
            }
        }
    }
    out.join(" ")
}

/// The synonyms a prepared query calls up, for the doc-level ranking: for each word (or run of
/// words) in a group, the group's other words and phrases.
pub fn synonyms_called_up<'s>(
    prepared: &str,
    synonyms: &'s Synonyms,
    normal: &mut dyn FnMut(&str) -> String,
) -> Vec<Vec<&'s str>> {
    let tokens: Vec<&str> = prepared.split(' ').filter(|t| !t.is_empty()).collect();
    synonym_runs(&tokens, synonyms, normal)
        .into_iter()
        .map(|run| run.others)
        .collect()
}

/// Synonym groups with each word's normal form (its stems), computed once per search.
pub struct Synonyms {
    groups: Vec<Vec<String>>,
    keys: Vec<Vec<String>>,
}

impl Synonyms {
    pub fn new(groups: &[Vec<String>], normal: &mut dyn FnMut(&str) -> String) -> Synonyms {
        let keys = groups
            .iter()
            .map(|g| g.iter().map(|w| normal(w)).collect())
            .collect();
        Synonyms {
            groups: groups.to_vec(),
            keys,
        }
    }
}

/// A run of query tokens found in a synonym group, and the group's other members.
struct SynonymRun<'g> {
    start: usize,
    len: usize,
    others: Vec<&'g str>,
}

/// The runs of one to three plain tokens (longest first, left to right) that a synonym group
/// holds. Tokens inside a quoted phrase (which may span several) are never expanded.
fn synonym_runs<'s>(
    tokens: &[&str],
    synonyms: &'s Synonyms,
    normal: &mut dyn FnMut(&str) -> String,
) -> Vec<SynonymRun<'s>> {
    let Synonyms { groups, keys } = synonyms;
    if groups.is_empty() {
        return Vec::new();
    }
    // A signed word (`-travel`, `+eu`) keeps its meaning: it is never widened.
    let plain = |t: &str| {
        !t.starts_with(['-', '+'])
            && t.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    // Phrases as (first token, token count): one is a run of its own only when it is whole.
    let mut quoted = vec![false; tokens.len()];
    let mut phrases = Vec::new();
    let mut open = None;
    for (i, t) in tokens.iter().enumerate() {
        let quotes = t.matches('"').count();
        quoted[i] = open.is_some() || quotes > 0;
        match (open, quotes) {
            (None, 2) if t.starts_with('"') && t.ends_with('"') => phrases.push((i, 1)),
            (None, 1) if t.starts_with('"') => open = Some(i),
            (Some(first), 1) if t.ends_with('"') => {
                phrases.push((first, i + 1 - first));
                open = None;
            }
            _ if quotes % 2 == 1 => open = if open.is_some() { None } else { Some(i) },
            _ => {}
        }
    }
    let mut runs = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let matched = (1..=3).rev().find_map(|n| {
            let run = tokens.get(i..i + n)?;
            let text = match phrases.contains(&(i, n)) {
                true => run.join(" ").trim_matches('"').to_string(),
                false if quoted[i..i + n].iter().any(|q| *q) => return None,
                false => run.join(" "),
            };
            if !text.split(' ').all(plain) || run.iter().any(|t| is_operator(t)) {
                return None;
            }
            let key = normal(&text.to_lowercase());
            if key.is_empty() {
                return None;
            }
            let g = keys.iter().position(|k| k.contains(&key))?;
            let others = groups[g]
                .iter()
                .zip(&keys[g])
                .filter(|(_, k)| **k != key)
                .map(|(w, _)| w.as_str())
                .collect();
            Some(SynonymRun {
                start: i,
                len: n,
                others,
            })
        });
        match matched {
            Some(run) => {
                i += run.len;
                runs.push(run);
            }
            None => i += 1,
        }
    }
    runs
}

fn quoted_if_phrase(words: &str) -> String {
    match words.contains(' ') {
        true => format!("\"{words}\""),
        false => words.to_string(),
    }
}

pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// The query to give the parser: see the module comment. An unclosed double quote is an error
/// with its position.
pub fn prepare(query: &str) -> Result<String> {
    check_quotes(query)?;
    let balanced = parentheses_balance(query);
    let mut out: Vec<String> = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    for piece in pieces(query) {
        match piece {
            Piece::Phrase(p) => out.push(p),
            Piece::Word(w) => match word(&w, balanced) {
                Some(Token::Kept(t)) => out.push(t),
                Some(Token::Stop(t)) => dropped.push(t),
                None => {}
            },
        }
    }
    // A query made only of stop words ("who are we") still runs, on those words.
    if out.iter().all(|t| is_operator(t)) {
        out.extend(dropped);
    }
    Ok(out.join(" "))
}

/// The query with every piece of syntax taken as text, operators included (`NOT` alone is the
/// word "not"): the fallback when the parser still refuses what [`prepare`] made.
pub fn plain_words(query: &str) -> String {
    query
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

enum Piece {
    Phrase(String),
    Word(String),
}

enum Token {
    Kept(String),
    Stop(String),
}

/// Splits outside double quotes on whitespace; a quoted phrase (with a `field:` or `+`/`-` glued
/// before it) stays whole.
fn pieces(query: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_quote = false;
    for c in query.chars() {
        match c {
            '"' => {
                current.push(c);
                if in_quote {
                    out.push(Piece::Phrase(std::mem::take(&mut current)));
                }
                in_quote = !in_quote;
            }
            c if c.is_whitespace() && !in_quote => {
                if !current.is_empty() {
                    out.push(Piece::Word(std::mem::take(&mut current)));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(Piece::Word(current));
    }
    out
}

/// One whitespace-separated word outside quotes, cleaned of what the parser would misread.
fn word(raw: &str, keep_parentheses: bool) -> Option<Token> {
    if is_operator(raw) {
        return Some(Token::Kept(raw.to_string()));
    }
    // `401(k)`: parentheses inside a word are text, and so are the ones around it then.
    let (_, inner) = split_leading(raw, false);
    let (inner, _) = split_trailing(inner, false);
    let keep_parentheses = keep_parentheses && !inner.contains(['(', ')']);
    let (open, rest) = split_leading(raw, keep_parentheses);
    let (rest, close) = split_trailing(rest, keep_parentheses);
    let (sign, rest) = match rest.chars().next() {
        Some(c @ ('+' | '-')) => (c.to_string(), &rest[1..]),
        _ => (String::new(), rest),
    };
    let (field, value) = match rest.split_once(':') {
        Some((f, v)) if FIELDS.contains(&f.to_lowercase().as_str()) && !v.is_empty() => {
            (format!("{}:", f.to_lowercase()), v)
        }
        _ => (String::new(), rest),
    };
    let prefix = value.ends_with('*');
    // A hyphenated word typed as free text is its words ("GPL-licensed" finds "GPL" near
    // "licensed"), not a phrase the page must spell the same way; the proximity pairs still
    // favour them side by side.
    let joined = !field.is_empty() || !sign.is_empty();
    let cleaned: String = value
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '.' || (c == '-' && joined) {
                c
            } else {
                ' '
            }
        })
        .collect();
    let words: Vec<&str> = cleaned
        .split_whitespace()
        .map(|w| w.trim_matches(['.', '-']))
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return (!open.is_empty() || !close.is_empty())
            .then(|| Token::Kept(format!("{open}{close}")));
    }
    let mut body = words.join(" ");
    if words.len() > 1 && (!field.is_empty() || !sign.is_empty()) {
        // `owner:dana's` or `-don't`: the whole value, as a phrase.
        body = format!("\"{body}\"");
    } else if prefix {
        body.push('*');
    }
    let text = format!("{open}{sign}{field}{body}{close}");
    let stop = field.is_empty()
        && sign.is_empty()
        && open.is_empty()
        && close.is_empty()
        && words.iter().all(|w| is_stop_word(&w.to_lowercase()));
    Some(match stop {
        true => Token::Stop(text),
        false => Token::Kept(text),
    })
}

fn is_operator(token: &str) -> bool {
    matches!(token, "AND" | "OR" | "NOT" | "(" | ")" | "()")
}

fn split_leading(word: &str, keep: bool) -> (String, &str) {
    let rest = word.trim_start_matches('(');
    let open = if keep {
        "(".repeat(word.len() - rest.len())
    } else {
        String::new()
    };
    (open, rest)
}

fn split_trailing(word: &str, keep: bool) -> (&str, String) {
    let rest = word.trim_end_matches([')', '?', '!', ',', ';', '.']);
    let close = if keep {
        ")".repeat(word[rest.len()..].matches(')').count())
    } else {
        String::new()
    };
    (rest, close)
}

/// Whether the parentheses outside quotes pair up; if not, none of them is syntax.
fn parentheses_balance(query: &str) -> bool {
    let mut depth: i64 = 0;
    let mut in_quote = false;
    for c in query.chars() {
        match c {
            '"' => in_quote = !in_quote,
            '(' if !in_quote => depth += 1,
            ')' if !in_quote => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

fn check_quotes(query: &str) -> Result<()> {
    let mut open = None;
    for (i, c) in query.chars().enumerate() {
        if c == '"' {
            open = if open.is_some() { None } else { Some(i) };
        }
    }
    match open {
        None => Ok(()),
        Some(at) => Err(Error::usage_with_hint(
            format!(
                "query syntax error at character {}: this quote is never closed\n  {query}\n  {}^",
                at + 1,
                " ".repeat(at)
            ),
            "close the quote, or leave it out",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn questions_become_their_content_words() {
        assert_eq!(
            prepare("what's our travel budget?").unwrap(),
            "travel budget"
        );
        assert_eq!(
            prepare("how many vacation days do I get").unwrap(),
            "many vacation days get"
        );
        assert_eq!(
            prepare("who signs off on a new vendor?").unwrap(),
            "signs new vendor"
        );
        assert_eq!(prepare("who are we").unwrap(), "who are we");
    }

    #[test]
    fn syntax_people_mean_is_kept() {
        assert_eq!(
            prepare("\"the refund\" policy").unwrap(),
            "\"the refund\" policy"
        );
        assert_eq!(
            prepare("title:incident OR heading:rollout").unwrap(),
            "title:incident OR heading:rollout"
        );
        assert_eq!(prepare("refund -travel +eu").unwrap(), "refund -travel +eu");
        assert_eq!(prepare("(a OR b) c").unwrap(), "(a OR b) c");
        assert_eq!(prepare("onboard*").unwrap(), "onboard*");
    }

    #[test]
    fn synonyms_widen_a_word_or_a_phrase_at_a_lower_weight() {
        let groups = vec![
            vec!["pto".to_string(), "time off".to_string()],
            vec!["laptop".to_string(), "computer".to_string()],
        ];
        let mut same = |w: &str| w.to_string();
        let groups = Synonyms::new(&groups, &mut same);
        assert_eq!(
            expand_synonyms("time off policy", &groups, &mut same),
            "(\"time off\" OR pto^0.4) policy"
        );
        assert_eq!(
            expand_synonyms("new laptop -computer", &groups, &mut same),
            "new (laptop OR computer^0.4) -computer"
        );
        assert_eq!(
            expand_synonyms("title:laptop", &groups, &mut same),
            "title:laptop"
        );
        assert_eq!(
            expand_synonyms("\"a new laptop here\" laptop", &groups, &mut same),
            "\"a new laptop here\" (laptop OR computer^0.4)"
        );
    }

    #[test]
    fn synonyms_are_compared_by_stem_and_phrases_with_stop_words_kept_whole() {
        let groups = vec![vec![
            "time off".to_string(),
            "vacation".to_string(),
            "paid back".to_string(),
        ]];
        let mut stem = |w: &str| w.trim_end_matches('s').to_string();
        let synonyms = Synonyms::new(&groups, &mut stem);
        assert_eq!(
            expand_synonyms("vacations", &synonyms, &mut stem),
            "(vacations OR \"time off\"^0.4 OR \"paid back\"^0.4)"
        );
        assert_eq!(
            synonyms_called_up("vacations policy", &synonyms, &mut stem),
            vec![vec!["time off", "paid back"]]
        );
        let kept = keep_synonym_phrases("how much Time off, and when?", &groups);
        assert_eq!(kept, "how much \"time off\" and when?");
        assert_eq!(
            expand_synonyms(&prepare(&kept).unwrap(), &synonyms, &mut stem),
            "much (\"time off\" OR vacation^0.4 OR \"paid back\"^0.4)"
        );
        for signed in ["-time off", "NOT time off", "title:time off", "(time off)"] {
            assert_eq!(keep_synonym_phrases(signed, &groups), signed);
        }
        // A query with its own quotes is left as typed.
        assert_eq!(
            keep_synonym_phrases("\"time off\" time off", &groups),
            "\"time off\" time off"
        );
    }

    #[test]
    fn a_hyphenated_word_is_its_words_unless_signed_or_fielded() {
        assert_eq!(prepare("GPL-licensed code").unwrap(), "GPL licensed code");
        assert_eq!(prepare("-on-call").unwrap(), "-on-call");
        assert_eq!(prepare("title:on-call").unwrap(), "title:on-call");
    }

    #[test]
    fn adjacent_words_also_count_as_a_sloppy_phrase() {
        assert_eq!(
            with_proximity("vacation days policy"),
            "vacation days policy \"vacation days\"~2^1.5 \"days policy\"~2^1.5"
        );
        assert_eq!(with_proximity("refund"), "refund");
        assert_eq!(with_proximity("refund -travel"), "refund -travel");
        assert_eq!(with_proximity("title:a b"), "title:a b");
    }

    #[test]
    fn stray_syntax_is_text() {
        assert_eq!(prepare("refunds (EU").unwrap(), "refunds EU");
        assert_eq!(prepare("401(k) match").unwrap(), "401 k match");
        assert_eq!(prepare("note: expenses").unwrap(), "note expenses");
        assert_eq!(prepare("re: laptop :)").unwrap(), "laptop");
        assert_eq!(prepare("owner:dana's").unwrap(), "owner:\"dana s\"");
        assert!(prepare("refund \"policy")
            .unwrap_err()
            .to_string()
            .contains("character 8"));
    }
}
