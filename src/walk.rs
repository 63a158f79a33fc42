//! The walk: every Markdown file under a folder of the KB, found on every core. Each folder is
//! listed once, and its files are handed to `visit` with the folder open, so that they are
//! stat'ed and read by name ([`crate::kb::Walked`]).
//!
//! It skips what git would not commit: what `.gitignore` (and `.ignore`) files say, in the
//! folders walked and in those above up to the repository's root, with a repository's
//! `info/exclude` and the user's global excludes, each file matched by the `ignore` crate's own
//! matcher. `.git/` and `.kb/` are never walked.
//! Symlinks are followed while they lead inside the KB: one that leads out is reported and
//! skipped, and a folder link back to a folder it is in is a loop, reported.
//!
//! It is written here rather than left to `ignore`'s walker for speed: that walker's own work
//! per entry (a path built and matched level by level, a queue of work) cost more at 100k docs
//! than the stat of each file that a warm command needs.

use crate::error::{display_path, DocError};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use rayon::prelude::*;
use std::ffi::OsStr;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Folders that are never docs: git's, and kb's own (reviews, templates, cache).
pub(crate) const SKIPPED_DIRS: &[&str] = &[".git", ".kb"];

/// The ignore files read in each folder, the more binding first (as ripgrep reads them).
const IGNORE_FILES: &[&str] = &[".ignore", ".gitignore"];

/// A folder's files are visited in runs of at least this many on one thread: a folder of 20,000
/// files is stat'ed on every core, and one of ten is not split at all.
const RUN: usize = 64;

/// A folder being walked, open where the platform allows it.
pub(crate) struct Folder {
    #[cfg(unix)]
    fd: Option<std::os::fd::OwnedFd>,
}

