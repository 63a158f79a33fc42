//! What waits on whom (DESIGN §15): every async duty of one person, or of everyone, gathered
//! from what other commands already know: review requests and threads (`review`), goals without
//! a recent check-in (`goals::rollup`), docs overdue for their owner's review (`stale`), open RCA
//! action items (the action table's owner, due and status columns) and meetings within a week
//! whose attendees have not yet read the pre-read. The docs' metadata comes through the doc
//! cache, and the action rows of RCAs through a cache of their own (`actions.bin`): a warm
//! inbox reads no body but those that changed. The few docs an item points into are read again
//! for its line.

use crate::check::tables;
use crate::doc::{frontmatter, scalar_string, Document};
use crate::error::DocError;
use crate::kb::Kb;
use crate::people::key;
use crate::review::{self, Action, Thread, ThreadState};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// How far ahead a meeting's pre-read shows up, in days.
pub const PRE_READ_DAYS: i64 = 7;

/// The kinds of duty, in the words of DESIGN §15.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    ReviewRequested,
    ReviewStale,
    ReplyNeeded,
    ChangesRequested,
    CheckinDue,
    DocStale,
    ActionItem,
    PreRead,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::ReviewRequested,
        Kind::ReviewStale,
        Kind::ReplyNeeded,
        Kind::ChangesRequested,
        Kind::CheckinDue,
        Kind::DocStale,
        Kind::ActionItem,
        Kind::PreRead,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::ReviewRequested => "review-requested",
            Kind::ReviewStale => "review-stale",
            Kind::ReplyNeeded => "reply-needed",
            Kind::ChangesRequested => "changes-requested",
            Kind::CheckinDue => "checkin-due",
            Kind::DocStale => "doc-stale",
            Kind::ActionItem => "action-item",
            Kind::PreRead => "pre-read",
        }
    }
}

/// One duty: what, whose, where, and how urgent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub kind: Kind,
    /// The person it waits on, as their docs write the handle.
    pub handle: String,
    pub path: String,
    /// 1-based line of the file, front-matter included.
    pub line: usize,
    /// The doc's title.
    pub title: String,
    pub due: Option<NaiveDate>,
    /// Days since it started waiting, when known.
    pub age_days: Option<i64>,
    /// Why it waits on the person, in one line.
    pub detail: String,
}

impl Item {
    /// The sort key: overdue first (most overdue first), then due soonest, then oldest.
    fn urgency(&self, today: NaiveDate) -> (u8, i64) {
        match self.due {
            Some(d) if d < today => (0, (d - today).num_days()),
            Some(d) => (1, (d - today).num_days()),
            None => (2, -self.age_days.unwrap_or(0)),
        }
    }
}

/// Sorts items most urgent first (see [`Item::urgency`]), then by path and line.
pub fn sort(items: &mut [Item], today: NaiveDate) {
    items.sort_by(|a, b| {
        a.urgency(today)
            .cmp(&b.urgency(today))
            .then_with(|| a.path.cmp(&b.path))
            .then_with(|| a.line.cmp(&b.line))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| key(&a.handle).cmp(&key(&b.handle)))
    });
}

/// Everyone's duties (or one person's), sorted, and what could not be read.
#[derive(Debug, Default)]
pub struct Inbox {
    pub items: Vec<Item>,
    /// Docs that could not be read (they are left out).
    pub errors: Vec<DocError>,
    /// What the report lacks, for stderr: no git history, a review file that cannot be read.
    pub notes: Vec<String>,
    /// The handle asked for is not in people/ (which is not empty): a typo, most likely.
    pub unknown_handle: bool,
}

/// An open row of an RCA's action table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ActionRow {
    pub line: usize,
    pub action: String,
    pub owners: Vec<String>,
    pub due: Option<NaiveDate>,
}

