//! `unknown-person`: owners, authors and reviewers must be people of people/, when the KB keeps
//! people docs at all (a handbook without an org chart is not checked).

use super::{Code, Context, Finding, Rule, Severity};
use crate::schema::{FieldKind, COMMON_FIELDS};
use serde_json::Value;

pub const RULE: Rule = Rule {
    codes: &[UNKNOWN_PERSON],
    run: unknown_person,
};

pub const UNKNOWN_PERSON: Code = Code {
    code: "unknown-person",
    severity: Severity::Error,
    summary: "an owner, author or reviewer who is not in people/",
    hint: "use a handle from people/, or add their page with `kb new person \"Full Name\"`",
};

fn unknown_person(ctx: &Context, out: &mut Vec<Finding>) {
    if ctx.people.is_empty() {
        return;
    }
    let schema = &ctx.kb.config.schema;
    for d in &ctx.docs {
        // A plain handbook page has no type, but its `owner` and `reviewers` still name people.
        let fields: Vec<(&str, &FieldKind)> =
            match d.doc.doc_type.as_deref().and_then(|t| schema.get(t)) {
                Some(t) => t.fields.iter().map(|(k, v)| (k.as_str(), v)).collect(),
                None => COMMON_FIELDS.iter().map(|(k, v)| (*k, v)).collect(),
            };
        let mut named: Vec<(String, String)> = Vec::new();
        for (field, kind) in fields {
            // Only names: a value of the wrong kind is the schema rule's finding, not this one's.
            if !matches!(kind, FieldKind::Person | FieldKind::People) {
                continue;
            }
            let values = match (kind, d.doc.fields.value(field).as_deref()) {
                (_, Some(Value::String(s))) => vec![s.clone()],
                (FieldKind::People, Some(Value::Array(items))) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
                _ => Vec::<String>::new(),
            };
            named.extend(values.into_iter().map(|v| (field.to_string(), v)));
        }
        if let Some(reviewers) = d
            .doc
            .fields
            .value("review")
            .as_deref()
            .and_then(|r| r.get("reviewers"))
            .and_then(Value::as_array)
        {
            named.extend(
                reviewers
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|v| ("review".to_string(), v.to_string())),
            );
        }
        for (field, handle) in named {
            // Compared as `kb inbox` and `kb people` compare them: `@Dana` is dana.
            if handle.trim().is_empty() || ctx.people.contains(&crate::people::key(&handle)) {
                continue;
            }
            out.push(UNKNOWN_PERSON.at(
                &d.doc.path,
                d.field_line(&field),
                1,
                format!("`{field}` names {handle:?}, who has no page in people/"),
                format!("{field}={handle}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::check::testing::{found, run};

    const DANA: (&str, &str) = (
        "people/dana.md",
        "---\ntitle: Dana\ntype: person\nhandle: dana\n---\n",
    );

    #[test]
    fn owners_authors_and_reviewers_must_be_people() {
        let got = run(
            &RULE,
            &[
                DANA,
                ("a.md", "---\ntitle: A\nowner: Dana\nreviewers: [dana, ghost]\n---\n"),
                (
                    "specs/s.md",
                    "---\ntitle: S\ntype: spec\nowner: nobody\nreview: {reviewers: [dana, eve]}\n---\n",
                ),
                // A value of the wrong kind is the schema rule's finding, not this one's.
                ("specs/t.md", "---\ntitle: T\ntype: spec\nowner: [dana]\n---\n"),
            ],
        );
        assert_eq!(
            got,
            found(&[
                ("unknown-person", "a.md:4"),
                ("unknown-person", "specs/s.md:4"),
                ("unknown-person", "specs/s.md:5"),
            ])
        );
    }

    #[test]
    fn names_are_compared_as_inbox_compares_them() {
        let eve = (
            "people/eve.md",
            "---\ntitle: Eve\ntype: person\nhandle: \" Eve \"\n---\n",
        );
        let got = run(
            &RULE,
            &[
                DANA,
                eve,
                ("a.md", "---\ntitle: A\nowner: \"@Dana\"\n---\n"),
                (
                    "b.md",
                    "---\ntitle: B\nowner: \" dana \"\nreviewers: [\"@eve\", ghost]\n---\n",
                ),
            ],
        );
        assert_eq!(got, found(&[("unknown-person", "b.md:4")]));
    }

    #[test]
    fn a_kb_without_people_is_not_checked() {
        assert!(run(&RULE, &[("a.md", "---\ntitle: A\nowner: anyone\n---\n")]).is_empty());
    }
}
