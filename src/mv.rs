//! `kb mv`: moving a doc or a folder without breaking a link (DESIGN §18). Every link that led
//! to a moved file is rewritten to lead to it where it goes (relative links from any depth,
//! site-absolute links through `links.roots`, `[[wiki links]]` by path or file name, path-valued
//! front-matter such as `supersedes`), and so are the relative links inside the moved docs. Links
//! are read the way `kb check` reads them ([`crate::check::links`]); every rewritten link, and
//! every link at all, is then read again in the KB as it will be after the move
//! ([`Context::relocate`]) before anything is written: what check found before, it finds after.
//! Only a link's URL bytes change. The docs' review threads move with them.
//!
//! [`plan`] computes every change and writes nothing; [`apply`] writes them (each file
//! atomically, through [`crate::fsutil`]). A move holds the KB's write lock from its plan to
//! its last write; a dry run needs none.

use crate::check::links::{self, Base, Found, Markdown, Wiki, WikiName};
use crate::check::{under, Context};
use crate::doc::markdown::{link_sites, LinkKind, LinkSite};
use crate::doc::{frontmatter, scalar_string};
use crate::error::{display_path, Error, Result};
use crate::fsutil::{self, WriteLock};
use crate::kb::Kb;
use crate::review::{self, REVIEWS_DIR};
use crate::schema::{FieldKind, COMMON_FIELDS};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

/// What `kb mv` did or would do: its `--format json` (schema_version 1).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    /// KB paths of what was asked to move and where it went.
    pub from: String,
    pub to: String,
    /// Whether `from` is a folder.
    pub folder: bool,
    /// Nothing was written (`--dry-run`).
    pub dry_run: bool,
    /// Every file moved, docs and others (images, attachments), sorted.
    pub moved: Vec<Rename>,
    /// Docs whose links or front-matter were rewritten, by where they are after the move.
    pub rewritten: Vec<Rewritten>,
    /// Review threads moved with their doc.
    pub reviews: Vec<ThreadMove>,
    /// Things to know that did not stop the move.
    pub notes: Vec<String>,
    /// The short id of the commit `--commit` made.
    pub commit: Option<String>,
    /// With `--dry-run`: the changes as a git-style unified diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rename {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rewritten {
    pub path: String,
    /// Links whose URL changed.
    pub links: usize,
    /// Front-matter references whose value changed.
    pub fields: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThreadMove {
    pub thread: String,
    pub from: String,
    pub to: String,
}

/// Every change of a move, planned and checked, nothing written yet.
#[derive(Debug, Clone)]
pub struct Plan {
    pub from: String,
    pub to: String,
    pub folder: bool,
    /// Every file that moves (KB paths), sorted.
    pub files: Vec<Rename>,
    /// Files whose bytes change, by their path before the move.
    pub edits: Vec<Edit>,
    pub reviews: Vec<ThreadMove>,
    /// Review event files that move: (from, to).
    pub review_files: Vec<Rename>,
    pub notes: Vec<String>,
}

/// One file's new bytes.
#[derive(Debug, Clone)]
pub struct Edit {
    /// Where it is now.
    pub path: String,
    /// Where it is after the move (the same unless it moves).
    pub new_path: String,
    pub before: String,
    pub after: String,
    pub links: usize,
    pub fields: usize,
}

/// The move itself: `from` (a file or folder) to `to`, KB paths.
#[derive(Debug, Clone)]
struct Relocation {
    from: String,
    to: String,
}

impl Relocation {
    /// Where the KB path `path` is after the move (itself when it does not move).
    fn map(&self, path: &str) -> String {
        self.map_moved(path).unwrap_or_else(|| path.to_string())
    }

    /// Where `path` goes, if it moves.
    fn map_moved(&self, path: &str) -> Option<String> {
        under(path, &self.from).map(|rest| format!("{}{rest}", self.to))
    }

    fn moves(&self, path: &str) -> bool {
        under(path, &self.from).is_some()
    }
}

/// The KB paths `old` and `new` name (relative to `cwd`, else to the KB root), checked: `old`
/// exists inside the KB and is not kb's or git's; `new` (or `new/<name of old>` when `new` is a
/// folder) does not exist, stays inside the KB and keeps a doc a doc.
pub fn paths(kb: &Kb, cwd: &Path, old: &str, new: &str) -> Result<(String, String)> {
    let in_kb = |arg: &str, base: &Path| -> Option<String> {
        let rel = kb.relative_path(base, Path::new(arg))?;
        Some(rel.trim_end_matches('/').to_string())
    };
    let outside = |arg: &str| {
        Error::usage_with_hint(
            format!("{arg} is outside the knowledge base"),
            format!("kb mv moves files inside {}", kb.root.display()),
        )
    };
    // OLD relative to the cwd, else to the root; NEW counts from where OLD was found.
    let (from, base) = match in_kb(old, cwd) {
        Some(rel) if !rel.is_empty() && kb.root.join(&rel).symlink_metadata().is_ok() => {
            (rel, cwd.to_path_buf())
        }
        _ => match in_kb(old, &kb.root) {
            Some(rel) if !rel.is_empty() && kb.root.join(&rel).symlink_metadata().is_ok() => {
                (rel, kb.root.clone())
            }
            Some(rel) if rel.is_empty() => {
                return Err(Error::usage("kb mv cannot move the knowledge base's root"))
            }
            Some(_) => {
                return Err(Error::usage_with_hint(
                    format!("{old}: no such file or folder"),
                    "give the path of a doc or folder, relative to here or to the KB root",
                ))
            }
            None => return Err(outside(old)),
        },
    };
    let mut to = in_kb(new, &base).ok_or_else(|| outside(new))?;
    // `NEW/` or an existing folder: into it, under the same name.
    if to.is_empty() || new.ends_with('/') || kb.root.join(&to).is_dir() {
        let name = from.rsplit('/').next().unwrap_or(&from);
        to = if to.is_empty() {
            name.to_string()
        } else {
            format!("{to}/{name}")
        };
    }
    fsutil::lexically_inside(Path::new(&from))?;
    fsutil::lexically_inside(Path::new(&to))?;
    fsutil::ensure_inside(&kb.root, &kb.root.join(&from))?;
    fsutil::ensure_inside(&kb.root, &kb.root.join(&to))?;
    let own = |p: &str| {
        p == crate::config::CONFIG_FILE
            || p.split('/')
                .next()
                .is_some_and(|first| first == ".git" || first == ".kb")
    };
    if own(&from) || own(&to) {
        return Err(Error::usage_with_hint(
            format!(
                "kb mv moves docs and folders of docs, not {}",
                if own(&from) { &from } else { &to }
            ),
            "kb.yaml, .kb/ and .git/ stay where they are",
        ));
    }
    if from == to {
        return Err(Error::usage(format!("{from} is already there")));
    }
    if under(&to, &from).is_some() {
        return Err(Error::usage(format!(
            "cannot move {from} into itself ({to})"
        )));
    }
    if kb.root.join(&to).symlink_metadata().is_ok() {
        return Err(Error::usage_with_hint(
            format!("{to} already exists"),
            "kb mv never overwrites: choose another name, or move the existing file away",
        ));
    }
    // A folder on the way to NEW that is a file would stop the move half-way.
    let mut ancestor = links::parent(&to);
    while !ancestor.is_empty() {
        if kb.root.join(ancestor).is_file() {
            return Err(Error::usage(format!(
                "{ancestor} is a file, so {to} cannot be made"
            )));
        }
        ancestor = links::parent(ancestor);
    }
    let from_is_file = kb.root.join(&from).is_file();
    if from_is_file && kb.is_doc_path(&from) && !kb.is_doc_path(&to) {
        return Err(Error::usage_with_hint(
            format!(
                "{to} would not be a doc: kb reads Markdown files (.md) not excluded in kb.yaml"
            ),
            "give the new path a .md name",
        ));
    }
    Ok((from, to))
}

