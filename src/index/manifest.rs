//! The manifest: what the index holds, as (path, size, mtime, ctime, inode) per doc, and the index commit it
//! describes. Comparing it with a walk that stats every file tells what changed without reading
//! any file; only changed files are read and reindexed. One line per doc, the path last and
//! escaped (`\\`, `\n`, `\r`, `\t`), so any file name fits on its line. A doc that could not
//! be indexed (bad front-matter, not UTF-8) is listed too, marked, so that it is not read again
//! until it changes and `kb index` can still name it.

use crate::error::{Error, Result};
use crate::stamp::Stamp;
use std::cmp::Ordering;
use std::path::Path;

const HEADER: &str = "kb-manifest 4";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The tantivy commit this manifest was written with.
    pub opstamp: u64,
    /// Sorted by path, like the walk: comparing the two is one merge, no hashing.
    pub files: Vec<(String, Stamp)>,
    /// The paths of `files` that could not be indexed, sorted.
    pub unindexed: Vec<String>,
    /// When the manifest read was written (its file's mtime), for [`Stamp::racy`]; `None` for
    /// one made in memory.
    pub written: Option<(i64, i64)>,
}

/// What differs between the manifest and the KB on disk.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// New or modified docs, to (re)index.
    pub changed: Vec<String>,
    /// Docs in the index that are gone from disk.
    pub deleted: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.deleted.is_empty()
    }
}

impl Manifest {
    /// Reads a manifest; `None` when it is missing or unreadable (the index is then rebuilt).
    pub fn read(path: &Path) -> Option<Manifest> {
        // Taken before reading: a file replaced in between is then judged by the older time,
        // which calls more docs racy, never fewer.
        let written = Stamp::of(path)?.mtime();
        let text = std::fs::read_to_string(path).ok()?;
        let mut lines = text.lines();
        let opstamp = lines
            .next()?
            .strip_prefix(HEADER)?
            .trim()
            .strip_prefix("opstamp=")?
            .parse()
            .ok()?;
        let mut files = Vec::with_capacity(text.len() / 64);
        let mut unindexed = Vec::new();
        for line in lines {
            let mut parts = line.splitn(6, '\t');
            let stamp = Stamp::from_columns(
                parts.next()?.parse().ok()?,
                parts.next()?.parse().ok()?,
                parts.next()?.parse().ok()?,
                parts.next()?.parse().ok()?,
            );
            let indexed = parts.next()? == "1";
            let path = unescape(parts.next()?)?;
            if !indexed {
                unindexed.push(path.clone());
            }
            files.push((path, stamp));
        }
        if !files.is_sorted_by(|a, b| a.0 < b.0) {
            files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            files.dedup_by(|a, b| a.0 == b.0);
            unindexed.sort_unstable();
            unindexed.dedup();
        }
        Some(Manifest {
            opstamp,
            files,
            unindexed,
            written: Some(written),
        })
    }

    /// Writes the manifest atomically (temp file, then rename over the old one: it is ours).
    pub fn write(&self, path: &Path) -> Result<()> {
        use std::fmt::Write;
        let mut text = String::with_capacity(self.files.len() * 64);
        let _ = writeln!(text, "{HEADER} opstamp={}", self.opstamp);
        for (path, stamp) in &self.files {
            let (size, mtime_ns, ctime_ns, inode) = stamp.columns();
            let indexed = u8::from(!self.is_unindexed(path));
            let _ = writeln!(
                text,
                "{size}\t{mtime_ns}\t{ctime_ns}\t{inode}\t{indexed}\t{}",
                escape(path)
            );
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io("write", dir, e))?;
        std::fs::write(tmp.path(), text)
            .map_err(|e| Error::io("write", tmp.path().to_path_buf(), e))?;
        tmp.persist(path)
            .map_err(|e| Error::io("write", path, e.error))?;
        Ok(())
    }

