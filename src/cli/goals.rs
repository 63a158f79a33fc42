//! `kb goals tree|report|checkin`: goal rollups for people and CI, and twice-weekly check-ins.

use super::{print, print_json, Ctx, Outcome, TextOrJson};
use chrono::NaiveDate;
use clap::ValueEnum;
use kb::error::{Error, Result};
use kb::goals::checkin::{self, Update};
use kb::goals::compare;
use kb::goals::period::Period;
use kb::goals::rollup::{self, Alarm, Report, Selection, Settings};
use kb::goals::{self, GoalData};
use kb::render::{diagnostic, goals as view};

/// Goals: the tree, reports for CI, check-ins
#[derive(Debug, clap::Args)]
pub struct GoalsArgs {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    Tree(TreeArgs),
    Report(ReportArgs),
    Checkin(CheckinArgs),
}

/// Which goals, at which date.
#[derive(Debug, Clone, clap::Args)]
pub struct Scope {
    /// Only goals whose period overlaps this one: 2026, 2026-Q4, 2026-11, 2026-W48, FY2027-Q2
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,

    /// Compute as of this date (default: today, or KB_NOW): replays check-ins up to it
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    /// Only goals owned by this handle
    #[arg(long = "owner", value_name = "HANDLE", value_delimiter = ',')]
    pub owners: Vec<String>,

    /// Only goals of this level
    #[arg(
        long = "level",
        value_name = "LEVEL",
        value_enum,
        value_delimiter = ','
    )]
    pub levels: Vec<Level>,
}

/// A goal's level (DESIGN §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    Company,
    Division,
    Manager,
    Individual,
}

/// Show the goal tree with progress, status and staleness
///
/// Scores roll up from key results and child goals; the status compares the score with the
/// share of the period elapsed. Filters only choose which goals are shown: a Q4 view still
/// rolls an annual goal up from all its children.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  kb goals tree\n  kb goals tree --period 2026-Q4 --owner dana\n  kb goals tree --as-of 2026-11-01"
)]
pub struct TreeArgs {
    #[command(flatten)]
    pub scope: Scope,

    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<TextOrJson>,
}

/// A goal report for managers and CI: counts, what needs attention, the tree
///
/// Markdown (the default) reads well in a terminal and in a CI job summary; JSON has a
/// versioned schema; HTML is one self-contained page. Exit 1 when --fail-on matches, when
/// goal docs cannot be read, or when parent links form a cycle.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb goals report --period 2026-Q4
  kb goals report --period 2026-Q4 --format md >> \"$GITHUB_STEP_SUMMARY\"
  kb goals report --fail-on off-track,stale
  kb goals report --format html > goals.html
  kb goals report --compare HEAD~10 --level division")]
pub struct ReportArgs {
    #[command(flatten)]
    pub scope: Scope,

    /// Exit 1 if any listed goal is in one of these states
    #[arg(long, value_name = "STATES", value_enum, value_delimiter = ',')]
    pub fail_on: Vec<FailOn>,

    /// Show each goal's movement since this git revision (a commit, tag or branch)
    #[arg(long, value_name = "REV")]
    pub compare: Option<String>,

    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
}

/// Record today's check-in on a goal: key result values, status, confidence, a note
///
/// Writes goals/checkins/<year>/<date>-<you>.md, or adds to it if you already checked in
/// today, so check-ins by different people never touch the same file.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb goals checkin eng-2026-q4-reliability --kr p99=910 --status at-risk --confidence 0.6 -m \"Pool fix shipped; p99 down 12%.\"
  kb goals checkin lena-2026-11-idempotency --kr keys=true -m \"Done.\"")]
pub struct CheckinArgs {
    /// The goal's id
    #[arg(value_name = "GOAL")]
    pub goal: String,

    /// A key result's current value (repeatable): a number, or true/false
    #[arg(long = "kr", value_name = "ID=VALUE", value_parser = parse_kr)]
    pub key_results: Vec<(String, String)>,

    /// Your read of the goal: on-track, at-risk or off-track
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,

    /// How likely the goal is to succeed, 0 to 1
    #[arg(long, value_name = "0..1")]
    pub confidence: Option<f64>,

    /// What moved, what is blocked, what is next
    #[arg(short, long, value_name = "TEXT")]
    pub message: Option<String>,

    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<TextOrJson>,
}

fn parse_kr(arg: &str) -> std::result::Result<(String, String), String> {
    match arg.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
            Ok((k.trim().to_string(), v.trim().to_string()))
        }
        _ => Err(format!("expected ID=VALUE, got {arg:?}")),
    }
}

/// The states `--fail-on` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    OffTrack,
    AtRisk,
    Stale,
    Missed,
}

impl From<FailOn> for Alarm {
    fn from(f: FailOn) -> Alarm {
        match f {
            FailOn::OffTrack => Alarm::OffTrack,
            FailOn::AtRisk => Alarm::AtRisk,
            FailOn::Stale => Alarm::Stale,
            FailOn::Missed => Alarm::Missed,
        }
    }
}

/// `--format` of `kb goals report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// GitHub-flavoured Markdown (reads well in a terminal and a CI job summary)
    #[value(alias = "markdown")]
    Md,
    /// JSON with a versioned schema, for scripts
    Json,
    /// One self-contained HTML page
    Html,
}

pub fn run(ctx: &Ctx, args: GoalsArgs) -> Result<Outcome> {
    match args.action {
        Action::Tree(a) => tree(ctx, a),
        Action::Report(a) => report(ctx, a),
        Action::Checkin(a) => checkin(ctx, a),
    }
}

