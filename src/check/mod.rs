//! `kb check`: one pass over the KB that finds what rots a handbook. Each rule lives in its own
//! file, which declares the [`Code`]s it reports (stable code, default severity, summary, hint);
//! the rule is listed once in [`RULES`], from which `--list-rules`, SARIF's rules and kb.yaml's
//! `check: {rules: ...}` all read. Adding a rule is one file and one line. Rules read a
//! [`Context`] built once (every doc's metadata and outline, ids, people, goals, reviews) and push
//! [`Finding`]s; severities from kb.yaml, per-doc opt-outs and the baseline are applied here,
//! after the rules ran.

pub mod baseline;
mod blocks;
mod docs;
mod freshness;
mod goals;
mod kept;
pub mod links;
mod metrics;
mod org;
mod people;
mod reviews;
mod scope;
pub mod tables;

use crate::config::CheckConfig;
use crate::doc::markdown::{Link, Outline};
use crate::doc::{scalar_string, Document, Source};
use crate::error::DocError;
use crate::kb::Kb;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// How much a finding matters: errors fail `kb check`, warnings only with `--strict`. The one
/// severity of kb: `render::diagnostic` prints its blocks with it too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// The word outputs use: `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
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

impl Finding {
    /// The finding with a hint written for its case instead of its code's usual one.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = hint.into();
        self
    }
}

/// One kind of problem: its stable code, default severity, what it is (for `--list-rules`,
/// SARIF and kb.yaml's `check: {rules: ...}`) and what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// The usual hint; a finding may give a more precise one ([`Finding::with_hint`]).
    pub hint: &'static str,
}

impl Code {
    /// A finding of this code, at its default severity, with its usual hint. `key` is what the
    /// finding is about (see [`Finding::key`]).
    pub fn at(
        &self,
        path: &str,
        line: usize,
        column: usize,
        message: String,
        key: impl Into<String>,
    ) -> Finding {
        Finding {
            path: path.to_string(),
            line,
            column,
            severity: self.severity,
            code: self.code,
            message,
            hint: self.hint.to_string(),
            key: key.into(),
        }
    }
}

/// A rule: the codes it reports, declared in its own file, and the function that finds them.
pub struct Rule {
    pub codes: &'static [Code],
    pub run: fn(&Context, &mut Vec<Finding>),
}

/// Every rule, in the order they run and `--list-rules` shows their codes. Adding a rule is a
/// file declaring its [`Rule`] and one line here.
pub const RULES: &[Rule] = &[
    docs::RULE,
    people::RULE,
    org::RULE,
    links::RULE,
    goals::RULE,
    reviews::RULE,
    freshness::RULE,
    blocks::RULE,
    metrics::RULE,
];

/// Every code of every rule, in registry order.
pub fn codes() -> impl Iterator<Item = &'static Code> {
    RULES.iter().flat_map(|r| r.codes.iter())
}

/// The code named `name`, if a rule reports it.
pub fn code(name: &str) -> Option<&'static Code> {
    codes().find(|c| c.code == name)
}

/// A doc as the rules see it.
pub struct DocInfo {
    pub doc: Document,
    /// The links of the body, outside code and Liquid comments.
    pub links: Vec<Link>,
    /// Anchors a link may target (heading anchors plus `id=`/`name=` HTML anchors), each as the
    /// [`anchor_hash`] of its key, sorted: a hash set per doc cost more memory than the anchors,
    /// and the anchors as text were a tenth of `kb check`'s memory at 100k docs.
    pub anchors: Vec<u64>,
    /// 1-based line of each top-level front-matter key (where it is last set, as YAML keeps the
    /// last value), in no order: a doc has a dozen, and
    /// a list of them loads from the cache cheaper than a hash table per doc.
    pub field_lines: Vec<(String, usize)>,
    /// The body, kept only for docs with open review threads (whose anchors are resolved);
    /// holding every body would take the whole KB's size in memory.
    pub body: Option<String>,
    /// Findings computed from the body while it was at hand (RCA action items).
    pub body_findings: Vec<Finding>,
    /// The schema's findings, made when the doc was read ([`docs::schema_findings`]).
    pub schema_findings: Vec<Finding>,
    /// Whether the text mentions a live block's marker (only those docs are read again).
    pub has_blocks: bool,
}

impl DocInfo {
    pub fn field_line(&self, key: &str) -> usize {
        self.line_of(key).unwrap_or(1)
    }

