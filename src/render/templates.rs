//! What `kb templates list` prints: each template, its doc type and where it comes from.

use super::table;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Row {
    pub name: String,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub source: String,
}

#[derive(Debug, Serialize)]
pub struct Listing {
    pub schema_version: u32,
    pub templates: Vec<Row>,
}

pub fn table(rows: &[Row]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                r.doc_type.clone().unwrap_or_else(|| "-".into()),
                r.source.clone(),
            ]
        })
        .collect();
    table::render(&["NAME", "TYPE", "SOURCE"], &cells)
}