    /// Compares the manifest with `on_disk`: path and stamp of every doc now in the KB, sorted by
    /// path (as the walk returns them). A doc whose stamp is the same but which changed at or
    /// after the manifest was written may have changed again unseen: it counts as changed.
    pub fn changes(&self, on_disk: &[(String, Stamp)]) -> Changes {
        let mut changes = Changes::default();
        let (mut old, mut new) = (self.files.iter().peekable(), on_disk.iter().peekable());
        loop {
            match (old.peek(), new.peek()) {
                (None, None) => break,
                (Some(_), None) => changes.deleted.extend(old.by_ref().map(|(p, _)| p.clone())),
                (None, Some(_)) => changes.changed.extend(new.by_ref().map(|(p, _)| p.clone())),
                (Some((op, os)), Some((np, ns))) => match op.cmp(np) {
                    Ordering::Less => {
                        changes.deleted.push(op.clone());
                        old.next();
                    }
                    Ordering::Greater => {
                        changes.changed.push(np.clone());
                        new.next();
                    }
                    Ordering::Equal => {
                        if os != ns || self.written.is_some_and(|w| ns.racy(w)) {
                            changes.changed.push(np.clone());
                        }
                        old.next();
                        new.next();
                    }
                },
            }
        }
        changes
    }

    /// Whether the doc at `path` is listed but could not be indexed.
    pub fn is_unindexed(&self, path: &str) -> bool {
        self.unindexed
            .binary_search_by(|p| p.as_str().cmp(path))
            .is_ok()
    }

    /// How many listed docs the index holds.
    pub fn indexed(&self) -> usize {
        self.files.len() - self.unindexed.len()
    }

    /// This manifest with `removed` paths dropped and `stamps` added or replaced; of those,
    /// `failed` could not be indexed.
    pub fn updated(
        mut self,
        removed: &[String],
        stamps: Vec<(String, Stamp)>,
        failed: Vec<String>,
    ) -> Manifest {
        let gone: std::collections::HashSet<&str> = removed
            .iter()
            .map(String::as_str)
            .chain(stamps.iter().map(|(p, _)| p.as_str()))
            .collect();
        self.files.retain(|(p, _)| !gone.contains(p.as_str()));
        self.unindexed.retain(|p| !gone.contains(p.as_str()));
        self.files.extend(stamps);
        self.files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        self.unindexed.extend(failed);
        self.unindexed.sort_unstable();
        Manifest {
            opstamp: self.opstamp,
            files: self.files,
            unindexed: self.unindexed,
            written: None,
        }
    }
}

/// A path as one line of the manifest.
fn escape(path: &str) -> std::borrow::Cow<'_, str> {
    if !path.contains(['\\', '\n', '\r', '\t']) {
        return path.into();
    }
    let mut out = String::with_capacity(path.len() + 8);
    for c in path.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.into()
}

/// The path [`escape`] wrote; `None` for an escape it never writes (a garbled manifest).
fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            '\\' => match chars.next()? {
                '\\' => '\\',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                _ => return None,
            },
            c => c,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(size: u64) -> Stamp {
        Stamp::from_columns(size, 7, 7, 1)
    }

    #[test]
    fn round_trip_and_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest");
        let m = Manifest {
            opstamp: 3,
            files: [
                ("a.md".to_string(), stamp(1)),
                ("b c.md".to_string(), stamp(2)),
                ("x\\y\nz\r\t.md".to_string(), stamp(3)),
            ]
            .into(),
            unindexed: vec!["b c.md".to_string()],
            written: None,
        };
        m.write(&path).unwrap();
        let back = Manifest::read(&path).unwrap();
        assert_eq!((back.opstamp, &back.files), (m.opstamp, &m.files));
        assert_eq!(back.unindexed, ["b c.md"]);
        assert_eq!(back.indexed(), 2);
        assert!(back.written.is_some());
        let disk = vec![
            ("a.md".to_string(), stamp(5)),
            ("new.md".to_string(), stamp(1)),
        ];
        let c = back.changes(&disk);
        assert_eq!(c.changed, vec!["a.md", "new.md"]);
        assert_eq!(c.deleted, vec!["b c.md", "x\\y\nz\r\t.md"]);
        assert!(back
            .changes(&[
                ("a.md".into(), stamp(1)),
                ("b c.md".into(), stamp(2)),
                ("x\\y\nz\r\t.md".into(), stamp(3))
            ])
            .is_empty());
    }

    #[test]
    fn garbage_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest");
        std::fs::write(&path, "junk\x00\x01").unwrap();
        assert!(Manifest::read(&path).is_none());
        std::fs::write(&path, format!("{HEADER} opstamp=1\n1\t2\ta\\q.md\n")).unwrap();
        assert!(Manifest::read(&path).is_none());
        // The format before docs that could not be indexed were marked: its index is rebuilt.
        std::fs::write(&path, "kb-manifest 3 opstamp=9\n5\t7\t7\t1\ta.md\n").unwrap();
        assert!(Manifest::read(&path).is_none());
    }
}
