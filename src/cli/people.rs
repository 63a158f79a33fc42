//! `kb people`: the people of people/ as a table; `kb org [HANDLE]`: the reporting tree drawn
//! from each person's `manager`, with open roles as seats under their hiring manager.

use super::{print, print_json, Ctx, Outcome};
use kb::error::{Error, Result};
use kb::people::{People, Problem};
use kb::render::{diagnostic, people as view};

/// The people of the knowledge base: handle, name, role, team, manager, timezone
///
/// People are docs of type `person` (the people/ folder): `handle`, `name`, `role`, `team`,
/// `manager` (a handle), `timezone`, `email`, `start`. A doc without `handle:` is named by its
/// file.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb people
  kb people --team payments-platform
  kb people --manager kenji --format md
  kb people --format json")]
pub struct PeopleArgs {
    /// Only people of this team (repeatable)
    #[arg(long = "team", value_name = "TEAM", value_delimiter = ',')]
    pub teams: Vec<String>,

    /// Only the direct reports of this handle (repeatable)
    #[arg(long = "manager", value_name = "HANDLE", value_delimiter = ',')]
    pub managers: Vec<String>,

    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<PeopleFormat>,
}

/// `--format` of `kb people`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PeopleFormat {
    /// An aligned table for people
    Table,
    /// A GitHub-flavoured Markdown table
    #[value(alias = "markdown")]
    Md,
    /// JSON with a versioned schema, for scripts
    Json,
}

/// The reporting tree, from the top or from one person, with open roles as seats
///
/// Drawn from each person's `manager`; open roles (docs of type `role` in roles/, status not
/// filled or closed) show as seats under their `hiring_manager`. A manager who is not in people/
/// makes that person a root, a cycle is drawn from its first handle; `kb check` reports both
/// (manager-unknown, manager-cycle).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb org
  kb org dana
  kb org --format md >> org.md
  kb org --format mermaid
  kb org --format dot | dot -Tsvg > org.svg
  kb org --format html > org.html")]
pub struct OrgArgs {
    /// Draw only this person and everyone below them
    #[arg(value_name = "HANDLE")]
    pub handle: Option<String>,

    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<OrgFormat>,
}

/// `--format` of `kb org`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OrgFormat {
    /// An indented tree with role, team and timezone
    Text,
    /// Nested Markdown lists, linked to each page
    #[value(alias = "markdown")]
    Md,
    /// JSON with a versioned schema, for scripts
    Json,
    /// One self-contained HTML page
    Html,
    /// A Mermaid flowchart (renders in GitHub Markdown)
    Mermaid,
    /// A Graphviz digraph, for `dot -Tsvg`
    Dot,
}

fn load(ctx: &Ctx) -> People {
    let (people, errors) = kb::people::load(&ctx.kb);
    diagnostic::print_doc_errors(&errors);
    if let Some(first) = people.other_pages.first() {
        let n = people.other_pages.len();
        diagnostic::print_problem(
            diagnostic::Severity::Warning,
            &format!(
                "{} in the people folder {} no person field ({}): left out, such as {first}",
                match n {
                    1 => "1 page".to_string(),
                    n => format!("{n} pages"),
                },
                if n == 1 { "has" } else { "have" },
                kb::people::PERSON_FIELDS.join(", ")
            ),
            None,
            Some("a person's page needs at least `handle:`; add `type: person` to count a page as one"),
        );
    }
    people
}

pub fn people(ctx: &Ctx, args: PeopleArgs) -> Result<Outcome> {
    let format = ctx.format("people", args.format)?;
    let all = load(ctx);
    let list = view::PeopleList {
        schema_version: 1,
        people: all.filter(&args.teams, &args.managers),
    };
    if all.people.is_empty() && format != PeopleFormat::Json {
        diagnostic::print_problem(
            diagnostic::Severity::Warning,
            "no person docs in this knowledge base",
            None,
            Some("kb reads people from docs of type `person` (people/): add one with `kb new person \"Full Name\"`, or set `type: person` on the pages you have"),
        );
        return Ok(Outcome::Clean);
    }
    // A filter that matches nobody exits 1, as `kb ls` does; JSON still prints.
    if list.people.is_empty() {
        if format == PeopleFormat::Json {
            print_json(&list)?;
        } else {
            anstream::eprintln!("no person matches (`kb people` lists everyone)");
        }
        return Ok(Outcome::Problems);
    }
    match format {
        PeopleFormat::Table => print(&view::people_table(&list))?,
        PeopleFormat::Md => print(&view::people_markdown(&list))?,
        PeopleFormat::Json => print_json(&list)?,
    }
    Ok(Outcome::Clean)
}

pub fn org(ctx: &Ctx, args: OrgArgs) -> Result<Outcome> {
    let format = ctx.format("org", args.format)?;
    let people = load(ctx);
    if people.people.is_empty() {
        return Err(Error::usage_with_hint(
            "no person docs in this knowledge base: there is no org chart to draw",
            "kb reads people from docs of type `person` (people/) with `handle:` and `manager:`; add one with `kb new person \"Full Name\"`",
        ));
    }
    for p in &people.problems {
        let note = match p {
            Problem::Cycle { handles } => view::cycle_note(handles),
            Problem::UnknownManager {
                path,
                field,
                manager,
            } => format!("{path}: `{field}: {manager}` is not in people/; drawn at the top"),
            Problem::DuplicateHandle {
                path,
                handle,
                first,
            } => {
                format!("{path}: handle {handle:?} is already {first}'s; left out")
            }
        };
        diagnostic::print_problem(diagnostic::Severity::Warning, &note, None, None);
    }
    let org = people.org(args.handle.as_deref()).ok_or_else(|| {
        Error::usage_with_hint(
            format!(
                "no person with the handle {:?} in people/",
                args.handle.clone().unwrap_or_default()
            ),
            "`kb people` lists the handles",
        )
    })?;
    match format {
        OrgFormat::Text => print(&view::org_text(&org))?,
        OrgFormat::Md => print(&view::org_markdown(&org))?,
        OrgFormat::Json => print_json(&view::org_json(&org))?,
        OrgFormat::Mermaid => print(&view::org_mermaid(&org))?,
        OrgFormat::Dot => print(&view::org_dot(&org))?,
        OrgFormat::Html => {
            let page = view::org_html(&org, &ctx.kb.config.name).map_err(|e| Error::Template {
                file: "src/render/org.html (built-in)".into(),
                line: e.line(),
                message: e.to_string(),
            })?;
            print(&page)?
        }
    }
    Ok(Outcome::Clean)
}
