//! The manifest: what the index holds, as (path, size, mtime) per doc, and the index commit it
//! describes. Comparing it with a walk that stats every file tells what changed without reading
//! any file; only changed files are read and reindexed.

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::path::Path;
use std::time::UNIX_EPOCH;

const HEADER: &str = "kb-manifest 1";

/// Size and modification time of a file, the change detector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: i128,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        Stamp {
            size: meta.len(),
            mtime_ns,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The tantivy commit this manifest was written with.
    pub opstamp: u64,
    pub files: HashMap<String, Stamp>,
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
        let text = std::fs::read_to_string(path).ok()?;
        let mut lines = text.lines();
        let opstamp = lines
            .next()?
            .strip_prefix(HEADER)?
            .trim()
            .strip_prefix("opstamp=")?
            .parse()
            .ok()?;
        let mut files = HashMap::new();
        for line in lines {
            let mut parts = line.splitn(3, '\t');
            let size = parts.next()?.parse().ok()?;
            let mtime_ns = parts.next()?.parse().ok()?;
            files.insert(parts.next()?.to_string(), Stamp { size, mtime_ns });
        }
        Some(Manifest { opstamp, files })
    }

    /// Writes the manifest atomically (temp file, then rename over the old one: it is ours).
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut text = format!("{HEADER} opstamp={}\n", self.opstamp);
        let mut paths: Vec<&String> = self.files.keys().collect();
        paths.sort_unstable();
        for p in paths {
            let s = self.files[p];
            text.push_str(&format!("{}\t{}\t{p}\n", s.size, s.mtime_ns));
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io("write", dir, e))?;
        std::fs::write(tmp.path(), text)
            .map_err(|e| Error::io("write", tmp.path().to_path_buf(), e))?;
        tmp.persist(path)
            .map_err(|e| Error::io("write", path, e.error))?;
        Ok(())
    }

    /// Compares the manifest with `on_disk` (path and stamp of every doc now in the KB).
    pub fn changes(&self, on_disk: &[(String, Stamp)]) -> Changes {
        let mut changes = Changes::default();
        for (path, stamp) in on_disk {
            if self.files.get(path) != Some(stamp) {
                changes.changed.push(path.clone());
            }
        }
        if on_disk.len() != self.files.len() || !changes.changed.is_empty() {
            let present: std::collections::HashSet<&str> =
                on_disk.iter().map(|(p, _)| p.as_str()).collect();
            changes.deleted = self
                .files
                .keys()
                .filter(|p| !present.contains(p.as_str()))
                .cloned()
                .collect();
            changes.deleted.sort_unstable();
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(size: u64) -> Stamp {
        Stamp { size, mtime_ns: 7 }
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
            ]
            .into(),
        };
        m.write(&path).unwrap();
        let back = Manifest::read(&path).unwrap();
        assert_eq!(back, m);
        let disk = vec![
            ("a.md".to_string(), stamp(5)),
            ("new.md".to_string(), stamp(1)),
        ];
        let c = back.changes(&disk);
        assert_eq!(c.changed, vec!["a.md", "new.md"]);
        assert_eq!(c.deleted, vec!["b c.md"]);
        assert!(back
            .changes(&[("a.md".into(), stamp(1)), ("b c.md".into(), stamp(2))])
            .is_empty());
    }

    #[test]
    fn garbage_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest");
        std::fs::write(&path, "junk\x00\x01").unwrap();
        assert!(Manifest::read(&path).is_none());
    }
}
