//! `kb templates list|show NAME`: the templates in force and where each comes from.

use super::{print, print_json, Ctx, Outcome};
use kb::error::Result;
use kb::render::templates as view;
use kb::template::{self, Origin};

/// The templates `kb new` uses: built-in, or overridden by a file in .kb/templates/
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb templates list
  kb templates show spec
  kb templates show rca > .kb/templates/rca.md   # start your own, overriding the built-in")]
pub struct TemplatesArgs {
    #[command(subcommand)]
    pub action: Option<Action>,

    /// Output format (of `list`; `show` prints the template as it is)
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
}

/// `--format` of `kb templates list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people
    Table,
    /// JSON with a versioned schema, for scripts
    Json,
}

/// `kb templates show` prints the template itself, in no other format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Verbatim {
    Text,
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

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
        }
    }
}

pub fn run(ctx: &Ctx, args: TemplatesArgs) -> Result<Outcome> {
    match args.action.unwrap_or(Action::List) {
        Action::List => list(ctx, args.format),
        Action::Show { name } => {
            if let Some(format) = args.format {
                return Err(kb::error::Error::usage_with_hint(
                    format!("`kb templates show` has no --format {}", format.name()),
                    "it prints the template as it is; leave out --format",
                ));
            }
            ctx.format::<Verbatim>("templates show", None)?;
            print(&template::get_in_force(&ctx.kb.root, &ctx.kb.config.schema, &name)?.text)?;
            Ok(Outcome::Clean)
        }
    }
}

fn list(ctx: &Ctx, chosen: Option<Format>) -> Result<Outcome> {
    let format = ctx.format("templates list", chosen)?;
    let schema = &ctx.kb.config.schema;
    let rows: Vec<view::Row> = template::in_force(&ctx.kb.root, schema)?
        .into_iter()
        .map(|t| view::Row {
            doc_type: schema
                .types()
                .find(|d| d.template == t.name)
                .map(|d| d.name.clone()),
            source: match &t.origin {
                Origin::BuiltIn => "built-in".to_string(),
                Origin::Override(path) => path.display().to_string().replace('\\', "/"),
                Origin::Generic => "generic (from kb.yaml's fields)".to_string(),
            },
            name: t.name,
        })
        .collect();
    match format {
        Format::Json => print_json(&view::Listing {
            schema_version: 1,
            templates: rows,
        })?,
        Format::Table => print(&view::table(&rows))?,
    }
    Ok(Outcome::Clean)
}
