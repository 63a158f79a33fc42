//! Link rules: relative Markdown links to files that do not exist, `#anchors` a target does not
//! have, and `[[wiki links]]` to no doc. Site-absolute links (`/handbook/x/`) resolve through
//! kb.yaml's `links.roots`; Hugo's pretty URLs reach `x.md` or a folder page (`index.md`,
//! `_index.md`, `README.md`). External URLs are never fetched, and template syntax (`{{< >}}`,
//! `{% %}`) is not a link.
//!
//! The findings are kept between runs (`check::kept`): whatever a link's answer reads of other
//! docs must be in the world's digest there (paths, titles, ids), or be noted in its
//! [`Reads`]: another doc's anchors (`anchored`), or the disk, asked through
//! `Context::exists`/`is_dir` (`probes`). Reading anything else of
//! another doc (an `aliases:` field, say) would serve stale findings until it is added there.

use super::kept::Reads;
use super::{Code, Context, DocInfo, Finding, Rule, Severity};
use crate::doc::markdown::{Link, LinkKind};

pub const RULE: Rule = Rule {
    codes: &[
        UNRESOLVED_SITE_LINK,
        LINK_OUTSIDE_KB,
        BROKEN_LINK,
        BROKEN_WIKI_LINK,
        BROKEN_ANCHOR,
    ],
    run: broken_links,
};

pub const UNRESOLVED_SITE_LINK: Code = Code {
    code: "unresolved-site-link",
    severity: Severity::Warning,
    summary: "site-absolute links (/x/y/) that no links.roots mapping explains, reported once per KB",
    hint: "set `links.roots` in kb.yaml to map the site's URLs to folders, e.g. `links: {roots: {/handbook/: handbook/}}` (or `/: ./` for a site served from the repository root)",
};
pub const LINK_OUTSIDE_KB: Code = Code {
    code: "link-outside-kb",
    severity: Severity::Warning,
    summary: "a Markdown link whose target lies outside the KB root",
    hint: "link to a doc inside the KB, or use a full URL (https://...) for one elsewhere",
};
pub const BROKEN_LINK: Code = Code {
    code: "broken-link",
    severity: Severity::Error,
    summary: "a Markdown link to a file that does not exist",
    hint: "fix the path (relative to this doc), or restore the file it pointed to",
};
pub const BROKEN_WIKI_LINK: Code = Code {
    code: "broken-wiki-link",
    severity: Severity::Error,
    summary: "a [[wiki link]] to no id, path or page",
    hint: "use an existing doc's id or path; `kb ls` lists them",
};
pub const BROKEN_ANCHOR: Code = Code {
    code: "broken-anchor",
    severity: Severity::Error,
    summary: "a link to a #heading the target does not have",
    hint: "link to one of the target's headings (GitHub-style: lowercase, spaces as -), or add the heading",
};

const FOLDER_PAGES: &[&str] = &["index.md", "_index.md", "README.md", "readme.md"];

fn broken_links(ctx: &Context, out: &mut Vec<Finding>) {
    let mut found = Vec::new();
    find_broken_links(ctx, &mut found);
    // Site-absolute links no mapping explains are one fact about the KB, not one per link.
    let unresolved = found
        .iter()
        .filter(|f| f.code == UNRESOLVED_SITE_LINK.code)
        .count();
    let mut told = false;
    for mut f in found {
        if f.code == UNRESOLVED_SITE_LINK.code {
            if told {
                continue;
            }
            told = true;
            if unresolved > 1 {
                f.message = format!(
                    "site-absolute link {} and {} other{} lead to no folder of the KB and are not checked",
                    f.key,
                    unresolved - 1,
                    if unresolved > 2 { "s" } else { "" }
                );
            }
        }
        out.push(f);
    }
}

fn unresolved_site_link(d: &DocInfo, link: &Link, target: &str) -> Finding {
    UNRESOLVED_SITE_LINK.at(
        &d.doc.path,
        link.line,
        link.column,
        format!("site-absolute link {target} leads to no folder of the KB and is not checked"),
        target,
    )
}

/// Whether a site-absolute path reads as a path from the KB root: it exists, or its first
/// segment is a top-level folder or doc of the KB.
fn served_from_root(ctx: &Context, site: &str, reads: &mut Reads) -> bool {
    let first = site.split('/').next().unwrap_or("");
    !first.is_empty()
        && (locate_noting(ctx, site, reads).is_some()
            || ctx.exists(site, reads)
            || ctx.is_dir(first, reads)
            || locate_noting(ctx, first, reads).is_some())
}