/// The open action items of an RCA body (first line `first_line`): rows of a table with an
/// Owner column, whose Status column (if any) does not say done, closed, cancelled or dropped,
/// and whose action is not a placeholder in italics (`kb new rca` writes three, with the
/// author as owner and today as due date, to be replaced).
pub fn action_rows(body: &str, first_line: usize) -> Vec<ActionRow> {
    let mut out = Vec::new();
    for table in tables::tables(body, first_line) {
        let column = |names: &[&str]| {
            table
                .header
                .iter()
                .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
        };
        let Some(owner) = column(&["owner", "owners", "who"]) else {
            continue;
        };
        let action = column(&["action", "action item", "item", "what"]).unwrap_or(0);
        let due = column(&["due", "due date", "deadline", "by"]);
        let status = column(&["status", "state", "done"]);
        for row in &table.rows {
            let cell = |i: Option<usize>| i.and_then(|i| row.cells.get(i)).map_or("", |c| c);
            if is_closed(cell(status)) || is_placeholder(cell(Some(action))) {
                continue;
            }
            let owners = owners_in(cell(Some(owner)));
            if owners.is_empty() {
                continue;
            }
            out.push(ActionRow {
                line: row.line,
                action: plain(cell(Some(action))),
                owners,
                due: crate::date::parse(cell(due).trim_matches(['*', '_', ' '])),
            });
        }
    }
    out
}

fn is_closed(status: &str) -> bool {
    let s = status.trim_matches(['*', '_', ' ', '~']).to_lowercase();
    [
        "done", "closed", "complete", "fixed", "cancel", "dropped", "won't", "wontfix", "yes",
        "✅", "[x]",
    ]
    .iter()
    .any(|w| s.starts_with(w))
}

/// Whether a cell is one run of italics and nothing else, as a template's example text is
/// written (`_Prevent: ..._`).
fn is_placeholder(cell: &str) -> bool {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let events: Vec<Event> = pulldown_cmark::Parser::new(cell.trim()).collect();
    match events.as_slice() {
        [Event::Start(Tag::Paragraph), Event::Start(Tag::Emphasis), inner @ .., Event::End(TagEnd::Emphasis), Event::End(TagEnd::Paragraph)] => {
            inner
                .iter()
                .all(|e| matches!(e, Event::Text(_) | Event::Code(_)))
        }
        _ => false,
    }
}

/// The handles an owner cell names: `lena`, `@lena`, `lena, sam`, `lena / sam`, `lena and sam`.
fn owners_in(cell: &str) -> Vec<String> {
    cell.replace(" and ", ",")
        .split([',', '/', '&', ';', '+'])
        .map(|s| s.trim().trim_matches(['*', '_', '`', ' ', '@']).to_string())
        .filter(|s| {
            !s.is_empty() && !matches!(s.to_lowercase().as_str(), "-" | "tbd" | "?" | "n/a")
        })
        .collect()
}