impl Folder {
    fn open(path: &Path) -> Folder {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            Folder {
                fd: rustix::fs::open(path, flags, Mode::empty()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = path;
            Folder {}
        }
    }

    /// The folder, open: its files are stat'ed and opened by name from it.
    #[cfg(unix)]
    pub(crate) fn fd(&self) -> Option<&std::os::fd::OwnedFd> {
        self.fd.as_ref()
    }
}

/// What a walk found: each Markdown file's KB path with what `visit` made of it, in no set
/// order, and what it could not read or follow.
pub(crate) struct Found<T> {
    pub files: Vec<(String, T)>,
    pub errors: Vec<DocError>,
}

/// Walks the folder `start` (a KB path, `""` for the whole KB) under `root`, calling `visit` on
/// the walk's threads with the KB path and open folder of each Markdown file that `excluded`
/// does not reject. `expected` is how many files there will likely be.
pub(crate) fn markdown_files<T, E, V>(
    root: &Path,
    start: &str,
    expected: usize,
    excluded: E,
    visit: V,
) -> Found<T>
where
    T: Send,
    E: Fn(&str) -> bool + Sync,
    V: Fn(&str, Option<&Folder>) -> T + Sync,
{
    let mut found = Found {
        files: Vec::new(),
        errors: Vec::new(),
    };
    let Some(start) = plain(start) else {
        return found;
    };
    let path = root.join(&start);
    let real_root = std::fs::canonicalize(root).ok();
    let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
    // A folder walked on its own (`goals/`) is fenced as the whole walk would fence it.
    if !real_root.as_deref().is_some_and(|r| real.starts_with(r)) {
        found.errors.push(symlink_outside(start));
        return found;
    }
    let (above, errors) = rules_above(root, &path);
    let walk = Walk {
        real_root,
        global: Some(Gitignore::global().0).filter(|g| !g.is_empty()),
        excluded,
        visit,
        files: Mutex::new(Vec::with_capacity(expected)),
        errors: Mutex::new(errors),
    };
    let place = Place {
        ancestors: Ancestors::of(walk.real_root.as_deref(), real),
        rules: above,
        rel: start,
        utf8: true,
        path,
    };
    rayon::scope(|s| walk.folder(s, place));
    found.files = into_inner(walk.files);
    found.errors = into_inner(walk.errors);
    found
}

/// `start` as a KB path of plain names joined by `/`, or `None` if it climbs out.
fn plain(start: &str) -> Option<String> {
    let mut parts = Vec::new();
    for part in Path::new(start).components() {
        match part {
            Component::Normal(name) => parts.push(name.to_str()?),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// The ignore files of the folders above `start`, from the top: the repository's root, or the
/// KB root outside git.
fn rules_above(root: &Path, start: &Path) -> (Option<Arc<Rules>>, Vec<DocError>) {
    let repo = root.ancestors().find(|dir| git_dir(dir).is_some());
    let top = repo.unwrap_or(root);
    let folders: Vec<&Path> = start
        .ancestors()
        .skip(1)
        .take_while(|d| d.starts_with(top))
        .collect();
    let mut rules = None;
    let mut errors = Vec::new();
    for folder in folders.into_iter().rev() {
        let shown = |name: &str| display_path(root, &folder.join(name));
        rules = Rules::read(folder, rules, &shown, &mut errors);
    }
    (rules, errors)
}

/// One walk: what holds everywhere in it, and what it found so far.
struct Walk<T, E, V> {
    /// The root with its symlinks resolved: a symlink must lead inside it.
    real_root: Option<PathBuf>,
    /// The user's global excludes, which bind below every ignore file.
    global: Option<Gitignore>,
    excluded: E,
    visit: V,
    files: Mutex<Vec<(String, T)>>,
    errors: Mutex<Vec<DocError>>,
}

/// The ignore files of one folder, and those of the folders above it.
struct Rules {
    here: Vec<Gitignore>,
    up: Option<Arc<Rules>>,
}

impl Rules {
    /// The rules of `folder` on top of `up` (`up` itself when it has no ignore file). A folder
    /// that holds a repository adds its `info/exclude`; the rules above still hold in it, as
    /// they did when the walk was `ignore`'s. An ignore file that cannot be read is reported
    /// (under the name `shown` gives it): what it ignores would otherwise be listed, indexed
    /// and quoted without a word.
    fn read(
        folder: &Path,
        up: Option<Arc<Rules>>,
        shown: &dyn Fn(&str) -> String,
        errors: &mut Vec<DocError>,
    ) -> Option<Arc<Rules>> {
        let exclude = git_dir(folder).map(|git| git.join("info/exclude"));
        let mut here = Vec::new();
        let files = IGNORE_FILES.iter().map(|name| (folder.join(name), *name));
        for (file, name) in files.chain(exclude.iter().map(|e| (e.clone(), "info/exclude"))) {
            // Not a FIFO: reading one would hang the walk.
            if !file.is_file() {
                continue;
            }
            let mut builder = GitignoreBuilder::new(folder);
            // Lines that do not parse are left out, as git leaves them out; a file that cannot
            // be read is said.
            if let Some(ignore::Error::Io(e)) = builder.add(&file) {
                errors.push(DocError::unreadable(
                    shown(name),
                    format!("cannot read this ignore file, so what it ignores is walked: {e}"),
                ));
            }
            here.extend(builder.build().ok().filter(|g| !g.is_empty()));
        }
        match here.is_empty() {
            true => up,
            false => Some(Arc::new(Rules { here, up })),
        }
    }
}

/// The git folder of the work tree whose root is `folder`: its `.git/`, or where a `.git` file
/// points (a worktree's or a submodule's), the shared part of it for a worktree.
fn git_dir(folder: &Path) -> Option<PathBuf> {
    let dot_git = folder.join(".git");
    let meta = std::fs::metadata(&dot_git).ok()?;
    if meta.is_dir() {
        return Some(dot_git);
    }
    let dir = folder.join(first_line(&dot_git)?.strip_prefix("gitdir:")?.trim());
    match first_line(&dir.join("commondir")) {
        Some(common) => Some(dir.join(common.trim())),
        None => Some(dir),
    }
}

/// The first line of a small regular file (never a FIFO, which would hang).
fn first_line(path: &Path) -> Option<String> {
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(4096)
        .read_to_string(&mut text)
        .ok()?;
    text.lines().next().map(str::to_string)
}

/// A folder to list.
struct Place {
    /// The folder as the walk reached it (through symlinks).
    path: PathBuf,
    /// Its KB path, `""` for the root; made UTF-8 for display when `utf8` is false.
    rel: String,
    utf8: bool,
    rules: Option<Arc<Rules>>,
    /// The real paths of the folder and of those walked to reach it: a folder link that leads
    /// to one of them is a loop.
    ancestors: Arc<Ancestors>,
}

struct Ancestors {
    real: PathBuf,
    up: Option<Arc<Ancestors>>,
}

impl Ancestors {
    /// The folder at `real` (under the KB root) and the folders from the root down to it: a
    /// link back to the root from a folder walked on its own is a loop too.
    fn of(real_root: Option<&Path>, real: PathBuf) -> Arc<Ancestors> {
        let inside = |f: &Path| real_root.is_some_and(|root| f.starts_with(root));
        let above: Vec<&Path> = real.ancestors().skip(1).take_while(|f| inside(f)).collect();
        let up = above.into_iter().rev().fold(None, |up, folder| {
            Some(Arc::new(Ancestors {
                real: folder.to_path_buf(),
                up,
            }))
        });
        Arc::new(Ancestors { real, up })
    }

    fn hold(&self, real: &Path) -> bool {
        let mut link = Some(self);
        while let Some(a) = link {
            if a.real == real {
                return true;
            }
            link = a.up.as_deref();
        }
        false
    }
}

/// A Markdown file a folder holds: its KB path, and whether it is a regular file.
struct File {
    rel: String,
    utf8: bool,
    regular: bool,
    /// Listed as a symlink (the fence admitted where it leads).
    link: bool,
}

/// What a listed entry is to the walk.
enum Entry {
    Folder(Place),
    File(File),
}

impl<T, E, V> Walk<T, E, V>
where
    T: Send,
    E: Fn(&str) -> bool + Sync,
    V: Fn(&str, Option<&Folder>) -> T + Sync,
{
    fn folder<'s>(&'s self, s: &rayon::Scope<'s>, place: Place) {
        let listing = match std::fs::read_dir(&place.path) {
            Ok(listing) => listing,
            Err(e) => return self.error(cannot_walk(&place.rel, &e)),
        };
        let mut entries = Vec::new();
        for entry in listing {
            match entry {
                Ok(entry) => entries.push((entry.file_name(), entry)),
                Err(e) => self.error(cannot_walk(&place.rel, &e)),
            }
        }
        // This folder's ignore files (and a repository it holds) bind what it holds, and
        // everything below.
        let has_rules = entries
            .iter()
            .any(|(name, _)| IGNORE_FILES.iter().chain([&".git"]).any(|n| name == *n));
        let rules = match has_rules {
            true => {
                let shown = |name: &str| child_rel(&place, OsStr::new(name)).0;
                let mut errors = Vec::new();
                let rules = Rules::read(&place.path, place.rules.clone(), &shown, &mut errors);
                errors.into_iter().for_each(|e| self.error(e));
                rules
            }
            false => place.rules.clone(),
        };
        let mut files = Vec::new();
        for (name, entry) in entries {
            match self.entry(&place, &rules, &name, &entry) {
                Some(Entry::Folder(child)) => s.spawn(move |s| self.folder(s, child)),
                Some(Entry::File(file)) => files.push(file),
                None => {}
            }
        }
        if !files.is_empty() {
            self.files(&place.path, files);
        }
    }

    /// What `entry` (named `name`) of `place` is to the walk, or `None` when it is not walked:
    /// not Markdown, skipped, ignored, or a symlink the fence stops.
    fn entry(
        &self,
        place: &Place,
        rules: &Option<Arc<Rules>>,
        name: &OsStr,
        entry: &std::fs::DirEntry,
    ) -> Option<Entry> {
        // An entry gone since it was listed is not there.
        let kind = entry.file_type().ok()?;
        if !kind.is_symlink() && !kind.is_dir() && !is_markdown(name) {
            return None;
        }
        let path = entry.path();
        // A symlink is what it leads to; where it leads is judged once it is not ignored.
        let followed = match kind.is_symlink() {
            true => std::fs::metadata(&path).map(|m| m.file_type()),
            false => Ok(kind),
        };
        let is_dir = followed.as_ref().is_ok_and(|k| k.is_dir());
        if is_dir && SKIPPED_DIRS.iter().any(|d| name == *d) {
            return None;
        }
        if self.ignored(rules, &path, is_dir) {
            return None;
        }
        let (rel, utf8) = child_rel(place, name);
        let real = match kind.is_symlink() {
            true => Some(self.fence(place, &path, &rel, is_dir)?),
            false => None,
        };
        let followed = followed.ok()?;
        if is_dir {
            let real = real.unwrap_or_else(|| place.ancestors.real.join(name));
            return Some(Entry::Folder(Place {
                path,
                rel,
                utf8,
                rules: rules.clone(),
                ancestors: Arc::new(Ancestors {
                    real,
                    up: Some(place.ancestors.clone()),
                }),
            }));
        }
        is_markdown(name).then_some(Entry::File(File {
            rel,
            utf8,
            regular: followed.is_file(),
            link: real.is_some(),
        }))
    }

    /// Visits a folder's Markdown files, in runs on every core.
    fn files(&self, folder: &Path, mut files: Vec<File>) {
        let open = Folder::open(folder);
        // Each run's results go into a list made to its size, then into the walk's at once: a
        // list grown entry by entry and joined with the others' copied each 200-byte result
        // four times (a tenth of a warm `kb ls` at 10k docs).
        files.par_chunks_mut(RUN).for_each(|run| {
            let mut found = Vec::with_capacity(run.len());
            let mut errors = Vec::new();
            for f in run.iter_mut().filter(|f| !(self.excluded)(&f.rel)) {
                let rel = std::mem::take(&mut f.rel);
                match (f.utf8, f.regular) {
                    (false, _) => errors.push(name_not_utf8(rel)),
                    (true, false) => errors.push(DocError::not_a_file(rel)),
                    (true, true) => {
                        // A link is followed from its path, as the fence judged it; a file is
                        // opened by name from its folder, never through a link that took its
                        // place since the listing. (Where either is opened is checked again
                        // once it is open: `Kb::read_visited`.)
                        let value = (self.visit)(&rel, (!f.link).then_some(&open));
                        found.push((rel, value));
                    }
                }
            }
            lock(&self.files).extend(found);
            if !errors.is_empty() {
                lock(&self.errors).extend(errors);
            }
        });
    }

    /// Where the symlink at `path` leads, if the walk follows it: not outside the KB, not
    /// nowhere, not back to a folder it is in (each reported).
    fn fence(&self, place: &Place, path: &Path, rel: &str, is_dir: bool) -> Option<PathBuf> {
        let target = match std::fs::canonicalize(path) {
            Ok(target) => target,
            // A link that leads nowhere is a doc that cannot be read, if it was meant as one.
            Err(e) => {
                if is_markdown(path.as_os_str()) {
                    self.error(cannot_walk(rel, &e));
                }
                return None;
            }
        };
        let root = self.real_root.as_deref();
        if !root.is_some_and(|root| target.starts_with(root)) {
            self.error(symlink_outside(rel.to_string()));
            return None;
        }
        if is_dir && place.ancestors.hold(&target) {
            let ancestor = match display_path(root.unwrap_or(Path::new("")), &target) {
                p if p.is_empty() => "the KB's root".to_string(),
                p => p,
            };
            self.error(DocError::unreadable(
                rel.to_string(),
                format!("cannot walk: a symbolic link loop back to {ancestor}"),
            ));
            return None;
        }
        Some(target)
    }

    /// Whether the ignore files that bind `path` ignore it: the nearest folder's first, each
    /// file's last matching line deciding, as git decides; the global excludes last.
    fn ignored(&self, rules: &Option<Arc<Rules>>, path: &Path, is_dir: bool) -> bool {
        let mut level = rules.as_deref();
        while let Some(r) = level {
            for rule in &r.here {
                match rule.matched(path, is_dir) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
            level = r.up.as_deref();
        }
        self.global
            .as_ref()
            .is_some_and(|g| g.matched(path, is_dir).is_ignore())
    }

    fn error(&self, error: DocError) {
        lock(&self.errors).push(error);
    }
}

/// The KB path of `name` in `place`, and whether all of it is UTF-8.
fn child_rel(place: &Place, name: &OsStr) -> (String, bool) {
    let (name, utf8) = match name.to_str() {
        Some(name) => (std::borrow::Cow::Borrowed(name), place.utf8),
        None => (name.to_string_lossy(), false),
    };
    let rel = match place.rel.is_empty() {
        true => name.into_owned(),
        false => {
            let mut rel = String::with_capacity(place.rel.len() + 1 + name.len());
            rel.push_str(&place.rel);
            rel.push('/');
            rel.push_str(&name);
            rel
        }
    };
    (rel, utf8)
}

/// Whether a file name (or path) is a Markdown file's: `.md` or `.markdown`, in any case.
pub(crate) fn is_markdown(name: &OsStr) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown"))
}

fn cannot_walk(rel: &str, e: &std::io::Error) -> DocError {
    let path = match rel.is_empty() {
        true => ".".to_string(),
        false => rel.to_string(),
    };
    DocError::unreadable(path, format!("cannot walk: {e}"))
}

fn symlink_outside(path: String) -> DocError {
    DocError::outside(
        path,
        "a symlink that leads outside the knowledge base: skipped",
    )
}

fn name_not_utf8(path: String) -> DocError {
    DocError::unreadable(
        path,
        "the file's name is not UTF-8, so kb cannot name it: rename the file".into(),
    )
}

/// A poisoned lock only means another walker thread panicked; its data is still whole.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn into_inner<T>(m: Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn walked(root: &Path, start: &str) -> (Vec<String>, Vec<String>) {
        let found = markdown_files(root, start, 0, |_| false, |_, _| ());
        let mut files: Vec<String> = found.files.into_iter().map(|(p, ())| p).collect();
        files.sort();
        let errors = found.errors.into_iter().map(|e| e.path).collect();
        (files, errors)
    }

    #[test]
    fn markdown_extensions() {
        assert!(is_markdown(OsStr::new("a/B.MD")));
        assert!(is_markdown(OsStr::new("a.markdown")));
        assert!(!is_markdown(OsStr::new("a.txt")));
        assert!(!is_markdown(OsStr::new("md")));
    }

    #[test]
    fn a_start_is_plain_or_nothing() {
        assert_eq!(plain("./goals/"), Some("goals".to_string()));
        assert_eq!(plain(""), Some(String::new()));
        assert_eq!(plain("../x"), None);
        assert_eq!(plain("/etc"), None);
    }

    #[test]
    fn the_nearest_ignore_file_decides_and_a_nested_repository_adds_its_exclude() {
        let dir = tree(&[
            (".gitignore", "*.tmp.md\nlocal.md\n"),
            ("a/.gitignore", "!keep.tmp.md\n"),
            ("a/keep.tmp.md", ""),
            ("a/drop.tmp.md", ""),
            ("a/local.md", ""),
            ("nested/.git/info/exclude", "own.md\n"),
            ("nested/x.tmp.md", ""),
            ("nested/own.md", ""),
        ]);
        let (files, errors) = walked(dir.path(), "");
        assert_eq!(files, ["a/keep.tmp.md"]);
        assert!(errors.is_empty());
        // Walked on its own, a folder is bound by the ignore files above it.
        assert_eq!(walked(dir.path(), "a").0, ["a/keep.tmp.md"]);
    }

    #[test]
    fn a_worktree_s_git_file_leads_to_the_shared_exclude() {
        let dir = tree(&[
            ("wt/.git", "gitdir: ../main/.git/worktrees/wt\n"),
            ("main/.git/worktrees/wt/commondir", "../..\n"),
            ("main/.git/info/exclude", "x.md\n"),
        ]);
        let git = git_dir(&dir.path().join("wt")).unwrap();
        assert!(git.join("info/exclude").is_file(), "{}", git.display());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_named_git_is_never_read() {
        let dir = tree(&[("a.md", "")]);
        let fifo = dir.path().join(".git");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here: nothing to test
        }
        assert_eq!(git_dir(dir.path()), None);
        assert_eq!(walked(dir.path(), "").0, ["a.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_walked_on_its_own_that_leads_outside_is_fenced() {
        let outside = tree(&[("secret.md", "")]);
        let dir = tree(&[("a.md", "")]);
        std::os::unix::fs::symlink(outside.path(), dir.path().join("goals")).unwrap();
        let (files, errors) = walked(dir.path(), "goals");
        assert!(files.is_empty());
        assert_eq!(errors, ["goals"]);
    }
}
