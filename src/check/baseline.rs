//! The baseline ("ratchet"): today's findings recorded in `.kb/check-baseline.json`, so that a
//! team adopting kb on an old handbook fails CI only on new problems. Findings are matched by a
//! fingerprint of rule, path and subject (the link target, the field, the id), never the line,
//! so editing above a known problem does not make it new.

use super::Finding;
use crate::error::{Error, Result};
use crate::kb::Kb;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

pub const FILE: &str = ".kb/check-baseline.json";

#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    schema_version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct Entry {
    code: String,
    path: String,
    subject: String,
}

fn entry(f: &Finding) -> Entry {
    Entry {
        code: f.code.to_string(),
        path: f.path.clone(),
        subject: f.key.clone(),
    }
}

/// Findings split against the baseline.
#[derive(Debug, Default)]
pub struct Split {
    pub new: Vec<Finding>,
    pub baselined: Vec<Finding>,
    /// Baseline entries no longer found: fixed, so the baseline can shrink.
    pub fixed: usize,
}

/// Records `findings` as the baseline; returns how many.
pub fn write(kb: &Kb, findings: &[Finding]) -> Result<usize> {
    let mut entries: Vec<Entry> = findings.iter().map(entry).collect();
    entries.sort_by(|a, b| (&a.path, &a.code, &a.subject).cmp(&(&b.path, &b.code, &b.subject)));
    let stored = Stored {
        schema_version: 1,
        findings: entries,
    };
    let text = serde_json::to_string_pretty(&stored).unwrap_or_default() + "\n";
    crate::fsutil::replace(&kb.root, FILE, text.as_bytes())?;
    Ok(stored.findings.len())
}

/// Splits `findings` into new and baselined ones; no baseline file means every finding is new.
/// `scope`, when the check covered only some docs: baseline entries of other docs were not
/// looked at, so they are neither matched nor counted as fixed.
pub fn split(
    kb: &Kb,
    findings: Vec<Finding>,
    scope: Option<&std::collections::HashSet<String>>,
) -> Result<Split> {
    let path = kb.root.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Split {
                new: findings,
                ..Split::default()
            })
        }
        Err(e) => return Err(Error::io("read", path, e)),
    };
    let stored: Stored = serde_json::from_str(&text).map_err(|e| Error::Config {
        path: path.clone(),
        line: Some(e.line()),
        message: format!("invalid check baseline: {e}"),
    })?;
    // A multiset: two identical findings need two baseline entries.
    let mut remaining: HashMap<Entry, usize> = HashMap::new();
    for e in stored.findings {
        if scope.is_none_or(|paths| paths.contains(&e.path)) {
            *remaining.entry(e).or_default() += 1;
        }
    }
    let mut split = Split::default();
    for f in findings {
        match remaining.get_mut(&entry(&f)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                split.baselined.push(f);
            }
            _ => split.new.push(f),
        }
    }
    split.fixed = remaining.values().sum();
    Ok(split)
}

/// How many of `findings` each owner's docs hold (`None`: docs without an owner), for saying
/// whose old problems the baseline keeps.
pub fn by_owner(
    owners: &HashMap<String, String>,
    findings: &[Finding],
) -> BTreeMap<Option<String>, usize> {
    let mut out = BTreeMap::new();
    for f in findings {
        *out.entry(owners.get(&f.path).cloned()).or_default() += 1;
    }
    out
}
