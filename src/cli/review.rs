//! `kb review`: comment threads on docs, kept as files in git beside them.

use super::{print, print_json, Ctx, Outcome, TextOrJson as Format};
use kb::doc::Source;
use kb::error::{Error, Result};
use kb::git;
use kb::render::{diagnostic, review as view};
use kb::review::anchor;
use kb::review::select::{self, ListState};
use kb::review::{self, Action, NewEvent, Reviews, Thread};

/// Review comments: threads anchored to quotes, replies, resolutions, approvals
///
/// Each event is a new file under .kb/reviews/, so comments made on different branches merge
/// without conflicts. THREAD is a thread id: its last 7 characters, or any unique start or end
/// of 4 or more.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb review add specs/checkout-redesign.md --quote \"single weekend\" -m \"Too risky for peak season.\"
  kb review reply 7XK2M9Q -m \"Agreed: staged rollout.\"
  kb review resolve 7XK2M9Q
  kb review reopen 7XK2M9Q -m \"Still happens on mobile.\"
  kb review edit 7XK2M9Q -m \"Agreed: staged rollout, 10% first.\"
  kb review retract 7XK2M9Q
  kb review reanchor 7XK2M9Q --section Rollout
  kb review approve SPEC-0002
  kb review request-changes SPEC-0002 -m \"Needs a rollback plan.\"
  kb review list --state open
  kb review show specs/checkout-redesign.md
  kb review status")]
pub struct ReviewArgs {
    #[command(subcommand)]
    pub action: ReviewAction,

    /// Output format
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
}

/// Where a new comment points: a quote, a line, or a section.
#[derive(Debug, Clone, clap::Args)]
#[group(required = true, multiple = false)]
pub struct Place {
    /// Text of the doc the comment is about (must appear exactly once)
    #[arg(long, value_name = "TEXT")]
    pub quote: Option<String>,

    /// A line of the doc (1-based, front-matter included)
    #[arg(long, value_name = "N")]
    pub line: Option<usize>,

    /// A section, by its heading
    #[arg(long, value_name = "HEADING")]
    pub section: Option<String>,
}

impl Place {
    fn to_place(&self) -> select::Place {
        match (&self.quote, self.line, &self.section) {
            (Some(quote), _, _) => select::Place::Quote(quote.clone()),
            (_, Some(line), _) => select::Place::Line(line),
            (_, _, section) => select::Place::Section(section.clone().unwrap_or_default()),
        }
    }
}

/// Which threads `kb review list` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StateArg {
    Open,
    Resolved,
    /// Open threads whose passage is gone from the doc
    Orphaned,
    All,
}

#[derive(Debug, Clone, clap::Args)]
pub struct Written {
    /// The comment (default: written in $VISUAL or $EDITOR)
    #[arg(short, long, value_name = "TEXT")]
    pub message: Option<String>,