/// Plans the move of `from` to `to` (checked KB paths, from [`paths`]): every file that moves,
/// every link and reference rewritten, every review thread moved, each rewritten link read
/// again in the KB as it will be. Writes nothing. An error lists the links that could not be
/// kept leading where they led. A caller that applies the plan takes the write lock first.
pub fn plan(kb: &Kb, from: &str, to: &str) -> Result<Plan> {
    let mv = Relocation {
        from: from.to_string(),
        to: to.to_string(),
    };
    let folder = kb.root.join(from).is_dir();
    let files: Vec<Rename> = files_under(&kb.root, from)?
        .into_iter()
        .map(|path| Rename {
            to: mv.map(&path),
            from: path,
        })
        .collect();
    let mut ctx = Context::build(kb);
    let mut notes = Vec::new();
    for d in ctx.docs.iter().filter(|d| mv.moves(&d.doc.path)) {
        let new = mv.map(&d.doc.path);
        if !kb.is_doc_path(&new) {
            return Err(Error::usage(format!(
                "{} would move to {new}, where kb.yaml's `exclude:` hides it",
                d.doc.path
            )));
        }
    }
    notes.extend(type_notes(&ctx, &mv));

    // Before the move: read every link and reference, and propose new URLs.
    let mut docs: Vec<DocPlan> = ctx
        .docs
        .par_iter()
        .enumerate()
        .filter_map(|(i, _)| plan_doc(&ctx, &mv, i))
        .collect();
    let threads = plan_reviews(kb, &ctx, &mv)?;

    // After it: keep the first URL that still leads where the link led.
    ctx.relocate(from, to);
    let outcomes: Vec<std::result::Result<Option<Edit>, Vec<String>>> =
        docs.par_iter_mut().map(|d| settle(&ctx, d)).collect();
    let mut problems = Vec::new();
    let mut edits = Vec::new();
    for (outcome, d) in outcomes.into_iter().zip(&mut docs) {
        notes.append(&mut d.notes);
        match outcome {
            Ok(Some(edit)) => edits.push(edit),
            Ok(None) => {}
            Err(mut p) => problems.append(&mut p),
        }
    }
    if !problems.is_empty() {
        let shown: Vec<String> = problems.iter().take(20).cloned().collect();
        let more = match problems.len() {
            n if n > 20 => format!("\n  ... and {} more", n - 20),
            _ => String::new(),
        };
        return Err(Error::usage_with_hint(
            format!(
                "nothing moved: {} link{} would not lead where {} led:\n  {}{more}",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                if problems.len() == 1 { "it" } else { "they" },
                shown.join("\n  ")
            ),
            "fix these links by hand (or kb.yaml's `links.roots`, when a mapped folder moves), then run kb mv again",
        ));
    }
    let (reviews, review_files, mut review_edits) = threads;
    edits.append(&mut review_edits);
    edits.sort_by(|a, b| a.path.cmp(&b.path));
    notes.sort();
    notes.dedup();
    Ok(Plan {
        from: from.to_string(),
        to: to.to_string(),
        folder,
        files,
        edits,
        reviews,
        review_files,
        notes,
    })
}

