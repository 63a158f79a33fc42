//! The lines of `kb export`: NDJSON (one object per line, for Meilisearch, Typesense, Quickwit)
//! and Elasticsearch/OpenSearch `_bulk` bodies (an action line, then the source line).

use crate::export::{Action, Record};
use serde::Serialize;
use std::io::{self, Write};

/// NDJSON's stand-in for a delete, which the format itself lacks: `{"objectID", "id",
/// "_deleted": true}`; a loader removes the record with that `objectID` (or `id`).
#[derive(Serialize)]
struct Deleted<'a> {
    #[serde(rename = "objectID")]
    object_id: &'a str,
    id: String,
    #[serde(rename = "_deleted")]
    deleted: bool,
}

#[derive(Serialize)]
struct BulkTarget<'a> {
    #[serde(rename = "_index")]
    index: &'a str,
    #[serde(rename = "_id")]
    id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum BulkAction<'a> {
    Index(BulkTarget<'a>),
    Delete(BulkTarget<'a>),
}

/// Writes `action` as one NDJSON line.
pub fn write_ndjson(out: &mut impl Write, action: &Action) -> io::Result<()> {
    match action {
        Action::Index(record) => line(out, record),
        Action::Delete(object_id) => line(
            out,
            &Deleted {
                object_id,
                id: crate::export::safe_id(object_id),
                deleted: true,
            },
        ),
    }
}

/// Writes `action` as `_bulk` lines into `index`: `index` and the record, or a `delete`.
pub fn write_es_bulk(out: &mut impl Write, index: &str, action: &Action) -> io::Result<()> {
    match action {
        Action::Index(record) => {
            line(out, &bulk_index(index, record))?;
            line(out, record)
        }
        Action::Delete(id) => line(out, &BulkAction::Delete(BulkTarget { index, id })),
    }
}

fn bulk_index<'a>(index: &'a str, record: &'a Record) -> BulkAction<'a> {
    BulkAction::Index(BulkTarget {
        index,
        id: &record.object_id,
    })
}

fn line<T: Serialize>(out: &mut impl Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}
