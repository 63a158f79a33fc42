//! Rules about each doc's front-matter: it parses, its type exists, it has what its type
//! requires in the right kinds, ids are unique, references name docs that exist, supersession is
//! recorded both ways, and RCA action items have owners.

use super::{finding, Context, Finding, Rule, Severity};
use crate::doc::scalar_string;
use crate::schema::FieldKind;
use serde_json::Value;

pub const BAD_FRONT_MATTER: Rule = Rule {
    code: "bad-yaml",
    severity: Severity::Error,
    summary: "docs that cannot be read: bad YAML or TOML, unclosed front-matter, not UTF-8",
    run: bad_front_matter,
};

fn bad_front_matter(ctx: &Context, out: &mut Vec<Finding>) {
    for e in &ctx.errors {
        let code = e.kind.code();
        let code = super::CODES
            .iter()
            .find(|(c, _, _)| *c == code)
            .map_or("unreadable", |(c, _, _)| c);
        out.push(finding(
            code,
            &e.path,
            e.line,
            e.column.unwrap_or(1),
            e.message.clone(),
            &e.hint(),
            String::new(),
        ));
    }
}

pub const UNKNOWN_TYPE: Rule = Rule {
    code: "unknown-type",
    severity: Severity::Warning,
    summary: "a `type:` that no built-in or kb.yaml type has",
    run: unknown_type,
};

fn unknown_type(ctx: &Context, out: &mut Vec<Finding>) {
    let schema = &ctx.kb.config.schema;
    for d in &ctx.docs {
        if let Some(t) = d
            .doc
            .doc_type
            .as_deref()
            .filter(|t| schema.get(t).is_none())
        {
            let known: Vec<&str> = schema.types().map(|t| t.name.as_str()).collect();
            out.push(finding(
                "unknown-type",
                &d.doc.path,
                d.field_line("type"),
                1,
                format!("unknown type {t:?}"),
                &format!(
                    "use one of {}, or add the type to kb.yaml's `types:`",
                    known.join(", ")
                ),
                t.to_string(),
            ));
        }
    }
}

pub const SCHEMA: Rule = Rule {
    code: "missing-field",
    severity: Severity::Error,
    summary: "required fields, field kinds, dates and allowed statuses of each type",
    run: schema,
};

fn schema(ctx: &Context, out: &mut Vec<Finding>) {
    let schema = &ctx.kb.config.schema;
    for d in &ctx.docs {
        for v in schema.validate(&d.doc) {
            let (code, hint) = match v.code {
                "missing-field" => (
                    "missing-field",
                    format!("add `{}:` to the front-matter", v.field),
                ),
                "bad-date" => ("bad-date", "write dates as YYYY-MM-DD".to_string()),
                "bad-status" => (
                    "bad-enum",
                    "use one of the allowed values, or change them in kb.yaml".to_string(),
                ),
                _ if matches!(field_kind(ctx, d, &v.field), Some(FieldKind::Enum(_))) => {
                    ("bad-enum", "use one of the allowed values".to_string())
                }
                _ => (
                    "bad-field-kind",
                    "fix the value's kind, or change the field's kind in kb.yaml".to_string(),
                ),
            };
            out.push(finding(
                code,
                &d.doc.path,
                d.field_line(&v.field),
                1,
                v.message,
                &hint,
                v.field,
            ));
        }
    }
}

fn field_kind<'a>(ctx: &'a Context, d: &super::DocInfo, field: &str) -> Option<&'a FieldKind> {
    ctx.kb
        .config
        .schema
        .get(d.doc.doc_type.as_deref()?)?
        .fields
        .get(field)
}

pub const DUPLICATE_ID: Rule = Rule {
    code: "duplicate-id",
    severity: Severity::Error,
    summary: "two docs with the same id",
    run: duplicate_id,
};

fn duplicate_id(ctx: &Context, out: &mut Vec<Finding>) {
    for docs in ctx.by_id.values().filter(|d| d.len() > 1) {
        let first = &ctx.docs[docs[0]];
        for &i in &docs[1..] {
            let d = &ctx.docs[i];
            let id = d.doc.id().unwrap_or_default();
            out.push(finding(
                "duplicate-id",
                &d.doc.path,
                d.field_line("id"),
                1,
                format!("id {id} is also the id of {}", first.doc.path),
                "give this doc a new id (`kb new` picks the next free one)",
                id,
            ));
        }
    }
}

pub const MISSING_DOC_REF: Rule = Rule {
    code: "missing-doc-ref",
    severity: Severity::Error,
    summary: "supersedes, superseded_by or other doc references naming no doc",
    run: missing_doc_ref,
};

