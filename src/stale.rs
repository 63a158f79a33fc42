//! Freshness (DESIGN §14): which docs are overdue for their owner's review, and confirming a
//! doc is still true. A doc is due when its last review (`reviewed:`), else its last update (the
//! front-matter's `updated:`, else git's), is older than its `review_every:` or its type's
//! `freshness:` in kb.yaml. GOV.UK's names, `last_reviewed_on` and `review_in`, are read too.

use crate::doc::{frontmatter, scalar_string, Document};
use crate::error::{Error, Result};
use crate::history::GitFacts;
use crate::kb::Kb;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// The front-matter names of the review date, kb's first.
pub const REVIEWED: [&str; 2] = ["reviewed", "last_reviewed_on"];
/// The front-matter names of the review interval, kb's first.
pub const REVIEW_EVERY: [&str; 2] = ["review_every", "review_in"];

/// kb.yaml's `freshness:`: an interval per doc type and a default, each in days (`None`: off).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Freshness {
    pub by_type: BTreeMap<String, Option<u32>>,
    pub default: Option<u32>,
}

impl Freshness {
    /// Reads `freshness:` entries (`handbook: 180d`, `default: off`); an entry that is not an
    /// interval is returned as the error, with its key.
    pub fn parse(
        entries: &BTreeMap<String, String>,
    ) -> std::result::Result<Freshness, (String, String)> {
        let mut freshness = Freshness::default();
        for (key, value) in entries {
            let days = interval_days(value).ok_or_else(|| (key.clone(), value.clone()))?;
            match key.as_str() {
                "default" => freshness.default = days,
                _ => {
                    freshness.by_type.insert(key.clone(), days);
                }
            }
        }
        Ok(freshness)
    }

    fn for_type(&self, doc_type: Option<&str>) -> Option<u32> {
        match doc_type.and_then(|t| self.by_type.get(t)) {
            Some(days) => *days,
            None => self.default,
        }
    }
}

/// An interval as people write one: `90d`, `2w`, `6m`, `1y`, `6 months`, `1 year`; `off` or
/// `never` for none. `None` when it is not one; `Some(None)` for off.
pub fn interval_days(text: &str) -> Option<Option<u32>> {
    let off = matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "off" | "never" | "none" | "false"
    );
    match off {
        true => Some(None),
        // Zero days means off; more days than a u32 holds is not an interval.
        false => crate::date::span_days(text)
            .and_then(|days| u32::try_from(days).ok())
            .map(|days| (days > 0).then_some(days)),
    }
}

/// What a doc's freshness is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Its owner confirmed it (`reviewed:`).
    Reviewed,
    /// Its last commit.
    Git,
    /// An `updated:` typed in the front-matter.
    FrontMatter,
}

/// One doc overdue for review (the JSON of DESIGN §14).
#[derive(Debug, Clone, Serialize)]
pub struct StaleDoc {
    pub path: String,
    pub title: String,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// The owner's handle, else GOV.UK's `owner_slack` channel.
    pub owner: Option<String>,
    pub reviewed: Option<NaiveDate>,
    pub updated: Option<NaiveDate>,
    pub review_every_days: u32,
    pub due: NaiveDate,
    pub days_overdue: i64,
    pub basis: Basis,
}

/// Whether anything makes docs due for review: a type's interval in kb.yaml, or a doc's own.
pub fn in_use(docs: &[&Document], freshness: &Freshness) -> bool {
    freshness.default.is_some()
        || freshness.by_type.values().any(Option::is_some)
        || docs
            .iter()
            .any(|d| REVIEW_EVERY.iter().any(|k| d.fields.contains_key(k)))
}

/// The docs overdue on `today`, most overdue first (then by path).
pub fn overdue(docs: &[Document], freshness: &Freshness, today: NaiveDate) -> Vec<StaleDoc> {
    let mut stale: Vec<StaleDoc> = docs
        .iter()
        .filter_map(|d| status(d, d.git.as_deref(), freshness, today))
        .filter(|s| s.days_overdue > 0)
        .collect();
    stale.sort_by(|a, b| {
        b.days_overdue
            .cmp(&a.days_overdue)
            .then_with(|| a.path.cmp(&b.path))
    });
    stale
}

/// A doc's freshness, when it has an interval and a date to count from; `git` is what git says
/// about it, if known.
pub fn status(
    doc: &Document,
    git: Option<&GitFacts>,
    freshness: &Freshness,
    today: NaiveDate,
) -> Option<StaleDoc> {
    let every = match first_text(doc, &REVIEW_EVERY) {
        Some(text) => interval_days(&text).flatten(),
        None => freshness.for_type(doc.doc_type.as_deref()),
    }?;
    let reviewed = first_text(doc, &REVIEWED).and_then(|t| crate::date::parse(&t));
    let typed = doc.updated().and_then(|t| crate::date::parse(&t));
    let git = git.map(|g| g.updated);
    let updated = typed.or(git);
    let (since, basis) = match (reviewed, typed, git) {
        (Some(r), _, _) => (r, Basis::Reviewed),
        (None, Some(u), _) => (u, Basis::FrontMatter),
        (None, None, Some(g)) => (g, Basis::Git),
        (None, None, None) => return None,
    };
    let due = since.checked_add_days(chrono::Days::new(u64::from(every)))?;
    Some(StaleDoc {
        path: doc.path.clone(),
        title: doc.title.clone(),
        doc_type: doc.doc_type.clone(),
        owner: doc.owner().or_else(|| doc.text_field("owner_slack")),
        reviewed,
        updated,
        review_every_days: every,
        due,
        days_overdue: (today - due).num_days(),
        basis,
    })
}