    /// The line of the top-level front-matter key `key`, if the doc has it.
    pub fn line_of(&self, key: &str) -> Option<usize> {
        line_in(&self.field_lines, key)
    }
}

/// The line of `key` among a doc's field lines.
fn line_in(field_lines: &[(String, usize)], key: &str) -> Option<usize> {
    field_lines
        .iter()
        .find(|(k, _)| k == key)
        .map(|&(_, line)| line)
}

/// What `kb check` keeps of a doc between runs (in the doc cache's `check.bin`): everything
/// [`DocInfo`] holds but the body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checked {
    doc: Document,
    /// Whether the doc mentions a live block's marker (`blocks::mentions`).
    has_blocks: bool,
    /// Kept as the rules read them (postcard writes no key names), so loading them is moving
    /// them.
    links: Vec<Link>,
    anchors: Vec<u64>,
    field_lines: Vec<(String, usize)>,
    body_findings: Vec<KeptFinding>,
    schema_findings: Vec<KeptFinding>,
}

/// A doc as check reads it, or why it cannot be read.
pub type CheckedDoc = std::result::Result<Checked, DocError>;

impl crate::cache::Cached for CheckedDoc {
    const FILE: &'static str = ".kb/cache/check.bin";

    fn remembered(&self) -> bool {
        !crate::cache::unreadable(self)
    }
}

impl Checked {
    fn read(kb: &Kb, file: &crate::kb::Walked) -> CheckedDoc {
        kb.read_visited(file).map(|source| {
            // Rules need the links and anchors, not the headings.
            let (outline, mut anchors) = links_and_anchors(&source);
            let mut links = outline.links;
            // One scan of the front-matter's lines for the fields' lines and repeated keys.
            let keys = crate::doc::frontmatter::key_lines(&source.text);
            let field_lines: Vec<(String, usize)> = keys.last_lines().into_iter().collect();
            let line_of = |key: &str| line_in(&field_lines, key);
            let schema_findings = docs::schema_findings(&kb.config.schema, &source.doc, line_of)
                .into_iter()
                .map(KeptFinding::from)
                .collect();
            let body_findings = docs::body_findings(&source, &keys)
                .into_iter()
                .map(KeptFinding::from)
                .collect();
            // Held for every doc at once, as a warm run holds what it read from the cache: no
            // room to grow, the fields as the cache's bytes.
            let mut doc = source.doc;
            doc.fields.pack();
            links.shrink_to_fit();
            anchors.shrink_to_fit();
            Checked {
                has_blocks: crate::blocks::mentions(source.text.as_bytes()),
                field_lines,
                schema_findings,
                body_findings,
                doc,
                links,
                anchors,
            }
        })
    }

    /// The rules' view of the doc, with its `body` when it was read again (only docs with
    /// review threads need theirs: their anchors are resolved against it).
    fn into_info(self, body: Option<String>) -> DocInfo {
        // The fields stay as the cache keeps them: the rules read a few by key.
        DocInfo {
            has_blocks: self.has_blocks,
            doc: self.doc,
            links: self.links,
            anchors: self.anchors,
            field_lines: self.field_lines,
            body,
            body_findings: self
                .body_findings
                .into_iter()
                .filter_map(KeptFinding::into_finding)
                .collect(),
            schema_findings: self
                .schema_findings
                .into_iter()
                .filter_map(KeptFinding::into_finding)
                .collect(),
        }
    }
}

/// A [`Finding`] as the cache keeps it: its code by name, and its baseline key.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct KeptFinding {
    path: String,
    line: usize,
    column: usize,
    severity: Severity,
    code: String,
    message: String,
    hint: String,
    key: String,
}

impl From<Finding> for KeptFinding {
    fn from(f: Finding) -> KeptFinding {
        KeptFinding {
            path: f.path,
            line: f.line,
            column: f.column,
            severity: f.severity,
            code: f.code.to_string(),
            message: f.message,
            hint: f.hint,
            key: f.key,
        }
    }
}

impl KeptFinding {
    /// The finding again; `None` for a code this kb no longer has (a cache from another one).
    fn into_finding(self) -> Option<Finding> {
        Some(Finding {
            code: code(&self.code)?.code,
            path: self.path,
            line: self.line,
            column: self.column,
            severity: self.severity,
            message: self.message,
            hint: self.hint,
            key: self.key,
        })
    }
}

