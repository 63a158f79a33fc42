//! Writing files the safe way, for every command that writes into the KB:
//!
//! - inside the root only: a target whose nearest existing folder resolves (symlinks followed)
//!   outside the KB root is refused before anything is created;
//! - atomically: the bytes go to a temp file under `.kb/tmp/` (git-ignored, same file system),
//!   then a rename, so a crash leaves either nothing or the whole file, and never a stray copy
//!   beside the docs that git would commit;
//! - never over a user's file unasked ([`write_new`]); [`replace`] is for files kb owns;
//! - serialised: a read-modify-write (extending a check-in, allocating an id) holds the KB's
//!   [`WriteLock`] from its read to its rename, so ten people at once lose nothing.
//!
//! Temp files are locked while they are written; the next writer removes those whose lock is
//! free, which are the leftovers of runs that died.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

/// kb's scratch folder: temp files and the write lock. It ignores itself in git.
pub const TMP_DIR: &str = ".kb/tmp";
const LOCK_FILE: &str = "write.lock";
const TEMP_PREFIX: &str = "tmp-";
/// How long a writer waits for another kb command that is writing; a human-scale wait, long
/// enough for ten check-ins in a row, short enough that a stuck process is reported.
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// Exclusive right to read-modify-write files of one KB; released when dropped.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

/// Whether `path` is absent or a plain file, without following a symlink: kb's own files
/// (locks, pointers, temp files) that are anything else (a FIFO would hang a read, a symlink
/// could lead a write out of the KB) are refused.
pub fn absent_or_regular(path: &Path) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(meta) => meta.file_type().is_file(),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// The largest of kb's own files (caches, pointers) kb reads: a 100k-doc KB's largest cache is
/// about 35 MB, so anything past this is damage (a sparse or runaway file), not a cache, and
/// reading it whole would take the machine's memory.
const OWN_FILE_LIMIT: u64 = 1 << 30;

/// Reads one of kb's own files, `rel` under `root`: `Ok(None)` when absent, an error when it is
/// not a plain file, lies outside the KB once symlinks are resolved, or is implausibly large.
pub fn read_own(root: &Path, rel: impl AsRef<Path>) -> std::io::Result<Option<Vec<u8>>> {
    let path = root.join(rel.as_ref());
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if !meta.file_type().is_file() {
        return Err(std::io::Error::other("not a plain file"));
    }
    if meta.len() > OWN_FILE_LIMIT {
        return Err(std::io::Error::other("larger than any file kb writes"));
    }
    if ensure_inside(root, path.parent().unwrap_or(root)).is_err() {
        return Err(std::io::Error::other("outside the knowledge base"));
    }
    // Sized from the stat: grown as it is read, a 30 MB cache file was copied a dozen times.
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    File::open(&path)?
        .take(OWN_FILE_LIMIT + 1)
        .read_to_end(&mut bytes)?;
    match bytes.len() as u64 > OWN_FILE_LIMIT {
        true => Err(std::io::Error::other("larger than any file kb writes")),
        false => Ok(Some(bytes)),
    }
}

/// Removes kb's own file `rel` under `root` (an old cache), never one outside the KB.
pub fn remove_own(root: &Path, rel: impl AsRef<Path>) {
    let path = root.join(rel.as_ref());
    if std::fs::symlink_metadata(&path).is_ok()
        && ensure_inside(root, path.parent().unwrap_or(root)).is_ok()
    {
        let _ = std::fs::remove_file(&path);
    }
}

/// Reads `path` when it is a plain file inside `root` once symlinks are resolved: for files a
/// KB's authors control but kb reads unasked, such as templates. `None` otherwise.
pub fn read_inside(root: &Path, path: &Path) -> Option<String> {
    let root = std::fs::canonicalize(root).ok()?;
    let real = std::fs::canonicalize(path).ok()?;
    let plain = real.metadata().is_ok_and(|m| m.is_file());
    (plain && real.starts_with(&root))
        .then(|| std::fs::read_to_string(&real).ok())
        .flatten()
}