/// Each doc's links are checked on every core (a KB has a few links per doc, each one path
/// lookups and joins), unless its findings were kept from a run in the same world
/// ([`super::kept`]); the findings come out in the docs' order.
fn find_broken_links(ctx: &Context, out: &mut Vec<Finding>) {
    use super::kept::{Findings, Kept};
    use rayon::prelude::*;
    let kept = Kept::open(ctx);
    let per_doc: Vec<_> = ctx
        .docs
        .par_iter()
        .enumerate()
        // Partials (Hugo's `_includes/`) are rendered inside other pages: their links resolve
        // against the including page, which kb cannot know.
        .filter(|(_, d)| !d.doc.path.split('/').any(|p| p == "_includes"))
        .map(|(i, d)| {
            let key = kept.key(d);
            let findings = match kept.get(i, key) {
                Some(found) => Findings::Kept(found),
                None => {
                    let mut reads = Box::<Reads>::default();
                    let found = d.links.iter();
                    let found = found.filter_map(|link| check(ctx, d, link, &mut reads));
                    Findings::Found(found.collect(), reads)
                }
            };
            (i, key, findings)
        })
        .collect();
    kept.save(ctx, &per_doc);
    for (_, _, Findings::Kept(f) | Findings::Found(f, _)) in per_doc {
        out.extend(f);
    }
}

/// The finding on `link` in `d`, if any; what it read of other docs' anchors and of the disk is
/// noted in `reads` (what the finding kept for the next run depends on).
fn check(ctx: &Context, d: &DocInfo, link: &Link, reads: &mut Reads) -> Option<Finding> {
    let target = link.target.trim();
    if is_template(target) {
        return None;
    }
    match link.kind {
        LinkKind::Wiki => wiki(ctx, d, link, target, reads),
        LinkKind::Markdown => markdown(ctx, d, link, target, reads),
    }
}

fn markdown(
    ctx: &Context,
    d: &DocInfo,
    link: &Link,
    target: &str,
    reads: &mut Reads,
) -> Option<Finding> {
    let reading = match read_markdown_noting(ctx, &d.doc.path, target, reads) {
        Markdown::Ignored => return None,
        Markdown::Here { fragment } => {
            return fragment.and_then(|f| anchor_finding(d, d, link, &f))
        }
        Markdown::Outside => return Some(outside_kb(d, link, target)),
        Markdown::UnmappedSite => return Some(unresolved_site_link(d, link, target)),
        Markdown::Path(reading) => reading,
    };
    let fragment = reading.fragment.as_deref();
    match reading.found {
        Some(Found::Doc(i)) => {
            let fragment = fragment?;
            reads.anchored.push(i);
            let finding = anchor_finding(d, &ctx.docs[i], link, fragment)?;
            // Where the page-relative reading reaches another doc with that anchor, the
            // browser's reading works: not broken.
            let url_reading =
                join(d.doc.path.trim_end_matches(".md"), &reading.decoded).and_then(|u| {
                    match locate_noting(ctx, &u, reads) {
                        Some(Found::Doc(j)) if j != i => Some(j),
                        _ => None,
                    }
                });
            match url_reading {
                Some(j) => {
                    reads.anchored.push(j);
                    anchor_finding(d, &ctx.docs[j], link, fragment).map(|_| finding)
                }
                None => Some(finding),
            }
        }
        Some(Found::Other) => None,
        None => Some(BROKEN_LINK.at(
            &d.doc.path,
            link.line,
            link.column,
            format!("link to {target}: no such file ({})", reading.path),
            target,
        )),
    }
}

/// Where a Markdown link leads, as `kb check` reads it: the one reading `kb check` and `kb mv`
/// share, so that what check says resolved before a move resolves after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Markdown {
    /// Not a path kb follows: an external URL, an e-mail address, template syntax, nothing.
    Ignored,
    /// An `#anchor` (or nothing) in the doc itself.
    Here { fragment: Option<String> },
    /// A relative path that climbs above the KB root.
    Outside,
    /// A site-absolute URL no `links.roots` entry maps and no folder of the KB explains.
    UnmappedSite,
    /// A path inside the KB, found or not.
    Path(Reading),
}

