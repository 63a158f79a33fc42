//! The doc types as JSON Schema (draft 7), so editors complete and validate front-matter.

use crate::schema::{DocType, FieldKind, Schema};
use serde_json::{json, Map, Value};

const DRAFT: &str = "http://json-schema.org/draft-07/schema#";

/// One type's schema, standalone.
pub fn one(t: &DocType) -> Value {
    let mut s = type_schema(t);
    s["$schema"] = json!(DRAFT);
    s
}

/// Every type, keyed by name under `definitions`.
pub fn all(schema: &Schema, kb_name: &str) -> Value {
    let definitions: Map<String, Value> = schema
        .types()
        .map(|t| (t.name.clone(), type_schema(t)))
        .collect();
    json!({
        "$schema": DRAFT,
        "title": format!("{kb_name} knowledge base doc types"),
        "definitions": definitions,
    })
}

fn type_schema(t: &DocType) -> Value {
    let mut properties = Map::new();
    properties.insert("title".into(), json!({"type": "string"}));
    properties.insert("type".into(), json!({"const": t.name}));
    properties.insert("id".into(), json!({"type": ["string", "number"]}));
    properties.insert(
        "tags".into(),
        json!({"type": ["array", "string"], "items": {"type": "string"}}),
    );
    for (field, kind) in &t.fields {
        properties.insert(field.clone(), kind_schema(kind));
    }
    if !t.statuses.is_empty() {
        properties.insert(t.status_field.clone(), json!({"enum": t.statuses}));
    }
    json!({
        "title": t.name,
        "type": "object",
        "required": t.required.iter().filter(|f| *f != "title").collect::<Vec<_>>(),
        "properties": properties,
    })
}

fn kind_schema(kind: &FieldKind) -> Value {
    match kind {
        FieldKind::String => json!({"type": "string"}),
        FieldKind::Date => json!({"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}"}),
        FieldKind::Person | FieldKind::Doc => json!({"type": "string"}),
        FieldKind::People | FieldKind::Docs => {
            json!({"type": ["array", "string"], "items": {"type": "string"}})
        }
        FieldKind::Number => json!({"type": "number"}),
        FieldKind::Bool => json!({"type": "boolean"}),
        FieldKind::Url => json!({"type": "string", "format": "uri"}),
        FieldKind::Enum(values) => json!({"enum": values}),
    }
}