/// Everything the rules read, built once.
pub struct Context<'a> {
    pub kb: &'a Kb,
    pub reviews: crate::review::Reviews,
    pub docs: Vec<DocInfo>,
    pub errors: Vec<DocError>,
    /// Path -> doc index; looked up for every link (Fx: paths are the KB's own, not an
    /// attacker's, and SipHash was 6% of a warm `kb check`).
    pub by_path: FxHashMap<String, usize>,
    pub by_lower_path: FxHashMap<String, usize>,
    /// Lowercased id -> doc indexes.
    pub by_id: FxHashMap<String, Vec<usize>>,
    /// Handles from people/ (empty when the KB keeps no people docs).
    pub people: HashSet<String>,
    /// What live blocks should hold; without it only their markers are checked.
    pub blocks: Option<Arc<dyn crate::blocks::Contents>>,
    /// A move the lookups pretend happened: (from, to), KB paths ([`Context::relocate`]).
    relocated: Option<(String, String)>,
    /// Docs by file name and by title, built when a wiki link first needs them.
    wiki_names: std::sync::OnceLock<WikiNames>,
}

/// Docs by lowercased file name (without `.md`) and by lowercased title, the first of each in
/// path order: how a `[[wiki link]]` that is no id or path finds its page. Looking through
/// every doc for each such link made a 5,000-note vault take 1.3 s.
pub struct WikiNames {
    by_stem: FxHashMap<String, usize>,
    by_title: FxHashMap<String, usize>,
}

impl WikiNames {
    fn new(docs: &[DocInfo]) -> WikiNames {
        let mut names = WikiNames {
            by_stem: FxHashMap::default(),
            by_title: FxHashMap::default(),
        };
        for (i, d) in docs.iter().enumerate() {
            let name = d.doc.path.rsplit('/').next().unwrap_or("");
            let stem = name.trim_end_matches(".md").to_lowercase();
            names.by_stem.entry(stem).or_insert(i);
            names
                .by_title
                .entry(d.doc.title.to_lowercase())
                .or_insert(i);
        }
        names
    }

    /// The first doc whose file name or title is `lower`; a doc that has both is named by
    /// its file name.
    pub fn find(&self, lower: &str) -> Option<(usize, links::WikiName)> {
        let stem = self.by_stem.get(lower).map(|&i| (i, links::WikiName::Stem));
        let title = self
            .by_title
            .get(lower)
            .map(|&i| (i, links::WikiName::Title));
        match (stem, title) {
            (Some(s), Some(t)) => Some(if t.0 < s.0 { t } else { s }),
            (s, t) => s.or(t),
        }
    }
}

// A doc's `DocInfo` takes the place of its entry in the walk's list (`Context::build`): at 100k
// docs, a second list beside the first was 35 MB of `kb check`'s peak memory. Collecting in
// place is the standard library's optimisation of `into_iter().filter_map().collect()`, not a
// promise: it needs a `DocInfo` to fit where an entry was, which this checks, and that chain.
const _: () = assert!(
    std::mem::size_of::<DocInfo>() <= std::mem::size_of::<(String, CheckedDoc)>()
        && std::mem::align_of::<DocInfo>() == std::mem::align_of::<(String, CheckedDoc)>()
);

/// The bodies of the docs with review threads, read again on every core.
fn reviewed_bodies(
    kb: &Kb,
    found: &[(String, CheckedDoc)],
    reviewed: &HashSet<&str>,
) -> HashMap<String, String> {
    use rayon::prelude::*;
    found
        .par_iter()
        .filter(|(rel, checked)| checked.is_ok() && reviewed.contains(rel.as_str()))
        .filter_map(|(rel, _)| {
            let source = kb.read_walked(rel.clone()).ok()?;
            Some((rel.clone(), source.body().to_string()))
        })
        .collect()
}

/// The rest of `path` after `prefix` when `path` is `prefix` or lies under it: `""` or `/...`.
pub fn under<'p>(path: &'p str, prefix: &str) -> Option<&'p str> {
    let rest = path.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

