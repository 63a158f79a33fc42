//! `kb templates list|show NAME`: the templates in force and where each comes from.

use super::{print, print_json, Ctx, Format, Outcome};
use kb::error::Result;
use kb::render::table;
use kb::template::{self, Origin};
use serde::Serialize;

/// The templates `kb new` uses: built-in, or overridden by a file in .kb/templates/
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb templates list
  kb templates show spec
  kb templates show rca > .kb/templates/rca.md   # start your own, overriding the built-in")]
pub struct TemplatesArgs {
    #[command(subcommand)]
    pub action: Option<Action>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// List the templates, their doc types and where each comes from (the default)
    List,
    /// Print one template as kb renders it from
    Show {
        /// Template name (see `kb templates list`)
        name: String,
    },
}

#[derive(Debug, Serialize)]
struct Row {
    name: String,
    #[serde(rename = "type")]
    doc_type: Option<String>,
    source: String,
}

#[derive(Debug, Serialize)]
struct Listing {
    schema_version: u32,
    templates: Vec<Row>,
}

pub fn run(ctx: &Ctx, args: TemplatesArgs) -> Result<Outcome> {
    match args.action.unwrap_or(Action::List) {
        Action::List => list(ctx),
        Action::Show { name } => {
            ctx.format("templates show", &[Format::Text])?;
            print(&template::get(&ctx.kb.root, &name)?.text)?;
            Ok(Outcome::Clean)
        }
    }
}

fn list(ctx: &Ctx) -> Result<Outcome> {
    let format = ctx.format("templates list", &[Format::Table, Format::Json])?;
    let schema = &ctx.kb.config.schema;
    let rows: Vec<Row> = template::list(&ctx.kb.root)?
        .into_iter()
        .map(|t| Row {
            doc_type: schema
                .types()
                .find(|d| d.template == t.name)
                .map(|d| d.name.clone()),
            source: match &t.origin {
                Origin::BuiltIn => "built-in".to_string(),
                Origin::Override(path) => path.display().to_string().replace('\\', "/"),
                Origin::Generic => "generic".to_string(),
            },
            name: t.name,
        })
        .collect();
    match format {
        Format::Json => print_json(&Listing {
            schema_version: 1,
            templates: rows,
        })?,
        _ => {
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
            print(&table::render(&["NAME", "TYPE", "SOURCE"], &cells))?;
        }
    }
    Ok(Outcome::Clean)
}
