//! The knowledge base: finding its root, its configuration, and loading its Markdown files
//! (found by the walk, `walk.rs`) in parallel. A file that cannot be read becomes a [`DocError`] beside the docs
//! that could, never a reason to stop.

use crate::config::{Config, Env, CONFIG_FILE};
use crate::doc::{self, Document, Source};
use crate::error::{display_path, DocError, DocErrorKind, Error, Result};
use crate::stamp::Stamp;
use rayon::slice::ParallelSliceMut;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::walk::SKIPPED_DIRS;

/// `.kb/.gitignore`: kb's caches and temp files never belong in a commit.
pub const KB_GITIGNORE: &str = "# kb's caches and temp files, rebuilt on demand\ncache/\ntmp/\n";

pub struct Kb {
    pub root: PathBuf,
    pub config: Config,
    /// The root folder, open: a doc stat'ed outside a walk is looked up from it
    /// ([`Kb::stamp`]).
    root_dir: Option<Arc<std::fs::File>>,
    /// The root with every link resolved: what an opened file's real path must lie under.
    real_root: Option<PathBuf>,
}

/// The Markdown files of the KB, sorted, and the entries the walk could not read.
#[derive(Debug, Default)]
pub struct Walk {
    /// Paths relative to the root, with `/`.
    pub files: Vec<String>,
    pub errors: Vec<DocError>,
}

/// A Markdown file the walk found: its KB path, and the folder it is in, open, from which it is
/// stat'ed by name. Stat'ed by its path from the root, each file cost the kernel a lookup of
/// every folder on the way: a sixth of a warm `kb ls` at 100k docs.
pub struct Walked<'a> {
    /// Relative to the root, with `/`.
    pub rel: &'a str,
    kb: &'a Kb,
    /// The folder, when the file was listed as a file (a symlink is followed from its path,
    /// where the walk's fence judged it).
    #[cfg(unix)]
    folder: Option<&'a std::os::fd::OwnedFd>,
}

