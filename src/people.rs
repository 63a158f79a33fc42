//! People and the org chart (DESIGN §15): person docs (`type: person`, folder `people/`), open
//! positions (`type: role`, folder `roles/`), and the reporting tree drawn from each person's
//! `manager`. The same reading serves `kb people`, `kb org`, `kb inbox --all` and the check rules
//! `manager-unknown`, `manager-cycle` and `person-duplicate-handle`, so they never disagree.

use crate::doc::{scalar_string, Document};
use crate::error::DocError;
use crate::kb::Kb;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One person of people/.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub handle: String,
    pub name: String,
    pub role: Option<String>,
    pub team: Option<String>,
    /// The manager's handle, as written.
    pub manager: Option<String>,
    pub timezone: Option<String>,
    pub email: Option<String>,
    pub start: Option<String>,
    pub path: String,
}

/// An open position: a doc of type `role`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenRole {
    pub path: String,
    pub title: String,
    pub team: Option<String>,
    pub hiring_manager: Option<String>,
    pub status: Option<String>,
    pub opened: Option<String>,
}

impl OpenRole {
    /// A seat still to fill: not filled, not closed.
    pub fn is_open(&self) -> bool {
        !matches!(self.status.as_deref(), Some("filled" | "closed"))
    }
}

/// Something wrong with the org chart, found while drawing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A second person doc with a handle already taken (`first` is the doc that keeps it).
    DuplicateHandle {
        path: String,
        handle: String,
        first: String,
    },
    /// A `manager` (or a role's `hiring_manager`) that names no person.
    UnknownManager {
        path: String,
        field: &'static str,
        manager: String,
    },
    /// People whose managers lead back to themselves, in the order of the chain.
    Cycle { handles: Vec<String> },
}

/// The people and open roles of a KB, as read from their docs.
#[derive(Debug, Clone, Default)]
pub struct People {
    /// Sorted by handle; a duplicate handle keeps the first doc by path.
    pub people: Vec<Person>,
    /// Open and closed roles, by path.
    pub roles: Vec<OpenRole>,
    pub problems: Vec<Problem>,
    /// Pages in the people folder that are not person docs (see [`is_folder_page`]), by path.
    pub other_pages: Vec<String>,
}

/// The key a handle is compared by: people type `Dana` and `dana` and mean one person.
pub fn key(handle: &str) -> String {
    handle.trim().trim_start_matches('@').to_lowercase()
}