fn first_text(doc: &Document, keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|k| doc.fields.value(k).and_then(|v| scalar_string(&v)))
}

/// Sets `reviewed: today` in the doc at `path`: the line that holds the review date is
/// rewritten (kb's name or GOV.UK's, whichever the doc uses), else one line is added to the
/// front-matter (a front-matter is added to a doc without one). No other byte changes; the
/// read and the write happen under the KB's write lock. Returns the new text.
pub fn confirm(kb: &Kb, path: &str, today: NaiveDate) -> Result<String> {
    // The fenced read refuses paths outside the KB, FIFOs and devices before anything is written.
    kb.read(path.to_string()).map_err(Error::Doc)?;
    let _lock = crate::fsutil::lock(&kb.root)?;
    let bytes = kb.read_doc_bytes(path).map_err(Error::Doc)?;
    let text =
        String::from_utf8(bytes).map_err(|_| Error::usage(format!("{path} is not UTF-8")))?;
    let updated = with_reviewed(&text, today).map_err(|message| Error::Usage {
        message: format!("{path}: {message}"),
        hint: Some("fix the front-matter, then run `kb stale confirm` again".into()),
    })?;
    if updated != text {
        crate::fsutil::replace(&kb.root, path, updated.as_bytes())?;
    }
    Ok(updated)
}

/// `text` with its review date set to `date`, touching one line (or adding one).
pub fn with_reviewed(text: &str, date: NaiveDate) -> std::result::Result<String, String> {
    let split = frontmatter::split(text).map_err(|p| p.message)?;
    let toml = split.format == frontmatter::Format::Toml;
    let line_for = |key: &str| match toml {
        true => format!("{key} = {date}"),
        false => format!("{key}: {date}"),
    };
    if split.format == frontmatter::Format::None {
        let (bom, rest) = match text.strip_prefix('\u{feff}') {
            Some(rest) => ("\u{feff}", rest),
            None => ("", text),
        };
        return Ok(format!("{bom}---\n{}\n---\n{rest}", line_for(REVIEWED[0])));
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let known = frontmatter::field_lines(text);
    if let Some((key, line)) = REVIEWED
        .iter()
        .find_map(|k| known.get(*k).map(|line| (*k, *line)))
    {
        let index = line - 1;
        let old = lines
            .get(index)
            .ok_or("the review date's line is missing")?;
        let body = old.trim_end_matches(['\r', '\n']);
        let ending = &old[body.len()..];
        let indent = &old[..old.len() - old.trim_start().len()];
        let line = frontmatter::with_value(body, split.format, &date.to_string())
            .unwrap_or_else(|| format!("{indent}{}", line_for(key)));
        let mut out: String = lines[..index].concat();
        out.push_str(&line);
        out.push_str(ending);
        out.push_str(&lines[index + 1..].concat());
        return Ok(out);
    }
    // A new line goes right after the opening fence: in TOML, before any [table].
    let first = lines.first().ok_or("the doc is empty")?;
    let ending = match first.ends_with("\r\n") {
        true => "\r\n",
        false => "\n",
    };
    Ok(format!(
        "{first}{}{ending}{}",
        line_for(REVIEWED[0]),
        lines[1..].concat()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn intervals_as_people_write_them() {
        assert_eq!(interval_days("90d"), Some(Some(90)));
        assert_eq!(interval_days("2w"), Some(Some(14)));
        assert_eq!(interval_days("6m"), Some(Some(180)));
        assert_eq!(interval_days("1y"), Some(Some(365)));
        assert_eq!(interval_days("6 months"), Some(Some(180)));
        assert_eq!(interval_days("1 year"), Some(Some(365)));
        assert_eq!(interval_days("off"), Some(None));
        assert_eq!(interval_days("0d"), Some(None));
        assert_eq!(interval_days("soon"), None);
        assert_eq!(interval_days("d"), None);
        assert_eq!(interval_days("99999999999d"), None);
    }

    #[test]
    fn confirming_rewrites_one_line_or_adds_one() {
        let yaml = "---\ntitle: PTO\nreviewed: 2025-01-01 # by dana\nowner: dana\n---\n# PTO\n";
        assert_eq!(
            with_reviewed(yaml, day()).unwrap(),
            "---\ntitle: PTO\nreviewed: 2026-11-25 # by dana\nowner: dana\n---\n# PTO\n"
        );
        let govuk = "---\r\nlast_reviewed_on: 2025-01-01\r\n---\r\nBody\r\n";
        assert_eq!(
            with_reviewed(govuk, day()).unwrap(),
            "---\r\nlast_reviewed_on: 2026-11-25\r\n---\r\nBody\r\n"
        );
        let absent = "---\r\ntitle: PTO\r\n---\r\nBody\r\n";
        assert_eq!(
            with_reviewed(absent, day()).unwrap(),
            "---\r\nreviewed: 2026-11-25\r\ntitle: PTO\r\n---\r\nBody\r\n"
        );
        let toml = "+++\ntitle = \"PTO\"\n[extra]\nx = 1\n+++\nBody\n";
        assert_eq!(
            with_reviewed(toml, day()).unwrap(),
            "+++\nreviewed = 2026-11-25\ntitle = \"PTO\"\n[extra]\nx = 1\n+++\nBody\n"
        );
        let bare = "\u{feff}# PTO\n";
        assert_eq!(
            with_reviewed(bare, day()).unwrap(),
            "\u{feff}---\nreviewed: 2026-11-25\n---\n# PTO\n"
        );
    }
}