fn missing_doc_ref(ctx: &Context, out: &mut Vec<Finding>) {
    let schema = &ctx.kb.config.schema;
    for d in &ctx.docs {
        let Some(t) = d.doc.doc_type.as_deref().and_then(|t| schema.get(t)) else {
            continue;
        };
        for (field, kind) in &t.fields {
            // A goal's parent is the goal rules' business.
            if field == "parent" && t.name == "goal" {
                continue;
            }
            if !matches!(kind, FieldKind::Doc | FieldKind::Docs) {
                continue;
            }
            for reference in refs(d.doc.fields.get(field)) {
                if ctx.find_ref(&reference).is_none() {
                    out.push(finding(
                        "missing-doc-ref",
                        &d.doc.path,
                        d.field_line(field),
                        1,
                        format!("`{field}: {reference}` names no doc (no such id or path)"),
                        "use an existing doc's id or path relative to the KB root",
                        format!("{field}={reference}"),
                    ));
                }
            }
        }
    }
}

fn refs(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(scalar_string).collect(),
        Some(v) => scalar_string(v)
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect(),
        None => Vec::new(),
    }
}

pub const SUPERSEDES_ONE_WAY: Rule = Rule {
    code: "supersedes-one-way",
    severity: Severity::Warning,
    summary: "A supersedes B, but B does not say superseded_by A (or the other way)",
    run: supersedes_one_way,
};

fn supersedes_one_way(ctx: &Context, out: &mut Vec<Finding>) {
    for (i, d) in ctx.docs.iter().enumerate() {
        for (field, back) in [
            ("supersedes", "superseded_by"),
            ("superseded_by", "supersedes"),
        ] {
            for reference in refs(d.doc.fields.get(field)) {
                let Some(j) = ctx.find_ref(&reference) else {
                    continue;
                };
                let other = &ctx.docs[j];
                let points_back = refs(other.doc.fields.get(back))
                    .iter()
                    .any(|r| ctx.find_ref(r) == Some(i));
                if !points_back {
                    out.push(finding(
                        "supersedes-one-way",
                        &d.doc.path,
                        d.field_line(field),
                        1,
                        format!(
                            "`{field}: {reference}`, but {} has no `{back}` naming this doc",
                            other.doc.path
                        ),
                        &format!(
                            "add `{back}: {}` to {}",
                            d.doc.id().unwrap_or_else(|| d.doc.path.clone()),
                            other.doc.path
                        ),
                        format!("{field}={reference}"),
                    ));
                }
            }
        }
    }
}

pub const RCA_ACTION_WITHOUT_OWNER: Rule = Rule {
    code: "rca-action-without-owner",
    severity: Severity::Warning,
    summary: "an RCA action item (a row of a table with an Owner column) with no owner",
    run: rca_action_without_owner,
};

fn rca_action_without_owner(ctx: &Context, out: &mut Vec<Finding>) {
    for d in &ctx.docs {
        out.extend(d.body_findings.iter().cloned());
    }
}

/// Findings read from a doc's body while the walk has it: RCA action items without an owner
/// (rows of a table with an Owner column whose owner cell is empty or a placeholder).
pub fn body_findings(source: &crate::doc::Source) -> Vec<Finding> {
    let d = &source.doc;
    let mut out = Vec::new();
    if d.doc_type.as_deref() != Some("rca") {
        return out;
    }
    let mut owner_column: Option<usize> = None;
    for (i, line) in source.body().lines().enumerate() {
        let cells: Vec<&str> = match line.trim().strip_prefix('|') {
            Some(rest) => rest
                .trim_end_matches('|')
                .split('|')
                .map(str::trim)
                .collect(),
            None => {
                owner_column = None;
                continue;
            }
        };
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| ch == '-' || ch == ':' || ch == ' '))
        {
            continue;
        }
        match owner_column {
            None => owner_column = cells.iter().position(|c| c.eq_ignore_ascii_case("owner")),
            Some(col) => {
                let owner = cells.get(col).copied().unwrap_or("");
                let placeholder = owner.is_empty()
                    || matches!(
                        owner.to_lowercase().as_str(),
                        "-" | "tbd" | "?" | "n/a" | "_tbd_"
                    );
                if placeholder {
                    let action = cells.first().copied().unwrap_or("");
                    out.push(finding(
                        "rca-action-without-owner",
                        &d.path,
                        d.body_line + i,
                        1,
                        format!("action item {action:?} has no owner"),
                        "name one person who owns it, and a due date",
                        action.to_string(),
                    ));
                }
            }
        }
    }
    out
}