/// Every file under `rel` (itself when it is a file), KB paths, sorted; symlinks not followed.
fn files_under(root: &Path, rel: &str) -> Result<Vec<String>> {
    let full = root.join(rel);
    let meta = full
        .symlink_metadata()
        .map_err(|e| Error::io("read", &full, e))?;
    if !meta.is_dir() {
        return Ok(vec![rel.to_string()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![full];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| Error::io("read", &dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io("read", &dir, e))?;
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                _ => out.push(display_path(root, &path)),
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Docs whose type comes from their folder and changes with the move, and `links.roots`
/// folders that move: worth saying, since `kb check` then reads them differently.
fn type_notes(ctx: &Context, mv: &Relocation) -> Vec<String> {
    let schema = &ctx.kb.config.schema;
    let mut changed: BTreeMap<(String, String), usize> = BTreeMap::new();
    for d in ctx.docs.iter().filter(|d| mv.moves(&d.doc.path)) {
        let explicit = d
            .doc
            .fields
            .get("type")
            .and_then(scalar_string)
            .is_some_and(|t| !t.is_empty());
        let before = schema.type_for_path(&d.doc.path);
        let after = schema.type_for_path(&mv.map(&d.doc.path));
        if !explicit && before != after {
            let name = |t: Option<&str>| t.unwrap_or("no type").to_string();
            *changed.entry((name(before), name(after))).or_default() += 1;
        }
    }
    let mut notes: Vec<String> = changed
        .into_iter()
        .map(|((before, after), n)| {
            format!(
                "{n} doc{} without `type:` {} type with the folder: {before} -> {after}",
                if n == 1 { "" } else { "s" },
                if n == 1 { "changes" } else { "change" }
            )
        })
        .collect();
    for (prefix, folder) in &ctx.kb.config.links.roots {
        let folder = folder.trim_start_matches("./").trim_matches('/');
        if !folder.is_empty() && folder != "." && mv.moves(folder) {
            notes.push(format!(
                "kb.yaml maps {prefix} to {folder}, which moves: update `links.roots`"
            ));
        }
    }
    notes
}

/// What a link or reference must lead to after the move.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expect {
    /// This doc (index in the context's docs).
    Doc(usize),
    /// A file or folder that is not a doc, at this KB path after the move.
    File(String),
    /// A link `kb check` reports as broken: it stays as written.
    Broken,
    /// A relative link above the KB root (`link-outside-kb`): it stays above it.
    Outside,
    /// Not followed by `kb check` (external, unmapped site URLs, template syntax).
    Nothing,
}

/// One link of a doc, with the URLs it may have after the move, best first; the first is the
/// link as written.
#[derive(Debug)]
struct LinkPlan {
    site: LinkSite,
    expect: Expect,
    candidates: Vec<String>,
    /// The link or its target moves, so it must keep leading there (else it is a problem).
    must_follow: bool,
}

/// A front-matter reference (`supersedes: specs/a.md`) and its possible new values.
#[derive(Debug)]
struct FieldPlan {
    field: String,
    value: String,
    expect: usize,
    candidates: Vec<String>,
}

/// One doc's links and references, planned before the move.
#[derive(Debug)]
struct DocPlan {
    /// Where it is now and after the move.
    path: String,
    new_path: String,
    /// The file's text as on disk, and where its body starts in it.
    raw: String,
    body_start: usize,
    links: Vec<LinkPlan>,
    fields: Vec<FieldPlan>,
    notes: Vec<String>,
}

/// Reads doc `i`'s links and references as `kb check` does and proposes their new URLs. `None`
/// when the doc cannot be read (check reports it).
fn plan_doc(ctx: &Context, mv: &Relocation, i: usize) -> Option<DocPlan> {
    let d = &ctx.docs[i];
    let path = d.doc.path.clone();
    let new_path = mv.map(&path);
    let bytes = ctx.kb.read_doc_bytes(&path).ok()?;
    let raw = String::from_utf8(bytes).ok()?;
    let source = crate::doc::parse(
        path.clone(),
        raw.clone().into_bytes(),
        &ctx.kb.config.schema,
    )
    .ok()?;
    // The parser drops byte-order marks: offsets in its text are offsets in the file after them.
    let bom = raw.len() - raw.trim_start_matches('\u{feff}').len();
    let body_start = bom + source.text.len() - source.body().len();
    // Partials (`_includes/`) resolve relative links against the page including them, which
    // kb cannot know: `kb check` leaves them alone, and so does `kb mv`.
    let partial = path.split('/').any(|p| p == "_includes");
    let links = link_sites(source.body(), source.doc.body_line)
        .into_iter()
        .filter(|site| {
            !(partial
                && site.kind == LinkKind::Markdown
                && !site.target.trim_start().starts_with('/'))
        })
        .map(|site| plan_link(ctx, mv, &path, &new_path, site))
        .collect();
    let fields = plan_fields(ctx, mv, i);
    Some(DocPlan {
        path,
        new_path,
        raw,
        body_start,
        links,
        fields,
        notes: Vec::new(),
    })
}

fn plan_link(
    ctx: &Context,
    mv: &Relocation,
    from: &str,
    new_from: &str,
    site: LinkSite,
) -> LinkPlan {
    let original = site.target.clone();
    let (expect, candidates, target_moves) = match site.kind {
        LinkKind::Markdown => match links::read_markdown(ctx, from, &original) {
            Markdown::Path(reading) => {
                let (expect, target) = match reading.found {
                    Some(Found::Doc(i)) => (Expect::Doc(i), ctx.docs[i].doc.path.clone()),
                    Some(Found::Other) => {
                        let bare = reading.path.trim_end_matches('/').to_string();
                        (Expect::File(mv.map(&bare)), bare)
                    }
                    None => (Expect::Broken, String::new()),
                };
                let moves = expect != Expect::Broken && mv.moves(&target);
                let candidates = if expect == Expect::Broken || (!moves && from == new_from) {
                    vec![original]
                } else {
                    let moved_from = (from != new_from).then_some(from);
                    markdown_candidates(
                        ctx, mv, moved_from, new_from, &original, &reading, &target, site.angle,
                    )
                };
                (expect, candidates, moves)
            }
            // A link above the KB root from a doc that moves: to the same place outside.
            Markdown::Outside if from != new_from => {
                let candidates = vec![
                    original.clone(),
                    outside_candidate(from, new_from, &original, site.angle),
                ];
                (Expect::Outside, candidates, false)
            }
            _ => (Expect::Nothing, vec![original], false),
        },
        LinkKind::Wiki => match links::read_wiki(ctx, &original) {
            Wiki::Doc { index, by, .. } => {
                let target = &ctx.docs[index].doc.path;
                let moves = mv.moves(target);
                let mut candidates = vec![original.clone()];
                if moves {
                    candidates.extend(wiki_candidates(&original, by, &mv.map(target)));
                }
                (Expect::Doc(index), candidates, moves)
            }
            Wiki::Missing => (Expect::Broken, vec![original], false),
            _ => (Expect::Nothing, vec![original], false),
        },
    };
    let must_follow =
        matches!(expect, Expect::Doc(_) | Expect::File(_)) && (target_moves || from != new_from);
    LinkPlan {
        site,
        expect,
        candidates,
        must_follow,
    }
}

/// New URLs for a Markdown link whose target (`target`, a KB path) or holder moves, best
/// first: in the link's own style (relative or site-absolute, `x.md` or `x/`, `./`, its
/// encoding and angle brackets, query and fragment kept), then the plain path of the file.
#[allow(clippy::too_many_arguments)]
fn markdown_candidates(
    ctx: &Context,
    mv: &Relocation,
    moved_from: Option<&str>,
    new_from: &str,
    original: &str,
    reading: &links::Reading,
    target: &str,
    angle: bool,
) -> Vec<String> {
    let trimmed = original.trim();
    let (path_part, suffix) = match trimmed.find(['?', '#']) {
        Some(at) => trimmed.split_at(at),
        None => (trimmed, ""),
    };
    let new_target = mv.map(target);
    let written = written_after(&reading.path, target, mv).unwrap_or_else(|| new_target.clone());
    let style = Style::of(path_part, angle);
    let mut out = vec![original.to_string()];
    // The holder stays: the link's own path with only the part that names what moved changed
    // (`../handbook/travel.md` becomes `../handbook/trips.md`, not `trips.md`).
    if moved_from.is_none() {
        if let Some(swapped) = swap_tail(&reading.decoded, &reading.path, &written) {
            out.push(format!("{}{suffix}", style.encode(&swapped)));
        }
    }
    match &reading.base {
        Base::Site(prefix) => {
            for place in [&written, &new_target] {
                out.push(format!(
                    "{}{suffix}",
                    style.encode(&site_url(ctx, prefix.as_deref(), place))
                ));
            }
        }
        base => {
            let from_dir = match base {
                Base::Page => new_from.trim_end_matches(".md"),
                _ => links::parent(new_from),
            };
            let mut relative = relative_path(from_dir, &written);
            if path_part.starts_with("./")
                && !relative.starts_with("../")
                && !relative.starts_with("./")
            {
                relative = format!("./{relative}");
            }
            out.push(format!("{}{suffix}", style.encode(&relative)));
            let plain = relative_path(links::parent(new_from), &new_target);
            out.push(format!("{}{suffix}", style.encode(&plain)));
        }
    }
    dedup_keep_order(out)
}

/// A relative link that climbs above the KB root from `from`, rewritten to reach the same
/// place from `new_from`.
fn outside_candidate(from: &str, new_from: &str, original: &str, angle: bool) -> String {
    let trimmed = original.trim();
    let (path_part, suffix) = match trimmed.find(['?', '#']) {
        Some(at) => trimmed.split_at(at),
        None => (trimmed, ""),
    };
    let decoded = links::percent_decode(path_part);
    // The place as `..` above the root, then segments.
    let mut above = 0usize;
    let mut parts: Vec<&str> = links::parent(from)
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    above += 1;
                }
            }
            p => parts.push(p),
        }
    }
    let depth = links::parent(new_from)
        .split('/')
        .filter(|p| !p.is_empty())
        .count();
    let mut path = "../".repeat(depth + above);
    path.push_str(&parts.join("/"));
    if decoded.ends_with('/') && !parts.is_empty() {
        path.push('/');
    }
    format!("{}{suffix}", Style::of(path_part, angle).encode(&path))
}

