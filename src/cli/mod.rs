//! The command line: the global options, one module per command (its `Args`, whose doc comment
//! is the help text, and its `run`), and the dispatch between them. Commands load what they need
//! through the core and hand a view model to `render`; nothing else here computes.

mod check;
mod completions;
mod digest;
mod editor;
mod export;
mod goals;
mod inbox;
mod index;
mod init;
mod log;
mod ls;
mod metrics;
mod mv;
mod new;
mod people;
mod progress;
mod render;
mod review;
mod schema;
mod search;
mod show;
mod stale;
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
    after_help = "Examples:\n  kb init\n  kb new spec \"Checkout redesign\"\n  kb ls --type rca --status published\n  kb show RCA-0001\n  kb search \"refund policy\"\n  kb goals report --period 2026-Q4\n  kb org\n  kb inbox\n  kb check --format github\n  kb --kb examples/acme ls --format json",
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// The knowledge base's root folder
    #[arg(long, global = true, env = "KB_DIR", value_name = "DIR")]
    pub kb: Option<PathBuf>,

    /// Output format, also accepted before the command (each command's --help lists its own)
    #[arg(
        long = "format",
        id = "format_before_command",
        hide = true,
        value_name = "FORMAT"
    )]
    pub format: Option<String>,

    /// Read every doc, without the doc cache in .kb/cache/ (also KB_NO_CACHE=1)
    #[arg(long, global = true)]
    pub no_cache: bool,

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
    Mv(mv::MvArgs),
    Stale(stale::StaleArgs),
    Log(log::LogArgs),
    Search(search::SearchArgs),
    Index(index::IndexArgs),
    Goals(goals::GoalsArgs),
    Review(review::ReviewArgs),
    Digest(digest::DigestArgs),
    People(people::PeopleArgs),
    Org(people::OrgArgs),
    Inbox(inbox::InboxArgs),
    Render(render::RenderArgs),
    Metrics(metrics::MetricsArgs),
    Check(check::CheckArgs),
    Schema(schema::SchemaArgs),
    Export(export::ExportArgs),
    Completions(completions::CompletionsArgs),
}

/// `--format` of a command that prints text for people or JSON for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    /// Plain text for people
    Text,
    /// JSON with a versioned schema, for scripts
    Json,
}

/// The filters `kb ls` and `kb search` share: each narrows by one front-matter fact.
#[derive(Debug, Clone, clap::Args)]
pub struct DocFilter {
    /// Only docs of this type (handbook, playbook, goal, checkin, deep-dive, rca, spec, ...)
    #[arg(long = "type", value_name = "TYPE", value_delimiter = ',')]
    pub types: Vec<String>,

    /// Only docs with this status (or goal state)
    #[arg(long = "status", value_name = "STATUS", value_delimiter = ',')]
    pub statuses: Vec<String>,

    /// Only docs owned by this handle
    #[arg(long = "owner", value_name = "HANDLE", value_delimiter = ',')]
    pub owners: Vec<String>,

    /// Only docs with this tag (all of them, when repeated)
    #[arg(long = "tag", value_name = "TAG", value_delimiter = ',')]
    pub tags: Vec<String>,
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
    format: Option<String>,
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

    /// The `--format` asked for (see [`choose_format`]).
    pub fn format<F: ValueEnum>(&self, command: &str, chosen: Option<F>) -> Result<F> {
        choose_format(command, chosen, self.format.as_deref())
    }
}

/// The `--format` asked for: after the command (`chosen`, checked by clap), else before it
/// (`before`, checked here against the formats `command` supports), else the command's first.
pub fn choose_format<F: ValueEnum>(
    command: &str,
    chosen: Option<F>,
    before: Option<&str>,
) -> Result<F> {
    if let Some(format) = chosen {
        return Ok(format);
    }
    let supported = F::value_variants();
    let Some(raw) = before else {
        return Ok(supported[0].clone());
    };
    F::from_str(raw, true).map_err(|_| {
        let names: Vec<String> = supported
            .iter()
            .filter_map(|f| f.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        Error::usage_with_hint(
            format!("`kb {command}` has no --format {raw}"),
            format!("use one of: {}", names.join(", ")),
        )
    })
}

pub fn run(cli: Cli) -> Result<Outcome> {
    let cwd = std::env::current_dir().map_err(|e| Error::io("read", "the current directory", e))?;
    let mut env = Env::from_process();
    env.no_cache |= cli.no_cache;
    match cli.command {
        Command::Init(args) => init::run(&cwd, cli.kb.as_deref(), cli.format.as_deref(), args),
        Command::Completions(args) => completions::run(args),
        // The rules are kb's, not a KB's: listed anywhere.
        Command::Check(args) if args.list_rules => check::list_rules(cli.format.as_deref(), args),
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
                Command::Mv(args) => mv::run(&ctx, args),
                Command::Stale(args) => stale::run(&ctx, args),
                Command::Log(args) => log::run(&ctx, args),
                Command::Search(args) => search::run(&ctx, args),
                Command::Index(args) => index::run(&ctx, args),
                Command::Goals(args) => goals::run(&ctx, args),
                Command::Review(args) => review::run(&ctx, args),
                Command::People(args) => people::people(&ctx, args),
                Command::Org(args) => people::org(&ctx, args),
                Command::Inbox(args) => inbox::run(&ctx, args),
                Command::Check(args) => check::run(&ctx, args),
                Command::Schema(args) => schema::run(&ctx, args),
                Command::Export(args) => export::run(&ctx, args),
                Command::Digest(args) => digest::run(&ctx, args),
                Command::Render(args) => render::run(&ctx, args),
                Command::Metrics(args) => metrics::run(&ctx, args),
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
    print_with(|out| kb::render::write_json(out, value))
}

/// Hands `write` a buffered stdout, and flushes it.
pub fn print_with(
    write: impl FnOnce(&mut std::io::BufWriter<std::io::StdoutLock<'static>>) -> std::io::Result<()>,
) -> Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    write(&mut out)
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

    /// Every command, down to each subcommand, has an example of itself in its own `--help`
    /// or in its parent's.
    #[test]
    fn every_command_has_an_example() {
        use clap::CommandFactory;
        fn walk(cmd: &clap::Command, path: &str, inherited: &str, missing: &mut Vec<String>) {
            let own = cmd
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            let examples = format!("{inherited}\n{own}");
            let is_command = path != "kb" && cmd.get_name() != "help";
            if is_command
                && !examples.contains(&format!("{path} "))
                && !examples.lines().any(|l| l.trim() == path)
            {
                missing.push(path.to_string());
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), &own, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&super::Cli::command(), "kb", "", &mut missing);
        assert!(missing.is_empty(), "no example of: {missing:?}");
    }
}