impl Walked<'_> {
    /// The file's [`Stamp`]: of the file itself when it was listed as one (a symlink that took
    /// its place since is not followed), else of where its link leads, as [`Kb::stamp`] takes
    /// it.
    pub fn stamp(&self) -> Option<Stamp> {
        self.stat().ok()
    }

    fn stat(&self) -> std::io::Result<Stamp> {
        #[cfg(unix)]
        if let Some(folder) = self.folder {
            let nofollow = rustix::fs::AtFlags::SYMLINK_NOFOLLOW;
            let stat = rustix::fs::statat(folder, self.name(), nofollow)?;
            return Ok(Stamp::from_stat(&stat));
        }
        self.kb.stat(self.rel)
    }

    /// Opens the file to read, never outside the KB: a link or folder on the way may have
    /// changed since the walk's fence judged it. Without blocking: a file swapped for a FIFO
    /// since the walk listed it then reads as empty, where it would hang kb until something
    /// wrote to it (a regular file reads as ever).
    fn open(&self) -> Result<std::fs::File, DocError> {
        let unreadable = |e: std::io::Error| unreadable(self.rel.to_string(), &e);
        #[cfg(target_os = "linux")]
        if let Some(file) = self.open_beneath().map_err(unreadable)? {
            return Ok(file);
        }
        let file = self.open_as_listed().map_err(unreadable)?;
        match self.kb.holds(&file) {
            true => Ok(file),
            false => Err(DocError::outside(
                self.rel.to_string(),
                "it led outside the knowledge base when kb opened it (a link or folder on the \
                 way changed while kb read the KB): skipped",
            )),
        }
    }

    /// The file's bytes, opened as [`Walked::open`] opens it.
    fn read(&self) -> Result<Vec<u8>, DocError> {
        let mut opened = self.open()?;
        let mut bytes = Vec::new();
        // A `File`'s `read_to_end` sizes the buffer from its stat itself.
        opened
            .read_to_end(&mut bytes)
            .map_err(|e| unreadable(self.rel.to_string(), &e))?;
        Ok(bytes)
    }

    /// The file, opened through the kernel's own check that each step of its path stays under
    /// the root; `None` where that check cannot answer: a link written as an absolute path
    /// (inside the KB, as the fence judged, or not), a kernel before Linux 5.6.
    #[cfg(target_os = "linux")]
    fn open_beneath(&self) -> std::io::Result<Option<std::fs::File>> {
        use rustix::fs::{Mode, OFlags, ResolveFlags};
        use rustix::io::Errno;
        let Some(root) = self.kb.root_dir.as_deref() else {
            return Ok(None);
        };
        let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK;
        let beneath = ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS;
        match rustix::fs::openat2(root, self.rel, flags, Mode::empty(), beneath) {
            Ok(fd) => Ok(Some(std::fs::File::from(fd))),
            Err(Errno::XDEV | Errno::NOSYS | Errno::PERM | Errno::AGAIN) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The file, opened by name from its folder when it was listed as a file (without
    /// following a link that took its place since), else by its path.
    fn open_as_listed(&self) -> std::io::Result<std::fs::File> {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            use std::os::unix::fs::OpenOptionsExt;
            if let Some(folder) = self.folder {
                let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK | OFlags::NOFOLLOW;
                return match rustix::fs::openat(folder, self.name(), flags, Mode::empty()) {
                    Ok(fd) => Ok(std::fs::File::from(fd)),
                    Err(rustix::io::Errno::LOOP) => Err(std::io::Error::other(
                        "it became a symbolic link while kb read the KB: run kb again",
                    )),
                    Err(e) => Err(e.into()),
                };
            }
            std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(OFlags::NONBLOCK.bits() as i32)
                .open(self.kb.root.join(self.rel))
        }
        #[cfg(not(unix))]
        std::fs::File::open(self.kb.root.join(self.rel))
    }

    fn name(&self) -> &str {
        self.rel.rsplit('/').next().unwrap_or(self.rel)
    }
}

/// Every doc of the KB: the ones that parsed, and an error for each one that did not.
#[derive(Debug, Default)]
pub struct Loaded {
    pub docs: Vec<Document>,
    pub errors: Vec<DocError>,
}

/// Drops `value` on a thread of its own: freeing `kb check`'s context of 100k docs took 30 ms
/// on one core after the work was done. A process about to exit does not wait for that thread,
/// and a longer-lived caller still gets the memory back.
pub fn drop_aside<T: Send + 'static>(value: T) {
    // Without a thread (none left to make), the value is dropped here, as it would have been.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

impl Kb {
    /// Finds the KB root: `explicit` (from `--kb` or `KB_DIR`) if given, else the nearest folder
    /// from `cwd` up that holds kb.yaml, else the enclosing git repository's work tree.
    pub fn discover(explicit: Option<&Path>, cwd: &Path) -> Result<PathBuf> {
        if let Some(dir) = explicit {
            let dir = cwd.join(dir);
            return match (dir.is_dir(), dir.exists()) {
                (true, _) => Ok(dir),
                (false, true) => Err(Error::usage_with_hint(
                    format!("{} is a file, not a knowledge base folder", dir.display()),
                    "give --kb the folder that holds kb.yaml",
                )),
                (false, false) => Err(Error::KbMissing { path: dir }),
            };
        }
        if let Some(dir) = cwd.ancestors().find(|d| d.join(CONFIG_FILE).is_file()) {
            return Ok(dir.to_path_buf());
        }
        if let Ok(repo) = git2::Repository::discover(cwd) {
            if let Some(workdir) = repo.workdir() {
                return Ok(workdir.to_path_buf());
            }
        }
        Err(Error::KbNotFound {
            start: cwd.to_path_buf(),
        })
    }

    /// The same KB with the doc cache off: for a dry run, which must write nothing at all.
    pub fn without_cache(&self) -> Kb {
        let mut config = self.config.clone();
        config.cache = false;
        Kb {
            root: self.root.clone(),
            config,
            root_dir: self.root_dir.clone(),
            real_root: self.real_root.clone(),
        }
    }

    pub fn open(root: PathBuf, env: &Env) -> Result<Kb> {
        let config = Config::load(&root, env)?;
        let root_dir = std::fs::File::open(&root).ok().map(Arc::new);
        let real_root = std::fs::canonicalize(&root).ok();
        Ok(Kb {
            root,
            config,
            root_dir,
            real_root,
        })
    }

    /// The [`Stamp`] of the file at `rel` (relative to the root), following symlinks as the
    /// walk does; `None` when it cannot be read.
    pub fn stamp(&self, rel: &str) -> Option<Stamp> {
        self.stat(rel).ok()
    }

    /// [`Kb::stamp`], or why it cannot be taken.
    fn stat(&self, rel: &str) -> std::io::Result<Stamp> {
        // Looked up from the open root, not from `/`: no lookup of the root's own folders.
        #[cfg(unix)]
        if let Some(dir) = &self.root_dir {
            let stat = rustix::fs::statat(dir.as_ref(), rel, rustix::fs::AtFlags::empty())?;
            return Ok(Stamp::from_stat(&stat));
        }
        std::fs::metadata(self.root.join(rel)).map(|m| Stamp::from_metadata(&m))
    }

    /// Lists the Markdown files: .gitignore respected, `.git/`, `.kb/` and kb.yaml's `exclude:`
    /// globs skipped, symlinked folders followed (loops are errors).
    pub fn walk(&self) -> Walk {
        let (found, errors) = self.walk_with(|_| ());
        Walk {
            files: found.into_iter().map(|(path, ())| path).collect(),
            errors,
        }
    }

    /// Every doc's [`Stamp`], in path order, from one parallel stat walk: how the search
    /// index sees what changed (the doc cache stats each doc in its own walk the same way).
    pub fn stamps(&self) -> Vec<(String, Stamp)> {
        self.stamps_and_errors().0
    }

    /// [`Kb::stamps`], and what the walk could not read: entries it could not enter and files
    /// it could not stat (a file name that is not UTF-8 is one).
    pub fn stamps_and_errors(&self) -> (Vec<(String, Stamp)>, Vec<DocError>) {
        let (found, mut errors) = self.walk_folder_sized("", 0, |file| file.stat());
        let mut stamps = Vec::with_capacity(found.len());
        for (path, stat) in found {
            match stat {
                Ok(stamp) => stamps.push((path, stamp)),
                Err(e) => errors.push(unreadable(path, &e)),
            }
        }
        errors.sort_by(|a, b| a.path.cmp(&b.path));
        (stamps, errors)
    }

    /// Walks and parses every doc in one parallel pass; the result is in path order.
    pub fn load(&self) -> Loaded {
        self.load_folder("")
    }

    /// [`Kb::load`] for the docs under one folder (relative to the root).
    pub fn load_folder(&self, folder: &str) -> Loaded {
        // The cache holds the whole KB: reading all of it to serve one folder (people/) costs
        // more than parsing that folder.
        let cache = match folder.is_empty() {
            true => crate::cache::DocCache::<crate::cache::Parsed>::open(self),
            false => None,
        };
        // As many docs as last time, most likely: the list of them is not grown (and copied) as
        // the walk finds them.
        let expected = cache.as_ref().map_or(0, |c| c.len());
        let (found, mut errors) = self.walk_folder_sized(folder, expected, |file| match &cache {
            Some(cache) => cache.get_or_stamped(
                file.rel,
                || file.stamp(),
                || self.read_with_body(file, |doc, _| doc),
            ),
            None => self.read_with_body(file, |doc, _| doc).0,
        });
        if let Some(cache) = cache {
            cache.save(self, folder.trim_end_matches('/'), &found);
        }
        // Collected in place: the walk's list becomes the docs' list, not a second copy of it.
        // Each doc takes the walk's path (the cache keeps none in the doc).
        let docs = found
            .into_iter()
            .filter_map(|(rel, result)| match result {
                Ok(doc) => Some(Document { path: rel, ..doc }),
                Err(e) => {
                    errors.push(e);
                    None
                }
            })
            .collect();
        errors.sort_by(|a, b| a.path.cmp(&b.path));
        Loaded { docs, errors }
    }

    /// Calls `visit` on each Markdown file (relative path) from the walker's threads, so that
    /// reading overlaps walking; returns the results sorted by path, and the walk's errors.
    pub fn walk_with<T: Send>(
        &self,
        visit: impl Fn(&str) -> T + Sync,
    ) -> (Vec<(String, T)>, Vec<DocError>) {
        self.walk_folder_with("", visit)
    }

    /// [`Kb::walk_with`] over one folder (relative to the root; `""` for all of it). A folder
    /// that does not exist has no docs.
    pub fn walk_folder_with<T: Send>(
        &self,
        folder: &str,
        visit: impl Fn(&str) -> T + Sync,
    ) -> (Vec<(String, T)>, Vec<DocError>) {
        self.walk_folder_sized(folder, 0, |file| visit(file.rel))
    }

    /// [`Kb::walk_folder_with`], room made for `expected` docs (as many as the cache holds),
    /// each file visited with its open folder ([`Walked`]).
    pub fn walk_folder_sized<T: Send>(
        &self,
        folder: &str,
        expected: usize,
        visit: impl Fn(&Walked) -> T + Sync,
    ) -> (Vec<(String, T)>, Vec<DocError>) {
        let start = self.root.join(folder);
        if !start.is_dir() {
            return (Vec::new(), Vec::new());
        }
        let excluded = |rel: &str| self.config.exclude.is_match(rel);
        #[cfg_attr(not(unix), allow(unused_variables))]
        let visit = |rel: &str, open: Option<&crate::walk::Folder>| {
            visit(&Walked {
                rel,
                kb: self,
                #[cfg(unix)]
                folder: open.and_then(|o| o.fd()),
            })
        };
        let walked = crate::walk::markdown_files(&self.root, folder, expected, excluded, visit);
        let (mut found, mut errors) = (walked.files, walked.errors);
        // On every core: at 100k docs, the sort (comparing paths, moving entries) was a tenth
        // of a warm `kb stale`.
        found.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        errors.sort_by(|a, b| a.path.cmp(&b.path));
        (found, errors)
    }

    /// Reads and parses one doc by its path relative to the root. The path may come from a user
    /// or a committed file, so it is checked to stay inside the KB and to be a regular file
    /// (reading a FIFO would hang).
    pub fn read(&self, path: String) -> Result<Source, DocError> {
        // Judged first for its message (outside, not a file), then opened beneath the root:
        // the path may change between the two.
        self.inside(&path)?;
        let bytes = self.read_doc_bytes(&path)?;
        doc::parse(path, bytes, &self.config.schema)
    }

    /// The bytes of the doc at `rel`, a KB path the walk listed, read as the walk reads a doc:
    /// never outside the KB (whatever changed since the walk judged the path), never hanging on
    /// a FIFO. For commands that read a doc's text again after the walk.
    pub fn read_doc_bytes(&self, rel: &str) -> Result<Vec<u8>, DocError> {
        self.by_path(rel).read()
    }

    /// [`Kb::read_doc_bytes`] as text, if it is UTF-8.
    pub fn read_doc_text(&self, rel: &str) -> Option<String> {
        String::from_utf8(self.read_doc_bytes(rel).ok()?).ok()
    }

    /// [`Kb::read`] for a path the walk produced, which its fence already admitted: no second
    /// check (two `realpath`s per doc) on the path of `kb check` reading every doc.
    pub fn read_walked(&self, path: String) -> Result<Source, DocError> {
        self.read_visited(&self.by_path(&path))
    }

    /// [`Kb::read_walked`] for the file the walk is visiting, opened from its folder.
    pub fn read_visited(&self, file: &Walked) -> Result<Source, DocError> {
        let bytes = file.read()?;
        doc::parse(file.rel.to_string(), bytes, &self.config.schema)
    }

    /// Whether the open `file` lies under the root, by the path the kernel resolved when it
    /// opened it (Linux's `/proc/self/fd`). Elsewhere, or without `/proc`, the walk's fence
    /// alone has judged it.
    fn holds(&self, file: &std::fs::File) -> bool {
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            let opened = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()));
            if let (Some(root), Ok(opened)) = (&self.real_root, opened) {
                return opened.starts_with(root);
            }
        }
        let _ = file;
        true
    }

    /// The file at `rel` as the walk would visit it, reached by its path from the root.
    fn by_path<'a>(&'a self, rel: &'a str) -> Walked<'a> {
        Walked {
            rel,
            kb: self,
            #[cfg(unix)]
            folder: None,
        }
    }

    /// The resolved full path of `rel` when it is a regular file inside the root.
    fn inside(&self, rel: &str) -> Result<PathBuf, DocError> {
        let escapes = crate::fsutil::lexically_inside(Path::new(rel)).is_err();
        let full =
            std::fs::canonicalize(self.root.join(rel)).map_err(|e| unreadable(rel.into(), &e))?;
        // Resolved once, when the KB was opened.
        let root = match &self.real_root {
            Some(root) => root.clone(),
            None => std::fs::canonicalize(&self.root).map_err(|e| unreadable(rel.into(), &e))?,
        };
        if escapes || !full.starts_with(&root) {
            return Err(DocError::outside(
                rel.to_string(),
                "this path leads outside the knowledge base; kb reads only inside it",
            ));
        }
        match full.metadata() {
            Ok(m) if m.is_file() => Ok(full),
            Ok(_) => Err(DocError::not_a_file(rel.to_string())),
            Err(e) => Err(unreadable(rel.into(), &e)),
        }
    }

    /// Reads one doc's metadata through a buffer each walker thread reuses: allocating a fresh
    /// buffer per file made the kernel zero new pages for most of a listing's time.
    pub fn read_metadata(&self, path: &str) -> Result<Document, DocError> {
        self.read_metadata_with_body(path, |doc, _| doc)
    }

    /// Like [`Kb::read_metadata`], and lends the body to `with_body` (through the same buffer).
    pub fn read_metadata_with_body<T>(
        &self,
        path: &str,
        with_body: impl FnOnce(Document, &str) -> T,
    ) -> Result<T, DocError> {
        self.read_with_body(&self.by_path(path), with_body).0
    }

    /// [`Kb::read_metadata_with_body`], and the file's stamp for the doc cache, taken from the
    /// opened file before it is read.
    fn read_with_body<T>(
        &self,
        file: &Walked,
        with_body: impl FnOnce(Document, &str) -> T,
    ) -> (Result<T, DocError>, Option<Stamp>) {
        let path = file.rel;
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BUFFER.with_borrow_mut(|buffer| {
            buffer.clear();
            let mut opened = match file.open() {
                Ok(opened) => opened,
                Err(e) => return (Err(e), None),
            };
            let stamp = opened.metadata().ok().map(|m| Stamp::from_metadata(&m));
            let doc = match opened.read_to_end(buffer) {
                Ok(_) => doc::parse_metadata_with_body(
                    path.to_string(),
                    buffer,
                    &self.config.schema,
                    with_body,
                ),
                Err(e) => Err(unreadable(path.to_string(), &e)),
            };
            (doc, stamp)
        })
    }

    /// Whether the walk would list `rel` (relative to the root, with `/`) as a doc: Markdown, not
    /// in `.git/` or `.kb/`, not excluded by kb.yaml. For paths that come from elsewhere (a git
    /// diff), so they agree with the walk.
    pub fn is_doc_path(&self, rel: &str) -> bool {
        crate::walk::is_markdown(rel.as_ref())
            && !rel.split('/').any(|part| SKIPPED_DIRS.contains(&part))
            && !self.config.exclude.is_match(rel)
    }

    /// The path relative to the root, with `/`, of `path` (absolute or relative to `cwd`), if it
    /// lies inside the KB.
    pub fn relative_path(&self, cwd: &Path, path: &Path) -> Option<String> {
        let abs = normalize(&cwd.join(path));
        let root = normalize(&self.root);
        abs.strip_prefix(&root)
            .ok()
            .map(|rel| display_path(Path::new(""), rel))
    }
}

