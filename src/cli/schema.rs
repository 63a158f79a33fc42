//! `kb schema --format json-schema [TYPE]`: the doc types as JSON Schema, so editors complete and
//! validate front-matter.

use super::{print_json, Ctx, Outcome};
use kb::error::{Error, Result};
use kb::render::json_schema;

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
    /// The same JSON Schema
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
            json_schema::one(t)
        }
        None => json_schema::all(schema, &ctx.kb.config.name),
    };
    print_json(&value)?;
    Ok(Outcome::Clean)
}
