//! `kb check`: one pass over the KB that finds what rots a handbook. Each rule lives in its own
//! file with a stable code, a default severity and a hint, and is listed once in [`RULES`];
//! adding a rule is one file and one line. Rules read a [`Context`] built once (every doc's
//! metadata and outline, ids, people, goals, reviews) and push [`Finding`]s; severities from
//! kb.yaml, per-doc opt-outs and the baseline are applied here, after the rules ran.

pub mod baseline;
mod docs;
mod goals;
mod links;
mod people;
mod reviews;

use crate::doc::markdown::Outline;
use crate::doc::{scalar_string, Document, Source};
use crate::error::DocError;
use crate::kb::Kb;
use serde::Serialize;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found, where it is, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub hint: String,
    /// What the finding is about (a link target, a field, an id): with code and path, the
    /// fingerprint a baseline keeps, which survives lines moving.
    #[serde(skip)]
    pub key: String,
}

/// A rule: its code, default severity, what it checks, and the function that runs it.
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub run: fn(&Context, &mut Vec<Finding>),
}

/// Every rule, in the order `--list-rules` shows them.
pub const RULES: &[Rule] = &[
    docs::BAD_FRONT_MATTER,
    docs::UNKNOWN_TYPE,
    docs::SCHEMA,
    docs::DUPLICATE_ID,
    docs::MISSING_DOC_REF,
    docs::SUPERSEDES_ONE_WAY,
    docs::RCA_ACTION_WITHOUT_OWNER,
    people::UNKNOWN_PERSON,
    links::BROKEN_LINK,
    goals::GOALS,
    reviews::REVIEWS,
];

/// Codes a rule function may emit besides its own (the schema rule reports several kinds).
pub const CODES: &[(&str, Severity, &str)] = &[
    (
        "bad-yaml",
        Severity::Error,
        "front-matter that does not parse",
    ),
    (
        "bad-toml",
        Severity::Error,
        "TOML front-matter that does not parse",
    ),
    (
        "unclosed-front-matter",
        Severity::Error,
        "a `---` that never closes",
    ),
    ("not-utf8", Severity::Error, "a file that is not UTF-8"),
    (
        "unreadable",
        Severity::Error,
        "a file or folder that cannot be read",
    ),
    (
        "symlink-outside",
        Severity::Warning,
        "a symlink that leads outside the KB, skipped by every command",
    ),
    (
        "unresolved-site-link",
        Severity::Warning,
        "site-absolute links (/x/y/) that no links.roots mapping explains, reported once per KB",
    ),
    (
        "link-outside-kb",
        Severity::Warning,
        "a Markdown link whose target lies outside the KB root",
    ),
    (
        "unknown-type",
        Severity::Warning,
        "a `type:` no built-in or kb.yaml type has",
    ),
    (
        "missing-field",
        Severity::Error,
        "a field the doc's type requires is missing",
    ),
    (
        "bad-field-kind",
        Severity::Error,
        "a field of the wrong kind (a list for a person, text for a number)",
    ),
    (
        "bad-enum",
        Severity::Error,
        "a status (or enum field) outside the allowed values",
    ),
    (
        "bad-date",
        Severity::Error,
        "a date field that is not a date",
    ),
    ("duplicate-id", Severity::Error, "two docs with the same id"),
    (
        "missing-doc-ref",
        Severity::Error,
        "supersedes, superseded_by or parent naming no doc",
    ),
    (
        "supersedes-one-way",
        Severity::Warning,
        "A supersedes B but B does not say superseded_by A (or back)",
    ),
    (
        "rca-action-without-owner",
        Severity::Warning,
        "an RCA action item with no owner",
    ),
    (
        "unknown-person",
        Severity::Error,
        "an owner, author or reviewer who is not in people/",
    ),
    (
        "broken-link",
        Severity::Error,
        "a Markdown link to a file that does not exist",
    ),
    (
        "broken-wiki-link",
        Severity::Error,
        "a [[wiki link]] to no id, path or page",
    ),
    (
        "broken-anchor",
        Severity::Error,
        "a link to a #heading the target does not have",
    ),
    (
        "bad-goal",
        Severity::Error,
        "a goal or check-in that cannot be read (period, key results)",
    ),
    (
        "goal-parent-missing",
        Severity::Warning,
        "a goal whose parent goal does not exist",
    ),
    (
        "goal-cycle",
        Severity::Error,
        "goals whose parents form a cycle",
    ),
    (
        "checkin-unknown-goal",
        Severity::Error,
        "a check-in about a goal that does not exist",
    ),
    (
        "checkin-unknown-kr",
        Severity::Error,
        "a check-in about a key result the goal does not have",
    ),
    (
        "review-malformed",
        Severity::Error,
        "a review event file that cannot be read",
    ),
    (
        "review-orphaned",
        Severity::Warning,
        "an open review thread whose quoted text is gone",
    ),
];

