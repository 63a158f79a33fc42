//! What `kb index` prints: how much was (re)indexed and how fast.

use crate::error::DocError;
use crate::index::IndexStats;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    pub schema_version: u32,
    pub rebuilt: bool,
    pub docs: usize,
    pub mb: f64,
    pub seconds: f64,
    pub changed: usize,
    pub deleted: usize,
    pub errors: &'a [DocError],
}

impl<'a> From<&'a IndexStats> for Summary<'a> {
    fn from(stats: &'a IndexStats) -> Summary<'a> {
        Summary {
            schema_version: 1,
            rebuilt: stats.rebuilt,
            docs: stats.docs,
            mb: (megabytes(stats) * 100.0).round() / 100.0,
            seconds: (stats.seconds * 1000.0).round() / 1000.0,
            changed: stats.changed,
            deleted: stats.deleted,
            errors: &stats.errors,
        }
    }
}

fn megabytes(stats: &IndexStats) -> f64 {
    stats.bytes as f64 / 1e6
}

/// One line: indexed from scratch, up to date, or what a refresh changed.
pub fn text(stats: &IndexStats) -> String {
    let mb = megabytes(stats);
    match stats.rebuilt {
        true => format!(
            "Indexed {} docs ({mb:.1} MB) in {:.2} s ({:.0} MB/s)\n",
            stats.docs,
            stats.seconds,
            mb / stats.seconds.max(1e-6)
        ),
        false if stats.changed + stats.deleted == 0 => format!(
            "Index up to date: {} docs ({:.0} ms)\n",
            stats.docs,
            stats.seconds * 1e3
        ),
        false => format!(
            "Reindexed {} changed and dropped {} deleted docs; {} docs in the index ({:.0} ms)\n",
            stats.changed,
            stats.deleted,
            stats.docs,
            stats.seconds * 1e3
        ),
    }
}