fn text(doc: &Document, field: &str) -> Option<String> {
    doc.fields
        .get(field)
        .and_then(scalar_string)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// A person doc's handle: `handle:`, else its file name without `.md`.
pub fn handle_of(doc: &Document) -> String {
    text(doc, "handle").unwrap_or_else(|| {
        let name = doc.path.rsplit('/').next().unwrap_or(&doc.path);
        name.rsplit_once('.').map_or(name, |(s, _)| s).to_string()
    })
}

/// The fields that make a page a person's: a page in people/ with none of them and no
/// `type: person` (a team index, a locations page) is not a person.
pub const PERSON_FIELDS: [&str; 6] = ["handle", "name", "role", "team", "manager", "email"];

/// Whether a doc of type `person` is one only because of its folder, with no person field: a
/// page kb did not write, which the org chart leaves out.
pub fn is_folder_page(doc: &Document) -> bool {
    doc.doc_type.as_deref() == Some("person")
        && !doc.fields.contains_key("type")
        && !PERSON_FIELDS.iter().any(|f| doc.fields.contains_key(f))
}

/// The person a doc describes, if it is a person doc.
pub fn person(doc: &Document) -> Option<Person> {
    if doc.doc_type.as_deref() != Some("person") || is_folder_page(doc) {
        return None;
    }
    let handle = handle_of(doc);
    Some(Person {
        name: text(doc, "name").unwrap_or_else(|| match doc.title.is_empty() {
            true => handle.clone(),
            false => doc.title.clone(),
        }),
        handle,
        role: text(doc, "role"),
        team: text(doc, "team"),
        manager: text(doc, "manager").map(|m| m.trim_start_matches('@').to_string()),
        timezone: text(doc, "timezone"),
        email: text(doc, "email"),
        start: doc.date_field("start"),
        path: doc.path.clone(),
    })
}

/// The open role a doc describes, if it is a role doc.
pub fn role(doc: &Document) -> Option<OpenRole> {
    if doc.doc_type.as_deref() != Some("role") {
        return None;
    }
    Some(OpenRole {
        path: doc.path.clone(),
        title: doc.title.clone(),
        team: text(doc, "team"),
        hiring_manager: text(doc, "hiring_manager").map(|m| m.trim_start_matches('@').to_string()),
        status: text(doc, "status"),
        opened: doc.date_field("opened"),
    })
}

impl People {
    /// Reads the people and roles among `docs` (any order) and finds the chart's problems.
    pub fn from_docs<'a>(docs: impl IntoIterator<Item = &'a Document>) -> People {
        let mut persons = Vec::new();
        let mut roles = Vec::new();
        let mut other_pages = Vec::new();
        for doc in docs {
            if is_folder_page(doc) {
                other_pages.push(doc.path.clone());
            }
            persons.extend(person(doc));
            roles.extend(role(doc));
        }
        other_pages.sort();
        persons.sort_by(|a, b| a.path.cmp(&b.path));
        roles.sort_by(|a, b| a.path.cmp(&b.path));
        let mut problems = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut people = Vec::with_capacity(persons.len());
        for p in persons {
            match seen.get(&key(&p.handle)) {
                Some(first) => problems.push(Problem::DuplicateHandle {
                    path: p.path.clone(),
                    handle: p.handle.clone(),
                    first: first.clone(),
                }),
                None => {
                    seen.insert(key(&p.handle), p.path.clone());
                    people.push(p);
                }
            }
        }
        people.sort_by_key(|a| key(&a.handle));
        for p in &people {
            if let Some(m) = &p.manager {
                if !seen.contains_key(&key(m)) {
                    problems.push(Problem::UnknownManager {
                        path: p.path.clone(),
                        field: "manager",
                        manager: m.clone(),
                    });
                }
            }
        }
        for r in &roles {
            if let Some(m) = &r.hiring_manager {
                if !seen.contains_key(&key(m)) {
                    problems.push(Problem::UnknownManager {
                        path: r.path.clone(),
                        field: "hiring_manager",
                        manager: m.clone(),
                    });
                }
            }
        }
        let mut chart = People {
            people,
            roles,
            problems,
            other_pages,
        };
        let cycles = chart.cycles();
        chart
            .problems
            .extend(cycles.into_iter().map(|handles| Problem::Cycle { handles }));
        chart
    }

    /// The people a `--team`/`--manager` filter keeps (any case); empty filters keep everyone.
    pub fn filter(&self, teams: &[String], managers: &[String]) -> Vec<Person> {
        let same = |wanted: &[String], actual: Option<&str>| {
            wanted.is_empty() || actual.is_some_and(|a| wanted.iter().any(|w| key(w) == key(a)))
        };
        self.people
            .iter()
            .filter(|p| same(teams, p.team.as_deref()) && same(managers, p.manager.as_deref()))
            .cloned()
            .collect()
    }

    /// The person with this handle (any case).
    pub fn get(&self, handle: &str) -> Option<&Person> {
        let wanted = key(handle);
        self.people.iter().find(|p| key(&p.handle) == wanted)
    }

    fn index(&self) -> HashMap<String, usize> {
        self.people
            .iter()
            .enumerate()
            .map(|(i, p)| (key(&p.handle), i))
            .collect()
    }

    /// The index of each person's manager, when the manager is a person of the chart.
    fn managers(&self) -> Vec<Option<usize>> {
        let index = self.index();
        self.people
            .iter()
            .map(|p| {
                p.manager
                    .as_deref()
                    .and_then(|m| index.get(&key(m)).copied())
            })
            .collect()
    }

    /// Each cycle of manager links once, as handles starting from the smallest.
    fn cycles(&self) -> Vec<Vec<String>> {
        let managers = self.managers();
        let mut done = vec![false; self.people.len()];
        let mut out = Vec::new();
        for start in 0..self.people.len() {
            let mut chain: Vec<usize> = Vec::new();
            let mut on_chain: HashMap<usize, usize> = HashMap::new();
            let mut at = Some(start);
            while let Some(i) = at {
                if done[i] {
                    break;
                }
                if let Some(&pos) = on_chain.get(&i) {
                    let cycle = &chain[pos..];
                    let first = cycle
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, &c)| key(&self.people[c].handle))
                        .map_or(0, |(n, _)| n);
                    let ordered = cycle[first..].iter().chain(&cycle[..first]);
                    out.push(
                        ordered
                            .map(|&c| self.people[c].handle.clone())
                            .collect::<Vec<_>>(),
                    );
                    break;
                }
                on_chain.insert(i, chain.len());
                chain.push(i);
                at = managers[i];
            }
            for i in chain {
                done[i] = true;
            }
        }
        out
    }

    /// The reporting tree: roots (no manager, or one who is not in people/, or the first of a
    /// cycle) with each person's direct reports and open seats. With `from`, only the subtree of
    /// that person.
    pub fn org(&self, from: Option<&str>) -> Option<Org> {
        let managers = self.managers();
        let mut reports: Vec<Vec<usize>> = vec![Vec::new(); self.people.len()];
        for (i, m) in managers.iter().enumerate() {
            if let Some(m) = m {
                reports[*m].push(i);
            }
        }
        let index = self.index();
        let mut seats: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut unplaced = Vec::new();
        for (r, role) in self.roles.iter().enumerate().filter(|(_, r)| r.is_open()) {
            match role
                .hiring_manager
                .as_deref()
                .and_then(|m| index.get(&key(m)))
            {
                Some(&m) => seats.entry(m).or_default().push(r),
                None => unplaced.push(r),
            }
        }
        let cycle_heads: HashSet<usize> = self
            .problems
            .iter()
            .filter_map(|p| match p {
                Problem::Cycle { handles } => handles.first().and_then(|h| index.get(&key(h))),
                _ => None,
            })
            .copied()
            .collect();
        let roots: Vec<usize> = match from {
            Some(h) => vec![*index.get(&key(h))?],
            None => (0..self.people.len())
                .filter(|&i| managers[i].is_none() || cycle_heads.contains(&i))
                .collect(),
        };
        let mut visited = vec![false; self.people.len()];
        let mut nodes = Vec::new();
        for &r in &roots {
            nodes.push(self.node(r, &reports, &seats, &mut visited));
        }
        let open_roles = match from {
            Some(_) => Vec::new(),
            None => unplaced.iter().map(|&r| self.roles[r].clone()).collect(),
        };
        Some(Org {
            roots: nodes,
            unplaced_roles: open_roles,
        })
    }

    fn node(
        &self,
        i: usize,
        reports: &[Vec<usize>],
        seats: &BTreeMap<usize, Vec<usize>>,
        visited: &mut [bool],
    ) -> OrgNode {
        visited[i] = true;
        let mut children = Vec::new();
        for &r in &reports[i] {
            // A cycle's head is drawn as a root; below it, the link back to it stops the walk.
            if !visited[r] {
                children.push(self.node(r, reports, seats, visited));
            }
        }
        OrgNode {
            person: self.people[i].clone(),
            reports: children,
            seats: seats
                .get(&i)
                .map(|rs| rs.iter().map(|&r| self.roles[r].clone()).collect())
                .unwrap_or_default(),
        }
    }

    /// Each person's direct reports, by handle.
    pub fn direct_reports(&self) -> HashMap<String, Vec<String>> {
        let managers = self.managers();
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for (i, m) in managers.iter().enumerate() {
            if let Some(m) = m {
                out.entry(key(&self.people[*m].handle))
                    .or_default()
                    .push(self.people[i].handle.clone());
            }
        }
        out
    }
}