/// A doc as the rules see it.
pub struct DocInfo {
    pub doc: Document,
    pub outline: Outline,
    /// Anchors a link may target: heading anchors plus `id=`/`name=` HTML anchors.
    pub anchors: HashSet<String>,
    /// 1-based line of each top-level front-matter key.
    pub field_lines: HashMap<String, usize>,
    /// The body, kept only for docs with open review threads (whose anchors are resolved);
    /// holding every body would take the whole KB's size in memory.
    pub body: Option<String>,
    /// Findings computed from the body while it was at hand (RCA action items).
    pub body_findings: Vec<Finding>,
}

impl DocInfo {
    pub fn field_line(&self, key: &str) -> usize {
        self.field_lines.get(key).copied().unwrap_or(1)
    }
}

/// Everything the rules read, built once.
pub struct Context<'a> {
    pub kb: &'a Kb,
    pub reviews: crate::review::Reviews,
    pub docs: Vec<DocInfo>,
    pub errors: Vec<DocError>,
    pub by_path: HashMap<String, usize>,
    pub by_lower_path: HashMap<String, usize>,
    /// Lowercased id -> doc indexes.
    pub by_id: HashMap<String, Vec<usize>>,
    /// Handles from people/ (empty when the KB keeps no people docs).
    pub people: HashSet<String>,
}

impl<'a> Context<'a> {
    pub fn build(kb: &'a Kb) -> Context<'a> {
        let reviews = crate::review::load(kb);
        let reviewed: HashSet<&str> = reviews.threads.iter().map(|t| t.doc.as_str()).collect();
        let (found, walk_errors) = kb.walk_with(|rel| {
            kb.read_walked(rel.to_string()).map(|source| {
                let (mut outline, anchors) = links_and_anchors(&source);
                let body_findings = docs::body_findings(&source);
                // Rules need the anchors, not the headings: free them for the next 100k docs.
                outline.headings = Vec::new();
                DocInfo {
                    field_lines: crate::doc::frontmatter::field_lines(&source.text),
                    body: reviewed.contains(rel).then(|| source.body().to_string()),
                    body_findings,
                    doc: source.doc,
                    outline,
                    anchors,
                }
            })
        });
        let mut ctx = Context {
            kb,
            reviews,
            docs: Vec::with_capacity(found.len()),
            errors: walk_errors,
            by_path: HashMap::new(),
            by_lower_path: HashMap::new(),
            by_id: HashMap::new(),
            people: HashSet::new(),
        };
        for (_, result) in found {
            match result {
                Ok(info) => ctx.docs.push(info),
                Err(e) => ctx.errors.push(e),
            }
        }
        for (i, d) in ctx.docs.iter().enumerate() {
            ctx.by_path.insert(d.doc.path.clone(), i);
            ctx.by_lower_path
                .entry(d.doc.path.to_lowercase())
                .or_insert(i);
            if let Some(id) = d.doc.id() {
                ctx.by_id.entry(id.to_lowercase()).or_default().push(i);
            }
            if d.doc.doc_type.as_deref() == Some("person") {
                let handle = d
                    .doc
                    .fields
                    .get("handle")
                    .and_then(scalar_string)
                    .unwrap_or_else(|| stem(&d.doc.path));
                ctx.people.insert(handle.to_lowercase());
            }
        }
        ctx
    }

    /// The doc a reference (an id, or a path with or without `.md`) names.
    pub fn find_ref(&self, reference: &str) -> Option<usize> {
        let r = reference.trim().trim_start_matches("./");
        if let Some(ids) = self.by_id.get(&r.to_lowercase()) {
            return ids.first().copied();
        }
        self.by_path
            .get(r)
            .or_else(|| self.by_path.get(&format!("{r}.md")))
            .copied()
    }
}

/// A doc's outline with the links `kb check` follows (those outside Liquid comment blocks), and
/// the anchors a link may target: heading anchors plus `id=`/`name=` HTML anchors.
fn links_and_anchors(source: &Source) -> (Outline, HashSet<String>) {
    let mut outline = source.outline();
    // Links inside Liquid comment blocks are never rendered.
    let hidden = comment_lines(&source.text);
    outline.links.retain(|l| {
        !hidden
            .iter()
            .any(|(from, to)| (*from..=*to).contains(&l.line))
    });
    let mut anchors: HashSet<String> = outline
        .headings
        .iter()
        .map(|h| anchor_key(&h.anchor))
        .collect();
    anchors.extend(html_anchors(source.body()).iter().map(|a| anchor_key(a)));
    (outline, anchors)
}

/// Entry points for the fuzz targets in `fuzz/`: the link extraction and link reading of
/// `kb check`, without a KB on disk. Not a stable API.
#[doc(hidden)]
pub mod fuzzing {
    use crate::doc::markdown::Outline;
    use crate::doc::Source;
    use std::collections::HashSet;