/// `decoded` (a link's path, which reads as the KB path `written`) with the segments in which
/// `written` and `written_new` differ swapped at its end; `None` when it does not end with them.
fn swap_tail(decoded: &str, written: &str, written_new: &str) -> Option<String> {
    let slash = if written_new.ends_with('/') { "/" } else { "" };
    let split = |p: &str| -> Vec<String> {
        p.trim_end_matches('/')
            .split('/')
            .map(str::to_string)
            .collect()
    };
    let (old, new, path) = (split(written), split(written_new), split(decoded));
    let common = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let (old_tail, new_tail) = (&old[common..], &new[common..]);
    if old_tail.is_empty()
        || path.len() < old_tail.len()
        || path[path.len() - old_tail.len()..] != *old_tail
    {
        return None;
    }
    let mut out: Vec<String> = path[..path.len() - old_tail.len()].to_vec();
    out.extend(new_tail.iter().cloned());
    Some(format!("{}{slash}", out.join("/")))
}

fn dedup_keep_order(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The KB path a link should name after the move, in the form it named its target before:
/// `x/` for `x.md` stays a pretty URL, a folder stays a folder, `x.html` stays `.html`. `None`
/// when that form cannot name the target any more (the plain path is used).
fn written_after(written: &str, target: &str, mv: &Relocation) -> Option<String> {
    let slash = if written.ends_with('/') { "/" } else { "" };
    let bare = written.trim_end_matches('/');
    if let Some(moved) = mv.map_moved(bare) {
        return Some(format!("{moved}{slash}"));
    }
    // Matched ignoring case (docs sites serve paths so).
    if let Some(rest) = under(&bare.to_lowercase(), &mv.from.to_lowercase()) {
        if bare.len() >= mv.from.len() && bare.is_char_boundary(bare.len() - rest.len()) {
            return Some(format!(
                "{}{}{slash}",
                mv.to,
                &bare[bare.len() - rest.len()..]
            ));
        }
    }
    if let (Some(old_stem), Some(new_stem)) =
        (mv.from.strip_suffix(".md"), mv.to.strip_suffix(".md"))
    {
        if bare.eq_ignore_ascii_case(old_stem) {
            return Some(format!("{new_stem}{slash}"));
        }
        if bare.eq_ignore_ascii_case(&format!("{old_stem}.html")) {
            return Some(format!("{new_stem}.html"));
        }
        // A folder's page, named by its folder.
        if links::is_folder_page(&mv.from) && bare == links::parent(&mv.from) {
            return links::is_folder_page(&mv.to).then(|| {
                let folder = links::parent(&mv.to);
                match folder.is_empty() {
                    true => String::new(),
                    false => format!("{folder}{slash}"),
                }
            });
        }
    }
    // A translation missing in `ja/` read from `en/`: the link stays in its language.
    if let Some((lang, rest)) = bare.split_once('/') {
        if links::is_translation(lang) && target.starts_with("en/") {
            let in_english = written_after(&format!("en/{rest}{slash}"), target, mv)?;
            return in_english
                .strip_prefix("en/")
                .map(|rest| format!("{lang}/{rest}"));
        }
    }
    (!mv.moves(target)).then(|| written.to_string())
}

/// The site-absolute URL of the KB path `place`: through the `links.roots` prefix the link used
/// when its folder still holds `place`, else the one whose folder holds it most closely, else
/// from the KB root.
fn site_url(ctx: &Context, prefix: Option<&str>, place: &str) -> String {
    let roots = &ctx.kb.config.links.roots;
    let folder_of = |p: &str| -> String {
        let f = roots.get(p).map(String::as_str).unwrap_or("");
        let f = f.trim_start_matches("./").trim_matches('/');
        if f == "." {
            String::new()
        } else {
            f.to_string()
        }
    };
    let inside = |folder: &str| -> Option<String> {
        if folder.is_empty() {
            return Some(place.to_string());
        }
        under(place, folder).map(|rest| rest.trim_start_matches('/').to_string())
    };
    let via = prefix
        .filter(|p| inside(&folder_of(p)).is_some())
        .map(str::to_string)
        .or_else(|| {
            roots
                .keys()
                .filter(|p| inside(&folder_of(p)).is_some())
                .max_by_key(|p| folder_of(p).len())
                .cloned()
        });
    match via {
        Some(p) => {
            let rest = inside(&folder_of(&p)).unwrap_or_default();
            match (p.ends_with('/'), rest.is_empty()) {
                (_, true) => p,
                (true, false) => format!("{p}{rest}"),
                (false, false) => format!("{p}/{rest}"),
            }
        }
        None => format!("/{place}"),
    }
}

/// `target` (a KB path; a trailing `/` kept) relative to the folder `from_dir`.
fn relative_path(from_dir: &str, target: &str) -> String {
    let base: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let slash = target.ends_with('/');
    let to: Vec<&str> = target.split('/').filter(|s| !s.is_empty()).collect();
    let common = base.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; base.len() - common];
    parts.extend(&to[common..]);
    let mut out = parts.join("/");
    if out.is_empty() {
        return "./".to_string();
    }
    if slash {
        out.push('/');
    }
    out
}

