//! What `kb people` and `kb org` print: the people as a table or Markdown, the reporting tree as
//! an indented tree, nested Markdown lists, a Mermaid flowchart, a Graphviz digraph or one
//! self-contained HTML page (minijinja with autoescape), and the JSON of DESIGN §15.

use super::markdown::{escape_text, link};
use super::{paint, table, BOLD, DIM};
use crate::people::{OpenRole, Org, OrgNode, Person};
use serde::Serialize;

const HTML_TEMPLATE: &str = include_str!("org.html");

/// `kb people --format json`.
#[derive(Debug, Serialize)]
pub struct PeopleList {
    pub schema_version: u32,
    pub people: Vec<Person>,
}

fn or_dash(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "-".into())
}

pub fn people_table(list: &PeopleList) -> String {
    if list.people.is_empty() {
        return no_people();
    }
    let rows: Vec<Vec<String>> = list
        .people
        .iter()
        .map(|p| {
            vec![
                p.handle.clone(),
                p.name.clone(),
                or_dash(&p.role),
                or_dash(&p.team),
                or_dash(&p.manager),
                or_dash(&p.timezone),
            ]
        })
        .collect();
    let mut out = table::render(
        &["HANDLE", "NAME", "ROLE", "TEAM", "MANAGER", "TIMEZONE"],
        &rows,
    );
    out.push_str(&paint(
        DIM,
        &format!(
            "{} {}\n",
            list.people.len(),
            match list.people.len() {
                1 => "person",
                _ => "people",
            }
        ),
    ));
    out
}

/// What an empty listing says: where kb looked, and how to add someone.
pub fn no_people() -> String {
    "No person docs found. kb reads people from docs of type `person` (the people/ folder, or \
`type: person` in the front-matter) with `handle:`, `name:`, `role:`, `team:`, `manager:` and \
`timezone:`; add one with `kb new person \"Full Name\"`.\n"
        .to_string()
}

pub fn people_markdown(list: &PeopleList) -> String {
    if list.people.is_empty() {
        return no_people();
    }
    let rows: Vec<Vec<String>> = list
        .people
        .iter()
        .map(|p| {
            vec![
                format!("`{}`", p.handle),
                link(&p.name, &p.path),
                escape_text(&or_dash(&p.role)),
                escape_text(&or_dash(&p.team)),
                p.manager.as_ref().map_or("-".into(), |m| format!("`{m}`")),
                escape_text(&or_dash(&p.timezone)),
            ]
        })
        .collect();
    table::markdown(
        &["Handle", "Name", "Role", "Team", "Manager", "Timezone"],
        &rows,
    )
}

