//! `kb metrics`: the scoreboard; `kb metrics record ID VALUE` writes a reading.

use super::{print, print_json, Ctx, Outcome, TextOrJson};
use kb::error::{Error, Result};
use kb::render::{diagnostic, metrics as view};

/// The metrics scoreboard: latest values, change, target status, staleness, trend
///
/// A metric is a doc with `type: metric` (`direction: up|down`, `target:`, `unit:`, `cadence:
/// weekly|monthly|14d`); its values are readings, one file per author per day under
/// metrics/readings/<year>/, written by `kb metrics record`. A metric is stale when it has no
/// reading within its cadence. A report: exits 0 whatever the numbers say.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb metrics
  kb metrics --format md >> \"$GITHUB_STEP_SUMMARY\"
  kb metrics --format html > metrics.html
  kb metrics record p99-api-latency 412 -m \"Pool fix shipped\"
  kb metrics record mrr 958000 --date 2026-11-23

A goal's key result takes its values from a metric's readings with `metric: ID`:
  key_results:
    - {id: p99, kind: metric, start: 1200, target: 400, metric: p99-api-latency}")]
pub struct MetricsArgs {
    #[command(subcommand)]
    pub action: Option<Action>,

    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Record a metric's value: writes metrics/readings/<year>/<date>-<you>.md, or adds to it
    Record {
        /// The metric's id (its `id:`, else its file name)
        #[arg(value_name = "ID")]
        metric: String,
        /// The value, a number
        #[arg(value_name = "VALUE", allow_hyphen_values = true)]
        value: String,
        /// The day the value is for (default: today, or KB_NOW)
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// What moved it
        #[arg(short, long, value_name = "TEXT")]
        message: Option<String>,
        /// Output format
        #[arg(long, value_enum)]
        format: Option<TextOrJson>,
    },
}

/// `--format` of `kb metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns with Unicode sparklines
    Text,
    /// GitHub-flavoured Markdown (a CI job summary, a wiki page)
    #[value(alias = "markdown")]
    Md,
    /// JSON with a versioned schema, for scripts
    Json,
    /// One self-contained HTML page with SVG sparklines
    Html,
}

pub fn run(ctx: &Ctx, args: MetricsArgs) -> Result<Outcome> {
    match args.action {
        Some(Action::Record {
            metric,
            value,
            date,
            message,
            format,
        }) => record(
            ctx,
            &metric,
            &value,
            date.as_deref(),
            message.as_deref(),
            format,
        ),
        None => board(ctx, args.format),
    }
}

fn board(ctx: &Ctx, chosen: Option<Format>) -> Result<Outcome> {
    let format = ctx.format("metrics", chosen)?;
    let data = kb::metrics::load(&ctx.kb);
    diagnostic::print_doc_errors(&data.doc_errors);
    for p in &data.problems {
        diagnostic::print_problem(
            diagnostic::Severity::Warning,
            &p.message,
            Some(&p.path),
            None,
        );
    }
    let board = kb::metrics::scoreboard(&data, ctx.kb.config.today);
    match format {
        Format::Json => print_json(&board)?,
        Format::Md => print(&view::markdown(&board))?,
        Format::Text => print(&view::text(&board))?,
        Format::Html => {
            print(
                &view::html(&board, &ctx.kb.config.name).map_err(|e| Error::Template {
                    file: "src/render/metrics.html (built-in)".into(),
                    line: e.line(),
                    message: e.to_string(),
                })?,
            )?
        }
    }
    Ok(Outcome::Clean)
}

fn record(
    ctx: &Ctx,
    metric: &str,
    value: &str,
    date: Option<&str>,
    message: Option<&str>,
    chosen: Option<TextOrJson>,
) -> Result<Outcome> {
    let format = ctx.format("metrics record", chosen)?;
    let date = match date {
        Some(text) => kb::date::parse(text).ok_or_else(|| {
            Error::usage_with_hint(
                format!("--date {text:?} is not a date"),
                "write a date like 2026-11-25",
            )
        })?,
        None => ctx.kb.config.today,
    };
    let author = ctx.author("name the reading")?;
    let recorded = kb::metrics::record(&ctx.kb, metric, value, &author, date, message)?;
    match format {
        TextOrJson::Json => print_json(&recorded)?,
        TextOrJson::Text => print(&view::recorded(&recorded))?,
    }
    Ok(Outcome::Clean)
}