fn tree(ctx: &Ctx, args: TreeArgs) -> Result<Outcome> {
    let format = ctx.format("goals tree", args.format)?;
    let (report, data) = compute(ctx, &args.scope)?;
    match format {
        TextOrJson::Json => print_json(&report)?,
        TextOrJson::Text => print(&view::tree(&report))?,
    }
    Ok(problems_outcome(&report, &data))
}

fn report(ctx: &Ctx, args: ReportArgs) -> Result<Outcome> {
    let format = ctx.format("goals report", args.format)?;
    let (mut report, data) = compute(ctx, &args.scope)?;
    if let Some(rev) = &args.compare {
        let (settings, selection) = scope(ctx, &args.scope)?;
        compare::previous_scores(&ctx.kb, rev, &settings, &selection, &mut report)?;
    }
    match format {
        ReportFormat::Json => print_json(&report)?,
        ReportFormat::Html => {
            print(
                &view::html(&report, &ctx.kb.config.name).map_err(|e| Error::Template {
                    file: "src/render/goals_report.html (built-in)".into(),
                    line: e.line(),
                    message: e.to_string(),
                })?,
            )?
        }
        ReportFormat::Md => print(&view::markdown(&report))?,
    }
    let alarms: Vec<Alarm> = args.fail_on.iter().map(|&f| f.into()).collect();
    let failed = report.failing(&alarms);
    if !failed.is_empty() {
        let names: Vec<&str> = alarms.iter().map(|a| a.name()).collect();
        eprintln!(
            "--fail-on {} matched {} goal(s): {}",
            names.join(","),
            failed.len(),
            failed.join(", ")
        );
        return Ok(Outcome::Problems);
    }
    Ok(problems_outcome(&report, &data))
}

/// Loads goals and check-ins, reports what could not be read, and rolls up.
fn compute(ctx: &Ctx, wanted: &Scope) -> Result<(Report, GoalData)> {
    let data = goals::load(&ctx.kb);
    diagnostic::print_doc_errors(&data.doc_errors);
    diagnostic::print_goal_problems(diagnostic::Severity::Error, &data.problems);
    let (settings, selection) = scope(ctx, wanted)?;
    let report = rollup::rollup(&data.goals, &data.checkins, &settings, &selection);
    print_cycles(&report, &data);
    let cycles: Vec<String> = report.cycles.iter().map(rollup::Cycle::message).collect();
    for w in report.warnings.iter().filter(|w| !cycles.contains(w)) {
        diagnostic::print_problem(diagnostic::Severity::Warning, w, None, None);
    }
    Ok((report, data))
}

/// Each cycle through a listed goal as an error (rule 10), at the first goal's file; the report
/// itself goes on without them.
fn print_cycles(report: &Report, data: &GoalData) {
    for cycle in &report.cycles {
        let error = Error::GoalCycle {
            goals: cycle.0.clone(),
        };
        let path = cycle
            .0
            .first()
            .and_then(|id| data.goals.iter().find(|g| &g.id == id))
            .map(|g| g.path.as_str());
        let message = format!("{error}; left out of the report");
        let hint = error.hint();
        diagnostic::print_problem(diagnostic::Severity::Error, &message, path, hint.as_deref());
    }
}

/// The settings and selection `scope` asks for.
fn scope(ctx: &Ctx, scope: &Scope) -> Result<(Settings, Selection)> {
    let config = &ctx.kb.config;
    let as_of = match &scope.as_of {
        Some(d) => parse_date(d)?,
        None => config.today,
    };
    let period = scope
        .period
        .as_deref()
        .map(|p| Period::parse(p, config.goals.fiscal_year_start))
        .transpose()
        .map_err(|e| Error::usage_with_hint(e, "e.g. --period 2026-Q4"))?;
    let selection = Selection {
        period,
        owners: scope.owners.clone(),
        levels: scope
            .levels
            .iter()
            .filter_map(|l| l.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect(),
    };
    Ok((Settings::new(&config.goals, as_of), selection))
}

fn problems_outcome(report: &Report, data: &GoalData) -> Outcome {
    let clean = report.cycles.is_empty() && data.problems.is_empty();
    match clean && data.doc_errors.is_empty() {
        true => Outcome::Clean,
        false => Outcome::Problems,
    }
}

fn parse_date(text: &str) -> Result<NaiveDate> {
    kb::date::parse(text).ok_or_else(|| {
        Error::usage_with_hint(
            format!("{text:?} is not a date"),
            "write a date like 2026-11-25",
        )
    })
}

fn checkin(ctx: &Ctx, args: CheckinArgs) -> Result<Outcome> {
    let format = ctx.format("goals checkin", args.format)?;
    let author = ctx.author("name the check-in")?;
    let data = goals::load(&ctx.kb);
    let update = Update {
        goal: args.goal,
        key_results: args.key_results,
        status: args.status,
        confidence: args.confidence,
        message: args.message,
    };
    if update.key_results.is_empty()
        && update.status.is_none()
        && update.confidence.is_none()
        && update.message.is_none()
    {
        return Err(Error::usage_with_hint(
            "nothing to check in",
            "give --kr ID=VALUE, --status, --confidence or -m TEXT",
        ));
    }
    let planned = checkin::record(&ctx.kb, &data.goals, &author, ctx.kb.config.today, &update)?;
    let written = view::CheckinWritten {
        schema_version: 1,
        path: planned.path,
        goal: update.goal,
        created: planned.created,
    };
    match format {
        TextOrJson::Json => print_json(&written)?,
        TextOrJson::Text => print(&view::checkin_written(&written))?,
    }
    Ok(Outcome::Clean)
}