/// A person in the tree, with their reports and open seats.
#[derive(Debug, Clone, Serialize)]
pub struct OrgNode {
    pub person: Person,
    pub reports: Vec<OrgNode>,
    /// Open roles whose hiring manager is this person.
    pub seats: Vec<OpenRole>,
}

impl OrgNode {
    /// How many people this node and everyone below it are.
    pub fn size(&self) -> usize {
        1 + self.reports.iter().map(OrgNode::size).sum::<usize>()
    }
}

/// The reporting tree.
#[derive(Debug, Clone, Serialize)]
pub struct Org {
    pub roots: Vec<OrgNode>,
    /// Open roles whose hiring manager is unknown or not given.
    pub unplaced_roles: Vec<OpenRole>,
}

/// Reads people/ and roles/ (the `person` and `role` types' folders): only those folders are
/// walked; a person doc kept elsewhere with `type: person` is found by `kb check`'s full walk.
pub fn load(kb: &Kb) -> (People, Vec<DocError>) {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for f in &folders(kb) {
        let loaded = kb.load_folder(f);
        docs.extend(loaded.docs);
        errors.extend(loaded.errors);
    }
    (People::from_docs(&docs), errors)
}

/// [`load`] from docs a command has loaded already (the whole KB).
pub fn from_loaded(kb: &Kb, docs: &[Document]) -> People {
    let folders = folders(kb);
    People::from_docs(
        docs.iter()
            .filter(|d| folders.iter().any(|f| within(&d.path, f))),
    )
}