/// A link's path read as a KB path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The KB path the link names (decoded, `.` and `..` resolved, a trailing `/` kept): before
    /// `x/` becomes `x.md` or `x/index.md`.
    pub path: String,
    /// The link's path as written, percent-decoded, without query and fragment.
    pub decoded: String,
    pub fragment: Option<String>,
    pub base: Base,
    /// What is there: a doc, another file or folder, or nothing (a broken link).
    pub found: Option<Found>,
}

/// What a link's path counts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// The folder of the doc holding the link.
    File,
    /// The page a site generator serves the doc at (`docs/a.md` at `docs/a/`).
    Page,
    /// A site-absolute URL, through this `links.roots` prefix, or from the KB root (`None`).
    Site(Option<String>),
}

/// Reads the Markdown link `target` in the doc at `from` (relative to the KB root).
pub fn read_markdown(ctx: &Context, from: &str, target: &str) -> Markdown {
    read_markdown_noting(ctx, from, target, &mut Reads::default())
}

/// [`read_markdown`], noting what it asked the disk in `reads`.
fn read_markdown_noting(ctx: &Context, from: &str, target: &str, reads: &mut Reads) -> Markdown {
    let target = target.trim();
    // An e-mail autolink (`<a@b.org>`) is not a path.
    if is_template(target) || is_external(target) || (target.contains('@') && !target.contains('/'))
    {
        return Markdown::Ignored;
    }
    let (path, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (target, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let decoded = percent_decode(path);
    if decoded.is_empty() {
        return Markdown::Here { fragment };
    }
    let (resolved, base, found) = if let Some(site) = decoded.strip_prefix('/') {
        let (resolved, base) = match site_root(ctx, &decoded) {
            Some((prefix, local)) => (local, Base::Site(Some(prefix))),
            // A site URL no `links.roots` entry maps: read from the KB root when it looks like a
            // path from there, else reported once per KB (`unresolved-site-link`).
            None => match join("", site) {
                None => return Markdown::Outside,
                // A site served from the repository's root: the path exists here, or starts
                // with one of the KB's top folders (so a typo below it is a broken link).
                Some(site) if served_from_root(ctx, &site, reads) => (site, Base::Site(None)),
                Some(_) => return Markdown::UnmappedSite,
            },
        };
        let found = locate_noting(ctx, &resolved, reads);
        (resolved, base, found)
    } else {
        let Some(from_file) = join(parent(from), &decoded) else {
            return Markdown::Outside;
        };
        // A site generator serves `docs/a.md` at `docs/a/`, so a relative link may count from
        // there; an index page is served at its folder, where both readings agree.
        // Tried only when the file reading finds nothing (most links resolve as files).
        let from_url = || join(from.trim_end_matches(".md"), &decoded);
        match locate_noting(ctx, &from_file, reads) {
            None if !is_folder_page(from) => match from_url() {
                Some(url) => match locate_noting(ctx, &url, reads) {
                    Some(found) => (url, Base::Page, Some(found)),
                    None => (from_file, Base::File, None),
                },
                None => (from_file, Base::File, None),
            },
            found => (from_file, Base::File, found),
        }
    };
    Markdown::Path(Reading {
        found,
        path: resolved,
        decoded,
        fragment,
        base,
    })
}

/// Template syntax (`{{< ref >}}`, `{% link %}`) or nothing: not a link kb follows.
fn is_template(target: &str) -> bool {
    target.is_empty() || target.contains("{{") || target.contains("{%") || target.contains("%7B%7B")
}

/// A link that climbs above the KB root: kb neither follows nor checks it, and says so.
fn outside_kb(d: &DocInfo, link: &Link, target: &str) -> Finding {
    LINK_OUTSIDE_KB.at(
        &d.doc.path,
        link.line,
        link.column,
        format!("link to {target} leads outside the knowledge base"),
        target,
    )
}

fn wiki(
    ctx: &Context,
    d: &DocInfo,
    link: &Link,
    target: &str,
    reads: &mut Reads,
) -> Option<Finding> {
    match read_wiki(ctx, target) {
        Wiki::Ignored => None,
        Wiki::Here { fragment } => anchor_finding(d, d, link, &fragment),
        Wiki::Doc {
            index, fragment, ..
        } => {
            let fragment = fragment?;
            reads.anchored.push(index);
            anchor_finding(d, &ctx.docs[index], link, &fragment)
        }
        Wiki::Missing => Some(BROKEN_WIKI_LINK.at(
            &d.doc.path,
            link.line,
            link.column,
            format!("[[{target}]] names no doc (no such id, path, file name or title)"),
            target,
        )),
    }
}

/// Where a `[[wiki link]]` leads, as `kb check` reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wiki {
    /// Not a page name: a footnote mark, `[[_TOC_]]`, code that looks like one.
    Ignored,
    /// `[[#anchor]]` in the doc itself.
    Here { fragment: String },
    Doc {
        index: usize,
        by: WikiName,
        fragment: Option<String>,
    },
    /// A name no doc has.
    Missing,
}

/// How a wiki link names its doc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WikiName {
    Id,
    /// The path from the KB root, `.md` optional.
    Path,
    /// The file name without `.md`, anywhere in the KB (Obsidian's way).
    Stem,
    Title,
}

