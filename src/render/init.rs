//! What `kb init` prints.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct InitReport {
    pub schema_version: u32,
    pub root: String,
    pub created: Vec<String>,
    pub existing: Vec<String>,
}

pub fn text(report: &InitReport) -> String {
    let mut out = format!("Knowledge base in {}\n", report.root);
    for path in &report.created {
        out.push_str(&format!("  created  {path}\n"));
    }
    for path in &report.existing {
        out.push_str(&format!("  kept     {path}\n"));
    }
    out.push_str("\nNext: `kb ls` and `kb check` for the docs already here, or `kb new spec \"A title\"` to write one.\n");
    out
}