    /// Commit the new event file with your git identity
    #[arg(long)]
    pub commit: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum ReviewAction {
    /// Start a thread on a passage of a doc
    Add {
        /// A path, id or title prefix
        doc: String,
        #[command(flatten)]
        place: Place,
        #[command(flatten)]
        written: Written,
    },
    /// Reply in a thread
    Reply {
        thread: String,
        #[command(flatten)]
        written: Written,
    },
    /// Mark a thread resolved
    Resolve {
        thread: String,
        #[command(flatten)]
        written: Written,
    },
    /// Reopen a resolved thread
    Reopen {
        thread: String,
        #[command(flatten)]
        written: Written,
    },
    /// Replace the text of your latest comment in a thread
    Edit {
        thread: String,
        #[command(flatten)]
        written: Written,
    },
    /// Withdraw your latest comment in a thread (your first one withdraws the thread)
    Retract {
        thread: String,
        /// Commit the new event file with your git identity
        #[arg(long)]
        commit: bool,
    },
    /// Point a thread at a new passage, after the doc changed
    Reanchor {
        thread: String,
        #[command(flatten)]
        place: Place,
        /// Commit the new event file with your git identity
        #[arg(long)]
        commit: bool,
    },
    /// Approve a doc as it is now
    Approve {
        doc: String,
        #[command(flatten)]
        written: Written,
    },
    /// Ask for changes before approving
    RequestChanges {
        doc: String,
        #[command(flatten)]
        written: Written,
    },
    /// List threads: open, resolved or orphaned, by author or doc
    List {
        /// Which threads to list
        #[arg(long, value_enum, default_value_t = StateArg::Open)]
        state: StateArg,
        #[arg(long, value_name = "HANDLE")]
        author: Option<String>,
        #[arg(long, value_name = "DOC")]
        doc: Option<String>,
    },
    /// Print a doc with each thread after the passage it is about (--format critic: CriticMarkup)
    Show {
        doc: String,
        /// Include resolved threads
        #[arg(long)]
        all: bool,
        /// Print CriticMarkup instead
        #[arg(long)]
        critic: bool,
    },
    /// What each doc under review waits on, per reviewer
    Status {
        /// Only these docs (default: every doc with `review:` in its front-matter)
        docs: Vec<String>,
    },
}

pub fn run(ctx: &Ctx, args: ReviewArgs) -> Result<Outcome> {
    match args.action {
        ReviewAction::Add {
            doc,
            place,
            written,
        } => add(ctx, args.format, &doc, &place, written),
        ReviewAction::Reply { thread, written } => {
            follow_up(ctx, args.format, &thread, Action::Comment, written)
        }
        ReviewAction::Resolve { thread, written } => {
            follow_up(ctx, args.format, &thread, Action::Resolve, written)
        }
        ReviewAction::Reopen { thread, written } => {
            follow_up(ctx, args.format, &thread, Action::Reopen, written)
        }
        ReviewAction::Edit { thread, written } => {
            follow_up(ctx, args.format, &thread, Action::Edit, written)
        }
        ReviewAction::Retract { thread, commit } => follow_up(
            ctx,
            args.format,
            &thread,
            Action::Retract,
            Written {
                message: Some(String::new()),
                commit,
            },
        ),
        ReviewAction::Reanchor {
            thread,
            place,
            commit,
        } => reanchor(ctx, args.format, &thread, &place, commit),
        ReviewAction::Approve { doc, written } => {
            verdict(ctx, args.format, &doc, Action::Approve, written)
        }
        ReviewAction::RequestChanges { doc, written } => {
            verdict(ctx, args.format, &doc, Action::RequestChanges, written)
        }
        ReviewAction::List { state, author, doc } => {
            list(ctx, args.format, state, author.as_deref(), doc.as_deref())
        }
        ReviewAction::Show { doc, all, critic } => show_doc(ctx, args.format, &doc, all, critic),
        ReviewAction::Status { docs } => status(ctx, args.format, &docs),
    }
}

fn read_doc(ctx: &Ctx, query: &str) -> Result<Source> {
    let path = ctx.kb.resolve(&ctx.cwd, query)?;
    ctx.kb.read(path).map_err(Error::Doc)
}

/// The message from -m, else from the editor; `required` refuses an empty one.
fn message(written: &Written, required: bool) -> Result<String> {
    let text = match &written.message {
        Some(m) => m.clone(),
        None if required => super::editor::compose("a comment without -m")?,
        None => String::new(),
    };
    if required && text.trim().is_empty() {
        return Err(Error::usage_with_hint(
            "the comment is empty",
            "write it with -m \"...\"",
        ));
    }
    Ok(text)
}

fn add(
    ctx: &Ctx,
    chosen: Option<Format>,
    doc: &str,
    place: &Place,
    written: Written,
) -> Result<Outcome> {
    let source = read_doc(ctx, doc)?;
    let blob = review::blob_id(source.text.as_bytes());
    let anchor = select::capture(&source, &place.to_place(), &blob)?;
    let body = message(&written, true)?;
    let event = NewEvent {
        thread: None,
        action: Action::Comment,
        doc: source.doc.path.clone(),
        anchor: Some(anchor),
        target: None,
        blob: None,
        author: ctx.author("sign the comment")?,
        body,
    };
    write(
        ctx,
        chosen,
        None,
        event,
        written.commit,
        "Started thread {thread} on {doc}",
    )
}

fn load_threads(ctx: &Ctx) -> Reviews {
    let reviews = review::load(&ctx.kb);
    diagnostic::print_review_problems(diagnostic::Severity::Error, &reviews.problems);
    reviews
}

fn follow_up(
    ctx: &Ctx,
    chosen: Option<Format>,
    query: &str,
    action: Action,
    written: Written,
) -> Result<Outcome> {
    let reviews = load_threads(ctx);
    let thread = review::find_thread(&reviews.threads, query)?;
    let me = ctx.author("sign the comment")?;
    let target = match action {
        Action::Edit | Action::Retract => Some(select::own_last_comment(thread, &me, action)?),
        _ => None,
    };
    let required = matches!(action, Action::Comment | Action::Edit);
    let event = NewEvent {
        thread: Some(thread.id.clone()),
        action,
        doc: thread.doc.clone(),
        anchor: None,
        target,
        blob: None,
        author: me,
        body: message(&written, required)?,
    };
    let verb = match action {
        Action::Comment => "Replied in thread {thread} on {doc}",
        Action::Resolve => "Resolved thread {thread} on {doc}",
        Action::Reopen => "Reopened thread {thread} on {doc}",
        Action::Edit => "Edited your comment in thread {thread} on {doc}",
        _ => "Retracted your comment in thread {thread} on {doc}",
    };
    write(ctx, chosen, Some(thread), event, written.commit, verb)
}

fn reanchor(
    ctx: &Ctx,
    chosen: Option<Format>,
    query: &str,
    place: &Place,
    commit: bool,
) -> Result<Outcome> {
    let reviews = load_threads(ctx);
    let thread = review::find_thread(&reviews.threads, query)?;
    let source = ctx.kb.read(thread.doc.clone()).map_err(Error::Doc)?;
    let blob = review::blob_id(source.text.as_bytes());
    let anchor = select::capture(&source, &place.to_place(), &blob)?;
    let event = NewEvent {
        thread: Some(thread.id.clone()),
        action: Action::Reanchor,
        doc: thread.doc.clone(),
        anchor: Some(anchor),
        target: None,
        blob: None,
        author: ctx.author("sign the comment")?,
        body: String::new(),
    };
    write(
        ctx,
        chosen,
        Some(thread),
        event,
        commit,
        "Re-anchored thread {thread} on {doc}",
    )
}

fn verdict(
    ctx: &Ctx,
    chosen: Option<Format>,
    doc: &str,
    action: Action,
    written: Written,
) -> Result<Outcome> {
    let source = read_doc(ctx, doc)?;
    let event = NewEvent {
        thread: None,
        action,
        doc: source.doc.path.clone(),
        anchor: None,
        target: None,
        blob: Some(review::blob_id(source.text.as_bytes())),
        author: ctx.author("sign the comment")?,
        body: message(&written, action == Action::RequestChanges)?,
    };
    let verb = if action == Action::Approve {
        "Approved {doc}"
    } else {
        "Requested changes on {doc}"
    };
    let outsider = not_a_reviewer(&source.doc, &event.author);
    let outcome = write(ctx, chosen, None, event, written.commit, verb)?;
    if let Some(note) = outsider {
        diagnostic::print_problem(diagnostic::Severity::Warning, &note, None, None);
    }
    Ok(outcome)
}

/// Why `author`'s verdict on `doc` will not count toward its review, when it will not: the doc
/// names its reviewers, and `author` is not one. The verdict is kept (a reviewer may be added
/// later), but saying nothing would leave the author thinking the review moved.
fn not_a_reviewer(doc: &kb::doc::Document, author: &str) -> Option<String> {
    let request = review::status::request(doc)?;
    let key = kb::people::key(author);
    if request.reviewers.is_empty() || request.reviewers.iter().any(|r| kb::people::key(r) == key) {
        return None;
    }
    Some(format!(
        "{author} is not among the reviewers of {} ({}): the verdict is recorded, and counts \
         once review.reviewers names {author}",
        doc.path,
        request.reviewers.join(", ")
    ))
}

/// Writes the event; `done` says what happened, with `{thread}` and `{doc}` filled in.
fn write(
    ctx: &Ctx,
    chosen: Option<Format>,
    thread: Option<&Thread>,
    event: NewEvent,
    commit: bool,
    done: &str,
) -> Result<Outcome> {
    let format = ctx.format("review", chosen)?;
    let doc = event.doc.clone();
    if commit {
        // Checked before the event is written, so `--commit` outside git leaves nothing behind.
        git::ensure_repository(&ctx.kb.root)?;
    }
    let (id, path) = review::write_event(&ctx.kb, thread, event)?;
    let thread_id = thread.map_or(id.clone(), |t| t.id.clone());
    let sentence = done
        .replace("{thread}", review::short(&thread_id))
        .replace("{doc}", &doc);
    let commit_id = match commit {
        true => Some(git::commit_file(
            &ctx.kb.root,
            &path,
            &format!("Review: {sentence}"),
        )?),
        false => None,
    };
    let written = view::EventWritten {
        schema_version: 1,
        thread: thread_id,
        event: id,
        path,
        doc,
        commit: commit_id,
        sentence,
    };
    match format {
        Format::Json => print_json(&written)?,
        Format::Text => print(&view::written(&written))?,
    }
    Ok(Outcome::Clean)
}

/// The threads as shown, with where each anchor is now.
fn views(
    located: Vec<(Thread, Option<anchor::Located>)>,
) -> Vec<(view::ThreadView, Option<anchor::Located>)> {
    located
        .into_iter()
        .map(|(t, l)| (view::ThreadView::new(&t, l.as_ref()), l))
        .collect()
}

fn list(
    ctx: &Ctx,
    chosen: Option<Format>,
    state: StateArg,
    author: Option<&str>,
    doc: Option<&str>,
) -> Result<Outcome> {
    let format = ctx.format("review list", chosen)?;
    let doc_path = doc.map(|d| ctx.kb.resolve(&ctx.cwd, d)).transpose()?;
    let reviews = load_threads(ctx);
    let problems = problems_outcome(&reviews.problems);
    let state = match state {
        StateArg::Open => ListState::Open,
        StateArg::Resolved => ListState::Resolved,
        StateArg::Orphaned => ListState::Orphaned,
        StateArg::All => ListState::All,
    };
    let threads = select::list(&ctx.kb, reviews, state, author, doc_path.as_deref());
    let views: Vec<view::ThreadView> = views(threads).into_iter().map(|(v, _)| v).collect();
    // A query that matches nothing exits 1, as `kb ls` and `kb search` do.
    let nothing = views.is_empty();
    match format {
        Format::Json => print_json(&view::ThreadList {
            schema_version: 1,
            threads: views,
        })?,
        _ => print(&view::list(&views))?,
    }
    match nothing {
        true => Ok(Outcome::Problems),
        false => Ok(problems),
    }
}

fn problems_outcome(problems: &[review::ReviewProblem]) -> Outcome {
    match problems.is_empty() {
        true => Outcome::Clean,
        false => Outcome::Problems,
    }
}

fn show_doc(
    ctx: &Ctx,
    chosen: Option<Format>,
    doc: &str,
    all: bool,
    critic: bool,
) -> Result<Outcome> {
    let format = ctx.format("review show", chosen)?;
    let source = read_doc(ctx, doc)?;
    let reviews = load_threads(ctx);
    let problems = problems_outcome(&reviews.problems);
    let located = views(select::on_doc(&ctx.kb, reviews, &source.doc.path, all));
    if format == Format::Json {
        print_json(&view::ThreadList {
            schema_version: 1,
            threads: located.into_iter().map(|(v, _)| v).collect(),
        })?;
    } else if critic {
        let placed: Vec<_> = located
            .into_iter()
            .map(|(v, l)| (v, l.and_then(|l| l.range)))
            .collect();
        print(&view::critic(source.body(), &placed))?;
    } else {
        print(&annotated(&source, located))?;
    }
    Ok(problems)
}

/// The doc's body with its threads inline, for `kb review show` and `kb show --comments`.
pub fn annotated(
    source: &Source,
    located: Vec<(view::ThreadView, Option<anchor::Located>)>,
) -> String {
    let placed: Vec<_> = located
        .into_iter()
        .map(|(v, l)| (v, l.and_then(|l| l.line)))
        .collect();
    view::annotated(source.body(), source.doc.body_line, &placed)
}

/// Open threads of one doc with where they are now.
pub fn open_threads(ctx: &Ctx, doc: &str) -> Vec<(view::ThreadView, Option<anchor::Located>)> {
    views(select::on_doc(&ctx.kb, load_threads(ctx), doc, false))
}

fn status(ctx: &Ctx, chosen: Option<Format>, only: &[String]) -> Result<Outcome> {
    let format = ctx.format("review status", chosen)?;
    let wanted: Vec<String> = only
        .iter()
        .map(|d| ctx.kb.resolve(&ctx.cwd, d))
        .collect::<Result<_>>()?;
    let reviews = load_threads(ctx);
    let docs = select::statuses(&ctx.kb, &reviews, &wanted, ctx.kb.config.today)?;
    match format {
        Format::Json => print_json(&view::StatusList {
            schema_version: 1,
            docs,
        })?,
        _ => print(&view::status(&docs))?,
    }
    Ok(problems_outcome(&reviews.problems))
}
