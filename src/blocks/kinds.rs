//! The kinds of live block (DESIGN §16), in one registry: each names the arguments it takes
//! (the command's own option names) and how it fills a block, by running that command's core
//! and its Markdown renderer. A kind whose command does not exist yet has no `fill`, and its
//! blocks are reported as unknown until it does: adding one is one line in [`KINDS`].
//!
//! This module sits above `render/` (like the CLI): the core's `kb check` receives it as a
//! [`Contents`] instead of importing it.

use super::{Block, Contents};
use crate::goals::period::Period;
use crate::goals::rollup::{self, Selection, Settings};
use crate::goals::GoalData;
use crate::kb::{Kb, Loaded};
use crate::query::{one_of, Condition, Filter, Sort};
use crate::render::docs::{ls_markdown_columns, DocSummary};
use crate::render::markdown::relative_links;
use crate::review::Reviews;
use std::sync::OnceLock;

type Fill = fn(&Live, &Kb, &Block) -> std::result::Result<String, String>;

/// One kind of block: its name, the arguments it takes, and how it is filled.
pub struct Kind {
    pub name: &'static str,
    pub args: &'static [&'static str],
    /// `None` while the command it embeds does not exist yet.
    pub fill: Option<Fill>,
}

/// Every kind of block, in the order `kb render --help` names them.
pub const KINDS: &[Kind] = &[
    Kind {
        name: "ls",
        args: &[
            "type", "status", "owner", "tag", "where", "sort", "limit", "columns",
        ],
        fill: Some(ls),
    },
    Kind {
        name: "goals",
        args: &["period", "owner", "level"],
        fill: Some(goals),
    },
    Kind {
        name: "stale",
        args: &["owner", "type"],
        fill: Some(stale),
    },
    Kind {
        name: "digest",
        args: &["since", "until"],
        fill: Some(digest),
    },
    Kind {
        name: "reviews",
        args: &[],
        fill: Some(reviews),
    },
    Kind {
        name: "metrics",
        args: &["owner"],
        fill: Some(metrics),
    },
    Kind {
        name: "org",
        args: &["handle"],
        fill: Some(org),
    },
    Kind {
        name: "people",
        args: &["team", "manager"],
        fill: Some(people),
    },
];

/// Fills blocks, loading each thing the kinds read (docs, goals, reviews) once per run.
#[derive(Debug, Default)]
pub struct Live {
    docs: OnceLock<Loaded>,
    goals: OnceLock<GoalData>,
    reviews: OnceLock<Reviews>,
    metrics: OnceLock<crate::metrics::MetricData>,
}

impl Live {
    fn docs(&self, kb: &Kb) -> &Loaded {
        self.docs.get_or_init(|| {
            let mut loaded = kb.load();
            crate::history::attach(kb, &mut loaded.docs);
            loaded
        })
    }

    fn goals(&self, kb: &Kb) -> &GoalData {
        self.goals.get_or_init(|| crate::goals::load(kb))
    }

    fn reviews(&self, kb: &Kb) -> &Reviews {
        self.reviews.get_or_init(|| crate::review::load(kb))
    }

    fn metrics(&self, kb: &Kb) -> &crate::metrics::MetricData {
        self.metrics.get_or_init(|| crate::metrics::load(kb))
    }
}

impl Contents for Live {
    fn seed_docs(&self, kb: &Kb, mut docs: Vec<crate::doc::Document>) {
        if self.docs.get().is_none() {
            docs.sort_by(|a, b| a.path.cmp(&b.path));
            crate::history::attach(kb, &mut docs);
            let _ = self.docs.set(Loaded {
                docs,
                errors: Vec::new(),
            });
        }
    }