/// How a link's path was written, so that a new one is written alike.
#[derive(Debug, Clone)]
struct Style {
    /// The path's segments as written (percent-encoded as they were).
    segments: Vec<String>,
    angle: bool,
    /// Non-ASCII characters were percent-encoded.
    encode_non_ascii: bool,
}

impl Style {
    fn of(path: &str, angle: bool) -> Style {
        // A `%XX` escape of a byte above 0x7F: the link encoded its non-ASCII characters.
        let encode_non_ascii = path.as_bytes().windows(3).any(|w| {
            w[0] == b'%'
                && matches!(w[1], b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')
                && w[2].is_ascii_hexdigit()
        });
        Style {
            segments: path.split('/').map(str::to_string).collect(),
            angle,
            encode_non_ascii,
        }
    }

    /// The decoded path `path` written in this style: its trailing segments that the
    /// original link spelled are spelled the same, others are percent-encoded where a URL
    /// needs it.
    fn encode(&self, path: &str) -> String {
        let new: Vec<&str> = path.split('/').collect();
        let mut out: Vec<String> = new.iter().map(|s| self.segment(s)).collect();
        let tail = out
            .iter_mut()
            .rev()
            .zip(new.iter().rev().zip(self.segments.iter().rev()));
        for (slot, (segment, old)) in tail {
            if links::percent_decode(old) != *segment {
                break;
            }
            slot.clone_from(old);
        }
        balance_parens(out.join("/"))
    }

    fn segment(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                ' ' if self.angle => out.push(' '),
                ' ' | '%' | '#' | '?' | '<' | '>' | '\\' => push_encoded(&mut out, c),
                c if c.is_control() => push_encoded(&mut out, c),
                c if !c.is_ascii() && self.encode_non_ascii => push_encoded(&mut out, c),
                c => out.push(c),
            }
        }
        out
    }
}

fn push_encoded(out: &mut String, c: char) {
    let mut buf = [0u8; 4];
    for b in c.encode_utf8(&mut buf).bytes() {
        out.push_str(&format!("%{b:02X}"));
    }
}

/// Parentheses percent-encoded when they do not pair up (a bare destination needs them to).
fn balance_parens(url: String) -> String {
    let mut depth = 0i64;
    let mut balanced = true;
    for c in url.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    balanced = false;
                }
            }
            _ => {}
        }
    }
    if balanced && depth == 0 {
        url
    } else {
        url.replace('(', "%28").replace(')', "%29")
    }
}

/// New names for a `[[wiki link]]` whose doc moves to `new_target`: by path when it named the
/// path (`.md` and `./` as it had them), by file name when it named that; ids and titles do
/// not change.
fn wiki_candidates(original: &str, by: WikiName, new_target: &str) -> Vec<String> {
    let lead = &original[..original.len() - original.trim_start().len()];
    let trail = &original[original.trim_end().len()..];
    let inner = original.trim();
    let (name, fragment) = match inner.find('#') {
        Some(at) => inner.split_at(at),
        None => (inner, ""),
    };
    let name = name.trim();
    let without_md = new_target.strip_suffix(".md").unwrap_or(new_target);
    let dot = if name.starts_with("./") { "./" } else { "" };
    let path = match name.ends_with(".md") {
        true => format!("{dot}{new_target}"),
        false => format!("{dot}{without_md}"),
    };
    let stem = without_md.rsplit('/').next().unwrap_or(without_md);
    let names = match by {
        WikiName::Path => vec![path],
        WikiName::Stem => vec![stem.to_string(), without_md.to_string()],
        WikiName::Id | WikiName::Title => Vec::new(),
    };
    names
        .into_iter()
        .map(|n| format!("{lead}{n}{fragment}{trail}"))
        .collect()
}

/// The path-valued front-matter references of doc `i` that name a moved doc by its path.
fn plan_fields(ctx: &Context, mv: &Relocation, i: usize) -> Vec<FieldPlan> {
    let d = &ctx.docs[i];
    let schema = &ctx.kb.config.schema;
    let doc_type = d.doc.doc_type.as_deref().and_then(|t| schema.get(t));
    let mut fields: Vec<&str> = COMMON_FIELDS
        .iter()
        .filter(|(_, k)| matches!(k, FieldKind::Doc | FieldKind::Docs))
        .map(|(f, _)| *f)
        .collect();
    if let Some(t) = doc_type {
        fields.extend(
            t.fields
                .iter()
                .filter(|(_, k)| matches!(k, FieldKind::Doc | FieldKind::Docs))
                .map(|(f, _)| f.as_str()),
        );
    }
    fields.sort_unstable();
    fields.dedup();
    let mut out = Vec::new();
    for field in fields {
        // A goal's parent is an id (the goal rules read it so).
        if field == "parent" && doc_type.is_some_and(|t| t.name == "goal") {
            continue;
        }
        let values: Vec<String> = match d.doc.fields.value(field).as_deref() {
            Some(Value::Array(items)) => items.iter().filter_map(scalar_string).collect(),
            Some(v) => scalar_string(v).into_iter().collect(),
            None => Vec::new(),
        };
        for value in values {
            if ctx.find_id(&value).is_some() {
                continue;
            }
            let Some(target) = ctx.find_path(&value) else {
                continue;
            };
            let target_path = &ctx.docs[target].doc.path;
            let Some(new_target) = mv.map_moved(target_path) else {
                continue;
            };
            let trimmed = value.trim();
            let dot = if trimmed.starts_with("./") { "./" } else { "" };
            let named = trimmed.trim_start_matches("./");
            let new_value = match named.ends_with(".md") {
                true => format!("{dot}{new_target}"),
                false => format!("{dot}{}", new_target.trim_end_matches(".md")),
            };
            out.push(FieldPlan {
                field: field.to_string(),
                value: value.clone(),
                expect: target,
                candidates: vec![new_value],
            });
        }
    }
    out
}