    /// The links `kb check` follows in `source` and the anchors it offers.
    pub fn links_and_anchors(source: &Source) -> (Outline, HashSet<String>) {
        super::links_and_anchors(source)
    }

    /// How `kb check` reads a link `target` in the doc at `from` before looking at any file:
    /// the KB path it points at (`None` for an external link or one that climbs out of the KB).
    pub fn read_link_target(from: &str, target: &str) -> Option<String> {
        super::links::read_target(from, target)
    }
}

/// An anchor as compared: letters and digits only, lowercased. Site generators slug headings
/// differently (`cloud.gov` is `cloudgov` on GitHub, `cloud-gov` in Eleventy); what they agree
/// on is the letters and digits.
pub fn anchor_key(anchor: &str) -> String {
    anchor
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(s, _)| s).to_string()
}

/// The line ranges of `{% comment %} ... {% endcomment %}` blocks (Liquid, Eleventy, Jekyll).
fn comment_lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, line) in text.lines().enumerate() {
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if start.is_none() && compact.contains("{%comment%}") {
            start = Some(i + 1);
        }
        if let Some(s) = start {
            if compact.contains("{%endcomment%}") {
                out.push((s, i + 1));
                start = None;
            }
        }
    }
    out
}

/// `id="x"` and `name="x"` anchors in HTML, which links may target too.
fn html_anchors(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["id=\"", "name=\"", "id='", "name='"] {
        for (i, _) in body.match_indices(attr) {
            let rest = &body[i + attr.len()..];
            let quote = attr.chars().last().unwrap_or('"');
            if let Some(end) = rest.find(quote) {
                out.push(rest[..end].to_lowercase());
            }
        }
    }
    out
}

/// The result of a check: findings after severities, opt-outs and filters.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub files_checked: usize,
}

/// What to check and how.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// Only findings in these docs (all, when empty); links still resolve against the whole KB.
    pub only: Option<HashSet<String>>,
}

/// Runs every rule and applies kb.yaml's severities and each doc's `kb-check: {ignore: [...]}`.
pub fn run(kb: &Kb, options: &Options) -> Report {
    let ctx = Context::build(kb);
    let mut findings = Vec::new();
    for rule in RULES {
        (rule.run)(&ctx, &mut findings);
    }
    let overrides = severity_overrides(&kb.config.check);
    let ignored: HashMap<&str, Vec<String>> = ctx
        .docs
        .iter()
        .filter_map(|d| {
            let list = d.doc.fields.get("kb-check")?.get("ignore")?.as_array()?;
            Some((
                d.doc.path.as_str(),
                list.iter().filter_map(scalar_string).collect(),
            ))
        })
        .collect();
    findings.retain_mut(|f| {
        if ignored
            .get(f.path.as_str())
            .is_some_and(|codes| codes.iter().any(|c| c == f.code))
        {
            return false;
        }
        if let Some(only) = &options.only {
            if !only.contains(&f.path) {
                return false;
            }
        }
        match overrides.get(f.code) {
            Some(None) => false,
            Some(Some(s)) => {
                f.severity = *s;
                true
            }
            None => true,
        }
    });
    findings.sort_by(|a, b| {
        a.path
            .cmp(&b.path)
            .then(a.line.cmp(&b.line))
            .then(a.column.cmp(&b.column))
            .then(a.code.cmp(b.code))
    });
    findings.dedup();
    let files_checked = match &options.only {
        Some(only) => only.len(),
        None => ctx.docs.len() + ctx.errors.len(),
    };
    Report {
        findings,
        files_checked,
    }
}

/// kb.yaml `check: {rules: {code: error|warning|off}}`: `None` switches a rule off.
fn severity_overrides(check: &Value) -> HashMap<&'static str, Option<Severity>> {
    let mut out = HashMap::new();
    let Some(rules) = check.get("rules").and_then(Value::as_object) else {
        return out;
    };
    for (code, level) in rules {
        let Some(&(known, _, _)) = CODES.iter().find(|(c, _, _)| c == code) else {
            continue;
        };
        let level = match level.as_str() {
            Some("error") => Some(Severity::Error),
            Some("warning") => Some(Severity::Warning),
            Some("off") | Some("false") => None,
            _ if level == &Value::Bool(false) => None,
            _ => continue,
        };
        out.insert(known, level);
    }
    out
}

/// The default severity of a code.
pub fn default_severity(code: &str) -> Severity {
    CODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or(Severity::Error, |(_, s, _)| *s)
}

/// A finding with the code's default severity.
pub fn finding(
    code: &'static str,
    path: &str,
    line: usize,
    column: usize,
    message: String,
    hint: &str,
    key: String,
) -> Finding {
    Finding {
        path: path.to_string(),
        line,
        column,
        severity: default_severity(code),
        code,
        message,
        hint: hint.to_string(),
        key,
    }
}
