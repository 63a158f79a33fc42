//! Rules about each doc's front-matter: it parses, its type exists, it has what its type
//! requires in the right kinds, ids are unique, references name docs that exist, supersession is
//! recorded both ways, and RCA action items have owners.

use super::{Code, Context, Finding, Rule, Severity};
use crate::doc::scalar_string;
use crate::schema::{Breach, FieldKind};
use serde_json::Value;

/// Every code this file reports, in the order `--list-rules` shows them.
pub const RULE: Rule = Rule {
    codes: &[
        BAD_YAML,
        BAD_TOML,
        UNCLOSED_FRONT_MATTER,
        NOT_UTF8,
        UNREADABLE,
        SYMLINK_OUTSIDE,
        UNKNOWN_TYPE,
        MISSING_FIELD,
        BAD_FIELD_KIND,
        BAD_ENUM,
        BAD_DATE,
        DUPLICATE_ID,
        MISSING_DOC_REF,
        SUPERSEDES_ONE_WAY,
        RCA_ACTION_WITHOUT_OWNER,
        DUPLICATE_KEY,
    ],
    run,
};

pub const BAD_YAML: Code = Code {
    code: "bad-yaml",
    severity: Severity::Error,
    summary: "front-matter that does not parse",
    hint: "fix the YAML between the `---` lines; quote values that contain `: ` or start with a special character",
};
pub const DUPLICATE_KEY: Code = Code {
    code: "duplicate-key",
    severity: Severity::Warning,
    summary: "a front-matter key written twice, of which YAML keeps only the last value",
    hint: "keep one of the lines, merging their values if both matter",
};
pub const BAD_TOML: Code = Code {
    code: "bad-toml",
    severity: Severity::Error,
    summary: "TOML front-matter that does not parse",
    hint: "fix the TOML between the `+++` lines",
};
pub const UNCLOSED_FRONT_MATTER: Code = Code {
    code: "unclosed-front-matter",
    severity: Severity::Error,
    summary: "a `---` that never closes",
    hint: "close the front-matter with a line holding only `---` (or `+++` for TOML)",
};
pub const NOT_UTF8: Code = Code {
    code: "not-utf8",
    severity: Severity::Error,
    summary: "a file that is not UTF-8",
    hint: "save the file as UTF-8",
};
pub const UNREADABLE: Code = Code {
    code: "unreadable",
    severity: Severity::Error,
    summary: "a file or folder that cannot be read",
    hint: "check that the file exists and is readable",
};
pub const SYMLINK_OUTSIDE: Code = Code {
    code: "symlink-outside",
    severity: Severity::Warning,
    summary: "a symlink that leads outside the KB, skipped by every command",
    hint: "kb reads only inside the KB: copy the file in, or remove the symlink",
};
pub const UNKNOWN_TYPE: Code = Code {
    code: "unknown-type",
    severity: Severity::Warning,
    summary: "a `type:` no built-in or kb.yaml type has",
    hint: "use a built-in type, or add the type to kb.yaml's `types:`",
};
pub const MISSING_FIELD: Code = Code {
    code: "missing-field",
    severity: Severity::Error,
    summary: "a field the doc's type requires is missing",
    hint: "add the field to the front-matter",
};
pub const BAD_FIELD_KIND: Code = Code {
    code: "bad-field-kind",
    severity: Severity::Error,
    summary: "a field of the wrong kind (a list for a person, text for a number)",
    hint: "fix the value's kind, or change the field's kind in kb.yaml",
};
pub const BAD_ENUM: Code = Code {
    code: "bad-enum",
    severity: Severity::Error,
    summary: "a status (or enum field) outside the allowed values",
    hint: "use one of the allowed values, or change them in kb.yaml",
};
pub const BAD_DATE: Code = Code {
    code: "bad-date",
    severity: Severity::Error,
    summary: "a date field that is not a date",
    hint: "write dates as YYYY-MM-DD",
};
pub const DUPLICATE_ID: Code = Code {
    code: "duplicate-id",
    severity: Severity::Error,
    summary: "two docs with the same id",
    hint: "give this doc a new id (`kb new` picks the next free one)",
};
pub const MISSING_DOC_REF: Code = Code {
    code: "missing-doc-ref",
    severity: Severity::Error,
    summary: "supersedes, superseded_by or parent naming no doc",
    hint: "use an existing doc's id or path relative to the KB root",
};
pub const SUPERSEDES_ONE_WAY: Code = Code {
    code: "supersedes-one-way",
    severity: Severity::Warning,
    summary: "A supersedes B but B does not say superseded_by A (or back)",
    hint: "record the supersession in both docs",
};
pub const RCA_ACTION_WITHOUT_OWNER: Code = Code {
    code: "rca-action-without-owner",
    severity: Severity::Warning,
    summary: "an RCA action item with no owner",
    hint: "name one person who owns it, and a due date",
};

