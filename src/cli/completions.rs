//! `kb completions SHELL`: shell completion scripts (clap_complete).

use super::{Cli, Outcome};
use clap::CommandFactory;
use kb::error::Result;

/// Print a shell completion script
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  kb completions bash > ~/.local/share/bash-completion/completions/kb\n  kb completions zsh > ~/.zfunc/_kb\n  kb completions fish > ~/.config/fish/completions/kb.fish"
)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(args: CompletionsArgs) -> Result<Outcome> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "kb", &mut script);
    super::print(&String::from_utf8_lossy(&script))?;
    Ok(Outcome::Clean)
}