/// Takes the KB's write lock, waiting up to [`LOCK_WAIT`] for another kb command to finish.
pub fn lock(root: &Path) -> Result<WriteLock> {
    let dir = scratch_dir(root)?;
    let path = dir.join(LOCK_FILE);
    if !absent_or_regular(&path) {
        return Err(Error::usage_with_hint(
            format!("{} is not a plain file", path.display()),
            "delete it: kb makes a new one",
        ));
    }
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io("open the write lock", &path, e))?;
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::usage_with_hint(
                    format!(
                        "another kb command has been writing to this knowledge base for {} s",
                        LOCK_WAIT.as_secs()
                    ),
                    format!(
                        "wait for it to finish; if none is running, delete {}",
                        path.display()
                    ),
                ))
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(Error::io("lock", &path, e));
            }
        }
    }
    remove_dead_temps(&dir);
    Ok(WriteLock { _file: file })
}

/// Writes `contents` to a new file at `rel` under `root`, creating its folders. An existing
/// file there is an error and is left untouched.
pub fn write_new(root: &Path, rel: impl AsRef<Path>, contents: &[u8]) -> Result<()> {
    let path = prepare(root, rel.as_ref())?;
    if path.exists() {
        return Err(already_exists(&path));
    }
    let tmp = write_temp(root, &path, contents)?;
    tmp.persist_noclobber(&path)
        .map_err(|e| match e.error.kind() {
            std::io::ErrorKind::AlreadyExists => already_exists(&path),
            _ => Error::io("write", &path, e.error),
        })?;
    Ok(())
}

/// Writes `contents` to `rel` under `root` atomically, replacing the file if it exists: for
/// files kb owns and extends, such as today's check-in. Callers that read the file first hold a
/// [`WriteLock`].
pub fn replace(root: &Path, rel: impl AsRef<Path>, contents: &[u8]) -> Result<()> {
    let rel = through_link(root, rel.as_ref())?;
    replace_with(root, &rel, &[contents], Durability::Synced)
}

/// `rel`, or where it leads when it is a symlink: a doc kept as a link (one page in two places)
/// is rewritten where it lives and stays a link, where replacing the link with a copy left the
/// page itself unchanged and the copy's relative links broken. A link leading outside the root
/// is refused.
fn through_link(root: &Path, rel: &Path) -> Result<PathBuf> {
    let path = root.join(lexically_inside(rel)?);
    let is_link = path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(rel.to_path_buf());
    }
    let root_real = std::fs::canonicalize(root).map_err(|e| Error::io("resolve", root, e))?;
    let real = std::fs::canonicalize(&path).map_err(|e| Error::io("resolve", &path, e))?;
    match real.strip_prefix(&root_real) {
        Ok(inside) => Ok(inside.to_path_buf()),
        Err(_) => Err(outside(rel)),
    }
}

/// [`replace`] for a cache, which a crash may tear: not synced to disk first (a 16 MB doc
/// cache waited longer on the sync than on everything else its rewrite costs), and a torn
/// file is rebuilt by the next run. The contents are `parts`, written one after the other.
pub fn replace_cache(root: &Path, rel: impl AsRef<Path>, parts: &[&[u8]]) -> Result<()> {
    replace_with(root, rel.as_ref(), parts, Durability::Unsynced)
}

/// Whether a write waits for the disk before its rename.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Durability {
    Synced,
    Unsynced,
}

fn replace_with(root: &Path, rel: &Path, parts: &[&[u8]], sync: Durability) -> Result<()> {
    let path = prepare(root, rel)?;
    let tmp = write_temp_with(root, &path, parts, sync)?;
    tmp.persist(&path)
        .map_err(|e| Error::io("write", &path, e.error))?;
    Ok(())
}

