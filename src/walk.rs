//! The walk: every Markdown file under a folder of the KB, found on every core. Each folder is
//! listed once, and its files are handed to `visit` with the folder open, so that they are
//! stat'ed and read by name ([`crate::kb::Walked`]).
//!
//! It skips what git would not commit: what `.gitignore` (and `.ignore`) files say, in the
//! folders walked and in those above up to the repository's root, with `.git/info/exclude` and
//! the user's global excludes, each matched by the `ignore` crate's own matcher. `.git/` and
//! `.kb/` are never walked. Symlinks are followed while they lead inside the KB: one that leads
//! out is reported and skipped, and a folder link back to a folder it is in is a loop, reported.
//!
//! It is written here rather than left to `ignore`'s walker for speed: that walker's own work
//! per entry (a path built and matched level by level, a queue of work) cost more at 100k docs
//! than the stat of each file that a warm command needs (a third of the walk).

use crate::error::{display_path, DocError, DocErrorKind};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use rayon::prelude::*;
use std::ffi::OsStr;
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

/// What a walk found: each file's KB path with what `visit` made of it, in no set order, and
/// what it could not read or follow.
pub(crate) type Found<T> = (Vec<(String, T)>, Vec<DocError>);

/// Walks the folder `start` (a KB path, `""` for the whole KB) under `root`, calling `visit` on
/// the walk's threads with the KB path and open folder of each Markdown file that `excluded`
/// does not reject. `expected` is how many files there will likely be.
pub(crate) fn markdown_files<T: Send>(
    root: &Path,
    start: &str,
    expected: usize,
    excluded: &(dyn Fn(&str) -> bool + Sync),
    visit: &(dyn Fn(&str, &Folder) -> T + Sync),
) -> Found<T> {
    let Some(start) = plain(start) else {
        return (Vec::new(), Vec::new());
    };
    let path = root.join(&start);
    let shared = Shared::read(root, &path);
    let place = Place {
        rules: shared.above.clone(),
        real: Chain::from_root(shared.real_root.as_deref(), &path),
        rel: start,
        utf8: true,
        path,
    };
    let walk = Walk {
        shared,
        excluded,
        visit,
        found: Mutex::new(Vec::with_capacity(expected)),
        errors: Mutex::new(Vec::new()),
    };
    rayon::scope(|s| walk.folder(s, place));
    (into_inner(walk.found), into_inner(walk.errors))
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

/// One walk: what holds everywhere in it, and what it found so far.
struct Walk<'a, T> {
    shared: Shared,
    excluded: &'a (dyn Fn(&str) -> bool + Sync),
    visit: &'a (dyn Fn(&str, &Folder) -> T + Sync),
    found: Mutex<Vec<(String, T)>>,
    errors: Mutex<Vec<DocError>>,
}

/// What holds in every folder of a walk.
#[derive(Default)]
struct Shared {
    /// The root with its symlinks resolved: a symlink must lead inside it.
    real_root: Option<PathBuf>,
    /// The ignore files of the folders above the walk's start, up to the repository's root.
    above: Option<Arc<Rules>>,
    /// The user's global excludes, which bind below any ignore file.
    last: Vec<Gitignore>,
}

impl Shared {
    fn read(root: &Path, start: &Path) -> Shared {
        // Outside git, the KB root is the top; inside, the repository's root is.
        let repo = root.ancestors().find(|dir| dir.join(".git").exists());
        let top = repo.unwrap_or(root);
        let mut above = None;
        let folders: Vec<&Path> = start
            .ancestors()
            .skip(1)
            .take_while(|d| d.starts_with(top))
            .collect();
        for folder in folders.into_iter().rev() {
            above = Rules::read(folder, above.clone()).or(above);
        }
        let global = Gitignore::global().0;
        Shared {
            real_root: std::fs::canonicalize(root).ok(),
            above,
            last: (!global.is_empty()).then_some(global).into_iter().collect(),
        }
    }
}

/// The ignore files of one folder, and those of the folders above it.
struct Rules {
    here: Vec<Gitignore>,
    up: Option<Arc<Rules>>,
}