fn run(ctx: &Context, out: &mut Vec<Finding>) {
    bad_front_matter(ctx, out);
    unknown_type(ctx, out);
    schema(ctx, out);
    duplicate_id(ctx, out);
    missing_doc_ref(ctx, out);
    supersedes_one_way(ctx, out);
    rca_action_without_owner(ctx, out);
}

fn bad_front_matter(ctx: &Context, out: &mut Vec<Finding>) {
    for e in &ctx.errors {
        let code = RULE
            .codes
            .iter()
            .find(|c| c.code == e.kind.code())
            .unwrap_or(&UNREADABLE);
        out.push(
            code.at(
                &e.path,
                e.line,
                e.column.unwrap_or(1),
                e.message.clone(),
                String::new(),
            )
            .with_hint(e.hint()),
        );
    }
}

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
            out.push(
                UNKNOWN_TYPE
                    .at(
                        &d.doc.path,
                        d.field_line("type"),
                        1,
                        format!("unknown type {t:?}"),
                        t,
                    )
                    .with_hint(format!(
                        "use one of {}, or add the type to kb.yaml's `types:`",
                        known.join(", ")
                    )),
            );
        }
    }
}

/// The schema's findings were made when each doc was read ([`schema_findings`]).
fn schema(ctx: &Context, out: &mut Vec<Finding>) {
    for d in &ctx.docs {
        out.extend(d.schema_findings.iter().cloned());
    }
}

/// The schema's findings on one doc, made while the doc is read: they depend on the doc and
/// kb.yaml alone (both in the doc cache's key), and the doc's fields need not then be decoded
/// again on every run (at 100k docs, the decoded fields were a fifth of `kb check`'s memory).
pub fn schema_findings(
    schema: &crate::schema::Schema,
    doc: &crate::doc::Document,
    line_of: impl Fn(&str) -> Option<usize>,
) -> Vec<Finding> {
    let field_kind = |field: &str| schema.get(doc.doc_type.as_deref()?)?.fields.get(field);
    let mut out = Vec::new();
    for v in schema.validate(doc) {
        let (code, hint) = match v.code {
            Breach::MissingField => (
                &MISSING_FIELD,
                Some(format!("add `{}:` to the front-matter", v.field)),
            ),
            Breach::BadDate => (&BAD_DATE, None),
            Breach::BadStatus => (&BAD_ENUM, None),
            _ if matches!(field_kind(&v.field), Some(FieldKind::Enum(_))) => {
                (&BAD_ENUM, Some("use one of the allowed values".to_string()))
            }
            _ => (&BAD_FIELD_KIND, None),
        };
        let line = line_of(&v.field).unwrap_or(1);
        let f = code.at(&doc.path, line, 1, v.message, v.field);
        out.push(match hint {
            Some(hint) => f.with_hint(hint),
            None => f,
        });
    }
    out
}

