//! `kb schema --format json-schema [TYPE]`: the doc types as JSON Schema, so editors complete and
//! validate front-matter.

use super::{print_json, Ctx, Outcome};
use kb::error::{Error, Result};
use kb::schema::{DocType, FieldKind};
use serde_json::{json, Map, Value};

/// Export the doc types (built-in and kb.yaml's) as JSON Schema for editors
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb schema --format json-schema spec > .kb/schema/spec.json
  kb schema --format json-schema > .kb/schema/all.json

VS Code (YAML extension), in settings.json:
  \"yaml.schemas\": {\".kb/schema/spec.json\": \"specs/*.md\"}")]
pub struct SchemaArgs {
    /// One type (default: all, keyed by type name under `definitions`)
    #[arg(value_name = "TYPE")]
    pub doc_type: Option<String>,
    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

/// `--format`: what this command can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// JSON Schema (draft 7)
    JsonSchema,
    /// JSON with a versioned schema, for scripts
    Json,
}

pub fn run(ctx: &Ctx, args: SchemaArgs) -> Result<Outcome> {
    ctx.format("schema", args.format)?;
    let schema = &ctx.kb.config.schema;
    let value = match &args.doc_type {
        Some(name) => {
            let t = schema.get(name).ok_or_else(|| {
                let known: Vec<&str> = schema.types().map(|t| t.name.as_str()).collect();
                Error::usage_with_hint(
                    format!("unknown doc type {name:?}"),
                    format!("the types are: {}", known.join(", ")),
                )
            })?;
            let mut s = type_schema(t);
            s["$schema"] = json!("http://json-schema.org/draft-07/schema#");
            s
        }
        None => {
            let definitions: Map<String, Value> = schema
                .types()
                .map(|t| (t.name.clone(), type_schema(t)))
                .collect();
            json!({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "title": format!("{} knowledge base doc types", ctx.kb.config.name),
                "definitions": definitions,
            })
        }
    };
    print_json(&value)?;
    Ok(Outcome::Clean)
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
