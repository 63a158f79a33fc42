//! The command line: the global options, one module per command (its `Args`, whose doc comment
//! is the help text, and its `run`), and the dispatch between them. Commands load what they need
//! through the core and hand a view model to `render`; nothing else here computes.

mod check;
mod completions;
mod editor;
mod export;
mod goals;
mod index;
mod init;
mod ls;
mod new;
mod progress;
mod review;
mod schema;
mod search;
mod show;
mod templates;

use clap::{Parser, Subcommand, ValueEnum};
use kb::config::Env;
use kb::error::{Error, Result, EXIT_PROBLEMS};
use kb::kb::Kb;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "kb",
    version,
    about = "A git repository of Markdown files as your company's knowledge base",
    long_about = "kb turns a git repository of Markdown files with YAML front-matter into a company's \
knowledge base: handbook, playbooks, goals, specs, RCAs, decisions, meeting pre-reads, people.\n\n\
The knowledge base is found from --kb, else KB_DIR, else the nearest folder upwards holding kb.yaml, \
else the enclosing git repository.",
    after_help = "Examples:\n  kb init\n  kb new spec \"Checkout redesign\"\n  kb ls --type rca --status published\n  kb show RCA-0001\n  kb search \"refund policy\"\n  kb goals report --period 2026-Q4\n  kb check --format github\n  kb --kb examples/acme ls --format json",
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// The knowledge base's root folder
    #[arg(long, global = true, env = "KB_DIR", value_name = "DIR")]
    pub kb: Option<PathBuf>,

    /// Output format (each command lists the ones it supports)
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(init::InitArgs),
    New(new::NewArgs),
    Templates(templates::TemplatesArgs),
    Ls(ls::LsArgs),
    Show(show::ShowArgs),
    Search(search::SearchArgs),
    Index(index::IndexArgs),
    Goals(goals::GoalsArgs),
    Review(review::ReviewArgs),
    Check(check::CheckArgs),
    Schema(schema::SchemaArgs),
    Export(export::ExportArgs),
    Completions(completions::CompletionsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for people (the default where there is a table)
    Table,
    /// Plain text for people
    Text,
    /// JSON with a versioned schema, for scripts
    Json,
    /// GitHub-flavoured Markdown
    #[value(alias = "markdown")]
    Md,
    /// One self-contained HTML page
    Html,
    /// GitHub Actions annotations (`::error file=...`)
    Github,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// JSON Schema (kb schema)
    JsonSchema,
    /// One JSON object per line (kb export)
    Ndjson,
    /// An Elasticsearch/OpenSearch `_bulk` body (kb export)
    EsBulk,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Text => "text",
            Format::Json => "json",
            Format::Md => "md",
            Format::Html => "html",
            Format::Github => "github",
            Format::Sarif => "sarif",
            Format::JsonSchema => "json-schema",
            Format::Ndjson => "ndjson",
            Format::EsBulk => "es-bulk",
        }
    }
}

/// How a command that ran to the end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    /// It ran, and found problems the user must see (exit 1).
    Problems,
}

impl From<Outcome> for std::process::ExitCode {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Clean => std::process::ExitCode::SUCCESS,
            Outcome::Problems => std::process::ExitCode::from(EXIT_PROBLEMS),
        }
    }
}

/// What every command that works on a KB receives.
pub struct Ctx {
    pub kb: Kb,
    pub cwd: PathBuf,
    format: Option<Format>,
}

impl Ctx {
    /// The acting person's handle (`KB_USER`, else the git identity mapped through people/);
    /// `purpose` says what it is needed for.
    pub fn author(&self, purpose: &str) -> Result<String> {
        let identity = kb::git::identity(&self.kb.root);
        let author = kb::scaffold::author(&self.kb, &identity).ok_or_else(|| {
            Error::usage_with_hint(
                format!("cannot tell who you are, to {purpose}"),
                "set KB_USER to your handle, or `git config user.email you@example.com`",
            )
        })?;
        // The handle names files (`<date>-<handle>.md`): one with no letter or digit in it
        // would make every such person share one file.
        if kb::slug::slugify(&author.handle).is_empty() {
            return Err(Error::usage_with_hint(
                format!("{:?} is not a handle", author.handle),
                "a handle has letters or digits, like `dana` or `sam-stone`: set KB_USER to yours",
            ));
        }
        if let Some(who) = &author.guessed_from {
            kb::render::diagnostic::print_problem(
                kb::render::diagnostic::Severity::Warning,
                &format!(
                    "your git identity {who} matches no person in people/; using the handle `{}`",
                    author.handle
                ),
                None,
                Some("add `email:` to your person doc, or set KB_USER to your handle"),
            );
        }
        Ok(author.handle)
    }

    /// The `--format` asked for, if this command supports it; else `default`.
    pub fn format(&self, command: &str, supported: &[Format]) -> Result<Format> {
        match self.format {
            None => Ok(supported[0]),
            Some(f) if supported.contains(&f) => Ok(f),
            Some(f) => Err(Error::usage_with_hint(
                format!("`kb {command}` has no --format {}", f.name()),
                format!(
                    "use one of: {}",
                    supported
                        .iter()
                        .map(|f| f.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
}

pub fn run(cli: Cli) -> Result<Outcome> {
    let cwd = std::env::current_dir().map_err(|e| Error::io("read", "the current directory", e))?;
    let env = Env::from_process();
    match cli.command {
        Command::Init(args) => init::run(&cwd, cli.kb.as_deref(), cli.format, args),
        Command::Completions(args) => completions::run(args),
        command => {
            let root = Kb::discover(cli.kb.as_deref(), &cwd)?;
            let ctx = Ctx {
                kb: Kb::open(root, &env)?,
                cwd,
                format: cli.format,
            };
            match command {
                Command::New(args) => new::run(&ctx, args),
                Command::Templates(args) => templates::run(&ctx, args),
                Command::Ls(args) => ls::run(&ctx, args),
                Command::Show(args) => show::run(&ctx, args),
                Command::Search(args) => search::run(&ctx, args),
                Command::Index(args) => index::run(&ctx, args),
                Command::Goals(args) => goals::run(&ctx, args),
                Command::Review(args) => review::run(&ctx, args),
                Command::Check(args) => check::run(&ctx, args),
                Command::Schema(args) => schema::run(&ctx, args),
                Command::Export(args) => export::run(&ctx, args),
                Command::Init(_) | Command::Completions(_) => unreachable!("handled above"),
            }
        }
    }
}

/// Writes command output to stdout (colour stripped when it is not a terminal).
pub fn print(text: &str) -> Result<()> {
    let mut out = anstream::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(Error::Output)
}

/// Writes a view model to stdout as JSON, streamed: data for scripts never carries colour.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    kb::render::write_json(&mut out, value)
        .and_then(|()| out.flush())
        .map_err(Error::Output)
}

/// The path to show for `path` in a message: relative to the cwd when below it.
pub fn shown_path(cwd: &Path, path: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