/// `kb org --format json` (DESIGN §15): a flat list, each person with their direct reports.
#[derive(Debug, Serialize)]
pub struct OrgJson {
    pub schema_version: u32,
    pub people: Vec<OrgPerson>,
    pub roles: Vec<OpenRole>,
    pub roots: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct OrgPerson {
    pub handle: String,
    pub name: String,
    pub role: Option<String>,
    pub team: Option<String>,
    pub manager: Option<String>,
    pub timezone: Option<String>,
    pub reports: Vec<String>,
    pub path: String,
}

/// The JSON view of a drawn tree: the people in it, tree order, and the open seats.
pub fn org_json(org: &Org) -> OrgJson {
    fn walk(node: &OrgNode, people: &mut Vec<OrgPerson>, roles: &mut Vec<OpenRole>) {
        let p = &node.person;
        people.push(OrgPerson {
            handle: p.handle.clone(),
            name: p.name.clone(),
            role: p.role.clone(),
            team: p.team.clone(),
            manager: p.manager.clone(),
            timezone: p.timezone.clone(),
            reports: node
                .reports
                .iter()
                .map(|r| r.person.handle.clone())
                .collect(),
            path: p.path.clone(),
        });
        roles.extend(node.seats.iter().cloned());
        for r in &node.reports {
            walk(r, people, roles);
        }
    }
    let mut people = Vec::new();
    let mut roles = Vec::new();
    for root in &org.roots {
        walk(root, &mut people, &mut roles);
    }
    roles.extend(org.unplaced_roles.iter().cloned());
    roles.sort_by(|a, b| a.path.cmp(&b.path));
    OrgJson {
        schema_version: 1,
        people,
        roles,
        roots: org.roots.iter().map(|r| r.person.handle.clone()).collect(),
    }
}

/// `role · team · timezone`, leaving out what is not known.
fn facts(p: &Person) -> String {
    [&p.role, &p.team, &p.timezone]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(" · ")
}

fn seat_facts(r: &OpenRole) -> String {
    [&r.team, &r.status]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(" · ")
}

fn count(org: &Org) -> (usize, usize) {
    fn seats(n: &OrgNode) -> usize {
        n.seats.len() + n.reports.iter().map(seats).sum::<usize>()
    }
    let people = org.roots.iter().map(OrgNode::size).sum();
    let roles = org.roots.iter().map(seats).sum::<usize>() + org.unplaced_roles.len();
    (people, roles)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// The tree as text: one line per person with role, team and timezone, seats marked `open:`.
pub fn org_text(org: &Org) -> String {
    fn line(node: &OrgNode, prefix: &str, branch: &str, out: &mut String) {
        let p = &node.person;
        out.push_str(&format!(
            "{prefix}{branch}{} ({})  {}\n",
            paint(BOLD, &p.name),
            p.handle,
            paint(DIM, &facts(p))
        ));
        let inner = format!(
            "{prefix}{}",
            match branch {
                "" => "",
                "└─ " => "   ",
                _ => "│  ",
            }
        );
        let last = node.reports.len() + node.seats.len();
        let mut n = 0;
        for r in &node.reports {
            n += 1;
            line(r, &inner, if n == last { "└─ " } else { "├─ " }, out);
        }
        for s in &node.seats {
            n += 1;
            out.push_str(&format!(
                "{inner}{}open: {}  {}  {}\n",
                if n == last { "└─ " } else { "├─ " },
                s.title,
                paint(DIM, &seat_facts(s)),
                paint(DIM, &s.path)
            ));
        }
    }
    let (people, roles) = count(org);
    let mut out = format!(
        "{}, {}\n\n",
        plural(people, "person", "people"),
        plural(roles, "open role", "open roles")
    );
    for root in &org.roots {
        line(root, "", "", &mut out);
    }
    if !org.unplaced_roles.is_empty() {
        out.push_str("\nOpen roles without a hiring manager in people/:\n");
        for s in &org.unplaced_roles {
            out.push_str(&format!("  {}  {}  {}\n", s.title, seat_facts(s), s.path));
        }
    }
    out
}

/// The tree as nested Markdown lists, linked to each page.
pub fn org_markdown(org: &Org) -> String {
    fn item(node: &OrgNode, depth: usize, out: &mut String) {
        let p = &node.person;
        let indent = "  ".repeat(depth);
        let about = facts(p);
        out.push_str(&format!(
            "{indent}- {} (`{}`){}\n",
            link(&p.name, &p.path),
            p.handle,
            match about.is_empty() {
                true => String::new(),
                false => format!(": {}", escape_text(&about)),
            }
        ));
        for r in &node.reports {
            item(r, depth + 1, out);
        }
        for s in &node.seats {
            out.push_str(&format!(
                "{indent}  - _Open role:_ {} ({})\n",
                link(&s.title, &s.path),
                escape_text(&seat_facts(s))
            ));
        }
    }
    let (people, roles) = count(org);
    let mut out = format!(
        "## Org chart\n\n{}, {}.\n\n",
        plural(people, "person", "people"),
        plural(roles, "open role", "open roles")
    );
    for root in &org.roots {
        item(root, 0, &mut out);
    }
    if !org.unplaced_roles.is_empty() {
        out.push_str("\n### Open roles without a hiring manager\n\n");
        for s in &org.unplaced_roles {
            out.push_str(&format!(
                "- {} ({})\n",
                link(&s.title, &s.path),
                escape_text(&seat_facts(s))
            ));
        }
    }
    out
}

/// Text safe inside a Mermaid `["..."]` label.
fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

/// The tree as a Mermaid flowchart, top-down; seats as dashed rounded nodes.
pub fn org_mermaid(org: &Org) -> String {
    let mut out = String::from("flowchart TD\n");
    let mut edges = String::new();
    let mut next = 0;
    fn walk(node: &OrgNode, next: &mut usize, out: &mut String, edges: &mut String) -> usize {
        *next += 1;
        let id = *next;
        let p = &node.person;
        out.push_str(&format!(
            "  p{id}[\"{}<br/>{}\"]\n",
            mermaid_text(&p.name),
            mermaid_text(&facts(p))
        ));
        for r in &node.reports {
            let child = walk(r, next, out, edges);
            edges.push_str(&format!("  p{id} --> p{child}\n"));
        }
        for s in &node.seats {
            *next += 1;
            out.push_str(&format!(
                "  p{}(\"Open: {}<br/>{}\"):::open\n",
                *next,
                mermaid_text(&s.title),
                mermaid_text(&seat_facts(s))
            ));
            edges.push_str(&format!("  p{id} -.-> p{}\n", *next));
        }
        id
    }
    for root in &org.roots {
        walk(root, &mut next, &mut out, &mut edges);
    }
    for s in &org.unplaced_roles {
        next += 1;
        out.push_str(&format!(
            "  p{next}(\"Open: {}<br/>{}\"):::open\n",
            mermaid_text(&s.title),
            mermaid_text(&seat_facts(s))
        ));
    }
    out.push_str(&edges);
    out.push_str("  classDef open stroke-dasharray: 5 5\n");
    out
}

/// A Graphviz quoted string.
fn dot_text(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The tree as a Graphviz digraph (`dot -Tsvg`); seats as dashed boxes.
pub fn org_dot(org: &Org) -> String {
    let mut out = String::from(
        "digraph org {\n  rankdir=TB;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n",
    );
    let mut next = 0;
    fn walk(node: &OrgNode, next: &mut usize, out: &mut String) -> usize {
        *next += 1;
        let id = *next;
        let p = &node.person;
        out.push_str(&format!(
            "  p{id} [label={}, tooltip={}];\n",
            dot_text(&format!("{}\n{}", p.name, facts(p))),
            dot_text(&p.handle)
        ));
        for r in &node.reports {
            let child = walk(r, next, out);
            out.push_str(&format!("  p{id} -> p{child};\n"));
        }
        for s in &node.seats {
            *next += 1;
            out.push_str(&format!(
                "  p{} [label={}, style=\"rounded,dashed\"];\n  p{id} -> p{} [style=dashed];\n",
                *next,
                dot_text(&format!("Open: {}\n{}", s.title, seat_facts(s))),
                *next
            ));
        }
        id
    }
    for root in &org.roots {
        walk(root, &mut next, &mut out);
    }
    for s in &org.unplaced_roles {
        next += 1;
        out.push_str(&format!(
            "  p{next} [label={}, style=\"rounded,dashed\"];\n",
            dot_text(&format!("Open: {}\n{}", s.title, seat_facts(s)))
        ));
    }
    out.push_str("}\n");
    out
}

/// One page, inline CSS, no scripts: the tree as nested lists.
pub fn org_html(org: &Org, kb_name: &str) -> Result<String, minijinja::Error> {
    let mut env = minijinja::Environment::new();
    // The `.html` name turns on HTML autoescaping for every `{{ }}`.
    env.add_template("org.html", HTML_TEMPLATE)?;
    let (people, roles) = count(org);
    env.get_template("org.html")?.render(minijinja::context! {
        org => minijinja::value::Serde(org),
        kb_name => kb_name,
        people => people,
        roles => roles,
    })
}

/// Whom a cycle puts at the top of its drawing, for the warning that goes with it.
pub fn cycle_note(handles: &[String]) -> String {
    let mut chain = handles.to_vec();
    chain.extend(handles.first().cloned());
    format!(
        "managers go round in a cycle ({}): drawn from {}; `kb check` reports it",
        chain.join(" -> "),
        handles.first().map_or("", String::as_str)
    )
}