/// Reads the wiki link `target` (the text between `[[` and `]]` or `|`).
pub fn read_wiki(ctx: &Context, target: &str) -> Wiki {
    let target = target.trim();
    if is_template(target) {
        return Wiki::Ignored;
    }
    let (name, fragment) = match target.split_once('#') {
        Some((n, f)) => (n.trim(), Some(f.to_string())),
        None => (target, None),
    };
    if name.is_empty() {
        return match fragment {
            Some(fragment) => Wiki::Here { fragment },
            None => Wiki::Ignored,
        };
    }
    if !looks_like_wiki_target(name) {
        return Wiki::Ignored;
    }
    let lower = name.to_lowercase();
    let by_ref = ctx
        .find_id(name)
        .map(|i| (i, WikiName::Id))
        .or_else(|| ctx.find_path(name).map(|i| (i, WikiName::Path)));
    // Obsidian names a page by its file name, anywhere in the vault; or by its title.
    let found = by_ref.or_else(|| ctx.wiki_names().find(&lower));
    match found {
        Some((index, by)) => Wiki::Doc {
            index,
            by,
            fragment,
        },
        None => Wiki::Missing,
    }
}

fn anchor_finding(from: &DocInfo, to: &DocInfo, link: &Link, fragment: &str) -> Option<Finding> {
    let anchor = percent_decode(fragment);
    // `#L42` (a line on GitHub) and `#tab/linux` (docs tabs) are not headings.
    let line_link = anchor
        .strip_prefix(['L', 'l'])
        .is_some_and(|n| n.parse::<u32>().is_ok());
    // `#:~:text=...` is a browser text fragment, not an anchor.
    if anchor.is_empty()
        || line_link
        || anchor.starts_with(":~:")
        || anchor.contains('/')
        || to
            .anchors
            .binary_search(&super::anchor_hash(&anchor))
            .is_ok()
    {
        return None;
    }
    Some(BROKEN_ANCHOR.at(
        &from.doc.path,
        link.line,
        link.column,
        format!("link to #{fragment}: {} has no such heading", to.doc.path),
        link.target.clone(),
    ))
}

/// What a link's KB path leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// A doc, by index in `Context::docs`.
    Doc(usize),
    /// A file that is not a doc (an image, a PDF) or a folder.
    Other,
}

/// What a KB-relative path (without a fragment) points at: the doc, a folder page, `x.md` for a
/// pretty URL `x/`, or some other file.
pub fn locate(ctx: &Context, path: &str) -> Option<Found> {
    locate_noting(ctx, path, &mut Reads::default())
}