/// A cell's Markdown as one line of plain text: links keep their text, emphasis goes.
fn plain(cell: &str) -> String {
    let mut out = String::new();
    for event in pulldown_cmark::Parser::new(cell) {
        match event {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => out.push_str(&t),
            pulldown_cmark::Event::SoftBreak | pulldown_cmark::Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The open action rows of one RCA.
type Actions = Vec<ActionRow>;

/// [`Actions`] as the doc cache keeps them: `None` when the RCA could not be read.
type ReadActions = Option<Actions>;

impl crate::cache::Cached for ReadActions {
    const FILE: &'static str = ".kb/cache/actions.bin";

    fn remembered(&self) -> bool {
        self.is_some()
    }
}

/// The action rows of each RCA among `docs` (by index), read through their cache; a body is
/// read only for an RCA that changed.
fn rca_actions(kb: &Kb, docs: &[Document]) -> Vec<(usize, Actions)> {
    use rayon::prelude::*;
    let cache = crate::cache::DocCache::<ReadActions>::open(kb);
    let read = |rel: &str| {
        let rows = kb.read_metadata_with_body(rel, |doc, body| action_rows(body, doc.body_line));
        // A doc that cannot be read has no rows here; `kb check` names it.
        (!crate::cache::unreadable(&rows)).then(|| rows.unwrap_or_default())
    };
    let (at, found): (Vec<usize>, Vec<(String, ReadActions)>) = docs
        .par_iter()
        .enumerate()
        .filter(|(_, d)| d.doc_type.as_deref() == Some("rca"))
        .map(|(i, d)| {
            let rows = match &cache {
                Some(cache) => cache.get_or(kb, &d.path, || read(&d.path)),
                None => read(&d.path),
            };
            (i, (d.path.clone(), rows))
        })
        .unzip();
    if let Some(cache) = cache {
        cache.save(kb, "", &found);
    }
    at.into_iter()
        .zip(found)
        .filter_map(|(i, (_, rows))| Some((i, rows?)))
        .filter(|(_, rows)| !rows.is_empty())
        .collect()
}

/// The handles a front-matter list (or comma-separated text) names.
fn handles(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(scalar_string)
            .map(|s| s.trim_start_matches('@').to_string())
            .collect(),
        Some(Value::String(s)) => owners_in(s),
        _ => Vec::new(),
    }
}

fn days_since(date: Option<NaiveDate>, today: NaiveDate) -> Option<i64> {
    date.map(|d| (today - d).num_days().max(0))
}

fn event_date(created: &str) -> Option<NaiveDate> {
    crate::date::parse(created)
}

/// Collects the duties on `today` of `who` (a handle), or of everyone when `None`, most urgent
/// first, from the KB's docs (`loaded`: [`Kb::load`]). Never fails: what cannot be read is in
/// `errors` and `notes`.
pub fn collect(kb: &Kb, loaded: &crate::kb::Loaded, today: NaiveDate, who: Option<&str>) -> Inbox {
    let wanted = who.map(key);
    let is_wanted = |h: &str| wanted.as_deref().is_none_or(|w| key(h) == w);
    let mut inbox = Inbox {
        errors: loaded.errors.clone(),
        ..Inbox::default()
    };
    let docs = loaded.docs.as_slice();
    inbox.unknown_handle = who.is_some_and(|h| {
        let people = crate::people::from_loaded(kb, docs);
        !people.people.is_empty() && people.get(h).is_none()
    });
    let actions = rca_actions(kb, docs);
    // The walk lists docs in path order: the few threads' docs are found by binary search,
    // not through a map of 100k paths.
    let doc_at = |path: &str| {
        docs.binary_search_by(|d| d.path.as_str().cmp(path))
            .ok()
            .map(|i| &docs[i])
    };
    // Lines of front-matter fields, for the few docs an item points into.
    let mut lines: HashMap<String, HashMap<String, usize>> = HashMap::new();
    let mut field_line = |path: &str, field: &str| -> usize {
        lines
            .entry(path.to_string())
            .or_insert_with(|| {
                kb.read_doc_text(path)
                    .map(|t| frontmatter::field_lines(&t))
                    .unwrap_or_default()
            })
            .get(field)
            .copied()
            .unwrap_or(1)
    };
    let mut items = Vec::new();

    // RCA action items.
    for (i, rows) in &actions {
        let doc = &docs[*i];
        for row in rows {
            for owner in row.owners.iter().filter(|o| is_wanted(o)) {
                items.push(Item {
                    kind: Kind::ActionItem,
                    handle: owner.clone(),
                    path: doc.path.clone(),
                    line: row.line,
                    title: doc.title.clone(),
                    due: row.due,
                    age_days: days_since(doc.created().and_then(|c| crate::date::parse(&c)), today),
                    detail: format!("action item: {}", row.action),
                });
            }
        }
    }

    // Reviews: requests, verdicts and threads.
    let reviews = review::load(kb);
    for p in &reviews.problems {
        inbox.notes.push(format!(
            "{}: {} (left out of the inbox; `kb check` reports it)",
            p.path, p.message
        ));
    }
    let threads = review::status::by_doc(&reviews);
    for doc in docs {
        let Some(request) = review::status::request(doc) else {
            continue;
        };
        let own: &[&Thread] = threads.get(doc.path.as_str()).map_or(&[], Vec::as_slice);
        let blob = match review::status::current_blob(kb, doc, own) {
            Ok(blob) => blob,
            Err(e) => {
                inbox.errors.push(e);
                continue;
            }
        };
        let status = review::status::doc_status(doc, &request, blob.as_deref(), own, today);
        let since = days_since(
            doc.updated()
                .or_else(|| doc.created())
                .and_then(|d| crate::date::parse(&d)),
            today,
        );
        let verdict_by = |handle: &str, action: Action| {
            own.iter()
                .flat_map(|t| &t.events)
                .filter(|e| e.author == handle && e.action == action)
                .max_by(|a, b| a.id.cmp(&b.id))
        };
        for r in &status.reviewers {
            let item = |kind, due, age_days, detail| Item {
                kind,
                handle: r.handle.clone(),
                path: doc.path.clone(),
                line: 0,
                title: doc.title.clone(),
                due,
                age_days,
                detail,
            };
            match r.state {
                "pending" | "commented" if is_wanted(&r.handle) => {
                    let owner = doc.owner().unwrap_or_else(|| "the owner".into());
                    let what = match r.state {
                        "pending" => format!("{owner} asked for your review"),
                        _ => format!("{owner} asked for your review; you commented, approve or request changes"),
                    };
                    items.push(item(Kind::ReviewRequested, request.due, since, what));
                }
                "approved-stale" if is_wanted(&r.handle) => {
                    let at =
                        verdict_by(&r.handle, Action::Approve).and_then(|e| event_date(&e.created));
                    items.push(item(
                        Kind::ReviewStale,
                        request.due.filter(|d| *d >= today),
                        days_since(at, today),
                        format!(
                            "you approved it{}; it changed since: re-read and approve again",
                            at.map_or(String::new(), |d| format!(" on {d}"))
                        ),
                    ));
                }
                "changes-requested" => {
                    let Some(owner) = doc.owner().filter(|o| is_wanted(o)) else {
                        continue;
                    };
                    let at = verdict_by(&r.handle, Action::RequestChanges)
                        .and_then(|e| event_date(&e.created));
                    items.push(Item {
                        handle: owner,
                        ..item(
                            Kind::ChangesRequested,
                            request.due,
                            days_since(at, today),
                            format!(
                                "{} requested changes: answer the threads, then ask again",
                                r.handle
                            ),
                        )
                    });
                }
                _ => {}
            }
        }
    }
    for item in items.iter_mut().filter(|i| i.line == 0) {
        item.line = field_line(&item.path, "review");
    }

    // Open threads whose last comment waits on the doc's owner or another participant.
    let waiting: Vec<(Thread, Vec<String>)> = reviews
        .threads
        .iter()
        .filter(|t| t.state == ThreadState::Open && t.verdict.is_none())
        .filter_map(|t| {
            let last = t
                .events
                .iter()
                .filter(|e| e.action == Action::Comment && !e.body.trim().is_empty())
                .max_by(|a, b| a.id.cmp(&b.id))?;
            let mut on: BTreeSet<String> = t
                .events
                .iter()
                .filter(|e| e.action == Action::Comment)
                .map(|e| e.author.clone())
                .collect();
            if let Some(owner) = doc_at(&t.doc).and_then(|d| d.owner()) {
                on.insert(owner);
            }
            let on: Vec<String> = on
                .into_iter()
                .filter(|h| key(h) != key(&last.author) && is_wanted(h))
                .collect();
            (!on.is_empty()).then(|| (t.clone(), on))
        })
        .collect();
    let (to_locate, waiting_on): (Vec<Thread>, Vec<Vec<String>>) = waiting.into_iter().unzip();
    for ((t, located), on) in review::select::locate(kb, to_locate)
        .into_iter()
        .zip(waiting_on)
    {
        let Some(last) = t
            .events
            .iter()
            .filter(|e| e.action == Action::Comment && !e.body.trim().is_empty())
            .max_by(|a, b| a.id.cmp(&b.id))
        else {
            continue;
        };
        let line = located
            .and_then(|l| l.line)
            .or(t.anchor.as_ref().map(|a| a.line))
            .unwrap_or(1);
        let title = doc_at(&t.doc).map_or_else(|| t.doc.clone(), |d| d.title.clone());
        let said = last.body.lines().next().unwrap_or("").trim();
        let first_line = match said.chars().count() > 80 {
            true => format!("{}…", said.chars().take(79).collect::<String>().trim_end()),
            false => said.to_string(),
        };
        for handle in on {
            items.push(Item {
                kind: Kind::ReplyNeeded,
                handle,
                path: t.doc.clone(),
                line,
                title: title.clone(),
                due: None,
                age_days: days_since(event_date(&last.created), today),
                detail: format!(
                    "{} wrote in thread {}: \"{first_line}\"",
                    last.author,
                    review::short(&t.id)
                ),
            });
        }
    }

    // Meetings within a week: the attendees who have not read the pre-read.
    for doc in docs
        .iter()
        .filter(|d| d.doc_type.as_deref() == Some("meeting"))
    {
        let Some(date) = doc.date_field("date").and_then(|d| crate::date::parse(&d)) else {
            continue;
        };
        let ahead = (date - today).num_days();
        if !(0..=PRE_READ_DAYS).contains(&ahead) {
            continue;
        }
        let owner = doc.owner().map(|o| key(&o));
        let own: &[&Thread] = threads.get(doc.path.as_str()).map_or(&[], Vec::as_slice);
        for handle in handles(doc.fields.value("attendees").as_deref()) {
            if !is_wanted(&handle) || owner.as_deref() == Some(key(&handle).as_str()) {
                continue;
            }
            let read = own.iter().flat_map(|t| &t.events).any(|e| {
                key(&e.author) == key(&handle)
                    && matches!(e.action, Action::Comment | Action::Approve)
            });
            if read {
                continue;
            }
            items.push(Item {
                kind: Kind::PreRead,
                handle,
                path: doc.path.clone(),
                line: field_line(&doc.path, "date"),
                title: doc.title.clone(),
                due: Some(date),
                age_days: days_since(
                    doc.created().and_then(|c| crate::date::parse(&c)),
                    today,
                ),
                detail: format!(
                    "meeting on {date}: read the pre-read, then comment (`kb review add`) or approve"
                ),
            });
        }
    }

    // Goals whose owner has not checked in within the limit.
    // From the docs already read, not a second walk of goals/ (a goal that cannot be read is
    // left out: `kb check` and `kb goals report` name it).
    // Read whole only when someone wanted owns a goal.
    use rayon::prelude::*;
    let owns_a_goal = docs.par_iter().any(|doc| {
        crate::goals::goal_doc_type(doc) == Some("goal")
            && crate::goals::goal_owner(doc).is_some_and(|o| is_wanted(&o))
    });
    let goals = match owns_a_goal {
        true => crate::goals::from_documents(kb, docs.par_iter()),
        false => crate::goals::GoalData::default(),
    };
    if goals
        .goals
        .iter()
        .any(|g| g.owner.as_deref().is_some_and(is_wanted))
    {
        let settings = crate::goals::rollup::Settings::new(&kb.config.goals, today);
        let report = crate::goals::rollup::rollup(
            &goals.goals,
            &goals.checkins,
            &settings,
            &Default::default(),
        );
        for g in report.goals.iter().filter(|g| g.stale) {
            let Some(owner) = g.owner.as_ref().filter(|o| is_wanted(o)) else {
                continue;
            };
            let last = g.last_checkin.as_deref().and_then(crate::date::parse);
            let start = goals
                .goals
                .iter()
                .find(|x| x.id == g.id)
                .map(|x| x.period.start);
            let since = last.or(start);
            let due = since.and_then(|s| {
                s.checked_add_days(chrono::Days::new(settings.stale_after_days.max(0) as u64))
            });
            items.push(Item {
                kind: Kind::CheckinDue,
                handle: owner.clone(),
                path: g.path.clone(),
                line: 1,
                title: g.title.clone(),
                due,
                age_days: days_since(since, today),
                detail: format!(
                    "{}; check in every {} days: `kb goals checkin {}`",
                    match last {
                        Some(d) => format!("last check-in {d}"),
                        None => "no check-in this period".to_string(),
                    },
                    settings.stale_after_days,
                    g.id
                ),
            });
        }
    }

    // Docs overdue for their owner's review. Git's dates cost a history walk: only when some
    // doc of someone wanted can be due at all.
    let refs: Vec<&Document> = docs
        .par_iter()
        .filter(|d| d.owner().is_some_and(|o| is_wanted(&o)))
        .collect();
    if crate::stale::in_use(&refs, &kb.config.freshness) {
        let mut owned: Vec<Document> = refs.into_iter().cloned().collect();
        let history = crate::history::attach(kb, &mut owned);
        inbox.notes.extend(history.notes);
        for s in crate::stale::overdue(&owned, &kb.config.freshness, today) {
            let Some(owner) = s.owner.clone() else {
                continue;
            };
            let since = s.reviewed.or(s.updated);
            items.push(Item {
                kind: Kind::DocStale,
                handle: owner,
                line: 1,
                title: s.title.clone(),
                due: Some(s.due),
                age_days: days_since(since, today),
                detail: format!(
                    "due for your review every {} days; still true? `kb stale confirm {}`",
                    s.review_every_days, s.path
                ),
                path: s.path,
            });
        }
    }

    sort(&mut items, today);
    inbox.items = items;
    inbox.errors.sort_by(|a, b| a.path.cmp(&b.path));
    inbox
}

/// Items per person and kind, people by handle: what `kb inbox --all --format md` prints.
pub fn counts(items: &[Item]) -> Vec<(String, HashMap<Kind, usize>)> {
    let mut by: std::collections::BTreeMap<String, (String, HashMap<Kind, usize>)> =
        Default::default();
    for i in items {
        let entry = by
            .entry(key(&i.handle))
            .or_insert_with(|| (i.handle.clone(), HashMap::new()));
        *entry.1.entry(i.kind).or_default() += 1;
    }
    by.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn open_action_rows_with_owners_and_due_dates() {
        let body = "# X\n\n| Action | Owner | Due | Status |\n|---|---|---|---|\n\
| Add [alerts](a.md) | @lena | 2026-12-01 | open |\n\
| Runbook | sam, kenji | 2026-11-20 | in progress |\n\
| Drill | dana | 2026-11-01 | done 2026-11-02 |\n\
| Nobody | TBD | | |\n\
| _Prevent: the change that stops this cause from recurring_ | lena | 2026-12-01 | open |\n\
| _Alerts_ on checkout | lena | 2026-12-01 | open |\n";
        let rows = action_rows(body, 5);
        assert_eq!(
            rows,
            [
                ActionRow {
                    line: 9,
                    action: "Add alerts".into(),
                    owners: vec!["lena".into()],
                    due: Some(day(12, 1)),
                },
                ActionRow {
                    line: 10,
                    action: "Runbook".into(),
                    owners: vec!["sam".into(), "kenji".into()],
                    due: Some(day(11, 20)),
                },
                ActionRow {
                    line: 14,
                    action: "Alerts on checkout".into(),
                    owners: vec!["lena".into()],
                    due: Some(day(12, 1)),
                },
            ]
        );
    }

    #[test]
    fn overdue_first_then_due_soonest_then_oldest() {
        let item = |path: &str, due: Option<NaiveDate>, age: Option<i64>| Item {
            kind: Kind::ActionItem,
            handle: "a".into(),
            path: path.into(),
            line: 1,
            title: String::new(),
            due,
            age_days: age,
            detail: String::new(),
        };
        let mut items = vec![
            item("young", None, Some(1)),
            item("soon", Some(day(11, 27)), None),
            item("later", Some(day(12, 20)), None),
            item("old", None, Some(30)),
            item("late", Some(day(11, 24)), None),
            item("very-late", Some(day(10, 1)), None),
        ];
        sort(&mut items, day(11, 25));
        let order: Vec<&str> = items.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            order,
            ["very-late", "late", "soon", "later", "old", "young"]
        );
    }
}