    fn markdown(&self, kb: &Kb, doc: &str, block: &Block) -> std::result::Result<String, String> {
        let names = || {
            KINDS
                .iter()
                .filter(|k| k.fill.is_some())
                .map(|k| k.name)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some(kind) = KINDS.iter().find(|k| k.name == block.kind) else {
            return Err(format!(
                "unknown block kind `{}` (the kinds are: {})",
                block.kind,
                names()
            ));
        };
        let Some(fill) = kind.fill else {
            return Err(format!(
                "unknown block kind `{}` (not available yet; the kinds are: {})",
                block.kind,
                names()
            ));
        };
        if let Some((key, _)) = block.args.iter().find(|(k, _)| !kind.args.contains(&&**k)) {
            return Err(match kind.args.is_empty() {
                true => format!("block `{}` takes no argument `{key}`", kind.name),
                false => format!(
                    "block `{}` has no argument `{key}` (it takes: {})",
                    kind.name,
                    kind.args.join(", ")
                ),
            });
        }
        // Renderers link from the KB root; a block's links lead from its doc.
        fill(self, kb, block).map(|md| relative_links(&md, doc))
    }
}

/// A comma-separated argument as a list.
fn list(block: &Block, key: &str) -> Vec<String> {
    block
        .all(key)
        .iter()
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

fn ls(live: &Live, kb: &Kb, block: &Block) -> std::result::Result<String, String> {
    let today = kb.config.today;
    let conditions = block
        .all("where")
        .iter()
        .map(|c| Condition::parse(c)?.resolve(&kb.config.schema, today))
        .collect::<crate::error::Result<Vec<_>>>()
        .map_err(|e| e.to_string())?;
    let filter = Filter {
        types: list(block, "type"),
        statuses: list(block, "status"),
        owners: list(block, "owner"),
        tags: list(block, "tag"),
        conditions,
    };
    let sort = block
        .get("sort")
        .map(Sort::parse)
        .transpose()
        .map_err(|e| e.to_string())?;
    let limit = block
        .get("limit")
        .map(|l| {
            l.parse::<usize>()
                .map_err(|_| format!("limit={l} is not a number"))
        })
        .transpose()?;
    let mut columns = list(block, "columns");
    if columns.is_empty() {
        columns = ["title", "type", "status", "owner"]
            .map(String::from)
            .to_vec();
    }
    let loaded = live.docs(kb);
    let mut selected: Vec<_> = loaded.docs.iter().filter(|d| filter.matches(d)).collect();
    if let Some(sort) = sort {
        sort.apply(&mut selected);
    }
    if let Some(limit) = limit {
        selected.truncate(limit);
    }
    if selected.is_empty() {
        return Ok("No docs match.\n".into());
    }
    let summaries: Vec<DocSummary> = selected.into_iter().map(DocSummary::from).collect();
    Ok(ls_markdown_columns(&summaries, &columns))
}

fn goals(live: &Live, kb: &Kb, block: &Block) -> std::result::Result<String, String> {
    let config = &kb.config;
    let period = block
        .get("period")
        .map(|p| Period::parse(p, config.goals.fiscal_year_start))
        .transpose()?;
    let levels = list(block, "level");
    const LEVELS: [&str; 4] = ["company", "division", "manager", "individual"];
    if let Some(bad) = levels.iter().find(|l| !LEVELS.contains(&l.as_str())) {
        return Err(format!("level={bad} is not one of {}", LEVELS.join(", ")));
    }
    let selection = Selection {
        period,
        owners: list(block, "owner"),
        levels,
    };
    let data = live.goals(kb);
    let settings = Settings::new(&config.goals, config.today);
    let report = rollup::rollup(&data.goals, &data.checkins, &settings, &selection);
    Ok(crate::render::goals::table_markdown(&report))
}

fn org(_: &Live, kb: &Kb, block: &Block) -> std::result::Result<String, String> {
    let (people, _) = crate::people::load(kb);
    if people.people.is_empty() {
        return Ok(crate::render::people::no_people());
    }
    let handle = block.get("handle");
    let org = people
        .org(handle)
        .ok_or_else(|| format!("handle={} is not in people/", handle.unwrap_or_default()))?;
    Ok(crate::render::people::org_markdown(&org))
}

fn people(_: &Live, kb: &Kb, block: &Block) -> std::result::Result<String, String> {
    let (people, _) = crate::people::load(kb);
    let list = crate::render::people::PeopleList {
        schema_version: 1,
        people: people.filter(&list(block, "team"), &list(block, "manager")),
    };
    Ok(crate::render::people::people_markdown(&list))
}

fn stale(live: &Live, kb: &Kb, block: &Block) -> std::result::Result<String, String> {
    let (owners, types) = (list(block, "owner"), list(block, "type"));
    let today = kb.config.today;
    let docs = crate::stale::overdue(&live.docs(kb).docs, &kb.config.freshness, today)
        .into_iter()
        .filter(|d| one_of(&owners, d.owner.as_deref()) && one_of(&types, d.doc_type.as_deref()))
        .collect();
    let report = crate::render::stale::StaleReport {
        schema_version: 1,
        as_of: today,
        docs,
    };
    Ok(crate::render::stale::markdown(&report))
}

fn digest(live: &Live, kb: &Kb, block: &Block) -> std::result::Result<String, String> {
    let until = match block.get("until") {
        Some(text) => crate::date::parse(text).ok_or(format!("until={text} is not a date"))?,
        None => kb.config.today,
    };
    let since = crate::digest::parse_since(block.get("since").unwrap_or("7d"), until)
        .map_err(|e| e.to_string())?;
    let window = crate::history::window(kb, &since, until).map_err(|e| e.to_string())?;
    let digest = crate::digest::digest(kb, &window, live.goals(kb), live.reviews(kb));
    Ok(crate::render::digest::markdown(&digest, &kb.config.name))
}

fn metrics(live: &Live, kb: &Kb, block: &Block) -> std::result::Result<String, String> {
    let owners = list(block, "owner");
    let mut board = crate::metrics::scoreboard(live.metrics(kb), kb.config.today);
    board.metrics.retain(|m| {
        owners.is_empty()
            || m.owner
                .as_deref()
                .is_some_and(|o| owners.iter().any(|w| w.eq_ignore_ascii_case(o)))
    });
    Ok(crate::render::metrics::markdown(&board))
}

fn reviews(live: &Live, kb: &Kb, _block: &Block) -> std::result::Result<String, String> {
    let loaded = &live.docs(kb).docs;
    let docs =
        crate::review::select::statuses_of(kb, loaded, live.reviews(kb), &[], kb.config.today)
            .map_err(|e| e.to_string())?;
    Ok(crate::render::review::status_markdown(&docs))
}

#[cfg(test)]
mod tests {
    use super::KINDS;

    #[test]
    fn kinds_are_named_once() {
        let mut names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KINDS.len());
    }
}
