//! Errors and warnings as people read them, in the form DESIGN §10 fixes:
//! `error: <what>`, then `  --> path:line`, then `hint: <what to do>`.

use super::{paint, ACCENT, BOLD, ERROR, WARNING};
use crate::error::{DocError, Error};
use std::io::Write;

/// The one severity of kb, owned by the core (a finding of `kb check` has one too).
pub use crate::check::Severity;

/// One diagnostic block, newline-terminated.
pub fn block(
    severity: Severity,
    message: &str,
    location: Option<&str>,
    hint: Option<&str>,
) -> String {
    let label = match severity {
        Severity::Error => paint(ERROR, "error"),
        Severity::Warning => paint(WARNING, "warning"),
    };
    let mut out = format!("{label}{} {message}\n", paint(BOLD, ":"));
    if let Some(location) = location {
        out.push_str(&format!("  {} {location}\n", paint(ACCENT, "-->")));
    }
    if let Some(hint) = hint {
        out.push_str(&format!("{}: {hint}\n", paint(ACCENT, "hint")));
    }
    out
}

pub fn doc_error(severity: Severity, e: &DocError) -> String {
    block(severity, &e.message, Some(&e.location()), Some(&e.hint()))
}

/// Prints the error that ended a command to stderr.
pub fn print_error(e: &Error) {
    if let Error::DocNotFound { unreadable, .. } = e {
        if !unreadable.is_empty() {
            eprintln!(
                "{} docs could not be read; one of them may be the one you want:",
                unreadable.len()
            );
            print_doc_errors(unreadable);
        }
    }
    let text = block(
        Severity::Error,
        &e.to_string(),
        e.location().as_deref(),
        e.hint().as_deref(),
    );
    let _ = anstream::stderr().write_all(text.as_bytes());
}

/// Prints the docs that could not be read, so the user knows what a listing left out.
pub fn print_doc_errors(errors: &[DocError]) {
    let mut stderr = anstream::stderr().lock();
    for e in errors {
        let severity = match e.kind.is_warning() {
            true => Severity::Warning,
            false => Severity::Error,
        };
        let _ = stderr.write_all(doc_error(severity, e).as_bytes());
    }
}

/// Prints a problem with one file (a goal, a review event) to stderr.
pub fn print_problem(severity: Severity, message: &str, path: Option<&str>, hint: Option<&str>) {
    let _ = anstream::stderr().write_all(block(severity, message, path, hint).as_bytes());
}

/// Prints the goal and check-in files that could not be used, each with what to do.
pub fn print_goal_problems(severity: Severity, problems: &[crate::goals::GoalProblem]) {
    let hint = Some("fix the front-matter of this goal or check-in");
    for p in problems {
        print_problem(severity, &p.message, Some(&p.path), hint);
    }
}

/// Prints the review event files that could not be used, each with what to do.
pub fn print_review_problems(severity: Severity, problems: &[crate::review::ReviewProblem]) {
    let hint = Some("fix or delete this review event file");
    for p in problems {
        print_problem(severity, &p.message, Some(&p.path), hint);
    }
}