impl Rules {
    /// The rules of `folder` on top of `up`, or `None` when it has no ignore file. A folder
    /// that holds a repository (`.git`) adds its `info/exclude`.
    fn read(folder: &Path, up: Option<Arc<Rules>>) -> Option<Arc<Rules>> {
        let exclude = git_dir(folder).map(|git| git.join("info/exclude"));
        let here: Vec<Gitignore> = IGNORE_FILES
            .iter()
            .map(|name| folder.join(name))
            .chain(exclude)
            .filter(|file| file.is_file())
            .filter_map(|file| {
                let mut builder = GitignoreBuilder::new(folder);
                // A line that does not parse is left out, as git leaves it out.
                builder.add(file);
                builder.build().ok()
            })
            .filter(|g| !g.is_empty())
            .collect();
        (!here.is_empty()).then(|| Arc::new(Rules { here, up }))
    }
}

/// The git folder of the work tree whose root is `folder`: its `.git/`, or where a `.git` file
/// points (a worktree's or a submodule's), the shared part of it for a worktree.
fn git_dir(folder: &Path) -> Option<PathBuf> {
    let dot_git = folder.join(".git");
    if dot_git.is_dir() {
        return Some(dot_git);
    }
    let text = std::fs::read_to_string(&dot_git).ok()?;
    let dir = folder.join(text.strip_prefix("gitdir:")?.trim());
    match std::fs::read_to_string(dir.join("commondir")) {
        Ok(common) => Some(dir.join(common.trim())),
        Err(_) => Some(dir),
    }
}

/// A folder to list.
struct Place {
    /// The folder as the walk reached it (through symlinks).
    path: PathBuf,
    /// Its KB path, `""` for the root; made UTF-8 for display when `utf8` is false.
    rel: String,
    utf8: bool,
    rules: Option<Arc<Rules>>,
    /// The real paths of the folders walked to reach it, itself first: a folder link that
    /// leads to one of them is a loop.
    real: Arc<Chain>,
}

struct Chain {
    real: PathBuf,
    up: Option<Arc<Chain>>,
}

impl Chain {
    /// The chain of `start` (under the KB root): a link in it back to the root or any folder
    /// between is a loop too.
    fn from_root(real_root: Option<&Path>, start: &Path) -> Arc<Chain> {
        let real = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
        let inside = |f: &Path| real_root.is_some_and(|root| f.starts_with(root));
        let above: Vec<&Path> = real.ancestors().skip(1).take_while(|f| inside(f)).collect();
        let up = above.into_iter().rev().fold(None, |up, folder| {
            Some(Arc::new(Chain {
                real: folder.to_path_buf(),
                up,
            }))
        });
        Arc::new(Chain { real, up })
    }

    fn holds(&self, real: &Path) -> bool {
        let mut link = Some(self);
        while let Some(c) = link {
            if c.real == real {
                return true;
            }
            link = c.up.as_deref();
        }
        false
    }
}

/// A Markdown file a folder holds: its KB path, and whether it is a regular file.
struct File {
    rel: String,
    utf8: bool,
    regular: bool,
}