fn unreadable(path: String, e: &std::io::Error) -> DocError {
    DocError {
        path,
        line: 1,
        column: None,
        kind: DocErrorKind::Unreadable,
        message: format!("cannot read the file: {e}"),
    }
}

/// Removes `.` and `..` without touching the file system (the file may not exist yet).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_walked_path_that_became_a_fifo_is_read_without_hanging() {
        let dir = tempfile::tempdir().unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join("pipe.md"))
            .status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here: nothing to test
        }
        let kb = Kb::open(dir.path().to_path_buf(), &Env::default()).unwrap();
        let (done, wait) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = kb.read_walked("pipe.md".into());
            let _ = done.send(());
        });
        let waited = wait.recv_timeout(std::time::Duration::from_secs(10));
        assert!(waited.is_ok(), "reading a FIFO the walk had listed hung");
    }

    #[cfg(unix)]
    #[test]
    fn a_walked_file_that_became_a_symlink_out_of_the_kb_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let (root, outside) = (dir.path().join("kb"), dir.path().join("secret.md"));
        std::fs::create_dir(&root).unwrap();
        std::fs::write(&outside, "# Secret\n").unwrap();
        // Listed as a file, then swapped for a link out of the KB before it is read.
        std::os::unix::fs::symlink(&outside, root.join("doc.md")).unwrap();
        let kb = Kb::open(root.clone(), &Env::default()).unwrap();
        let folder = std::os::fd::OwnedFd::from(std::fs::File::open(&root).unwrap());
        let walked = Walked {
            rel: "doc.md",
            kb: &kb,
            folder: Some(&folder),
        };
        let error = kb.read_visited(&walked).unwrap_err();
        assert!(
            error.message.contains("became a symbolic link"),
            "{error:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_doc_reached_through_links_is_read_only_inside_the_kb() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let (root, outside) = (dir.path().join("kb"), dir.path().join("out"));
        std::fs::create_dir_all(root.join("real")).unwrap();
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("doc.md"), "# Secret\n").unwrap();
        std::fs::write(root.join("real/doc.md"), "# Inside\n").unwrap();
        // Links the fence admitted, as they were when the walk listed them...
        symlink(root.join("real/doc.md"), root.join("absolute.md")).unwrap();
        symlink("real/doc.md", root.join("relative.md")).unwrap();
        // ...and as they are once changed to lead out: a file, and a folder on the way.
        symlink(outside.join("doc.md"), root.join("swapped.md")).unwrap();
        symlink("../out/doc.md", root.join("climbing.md")).unwrap();
        symlink(&outside, root.join("folder")).unwrap();
        let kb = Kb::open(root.clone(), &Env::default()).unwrap();
        for inside in ["absolute.md", "relative.md"] {
            let read = kb.read_walked(inside.into()).map(|s| s.doc.title);
            assert_eq!(read, Ok("Inside".to_string()), "{inside}");
        }
        for out in ["swapped.md", "climbing.md", "folder/doc.md"] {
            let error = kb.read_walked(out.into()).unwrap_err();
            assert_eq!(error.kind, DocErrorKind::SymlinkOutside, "{out}: {error:?}");
        }
    }

    #[test]
    fn normalize_drops_dots() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