/// Moves the file or folder at `from` to `to` (both under `root`) in one rename, making `to`'s
/// folders. An existing `to` is an error and is left untouched; callers hold the [`WriteLock`],
/// so no other kb command creates it in between.
pub fn rename(root: &Path, from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<()> {
    let source = root.join(lexically_inside(from.as_ref())?);
    ensure_inside(root, source.parent().unwrap_or(root))?;
    let target = prepare(root, to.as_ref())?;
    if target.symlink_metadata().is_ok() {
        return Err(already_exists(&target));
    }
    std::fs::rename(&source, &target).map_err(|e| Error::io("move", &source, e))
}

/// Removes the folder `rel` under `root` and then each parent, while they are empty, stopping
/// at `stop` (a folder `rel` lies under, relative to `root`): the folders a move emptied. A
/// folder that is not empty, or cannot be removed, stays.
pub fn remove_empty_dirs(root: &Path, rel: &str, stop: &str) {
    let mut dir = rel.trim_end_matches('/');
    while dir.len() > stop.len()
        && dir.starts_with(stop)
        && lexically_inside(Path::new(dir)).is_ok()
    {
        if std::fs::remove_dir(root.join(dir)).is_err() {
            return;
        }
        dir = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
}

/// The full path of `rel`, once it is known to stay inside `root`, with its folders created.
fn prepare(root: &Path, rel: &Path) -> Result<PathBuf> {
    let path = root.join(lexically_inside(rel)?);
    let dir = path.parent().unwrap_or(root);
    ensure_inside(root, dir)?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
    Ok(path)
}

/// `rel` when it names a place under the root without leaving it on paper: no absolute path,
/// no `..`.
pub fn lexically_inside(rel: &Path) -> Result<&Path> {
    let escapes = rel
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    match escapes {
        false => Ok(rel),
        true => Err(outside(rel)),
    }
}

/// Checks that `path` (which may not exist yet) lies inside `root` once symlinks are resolved:
/// its nearest existing ancestor must resolve under the resolved root.
pub fn ensure_inside(root: &Path, path: &Path) -> Result<()> {
    let root_real = std::fs::canonicalize(root).map_err(|e| Error::io("resolve", root, e))?;
    let existing = path.ancestors().find(|p| p.exists()).unwrap_or(root);
    let real = std::fs::canonicalize(existing).map_err(|e| Error::io("resolve", existing, e))?;
    match real.starts_with(&root_real) {
        true => Ok(()),
        false => Err(outside(path.strip_prefix(root).unwrap_or(path))),
    }
}

fn outside(path: &Path) -> Error {
    Error::usage_with_hint(
        format!(
            "{} leads outside the knowledge base; kb reads and writes only inside it",
            path.display()
        ),
        "a folder in kb.yaml, a path argument or a symlink points out of the KB root: make it a path inside the KB",
    )
}

/// The bytes in a locked temp file under `.kb/tmp/`, ready to be renamed onto `target`. When
/// `.kb/tmp/` cannot be used (a read-only `.kb`, another file system), the temp file goes beside
/// the target instead.
fn write_temp(root: &Path, target: &Path, contents: &[u8]) -> Result<tempfile::NamedTempFile> {
    write_temp_with(root, target, &[contents], Durability::Synced)
}

fn write_temp_with(
    root: &Path,
    target: &Path,
    parts: &[&[u8]],
    sync: Durability,
) -> Result<tempfile::NamedTempFile> {
    let target_dir = target.parent().unwrap_or(root);
    let tmp = match scratch_dir(root) {
        Ok(dir) if same_device(&dir, target_dir) => {
            // Read commands write caches without the write lock, so they sweep too.
            remove_dead_temps(&dir);
            temp_in(&dir)?
        }
        _ => temp_in(target_dir)?,
    };
    // Held until the rename: a temp file whose lock is free belongs to a dead run.
    let _ = tmp.as_file().try_lock();
    let mut file = tmp.as_file();
    parts
        .iter()
        .try_for_each(|part| file.write_all(part))
        .and_then(|()| match sync {
            Durability::Synced => file.sync_all(),
            Durability::Unsynced => Ok(()),
        })
        .map_err(|e| Error::io("write", tmp.path(), e))?;
    Ok(tmp)
}

fn temp_in(dir: &Path) -> Result<tempfile::NamedTempFile> {
    temp_file(dir, TEMP_PREFIX)
}

/// A temp file named `<prefix>...` in `dir`, readable like any doc (0666 less the umask, not
/// tempfile's 0600).
pub fn temp_file(dir: &Path, prefix: &str) -> Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file in", dir, e))
}

/// `.kb/tmp/`, created on first use with a `.gitignore` that keeps it out of commits.
fn scratch_dir(root: &Path) -> Result<PathBuf> {
    let dir = root.join(TMP_DIR);
    ensure_inside(root, &dir)?;
    if !dir.is_dir() {
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("create folder", &dir, e))?;
    }
    let ignore = dir.join(".gitignore");
    // `create_new` never follows a symlink someone left there.
    if std::fs::symlink_metadata(&ignore).is_err() {
        let written = File::options()
            .write(true)
            .create_new(true)
            .open(&ignore)
            .and_then(|mut f| f.write_all(b"# kb's temp files and locks\n*\n"));
        if let Err(e) = written {
            if e.kind() != std::io::ErrorKind::AlreadyExists {
                return Err(Error::io("write", &ignore, e));
            }
        }
    }
    Ok(dir)
}