impl<'a, T: Send> Walk<'a, T> {
    fn folder<'s>(&'s self, s: &rayon::Scope<'s>, place: Place) {
        let listing = match std::fs::read_dir(&place.path) {
            Ok(listing) => listing,
            Err(e) => return self.error(cannot_walk(&place.rel, &e)),
        };
        let mut entries = Vec::new();
        for entry in listing {
            match entry {
                Ok(entry) => entries.push(entry),
                Err(e) => self.error(cannot_walk(&place.rel, &e)),
            }
        }
        // This folder's ignore files bind what it holds, and everything below.
        let has_rules = entries.iter().any(|e| {
            IGNORE_FILES
                .iter()
                .chain([&".git"])
                .any(|n| e.file_name() == *n)
        });
        let rules = match has_rules {
            true => Rules::read(&place.path, place.rules.clone()).or(place.rules.clone()),
            false => place.rules.clone(),
        };
        let mut files = Vec::new();
        for entry in entries {
            let Ok(kind) = entry.file_type() else {
                continue; // gone since it was listed
            };
            let name = entry.file_name();
            let path = entry.path();
            // A symlink is what it leads to; where it leads is judged once it is not ignored.
            let followed = match kind.is_symlink() {
                true => std::fs::metadata(&path).map(|m| m.file_type()),
                false => Ok(kind),
            };
            let is_dir = followed.as_ref().is_ok_and(|k| k.is_dir());
            if is_dir && SKIPPED_DIRS.iter().any(|d| name == *d) {
                continue;
            }
            if self.ignored(&rules, &path, is_dir) {
                continue;
            }
            let (rel, utf8) = child_rel(&place, &name);
            let real = match kind.is_symlink() {
                true => match self.fence(&place, &path, &rel, is_dir) {
                    Some(real) => real,
                    None => continue,
                },
                false => place.real.real.join(&name),
            };
            let Ok(kind) = followed else {
                continue;
            };
            if is_dir {
                let child = Place {
                    path,
                    rel,
                    utf8,
                    rules: rules.clone(),
                    real: Arc::new(Chain {
                        real,
                        up: Some(place.real.clone()),
                    }),
                };
                s.spawn(move |s| self.folder(s, child));
            } else if is_markdown(&name) {
                files.push(File {
                    rel,
                    utf8,
                    regular: kind.is_file(),
                });
            }
        }
        if !files.is_empty() {
            self.files(&place.path, files);
        }
    }

    /// Visits a folder's Markdown files, in runs on every core.
    fn files(&self, folder: &Path, files: Vec<File>) {
        let open = Folder::open(folder);
        let (found, errors): (Vec<_>, Vec<_>) = files
            .into_par_iter()
            .with_min_len(RUN)
            .filter(|f| !(self.excluded)(&f.rel))
            .partition_map(|f| match (f.utf8, f.regular) {
                (false, _) => rayon::iter::Either::Right(name_not_utf8(f.rel)),
                (true, false) => rayon::iter::Either::Right(not_a_file(f.rel)),
                (true, true) => {
                    let value = (self.visit)(&f.rel, &open);
                    rayon::iter::Either::Left((f.rel, value))
                }
            });
        lock(&self.found).extend(found);
        if !errors.is_empty() {
            lock(&self.errors).extend(errors);
        }
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
        let root = self.shared.real_root.as_deref();
        if !root.is_some_and(|root| target.starts_with(root)) {
            self.error(DocError {
                path: rel.to_string(),
                line: 1,
                column: None,
                kind: DocErrorKind::SymlinkOutside,
                message: "a symlink that leads outside the knowledge base: skipped".into(),
            });
            return None;
        }
        if is_dir && place.real.holds(&target) {
            let ancestor = display_path(root.unwrap_or(Path::new("")), &target);
            self.error(DocError {
                path: rel.to_string(),
                line: 1,
                column: None,
                kind: DocErrorKind::Unreadable,
                message: format!(
                    "cannot walk: a symbolic link loop back to {}",
                    match ancestor.is_empty() {
                        true => "the KB's root",
                        false => &ancestor,
                    }
                ),
            });
            return None;
        }
        Some(target)
    }

    /// Whether the ignore files that bind `path` ignore it: the nearest folder's first, each
    /// file's last matching line deciding, as git decides.
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
        self.shared
            .last
            .iter()
            .map(|rule| rule.matched(path, is_dir))
            .find(|m| !m.is_none())
            .is_some_and(|m| m.is_ignore())
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
        false => format!("{}/{}", place.rel, name),
    };
    (rel, utf8)
}

fn is_markdown(name: &OsStr) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown"))
}

fn cannot_walk(rel: &str, e: &std::io::Error) -> DocError {
    DocError {
        path: match rel.is_empty() {
            true => ".".to_string(),
            false => rel.to_string(),
        },
        line: 1,
        column: None,
        kind: DocErrorKind::Unreadable,
        message: format!("cannot walk: {e}"),
    }
}

fn not_a_file(path: String) -> DocError {
    DocError {
        path,
        line: 1,
        column: None,
        kind: DocErrorKind::Unreadable,
        message: "not a regular file (a FIFO, socket or device): skipped".into(),
    }
}

fn name_not_utf8(path: String) -> DocError {
    DocError {
        path,
        line: 1,
        column: None,
        kind: DocErrorKind::Unreadable,
        message: "the file's name is not UTF-8, so kb cannot name it: rename the file".into(),
    }
}

/// A poisoned lock only means another walker thread panicked; its data is still whole.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn into_inner<T>(m: Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(|p| p.into_inner())
}