/// [`locate`], noting what it asked the disk in `reads`.
fn locate_noting(ctx: &Context, path: &str, reads: &mut Reads) -> Option<Found> {
    let path = path.trim_end_matches('/');
    // Most links name a doc as it is: found without building the other candidates.
    if let Some(i) = ctx.by_path.get(path) {
        return Some(Found::Doc(*i));
    }
    let mut candidates = vec![path.to_string(), format!("{path}.md")];
    if let Some(stem) = path.strip_suffix(".html") {
        candidates.push(format!("{stem}.md"));
    }
    candidates.extend(FOLDER_PAGES.iter().map(|p| {
        if path.is_empty() {
            p.to_string()
        } else {
            format!("{path}/{p}")
        }
    }));
    if let Some(i) = candidates.iter().find_map(|c| ctx.by_path.get(c.as_str())) {
        return Some(Found::Doc(*i));
    }
    // `dir/index.md` names the folder page whatever its file is called (Hugo's `_index.md`).
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    if FOLDER_PAGES.contains(&name) {
        candidates.extend(FOLDER_PAGES.iter().map(|p| {
            if dir.is_empty() {
                p.to_string()
            } else {
                format!("{dir}/{p}")
            }
        }));
    }
    // Docs sites serve paths case-insensitively: `./get-azvm.md` reaches `Get-AzVM.md` there.
    if let Some(i) = candidates.iter().find_map(|c| {
        ctx.by_path
            .get(c.as_str())
            .or_else(|| ctx.by_lower_path.get(&c.to_lowercase()))
    }) {
        return Some(Found::Doc(*i));
    }
    // A multilingual site serves the default language's page where a translation is missing.
    if let Some((lang, rest)) = path.split_once('/') {
        if is_translation(lang) && ctx.is_dir("en", reads) {
            return locate_noting(ctx, &format!("en/{rest}"), reads);
        }
    }
    ctx.exists(path, reads).then_some(Found::Other)
}

/// Whether a top folder reads as a language other than the default (`ja`, `pt-br`): a
/// multilingual site serves `en/`'s page where its translation is missing.
pub fn is_translation(folder: &str) -> bool {
    matches!(folder.len(), 2 | 5)
        && folder.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && folder != "en"
}

/// A site URL mapped to a KB path through `links.roots` (the longest matching prefix), with
/// that prefix.
fn site_root(ctx: &Context, url: &str) -> Option<(String, String)> {
    let (prefix, folder) = ctx
        .kb
        .config
        .links
        .roots
        .iter()
        .filter(|(prefix, _)| url.starts_with(prefix.as_str()))
        .max_by_key(|(prefix, _)| prefix.len())?;
    let rest = url[prefix.len()..].trim_start_matches('/');
    // `./`, `.`, `/` and `` all name the KB root.
    let folder = folder.trim_start_matches("./").trim_matches('/');
    let folder = if folder == "." { "" } else { folder };
    let local = match (folder.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (false, true) => folder.to_string(),
        (false, false) => format!("{folder}/{rest}"),
    };
    Some((prefix.clone(), local))
}

/// Whether `[[...]]` text names a page, rather than being a footnote mark (`[[1]]`), a table of
/// contents marker (`[[_TOC_]]`), PowerShell syntax (`[[-Name] <String>]`) or a .NET type name
/// (`[[System.Int32, mscorlib]]`), all of which pulldown-cmark also reads as wiki links.
fn looks_like_wiki_target(name: &str) -> bool {
    let dotted_type =
        !name.contains('/') && !name.ends_with(".md") && name.matches('.').count() >= 2;
    !(name.chars().all(|c| c.is_ascii_digit())
        || !name.chars().any(char::is_alphanumeric)
        || name.eq_ignore_ascii_case("_toc_")
        || name.starts_with('-')
        || name.contains([',', '=', '<', '>'])
        || dotted_type)
}

/// The reading of a link `target` in the doc at `from` that [`markdown`] and [`wiki`] do before
/// any file is looked at: for the fuzz target of `kb check`'s links.
pub(super) fn read_target(from: &str, target: &str) -> Option<String> {
    let target = target.trim();
    let wiki_name = looks_like_wiki_target(target);
    if is_external(target) {
        return None;
    }
    let (path, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (target, None),
    };
    if let Some(f) = fragment {
        let anchor = super::anchor_key(&percent_decode(f));
        std::hint::black_box((anchor, wiki_name));
    }
    let path = percent_decode(path.split('?').next().unwrap_or(path));
    if let Some(site) = path.strip_prefix('/') {
        return Some(site.to_string());
    }
    join(parent(from), &path)
}

/// Whether a doc is its folder's page (`index.md`, `_index.md`, `README.md`).
pub fn is_folder_page(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    FOLDER_PAGES.contains(&name)
}

fn is_external(target: &str) -> bool {
    let scheme_end = target.find(':');
    let slash = target.find('/');
    target.starts_with("//")
        || matches!((scheme_end, slash), (Some(c), Some(s)) if c < s)
        || matches!((scheme_end, slash), (Some(c), None) if target[..c].chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '+' || ch == '-' || ch == '.'))
}

