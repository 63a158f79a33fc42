//! A file's identity at one moment (size, mtime, ctime, inode): the change detector that the doc
//! cache and the search index's freshness check share. If any part differs, the file may have
//! changed. An edit that keeps the size and puts the mtime back (`touch -d`) still moves the
//! ctime, which no user can set, and a file swapped in by rename has another inode.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// What a file looked like when kb read it; compared with the file now, it tells whether to
/// read it again.
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

    /// The stamp of a `stat` result: the same fields [`Stamp::from_metadata`] reads.
    #[cfg(unix)]
    pub fn from_stat(stat: &rustix::fs::Stat) -> Stamp {
        // The field types differ between platforms; every value fits an i64/u64.
        #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
        Stamp {
            size: stat.st_size as u64,
            mtime: (stat.st_mtime as i64, stat.st_mtime_nsec as i64),
            ctime: (stat.st_ctime as i64, stat.st_ctime_nsec as i64),
            inode: stat.st_ino as u64,
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

    /// When the file last changed, as its file system keeps time: the ctime on unix, which only
    /// the kernel sets (an mtime can be set to any date, a future one by `touch -d` or by a
    /// tarball from a machine whose clock runs ahead); elsewhere the mtime.
    fn changed(&self) -> (i64, i64) {
        match cfg!(unix) {
            true => self.ctime,
            false => self.mtime,
        }
    }

    /// The modification time: for kb's own record files, when they were written.
    pub fn mtime(&self) -> (i64, i64) {
        self.mtime
    }

    /// Whether the file could have changed again without changing this stamp, which a record
    /// written at `written` (the record file's mtime) holds: a second change within the file
    /// system's clock resolution of the first keeps every field. That is ruled out when the
    /// file last changed before the record was written, in the same clock (git's "racily
    /// clean" test). The resolution may be a clock tick (Linux before 6.13, whatever the
    /// nanoseconds say) or 2 s (FAT); comparing with the record's own time covers both when
    /// the two are on one file system, as the KB and its `.kb/` are unless a folder is a
    /// symlink to another one. A racy stamp costs one more read.
    pub fn racy(&self, written: (i64, i64)) -> bool {
        self.changed() >= written
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

    fn at(mtime: (i64, i64), ctime: (i64, i64)) -> Stamp {
        Stamp {
            size: 1,
            mtime,
            ctime,
            inode: 1,
        }
    }

    #[test]
    fn a_change_at_or_after_the_records_time_is_racy() {
        let written = (1_000, 500);
        assert!(at((1_000, 500), (1_000, 500)).racy(written));
        assert!(at((999, 0), (1_000, 900)).racy(written));
        assert!(!at((1_000, 499), (1_000, 499)).racy(written));
        // Whole seconds: the same second as the record is racy.
        assert!(at((1_000, 0), (1_000, 0)).racy((1_000, 0)));
        assert!(!at((999, 0), (999, 0)).racy((1_000, 0)));
    }

    /// A file whose mtime was set in the future but whose ctime (set by the kernel alone) is
    /// older than the record cannot change again unseen: any change moves the ctime. Judging
    /// by the mtime made every `kb ls` rewrite docs.bin and every `kb search` publish a new
    /// index generation (hostile pass, 2026-12-02).
    #[cfg(unix)]
    #[test]
    fn a_future_mtime_is_not_racy_when_the_ctime_is_old() {
        assert!(!at((5_000, 0), (900, 0)).racy((1_000, 0)));
    }
}
