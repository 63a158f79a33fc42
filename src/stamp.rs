//! A file's identity at one moment (size, mtime, ctime, inode): the change detector that the doc
//! cache and the search index's freshness check share. If any part differs, the file may have
//! changed. An edit that keeps the size and puts the mtime back (`touch -d`) still moves the
//! ctime, which no user can set, and a file swapped in by rename has another inode.

use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    /// Seconds and nanoseconds since the epoch.
    mtime: (i64, i64),
    ctime: (i64, i64),
    inode: u64,
}

impl Stamp {
    /// A stamp no file has: what is recorded for a file whose stamp cannot be trusted, so the
    /// next run reads it again.
    pub const UNKNOWN: Stamp = Stamp {
        size: u64::MAX,
        mtime: (0, 0),
        ctime: (0, 0),
        inode: 0,
    };

    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp::from_metadata(&meta))
    }

    #[cfg(unix)]
    pub fn from_metadata(meta: &std::fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
        }
    }

    #[cfg(not(unix))]
    pub fn from_metadata(meta: &std::fs::Metadata) -> Stamp {
        let nanos = |t: std::io::Result<std::time::SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or((0, 0), |d| {
                    (d.as_secs() as i64, i64::from(d.subsec_nanos()))
                })
        };
        Stamp {
            size: meta.len(),
            mtime: nanos(meta.modified()),
            ctime: nanos(meta.created()),
            inode: 0,
        }
    }

    /// This stamp if a second change could not keep it, else [`Stamp::UNKNOWN`]. A change within
    /// the clock's resolution of the last one keeps the same stamp: that is ruled out when the
    /// file system keeps nanoseconds (a non-zero fraction), or when the last change is over two
    /// seconds old (FAT keeps 2 s).
    pub fn trusted(self) -> Stamp {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        match self.ctime.1 != 0 || now - self.mtime.0.max(self.ctime.0) > 2 {
            true => self,
            false => Stamp::UNKNOWN,
        }
    }

    /// Size, mtime and ctime in nanoseconds, and inode: the columns of the search manifest.
    pub fn columns(&self) -> (u64, i128, i128, u64) {
        let nanos = |(s, ns): (i64, i64)| i128::from(s) * 1_000_000_000 + i128::from(ns);
        (self.size, nanos(self.mtime), nanos(self.ctime), self.inode)
    }

    /// The stamp [`Stamp::columns`] wrote.
    pub fn from_columns(size: u64, mtime_ns: i128, ctime_ns: i128, inode: u64) -> Stamp {
        let split = |ns: i128| {
            (
                ns.div_euclid(1_000_000_000) as i64,
                ns.rem_euclid(1_000_000_000) as i64,
            )
        };
        Stamp {
            size,
            mtime: split(mtime_ns),
            ctime: split(ctime_ns),
            inode,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_read_back_as_the_same_stamp_before_and_after_the_epoch() {
        for (mtime, ctime) in [
            ((1_700_000_000, 5), (1_700_000_001, 999_999_999)),
            ((-3, 7), (0, 0)),
        ] {
            let stamp = Stamp {
                size: 42,
                mtime,
                ctime,
                inode: 9,
            };
            let (size, m, c, inode) = stamp.columns();
            assert_eq!(Stamp::from_columns(size, m, c, inode), stamp);
        }
    }

    #[test]
    fn a_stamp_without_nanoseconds_changed_just_now_is_not_trusted() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let fresh = Stamp {
            size: 1,
            mtime: (now, 0),
            ctime: (now, 0),
            inode: 1,
        };
        assert_eq!(fresh.trusted(), Stamp::UNKNOWN);
        let fine = Stamp {
            ctime: (now, 5),
            ..fresh
        };
        assert_eq!(fine.trusted(), fine);
        let old = Stamp {
            mtime: (now - 10, 0),
            ctime: (now - 10, 0),
            ..fresh
        };
        assert_eq!(old.trusted(), old);
    }
}