impl<'a> Context<'a> {
    pub fn build(kb: &'a Kb) -> Context<'a> {
        let reviews = crate::review::load(kb);
        let reviewed: HashSet<&str> = reviews.threads.iter().map(|t| t.doc.as_str()).collect();
        let cache = crate::cache::DocCache::<CheckedDoc>::open(kb);
        let expected = cache.as_ref().map_or(0, |c| c.len());
        let (found, walk_errors) = kb.walk_folder_sized("", expected, |file| {
            let read = || Checked::read(kb, file);
            match &cache {
                Some(cache) => cache.get_or_with(file.rel, || file.stamp(), read),
                None => read(),
            }
        });
        if let Some(cache) = cache {
            cache.save(kb, "", &found);
        }
        let mut bodies = reviewed_bodies(kb, &found, &reviewed);
        let mut errors = walk_errors;
        // Collected in place (a `DocInfo` fits where its entry was): the walk's list becomes
        // the docs' list, not a second list beside it.
        let docs: Vec<DocInfo> = found
            .into_iter()
            .filter_map(|(rel, checked)| match checked {
                Ok(mut checked) => {
                    let body = bodies.remove(rel.as_str());
                    // The cache keeps no path in the doc: the walk's is moved in.
                    checked.doc.path = rel;
                    Some(checked.into_info(body))
                }
                Err(e) => {
                    errors.push(e);
                    None
                }
            })
            .collect();
        // The lookups are built side by side: at 100k docs, one after the other, they took as
        // long as the walk's stats.
        let ((by_path, by_lower_path), (by_id, people)) =
            rayon::join(|| path_lookups(&docs), || name_lookups(&docs));
        Context {
            kb,
            reviews,
            docs,
            errors,
            by_path,
            by_lower_path,
            by_id,
            people,
            relocated: None,
            blocks: None,
            wiki_names: std::sync::OnceLock::new(),
        }
    }

    /// The doc a reference (an id, or a path with or without `.md`) names.
    pub fn find_ref(&self, reference: &str) -> Option<usize> {
        self.find_id(reference)
            .or_else(|| self.find_path(reference))
    }

    /// The doc whose id is `reference` (ignoring case).
    pub fn find_id(&self, reference: &str) -> Option<usize> {
        let r = reference.trim().trim_start_matches("./");
        self.by_id.get(&r.to_lowercase())?.first().copied()
    }

    /// The doc at the KB path `reference`, `.md` optional.
    pub fn find_path(&self, reference: &str) -> Option<usize> {
        let r = reference.trim().trim_start_matches("./");
        self.by_path
            .get(r)
            .or_else(|| self.by_path.get(&format!("{r}.md")))
            .copied()
    }

    /// Docs by file name and by title, for wiki links.
    pub fn wiki_names(&self) -> &WikiNames {
        self.wiki_names.get_or_init(|| WikiNames::new(&self.docs))
    }

    /// Whether a file or folder is at the KB path `rel`, as the KB stands or, once
    /// [`Context::relocate`] was called, as it will stand after the move. The question and its
    /// answer are noted in `reads`: the link findings kept for the next run rest on them.
    fn exists(&self, rel: &str, reads: &mut kept::Reads) -> bool {
        self.probe(rel, false, reads)
    }

    /// [`Context::exists`] for a folder.
    fn is_dir(&self, rel: &str, reads: &mut kept::Reads) -> bool {
        self.probe(rel, true, reads)
    }

    fn probe(&self, rel: &str, dir: bool, reads: &mut kept::Reads) -> bool {
        let answer = self
            .on_disk(rel)
            .is_some_and(|p| kept::Probe::ask(&self.kb.root, &p, dir));
        reads.probes.push(kept::Probe {
            path: rel.to_string(),
            dir,
            answer,
        });
        answer
    }

    /// Where what will be at `rel` after the relocation is now: `None` where nothing will be.
    fn on_disk(&self, rel: &str) -> Option<String> {
        let Some((from, to)) = &self.relocated else {
            return Some(rel.to_string());
        };
        let rel = rel.trim_end_matches('/');
        if let Some(rest) = under(rel, to) {
            return Some(format!("{from}{rest}"));
        }
        if to.starts_with(&format!("{rel}/")) {
            // A folder on the way to `to`: there after the move, made if need be. `from`'s
            // folder stands in for it, being one.
            return Some(links::parent(from).to_string());
        }
        match under(rel, from) {
            Some(_) => None,
            None => Some(rel.to_string()),
        }
    }

    /// This context as the KB will be once the file or folder `from` is at `to` (KB paths):
    /// docs renamed, lookups rebuilt, files looked for where they will be. What `kb mv` checks
    /// its rewritten links against before it writes anything.
    pub fn relocate(&mut self, from: &str, to: &str) {
        for d in &mut self.docs {
            if let Some(rest) = under(&d.doc.path, from) {
                d.doc.path = format!("{to}{rest}");
            }
        }
        (self.by_path, self.by_lower_path) = path_lookups(&self.docs);
        self.wiki_names = std::sync::OnceLock::new();
        self.relocated = Some((from.to_string(), to.to_string()));
    }
}

/// Each doc's index by its path, and by its path lowercased (the first doc of each).
fn path_lookups(docs: &[DocInfo]) -> (FxHashMap<String, usize>, FxHashMap<String, usize>) {
    let mut by_path = FxHashMap::default();
    let mut by_lower_path = FxHashMap::default();
    by_path.reserve(docs.len());
    by_lower_path.reserve(docs.len());
    for (i, d) in docs.iter().enumerate() {
        by_path.insert(d.doc.path.clone(), i);
        by_lower_path.entry(d.doc.path.to_lowercase()).or_insert(i);
    }
    (by_path, by_lower_path)
}

/// Docs by lowercased id, and the lowercased handles of the people docs.
fn name_lookups(docs: &[DocInfo]) -> (FxHashMap<String, Vec<usize>>, HashSet<String>) {
    let mut by_id: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    let mut people = HashSet::new();
    for (i, d) in docs.iter().enumerate() {
        if let Some(id) = d.doc.id() {
            by_id.entry(id.to_lowercase()).or_default().push(i);
        }
        if d.doc.doc_type.as_deref() == Some("person") {
            let handle = d
                .doc
                .fields
                .value("handle")
                .and_then(|h| scalar_string(&h))
                .unwrap_or_else(|| stem(&d.doc.path));
            people.insert(crate::people::key(&handle));
        }
    }
    (by_id, people)
}

/// A doc's outline with the links `kb check` follows (those outside Liquid comment blocks), and
/// the anchors a link may target: heading anchors plus `id=`/`name=` HTML anchors.
fn links_and_anchors(source: &Source) -> (Outline, Vec<u64>) {
    let mut outline = source.outline();
    // Links inside Liquid comment blocks are never rendered.
    let hidden = comment_lines(&source.text);
    outline.links.retain(|l| {
        !hidden
            .iter()
            .any(|(from, to)| (*from..=*to).contains(&l.line))
    });
    let mut anchors: Vec<u64> = outline
        .headings
        .iter()
        .map(|h| anchor_hash(&h.anchor))
        .collect();
    anchors.extend(html_anchors(source.body()).iter().map(|a| anchor_hash(a)));
    anchors.sort_unstable();
    anchors.dedup();
    (outline, anchors)
}

/// Entry points for the fuzz targets in `fuzz/`: the link extraction and link reading of
/// `kb check`, without a KB on disk. Not a stable API.
#[doc(hidden)]
pub mod fuzzing {
    use crate::doc::markdown::Outline;
    use crate::doc::Source;