/// The folder of a KB path (`""` at the root).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `base/relative` with `.` and `..` resolved; `None` if it climbs out of the KB.
pub fn join(base: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    Some(if relative.ends_with('/') && !joined.is_empty() {
        format!("{joined}/")
    } else {
        joined
    })
}

/// `%XX` escapes decoded (left as written where the bytes are not UTF-8).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // Bytes, not `&text[..]`: what follows a `%` may be part of a multi-byte character.
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| char::from(b).to_digit(16);
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_climbs() {
        assert_eq!(join("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(join("a", "./x/y.md").as_deref(), Some("a/x/y.md"));
        assert_eq!(join("", "../x.md"), None);
        assert_eq!(join("a", "b/").as_deref(), Some("a/b/"));
    }

    #[test]
    fn external_links() {
        for t in ["https://x.org/a", "mailto:a@b.c", "//cdn.x/y", "tel:123"] {
            assert!(is_external(t), "{t}");
        }
        for t in ["../a.md", "a.md", "/handbook/x/", "a:b/c.md"] {
            assert!(!is_external(t) || t == "a:b/c.md", "{t}");
        }
    }

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("field%20marketing.md"), "field marketing.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%E6%97%A5"), "日");
    }

    /// Found by fuzz/fuzz_targets/links.rs: a `%` before a multi-byte character sliced the
    /// text inside that character and panicked.
    #[test]
    fn fuzz_regression_percent_before_multibyte_char() {
        assert_eq!(percent_decode("%\u{feff}"), "%\u{feff}");
        assert_eq!(percent_decode("%a\u{e9}x"), "%a\u{e9}x");
        assert_eq!(percent_decode("%+1x"), "%+1x");
        assert_eq!(
            read_target("a/b.md", "%\u{feff}").as_deref(),
            Some("a/%\u{feff}")
        );
    }
}

#[cfg(test)]
mod rule_tests {
    use super::RULE;
    use crate::check::testing::{found, run};

    #[test]
    fn broken_links_anchors_and_wiki_links_and_their_near_misses() {
        let links = "---\ntitle: Links\n---\n# Links\n\n## Real heading\n\n[ok](b.md) [ok](#real-heading) [ok](https://x.org/a) [ok](b.md#b-part)\n[gone](./missing.md)\n[no anchor](b.md#nope)\n[[NOPE-1]] and [[B-1]] and [[1]]\n[up](../../outside.md) [tpl]({{< ref \"y\" >}})\n";
        let got = run(
            &RULE,
            &[
                ("docs/links.md", links),
                (
                    "docs/b.md",
                    "---\ntitle: B\nid: B-1\n---\n# B\n\n## B part\n",
                ),
            ],
        );
        assert_eq!(
            got,
            found(&[
                ("broken-link", "docs/links.md:9"),
                ("broken-anchor", "docs/links.md:10"),
                ("broken-wiki-link", "docs/links.md:11"),
                ("link-outside-kb", "docs/links.md:12"),
            ])
        );
    }

    #[test]
    fn a_wiki_name_reaches_the_first_doc_in_path_order_by_file_name_or_title() {
        // `a.md` is titled "Target" and comes before `b/target.md`, named so: [[target]] is a.md.
        let notes =
            "# Notes\n[[target#only-in-a]]\n[[TARGET#only-in-b]]\n[[Other#b-part]]\n[[nobody]]\n";
        let got = run(
            &RULE,
            &[
                ("a.md", "---\ntitle: Target\n---\n## Only in a\n"),
                (
                    "b/target.md",
                    "---\ntitle: Other\n---\n## Only in b\n## B part\n",
                ),
                ("notes.md", notes),
            ],
        );
        assert_eq!(
            got,
            found(&[
                ("broken-anchor", "notes.md:3"),
                ("broken-wiki-link", "notes.md:5"),
            ])
        );
    }

    #[test]
    fn site_absolute_links_without_a_root_are_told_once() {
        let got = run(
            &RULE,
            &[(
                "a.md",
                "# A\n\n[x](/blog/x/) [y](/blog/y/)\n\n[z](/news/z/)\n",
            )],
        );
        assert_eq!(got, found(&[("unresolved-site-link", "a.md:3")]));
    }
}