/// The folders that hold people and roles; one folder inside another (or the root, `""`) is
/// given once.
fn folders(kb: &Kb) -> Vec<String> {
    let schema = &kb.config.schema;
    let folder = |t: &str, default: &str| {
        schema
            .get(t)
            .map_or(default.to_string(), |t| t.folder.clone())
    };
    let mut folders = vec![folder("person", "people"), folder("role", "roles")];
    folders.sort();
    folders.dedup();
    if within(&folders[folders.len() - 1], &folders[0]) {
        folders.truncate(1);
    }
    folders
}

/// Whether the path `inner` lies in the folder `outer` (`""` holds everything).
fn within(inner: &str, outer: &str) -> bool {
    let outer = outer.trim_end_matches('/');
    outer.is_empty() || crate::check::under(inner, outer).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(path: &str, doc_type: &str, fields: &[(&str, &str)]) -> Document {
        let yaml: String = fields.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
        let text = format!("---\ntype: {doc_type}\n{yaml}---\n");
        let schema = crate::schema::Schema::default();
        crate::doc::parse_metadata(path.into(), text.as_bytes(), &schema).unwrap()
    }

    fn chart(docs: &[Document]) -> People {
        People::from_docs(docs)
    }

    fn handles(nodes: &[OrgNode]) -> Vec<String> {
        nodes
            .iter()
            .map(|n| {
                let below = handles(&n.reports);
                match below.is_empty() {
                    true => n.person.handle.clone(),
                    false => format!("{}({})", n.person.handle, below.join(",")),
                }
            })
            .collect()
    }

    #[test]
    fn the_tree_follows_managers_with_seats_under_hiring_managers() {
        let c = chart(&[
            doc("people/maya.md", "person", &[("handle", "maya")]),
            doc("people/dana.md", "person", &[("manager", "Maya")]),
            doc("people/lena.md", "person", &[("manager", "dana")]),
            doc("people/sam.md", "person", &[("manager", "maya")]),
            doc(
                "roles/sre.md",
                "role",
                &[("title", "SRE"), ("hiring_manager", "dana")],
            ),
            doc(
                "roles/old.md",
                "role",
                &[("hiring_manager", "dana"), ("status", "filled")],
            ),
        ]);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        let org = c.org(None).unwrap();
        assert_eq!(handles(&org.roots), ["maya(dana(lena),sam)"]);
        let dana = &org.roots[0].reports[0];
        assert_eq!(dana.seats.len(), 1);
        assert_eq!(dana.seats[0].title, "SRE");
        assert_eq!(handles(&c.org(Some("DANA")).unwrap().roots), ["dana(lena)"]);
        assert!(c.org(Some("ghost")).is_none());
    }

    #[test]
    fn duplicates_unknown_managers_and_cycles_are_problems_and_the_rest_is_drawn() {
        let c = chart(&[
            doc("people/a.md", "person", &[("manager", "b")]),
            doc("people/b.md", "person", &[("manager", "c")]),
            doc("people/c.md", "person", &[("manager", "a")]),
            doc("people/d.md", "person", &[("manager", "a")]),
            doc("people/e.md", "person", &[("manager", "nobody")]),
            doc("people/e2.md", "person", &[("handle", "e")]),
        ]);
        assert_eq!(
            c.problems,
            [
                Problem::DuplicateHandle {
                    path: "people/e2.md".into(),
                    handle: "e".into(),
                    first: "people/e.md".into()
                },
                Problem::UnknownManager {
                    path: "people/e.md".into(),
                    field: "manager",
                    manager: "nobody".into()
                },
                Problem::Cycle {
                    handles: vec!["a".into(), "b".into(), "c".into()]
                },
            ]
        );
        let org = c.org(None).unwrap();
        assert_eq!(handles(&org.roots), ["a(c(b),d)", "e"]);
    }

    #[test]
    fn a_person_doc_without_a_handle_is_named_by_its_file() {
        let c = chart(&[doc("people/kim-lee.md", "person", &[("title", "Kim Lee")])]);
        assert_eq!(c.people[0].handle, "kim-lee");
        assert_eq!(c.people[0].name, "Kim Lee");
    }

    #[test]
    fn a_page_in_people_with_no_person_field_is_not_a_person() {
        let schema = crate::schema::Schema::default();
        let page = crate::doc::parse_metadata(
            "people/index.md".into(),
            b"---\ntitle: Our team\n---\n# Our team\n",
            &schema,
        )
        .unwrap();
        let c = chart(&[page, doc("people/kim.md", "person", &[])]);
        assert_eq!(c.other_pages, ["people/index.md"]);
        assert_eq!(c.people.len(), 1, "`type: person` alone makes a person");
    }
}