    /// The links `kb check` follows in `source` and the anchors it offers.
    pub fn links_and_anchors(source: &Source) -> (Outline, Vec<u64>) {
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
    key_chars(anchor).collect()
}

/// The characters of an [`anchor_key`].
fn key_chars(anchor: &str) -> impl Iterator<Item = char> + '_ {
    anchor
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
}

/// The 64-bit FNV-1a hash of an anchor's [`anchor_key`], as check keeps and compares anchors.
/// Two keys of one doc would have to collide for a broken anchor to pass unseen. Written out,
/// not taken from a hashing crate, because the doc cache stores these numbers: they must not
/// change with a dependency's version.
pub fn anchor_hash(anchor: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut utf8 = [0; 4];
    for c in key_chars(anchor) {
        for &byte in c.encode_utf8(&mut utf8).as_bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
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
    /// The owner of each doc with findings, so a baseline can say whose old problems it keeps
    /// without reading the KB again.
    pub owners: HashMap<String, String>,
}

/// What to check and how.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// Only findings in these docs (all, when empty); links still resolve against the whole KB.
    pub only: Option<HashSet<String>>,
    /// What live blocks should hold (`blocks::kinds::Live`), given by the caller.
    pub blocks: Option<Arc<dyn crate::blocks::Contents>>,
}

/// Runs every rule and applies kb.yaml's severities and each doc's `kb-check: {ignore: [...]}`.
pub fn run(kb: &Kb, options: &Options) -> Report {
    let mut ctx = Context::build(kb);
    ctx.blocks = options.blocks.clone();
    // The rules read one context and write their own findings: they run side by side (at 100k
    // docs, the serial ones took as long as the link rule), joined back in registry order.
    let per_rule: Vec<Vec<Finding>> = {
        use rayon::prelude::*;
        RULES
            .par_iter()
            .map(|rule| {
                let mut found = Vec::new();
                (rule.run)(&ctx, &mut found);
                found
            })
            .collect()
    };
    let mut findings: Vec<Finding> = per_rule.into_iter().flatten().collect();
    let overrides = severity_overrides(&kb.config.check);
    let ignored: HashMap<&str, Vec<String>> = ctx
        .docs
        .iter()
        .filter_map(|d| {
            let settings = d.doc.fields.value("kb-check")?;
            let list = settings.get("ignore")?.as_array()?;
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
    let with_findings: HashSet<&str> = findings.iter().map(|f| f.path.as_str()).collect();
    let owners = ctx
        .docs
        .iter()
        .filter(|d| with_findings.contains(d.doc.path.as_str()))
        .filter_map(|d| Some((d.doc.path.clone(), d.doc.owner()?)))
        .collect();
    use std::mem::take;
    crate::kb::drop_aside((
        take(&mut ctx.docs),
        take(&mut ctx.by_path),
        take(&mut ctx.by_lower_path),
        take(&mut ctx.by_id),
    ));
    Report {
        findings,
        files_checked,
        owners,
    }
}

/// kb.yaml `check: {rules: {code: error|warning|off}}`: `None` switches a rule off.
fn severity_overrides(check: &CheckConfig) -> HashMap<&'static str, Option<Severity>> {
    check
        .rules
        .iter()
        .map(|(code, level)| (code.0, level.severity()))
        .collect()
}

/// A KB on disk for the rules' unit tests: each rule is tested beside it on a few files.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Context, Rule};
    use crate::config::Env;
    use crate::kb::Kb;

    /// Runs `rule` on a KB made of `files` (path, text): `(code, path:line)` of each finding,
    /// sorted.
    pub fn run(rule: &Rule, files: &[(&str, &str)]) -> Vec<(String, String)> {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().expect("a parent")).expect("mkdir");
            std::fs::write(full, text).expect("write");
        }
        let env = Env {
            now: Some("2026-11-25".into()),
            ..Env::default()
        };
        let kb = Kb::open(dir.path().to_path_buf(), &env).expect("a KB");
        let ctx = Context::build(&kb);
        let mut found = Vec::new();
        (rule.run)(&ctx, &mut found);
        let mut out: Vec<(String, String)> = found
            .into_iter()
            .map(|f| (f.code.to_string(), format!("{}:{}", f.path, f.line)))
            .collect();
        out.sort();
        out
    }

    /// `(code, at)` pairs as owned strings, for comparing with [`run`].
    pub fn found(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = pairs
            .iter()
            .map(|(c, at)| (c.to_string(), at.to_string()))
            .collect();
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_declared_once_with_a_summary_and_a_hint() {
        let mut seen = HashSet::new();
        for c in codes() {
            assert!(seen.insert(c.code), "{} declared twice", c.code);
            assert!(!c.summary.is_empty() && !c.hint.is_empty(), "{}", c.code);
        }
        // Every kind of unreadable doc has its code.
        for kind in [
            crate::error::DocErrorKind::Unreadable,
            crate::error::DocErrorKind::NotUtf8,
            crate::error::DocErrorKind::UnclosedFrontMatter,
            crate::error::DocErrorKind::BadYaml,
            crate::error::DocErrorKind::BadToml,
            crate::error::DocErrorKind::SymlinkOutside,
        ] {
            assert!(code(kind.code()).is_some(), "{}", kind.code());
        }
        assert_eq!(
            code("broken-link").map(|c| c.severity),
            Some(Severity::Error)
        );
        assert!(code("broken-lnk").is_none());
    }

    #[test]
    fn comment_blocks_and_anchor_keys() {
        assert_eq!(
            comment_lines("a\n{% comment %}\nb\n{%endcomment%}\nc\n"),
            [(2, 4)]
        );
        assert_eq!(anchor_key("Cloud.gov Setup"), "cloudgovsetup");
        assert_eq!(
            anchor_hash("Cloud.gov Setup"),
            anchor_hash("cloud-gov-setup")
        );
        assert_ne!(
            anchor_hash("cloud-gov-setup"),
            anchor_hash("cloud-gov-setups")
        );
        // FNV-1a's published value for "a": the numbers in the cache never drift.
        assert_eq!(anchor_hash("A"), 0xaf63_dc4c_8601_ec8c);
    }
}