/// After the move ([`Context::relocate`]): picks each link's first URL that leads where the
/// link led, and builds the doc's new text. Problems are links that cannot follow their
/// target; notes are links elsewhere whose reading the move changes.
fn settle(ctx: &Context, d: &mut DocPlan) -> std::result::Result<Option<Edit>, Vec<String>> {
    let mut problems = Vec::new();
    let mut replacements: Vec<(Range<usize>, String)> = Vec::new();
    let mut links_changed = 0;
    for link in &d.links {
        let leads = |url: &str| leads_to(ctx, &d.new_path, link.site.kind, url, &link.expect);
        let at = format!("{}:{}", d.new_path, link.site.line);
        match &link.expect {
            Expect::Nothing => continue,
            Expect::Broken => {
                if leads(&link.site.target) {
                    d.notes.push(format!(
                        "{at}: the broken link {} will lead to a file after the move",
                        link.site.target
                    ));
                }
                continue;
            }
            Expect::Doc(_) | Expect::File(_) | Expect::Outside => {}
        }
        let Some(chosen) = link.candidates.iter().find(|c| leads(c)) else {
            let what = match &link.expect {
                Expect::Doc(i) => ctx.docs[*i].doc.path.clone(),
                Expect::File(p) => p.clone(),
                _ => "the same place outside the KB".to_string(),
            };
            match link.must_follow {
                true => problems.push(format!("{at}: {} (to {what})", link.site.target)),
                false => d.notes.push(format!(
                    "{at}: {} will no longer lead to {what} after the move",
                    link.site.target
                )),
            }
            continue;
        };
        if *chosen == link.site.target {
            continue;
        }
        match &link.site.span {
            Some(span) => {
                replacements.push((
                    d.body_start + span.start..d.body_start + span.end,
                    chosen.clone(),
                ));
                links_changed += 1;
            }
            None => problems.push(format!(
                "{at}: {} is written in a form kb cannot rewrite",
                link.site.target
            )),
        }
    }
    let mut fields_changed = 0;
    let mut field_values: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for f in &d.fields {
        let Some(chosen) = f
            .candidates
            .iter()
            .find(|c| ctx.find_ref(c) == Some(f.expect))
        else {
            problems.push(format!(
                "{}: `{}: {}` (to {})",
                d.new_path, f.field, f.value, ctx.docs[f.expect].doc.path
            ));
            continue;
        };
        field_values
            .entry(f.field.as_str())
            .or_default()
            .push((f.value.as_str(), chosen.as_str()));
        fields_changed += 1;
    }
    if !field_values.is_empty() {
        match front_matter_edits(&d.raw, &field_values) {
            Some(mut r) => replacements.append(&mut r),
            None => problems.push(format!(
                "{}: its front-matter references are written in a form kb cannot rewrite",
                d.new_path
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if replacements.is_empty() {
        return Ok(None);
    }
    replacements.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    replacements.dedup_by(|a, b| a.0 == b.0);
    let mut after = d.raw.clone();
    for (range, text) in &replacements {
        after.replace_range(range.clone(), text);
    }
    if let Err(e) = verify_fields(ctx, &after, &field_values) {
        return Err(vec![format!("{}: {e}", d.new_path)]);
    }
    Ok(Some(Edit {
        path: d.path.clone(),
        new_path: d.new_path.clone(),
        before: std::mem::take(&mut d.raw),
        after,
        links: links_changed,
        fields: fields_changed,
    }))
}

/// Whether `url`, a link in the doc at `from`, leads to what `expect` says.
fn leads_to(ctx: &Context, from: &str, kind: LinkKind, url: &str, expect: &Expect) -> bool {
    match kind {
        LinkKind::Markdown => match links::read_markdown(ctx, from, url) {
            Markdown::Path(r) => match (&r.found, expect) {
                (Some(Found::Doc(i)), Expect::Doc(j)) => i == j,
                (Some(Found::Other), Expect::File(p)) => r.path.trim_end_matches('/') == p,
                (Some(_), Expect::Broken) => true,
                _ => false,
            },
            Markdown::Outside => *expect == Expect::Outside,
            _ => false,
        },
        LinkKind::Wiki => match links::read_wiki(ctx, url) {
            Wiki::Doc { index, .. } => match expect {
                Expect::Doc(j) => index == *j,
                Expect::Broken => true,
                _ => false,
            },
            _ => false,
        },
    }
}

/// Replacements in the front-matter of `raw` that turn each `(old, new)` value of each field
/// into its new value: the value's bytes (plain or quoted) and nothing else. `None` when a
/// value is not found as written.
fn front_matter_edits(
    raw: &str,
    fields: &BTreeMap<&str, Vec<(&str, &str)>>,
) -> Option<Vec<(Range<usize>, String)>> {
    let bom = raw.len() - raw.trim_start_matches('\u{feff}').len();
    let text = &raw[bom..];
    let lines = frontmatter::field_lines(text);
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let split = frontmatter::split(text).ok()?;
    let fm_end = split.body_offset;
    let line_start = |n: usize| starts.get(n - 1).copied().unwrap_or(text.len());
    let mut key_lines: Vec<usize> = lines.values().copied().collect();
    key_lines.sort_unstable();
    let mut out = Vec::new();
    for (field, changes) in fields {
        let line = *lines.get(*field)?;
        let next = key_lines.iter().find(|&&l| l > line).copied();
        let from = line_start(line);
        let to = next.map_or(fm_end, line_start).min(fm_end);
        let region = text.get(from..to)?;
        // Past the key itself.
        let key_end = region.find([':', '='])? + 1;
        for (old, new) in changes {
            let mut found = false;
            let mut search = key_end;
            while let Some(at) = region[search..].find(old) {
                let start = search + at;
                let end = start + old.len();
                search = end;
                let before = region[..start].chars().next_back();
                let after = region[end..].chars().next();
                let opens = matches!(before, Some(' ' | '\t' | '[' | ',' | '"' | '\''));
                let closes = matches!(
                    after,
                    None | Some(' ' | '\t' | '\n' | '\r' | ']' | ',' | '"' | '\'' | '#')
                );
                if opens && closes {
                    let quoted = matches!(before, Some('"' | '\''));
                    let plain_ok = new
                        .chars()
                        .all(|c| c.is_alphanumeric() || "/._-+~@()".contains(c))
                        && !new.starts_with(['-', '@', '~']);
                    let value = match (quoted, plain_ok) {
                        (true, _) | (false, true) => new.to_string(),
                        (false, false) => format!("{:?}", new),
                    };
                    out.push((bom + from + start..bom + from + end, value));
                    found = true;
                }
            }
            if !found {
                return None;
            }
        }
    }
    Some(out)
}

/// Checks that the rewritten front-matter of `text` holds each field's new values.
fn verify_fields(
    ctx: &Context,
    text: &str,
    fields: &BTreeMap<&str, Vec<(&str, &str)>>,
) -> std::result::Result<(), String> {
    if fields.is_empty() {
        return Ok(());
    }
    let source = crate::doc::parse(
        String::new(),
        text.as_bytes().to_vec(),
        &ctx.kb.config.schema,
    )
    .map_err(|e| format!("its rewritten front-matter does not parse: {}", e.message))?;
    for (field, changes) in fields {
        let values: Vec<String> = match source.doc.fields.get(field) {
            Some(Value::Array(items)) => items.iter().filter_map(scalar_string).collect(),
            Some(v) => scalar_string(v).into_iter().collect(),
            None => Vec::new(),
        };
        for (old, new) in changes {
            if !values.iter().any(|v| v == new) || values.iter().any(|v| v == old) {
                return Err(format!(
                    "`{field}` could not be rewritten from {old} to {new}"
                ));
            }
        }
    }
    Ok(())
}

type ReviewPlan = (Vec<ThreadMove>, Vec<Rename>, Vec<Edit>);

/// The review threads of moved docs: each event file goes to the thread's folder under the
/// doc's new path, and the thread's first event names the new path in `doc:`. The event files
/// are otherwise immutable; rewriting `doc:` (rather than adding an event) keeps every kb that
/// reads them agreeing on where the thread is, and a reply written on another branch still
/// joins its thread, which is found by id, not by folder.
fn plan_reviews(kb: &Kb, ctx: &Context, mv: &Relocation) -> Result<ReviewPlan> {
    let mut threads = Vec::new();
    let mut files = Vec::new();
    let mut edits = Vec::new();
    for t in &ctx.reviews.threads {
        let Some(new_doc) = mv.map_moved(&t.doc) else {
            continue;
        };
        if !review::is_inside_path(&new_doc) {
            continue;
        }
        let dir = format!(
            "{REVIEWS_DIR}/{}/{}",
            new_doc.strip_suffix(".md").unwrap_or(&new_doc),
            t.id
        );
        for e in &t.events {
            let name = e.path.rsplit('/').next().unwrap_or(&e.path);
            let new_path = format!("{dir}/{name}");
            if kb.root.join(&new_path).symlink_metadata().is_ok() {
                return Err(Error::usage(format!(
                    "review thread {} cannot move: {new_path} already exists",
                    review::short(&t.id)
                )));
            }
            if e.id == t.id {
                let full = kb.root.join(&e.path);
                let before =
                    std::fs::read_to_string(&full).map_err(|e| Error::io("read", &full, e))?;
                let after = retarget_event(&before, &new_doc).ok_or_else(|| {
                    Error::usage(format!(
                        "review event {} names its doc in a form kb cannot rewrite",
                        e.path
                    ))
                })?;
                edits.push(Edit {
                    path: e.path.clone(),
                    new_path: new_path.clone(),
                    before,
                    after,
                    links: 0,
                    fields: 1,
                });
            }
            files.push(Rename {
                from: e.path.clone(),
                to: new_path,
            });
        }
        threads.push(ThreadMove {
            thread: t.id.clone(),
            from: t.doc.clone(),
            to: new_doc,
        });
    }
    files.sort_by(|a, b| a.from.cmp(&b.from));
    Ok((threads, files, edits))
}

/// A thread's first event with `doc:` naming `doc`; every other byte kept. Checked by parsing
/// the result.
fn retarget_event(text: &str, doc: &str) -> Option<String> {
    let line = *frontmatter::field_lines(text).get("doc")?;
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let end = start + text[start..].find('\n').unwrap_or(text.len() - start);
    let mut fields = crate::doc::Fields::new();
    fields.insert("doc".into(), Value::from(doc));
    let block = frontmatter::to_yaml_block(&fields);
    let new_line = block.lines().nth(1)?;
    let out = format!("{}{new_line}{}", &text[..start], &text[end..]);
    let event = review::parse_event(out.clone().into_bytes(), "event.md").ok()?;
    (event.doc.as_deref() == Some(doc)).then_some(out)
}

impl Plan {
    /// The report of this plan; `dry_run` when nothing was written.
    pub fn report(&self, dry_run: bool, commit: Option<String>) -> Report {
        let mut rewritten: Vec<Rewritten> = self
            .edits
            .iter()
            .filter(|e| !e.path.starts_with(REVIEWS_DIR))
            .map(|e| Rewritten {
                path: e.new_path.clone(),
                links: e.links,
                fields: e.fields,
            })
            .collect();
        rewritten.sort_by(|a, b| a.path.cmp(&b.path));
        Report {
            schema_version: 1,
            from: self.from.clone(),
            to: self.to.clone(),
            folder: self.folder,
            dry_run,
            moved: self.files.clone(),
            rewritten,
            reviews: self.reviews.clone(),
            notes: self.notes.clone(),
            commit,
            diff: dry_run.then(|| self.diff()),
        }
    }

    /// The move as a git-style unified diff: renames, then each changed file's hunks.
    pub fn diff(&self) -> String {
        let edits: BTreeMap<&str, &Edit> =
            self.edits.iter().map(|e| (e.path.as_str(), e)).collect();
        let mut entries: BTreeMap<&str, &str> = BTreeMap::new();
        for r in self.files.iter().chain(&self.review_files) {
            entries.insert(&r.from, &r.to);
        }
        for e in &self.edits {
            entries.insert(&e.path, &e.new_path);
        }
        let mut out = String::new();
        for (from, to) in entries {
            out.push_str(&format!("diff --git a/{from} b/{to}\n"));
            if from != to {
                out.push_str(&format!("rename from {from}\nrename to {to}\n"));
            }
            if let Some(e) = edits.get(from) {
                let diff = similar::TextDiff::from_lines(&e.before, &e.after);
                out.push_str(
                    &diff
                        .unified_diff()
                        .context_radius(3)
                        .header(&format!("a/{from}"), &format!("b/{to}"))
                        .to_string(),
                );
            }
        }
        out
    }

    /// Every path a commit of this move touches: (before, after); the same path for a doc
    /// rewritten in place.
    pub fn changes(&self) -> Vec<(String, String)> {
        let mut out: BTreeMap<String, String> = BTreeMap::new();
        for r in self.files.iter().chain(&self.review_files) {
            out.insert(r.from.clone(), r.to.clone());
        }
        for e in &self.edits {
            out.insert(e.path.clone(), e.new_path.clone());
        }
        out.into_iter().collect()
    }
}

/// Writes the plan: the file or folder moves (one rename), each rewritten doc is replaced
/// atomically where it now is, review events move to their doc's new folder. Holding the write
/// lock the plan was made under, nothing changed in between.
pub fn apply(kb: &Kb, plan: &Plan, _lock: &WriteLock) -> Result<()> {
    fsutil::rename(&kb.root, &plan.from, &plan.to)?;
    for r in &plan.review_files {
        fsutil::rename(&kb.root, &r.from, &r.to)?;
    }
    // Each file is synced before its rename: written side by side, the syncs overlap.
    plan.edits
        .par_iter()
        .try_for_each(|e| fsutil::replace(&kb.root, &e.new_path, e.after.as_bytes()))?;
    for r in &plan.review_files {
        fsutil::remove_empty_dirs(&kb.root, links::parent(&r.from), REVIEWS_DIR);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path("a/b", "a/c.md"), "../c.md");
        assert_eq!(relative_path("", "a/c.md"), "a/c.md");
        assert_eq!(relative_path("a", "a/x/"), "x/");
        assert_eq!(relative_path("a/b/c", "d.md"), "../../../d.md");
        assert_eq!(relative_path("a", "a"), "./");
    }

    #[test]
    fn links_above_the_root_keep_their_place() {
        assert_eq!(
            outside_candidate("a/b.md", "a/c/b.md", "../../x.md#y", false),
            "../../../x.md#y"
        );
        assert_eq!(
            outside_candidate("a/b.md", "b.md", "../../up/", false),
            "../up/"
        );
    }

    #[test]
    fn tails_swap_in_place() {
        assert_eq!(
            swap_tail(
                "../handbook/travel.md",
                "handbook/travel.md",
                "handbook/trips.md"
            )
            .as_deref(),
            Some("../handbook/trips.md")
        );
        assert_eq!(
            swap_tail(
                "/handbook/travel/",
                "handbook/travel/",
                "handbook/a/b/travel/"
            )
            .as_deref(),
            Some("/handbook/a/b/travel/")
        );
        assert_eq!(
            swap_tail("ops/x.md", "handbook/ops/x.md", "runbooks/ops/x.md"),
            None
        );
    }

    #[test]
    fn written_forms_follow_the_move() {
        let doc = Relocation {
            from: "h/travel.md".into(),
            to: "h/policies/trips.md".into(),
        };
        assert_eq!(
            written_after("h/travel.md", "h/travel.md", &doc).as_deref(),
            Some("h/policies/trips.md")
        );
        assert_eq!(
            written_after("h/travel/", "h/travel.md", &doc).as_deref(),
            Some("h/policies/trips/")
        );
        assert_eq!(
            written_after("h/travel.html", "h/travel.md", &doc).as_deref(),
            Some("h/policies/trips.html")
        );
        assert_eq!(
            written_after("x/y.md", "x/y.md", &doc).as_deref(),
            Some("x/y.md")
        );
        let folder = Relocation {
            from: "h".into(),
            to: "guide/h2".into(),
        };
        assert_eq!(
            written_after("h/", "h/index.md", &folder).as_deref(),
            Some("guide/h2/")
        );
        let english = Relocation {
            from: "en/docs/languages".into(),
            to: "en/docs/sdks".into(),
        };
        assert_eq!(
            written_after(
                "ja/docs/languages/java/x/",
                "en/docs/languages/java/x.md",
                &english
            )
            .as_deref(),
            Some("ja/docs/sdks/java/x/")
        );
        assert_eq!(
            written_after("H/Travel.md", "h/travel.md", &folder).as_deref(),
            Some("guide/h2/Travel.md")
        );
    }

    #[test]
    fn encoding_keeps_what_was_written() {
        let style = Style::of("../team/field%20marketing.md", false);
        assert_eq!(
            style.encode("../../team/field marketing.md"),
            "../../team/field%20marketing.md"
        );
        assert_eq!(style.encode("new place/x.md"), "new%20place/x.md");
        let angle = Style::of("field marketing.md", true);
        assert_eq!(
            angle.encode("a b/field marketing.md"),
            "a b/field marketing.md"
        );
        let encoded = Style::of("%E6%97%A5.md", false);
        assert_eq!(encoded.encode("x/日.md"), "x/%E6%97%A5.md");
        assert_eq!(encoded.encode("日/y.md"), "%E6%97%A5/y.md");
        assert_eq!(Style::of("a.md", false).encode("b (1.md"), "b%20%281.md");
    }

    #[test]
    fn wiki_names() {
        assert_eq!(
            wiki_candidates("specs/a", WikiName::Path, "specs/old/a.md"),
            ["specs/old/a"]
        );
        assert_eq!(
            wiki_candidates("specs/a.md#x", WikiName::Path, "b.md"),
            ["b.md#x"]
        );
        assert_eq!(wiki_candidates("a", WikiName::Stem, "x/b.md"), ["b", "x/b"]);
        assert!(wiki_candidates("SPEC-1", WikiName::Id, "x/b.md").is_empty());
    }

    #[test]
    fn first_events_name_the_new_doc() {
        let text = "---\nid: T1\nthread: T1\nauthor: dana\ncreated: 2026-11-25T10:00:00Z\naction: comment\ndoc: specs/a.md\n---\nLooks good.\n";
        let out = retarget_event(text, "specs/done/a b.md").unwrap();
        assert_eq!(
            out,
            text.replace("doc: specs/a.md", "doc: specs/done/a b.md")
        );
    }

    #[test]
    fn front_matter_values_change_alone() {
        let raw = "---\ntitle: X\nsupersedes: specs/a.md # old\nrelated: [specs/a.md, b.md]\n---\nspecs/a.md\n";
        let mut fields = BTreeMap::new();
        fields.insert("supersedes", vec![("specs/a.md", "specs/old/a.md")]);
        let edits = front_matter_edits(raw, &fields).unwrap();
        assert_eq!(edits.len(), 1);
        let mut out = raw.to_string();
        for (r, t) in edits.iter().rev() {
            out.replace_range(r.clone(), t);
        }
        assert_eq!(
            out,
            raw.replacen("supersedes: specs/a.md", "supersedes: specs/old/a.md", 1)
        );
    }
}