fn duplicate_id(ctx: &Context, out: &mut Vec<Finding>) {
    for docs in ctx.by_id.values().filter(|d| d.len() > 1) {
        let first = &ctx.docs[docs[0]];
        for &i in &docs[1..] {
            let d = &ctx.docs[i];
            let id = d.doc.id().unwrap_or_default();
            out.push(DUPLICATE_ID.at(
                &d.doc.path,
                d.field_line("id"),
                1,
                format!("id {id} is also the id of {}", first.doc.path),
                id,
            ));
        }
    }
}

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
            for reference in refs(d.doc.fields.value(field).as_deref()) {
                if ctx.find_ref(&reference).is_none() {
                    out.push(MISSING_DOC_REF.at(
                        &d.doc.path,
                        d.field_line(field),
                        1,
                        format!("`{field}: {reference}` names no doc (no such id or path)"),
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

fn supersedes_one_way(ctx: &Context, out: &mut Vec<Finding>) {
    for (i, d) in ctx.docs.iter().enumerate() {
        for (field, back) in [
            ("supersedes", "superseded_by"),
            ("superseded_by", "supersedes"),
        ] {
            for reference in refs(d.doc.fields.value(field).as_deref()) {
                let Some(j) = ctx.find_ref(&reference) else {
                    continue;
                };
                let other = &ctx.docs[j];
                let points_back = refs(other.doc.fields.value(back).as_deref())
                    .iter()
                    .any(|r| ctx.find_ref(r) == Some(i));
                if !points_back {
                    out.push(
                        SUPERSEDES_ONE_WAY
                            .at(
                                &d.doc.path,
                                d.field_line(field),
                                1,
                                format!(
                                    "`{field}: {reference}`, but {} has no `{back}` naming this doc",
                                    other.doc.path
                                ),
                                format!("{field}={reference}"),
                            )
                            .with_hint(format!(
                                "add `{back}: {}` to {}",
                                d.doc.id().unwrap_or_else(|| d.doc.path.clone()),
                                other.doc.path
                            )),
                    );
                }
            }
        }
    }
}

fn rca_action_without_owner(ctx: &Context, out: &mut Vec<Finding>) {
    for d in &ctx.docs {
        out.extend(d.body_findings.iter().cloned());
    }
}

/// Findings read from a doc's text while the walk has it: front-matter keys written twice, and
/// RCA action items without an owner (rows of a table with an Owner column whose owner cell is
/// empty or a placeholder).
pub fn body_findings(
    source: &crate::doc::Source,
    keys: &crate::doc::frontmatter::KeyLines,
) -> Vec<Finding> {
    let d = &source.doc;
    let mut out: Vec<Finding> = keys
        .repeats()
        .into_iter()
        .map(|(key, before, repeat)| {
            DUPLICATE_KEY.at(
                &d.path,
                repeat,
                1,
                format!("`{key}` is already set on line {before}; YAML keeps only the last value"),
                &key,
            )
        })
        .collect();
    if d.doc_type.as_deref() != Some("rca") {
        return out;
    }
    for table in super::tables::tables(source.body(), d.body_line) {
        let Some(col) = table
            .header
            .iter()
            .position(|c| c.eq_ignore_ascii_case("owner"))
        else {
            continue;
        };
        for row in &table.rows {
            let owner = row.cells.get(col).map_or("", String::as_str);
            if is_placeholder(owner) {
                let action = row.cells.first().map_or("", String::as_str);
                out.push(RCA_ACTION_WITHOUT_OWNER.at(
                    &d.path,
                    row.line,
                    1,
                    format!("action item {action:?} has no owner"),
                    action,
                ));
            }
        }
    }
    out
}

/// An owner cell that names no one.
fn is_placeholder(owner: &str) -> bool {
    owner.is_empty()
        || matches!(
            owner.to_lowercase().as_str(),
            "-" | "tbd" | "?" | "n/a" | "_tbd_"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rca(body: &str) -> Vec<(usize, String)> {
        let text = format!("---\ntitle: Outage\ntype: rca\n---\n{body}");
        let schema = crate::schema::Schema::new(&Default::default());
        let source = crate::doc::parse("rca/x.md".into(), text.into_bytes(), &schema).unwrap();
        let keys = crate::doc::frontmatter::key_lines(&source.text);
        body_findings(&source, &keys)
            .into_iter()
            .map(|f| (f.line, f.key))
            .collect()
    }

    #[test]
    fn rca_action_items_without_an_owner() {
        let body = "# Outage\n\n| Action | Owner |\n|---|---|\n| Alert | dana |\n| Load test | |\n| Runbook | TBD |\n| Drill | _tbd_ |\n";
        assert_eq!(
            rca(body),
            [
                (10, "Load test".to_string()),
                (11, "Runbook".to_string()),
                (12, "Drill".to_string())
            ]
        );
        // No Owner column: not an action-item table.
        assert!(rca("| Step | Who |\n|---|---|\n| a | |\n").is_empty());
    }

    use crate::check::testing::{found, run};

    #[test]
    fn front_matter_that_cannot_be_read() {
        let got = run(
            &RULE,
            &[
                ("a.md", "---\ntitle: A\nbad: [unclosed\n---\n"),
                ("b.md", "---\ntitle: B\n"),
                ("c.md", "+++\ntitle = \n+++\n"),
                ("fine.md", "---\ntitle: Fine\n---\n"),
            ],
        );
        let codes: Vec<&str> = got.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, ["bad-toml", "bad-yaml", "unclosed-front-matter"]);
    }

    #[test]
    fn types_fields_kinds_enums_and_dates() {
        let got = run(
            &RULE,
            &[
                ("odd.md", "---\ntitle: Odd\ntype: nope\n---\n"),
                (
                    "specs/a.md",
                    "---\ntitle: A\ntype: spec\nid: SPEC-0001\nowner: dana\nstatus: drafty\ncreated: someday\nreviewers: 5\n---\n",
                ),
                ("specs/b.md", "---\ntitle: B\ntype: spec\nid: SPEC-0002\nstatus: draft\n---\n"),
            ],
        );
        assert_eq!(
            got,
            found(&[
                ("unknown-type", "odd.md:3"),
                ("bad-enum", "specs/a.md:6"),
                ("bad-date", "specs/a.md:7"),
                ("bad-field-kind", "specs/a.md:8"),
                ("missing-field", "specs/b.md:1"),
            ])
        );
    }

    #[test]
    fn ids_references_and_supersession() {
        let adr = |id: &str, extra: &str| {
            format!("---\ntitle: {id}\ntype: decision\nid: {id}\nowner: dana\nstatus: accepted\n{extra}---\n")
        };
        let got = run(
            &RULE,
            &[
                (
                    "decisions/adr-0001.md",
                    &adr("ADR-0001", "superseded_by: ADR-0009\n"),
                ),
                (
                    "decisions/adr-0002.md",
                    &adr("ADR-0002", "supersedes: ADR-0001\n"),
                ),
                ("decisions/adr-0003.md", &adr("ADR-0002", "")),
                (
                    "decisions/adr-0004.md",
                    &adr("ADR-0004", "supersedes: ADR-0005\n"),
                ),
                (
                    "decisions/adr-0005.md",
                    &adr("ADR-0005", "superseded_by: ADR-0004\n"),
                ),
            ],
        );
        assert_eq!(
            got,
            found(&[
                ("missing-doc-ref", "decisions/adr-0001.md:7"),
                ("supersedes-one-way", "decisions/adr-0002.md:7"),
                ("duplicate-id", "decisions/adr-0003.md:4"),
            ])
        );
    }

    #[test]
    fn rca_tables_inside_code_fences_are_examples() {
        let body = "How to write action items:\n\n```md\n| Action | Owner |\n|---|---|\n| Example | |\n```\n";
        assert!(rca(body).is_empty());
    }
}