#[cfg(unix)]
fn same_device(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let dev = |p: &Path| p.metadata().map(|m| m.dev()).ok();
    dev(a).is_some() && dev(a) == dev(b)
}

#[cfg(not(unix))]
fn same_device(_: &Path, _: &Path) -> bool {
    true
}

/// Removes temp files left by runs that died before their rename (their lock is free).
fn remove_dead_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let is_temp = entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX)
            && entry.file_type().is_ok_and(|t| t.is_file());
        if !is_temp {
            continue;
        }
        let path = entry.path();
        // A temp file younger than that may be one whose writer has not locked it yet.
        let settled = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > Duration::from_secs(10)));
        let Ok(file) = File::open(&path) else {
            continue;
        };
        if settled && file.try_lock().is_ok() {
            let _ = std::fs::remove_file(&path);
        }
    }
}

fn already_exists(path: &Path) -> Error {
    Error::usage_with_hint(
        format!("{} already exists", path.display()),
        "kb never overwrites a file: choose another name, or move the existing file away",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_once_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        write_new(dir.path(), "a/b.md", b"one").unwrap();
        assert!(write_new(dir.path(), "a/b.md", b"two").is_err());
        let path = dir.path().join("a/b.md");
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("a")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file left behind");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode & 0o044, 0o044, "readable by others: {mode:o}");
        }
    }

    #[test]
    fn paths_that_leave_the_root_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("kb");
        std::fs::create_dir(&root).unwrap();
        assert!(write_new(&root, "../x.md", b"x").is_err());
        assert!(write_new(&root, "/tmp/x.md", b"x").is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path(), root.join("out")).unwrap();
            assert!(write_new(&root, "out/x.md", b"x").is_err());
            assert!(write_new(&root, "out/deeper/x.md", b"x").is_err());
            assert!(!dir.path().join("x.md").exists());
            assert!(!dir.path().join("deeper").exists());
        }
    }

    #[test]
    fn dead_temp_files_are_removed_by_the_next_writer() {
        let dir = tempfile::tempdir().unwrap();
        let scratch = scratch_dir(dir.path()).unwrap();
        let dead = File::create(scratch.join("tmp-dead")).unwrap();
        dead.set_modified(std::time::SystemTime::now() - Duration::from_secs(60))
            .unwrap();
        drop(dead);
        let held = temp_in(&scratch).unwrap();
        held.as_file().try_lock().unwrap();
        drop(lock(dir.path()).unwrap());
        assert!(!scratch.join("tmp-dead").exists());
        assert!(held.path().exists(), "a live writer's temp file stays");
    }
}
