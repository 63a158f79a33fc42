//! Planning a new doc for `kb new`: its path, its id (the next free number of the type's
//! pattern), its author, and its text rendered from the type's template and checked against the
//! type's schema. [`plan`] writes nothing (for `--dry-run`); [`create`] plans and writes under the
//! KB's write lock, so concurrent `kb new` never hand out one id twice.

use crate::doc::{self, frontmatter};
use crate::error::{Error, Result};
use crate::kb::Kb;
use crate::schema::DocType;
use crate::slug::slugify;
use crate::template;
use chrono::{Datelike, NaiveDate};
use serde_json::Value;
use std::collections::BTreeMap;

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub doc_type: String,
    pub title: String,
    pub owner: Option<String>,
    pub tags: Vec<String>,
    pub parent: Option<String>,
    pub period: Option<String>,
    /// `--set key=value`, available to the template as variables.
    pub sets: Vec<(String, String)>,
}

/// A doc ready to be written.
#[derive(Debug, Clone)]
pub struct NewDoc {
    /// Relative to the KB root, with `/`.
    pub path: String,
    pub id: Option<String>,
    pub doc_type: String,
    pub title: String,
    pub content: String,
    /// A note for the user: the type had no template, so the doc came from the generic one.
    pub hint: Option<String>,
}

/// Plans the doc and writes it, holding the write lock from the id scan to the rename.
pub fn create(kb: &Kb, req: &Request, author: &str) -> Result<NewDoc> {
    let _lock = crate::fsutil::lock(&kb.root)?;
    let doc = plan(kb, req, author)?;
    crate::fsutil::write_new(&kb.root, &doc.path, doc.content.as_bytes())?;
    Ok(doc)
}

/// The doc `req` asks for, not written.
pub fn plan(kb: &Kb, req: &Request, author: &str) -> Result<NewDoc> {
    let schema = &kb.config.schema;
    let t = schema.get(&req.doc_type).ok_or_else(|| {
        let known: Vec<&str> = schema.types().map(|t| t.name.as_str()).collect();
        Error::usage_with_hint(
            format!("unknown doc type {:?}", req.doc_type),
            format!("the types are: {}", known.join(", ")),
        )
    })?;
    let title = req.title.trim();
    if title.contains(['\n', '\r']) {
        return Err(Error::usage("the title must be one line"));
    }
    if let Some(c) = title.chars().find(|c| c.is_control()) {
        return Err(Error::usage_with_hint(
            format!(
                "the title contains the control character U+{:04X}",
                u32::from(c)
            ),
            "retype the title; text pasted from some tools carries invisible characters",
        ));
    }
    if title.is_empty() {
        return Err(Error::usage_with_hint(
            "the title is empty",
            format!("give a title: kb new {} \"What it is about\"", t.name),
        ));
    }
    let slug = match slugify(title) {
        s if s.is_empty() => t.name.clone(),
        s => s,
    };
    let today = kb.config.today;
    let set = |key: &str| {
        req.sets
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let id = match (set("id"), &t.id_pattern) {
        (Some(id), _) => Some(id),
        (None, Some(pattern)) => Some(next_id(pattern, &existing_ids(kb, &t.folder))),
        (None, None) if t.required.iter().any(|f| f == "id") => Some(slug.clone()),
        (None, None) => None,
    };
    let period = req
        .period
        .clone()
        .or_else(|| (t.name == "goal").then(|| current_quarter(today)));
    let year = period
        .as_deref()
        .and_then(|p| p.get(..4))
        .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
        .map_or_else(|| today.year().to_string(), str::to_string);
    let path = doc_path(t, &slug, id.as_deref(), today, &year, author);
    if kb.root.join(&path).exists() {
        let hint = match t.filename.contains("{slug}") {
            true => "kb never overwrites a file: choose another title, or edit the existing doc",
            false => "there is one such doc per author and day: edit the existing one",
        };
        return Err(Error::usage_with_hint(
            format!("{path} already exists"),
            hint,
        ));
    }

    let owner = req.owner.clone().unwrap_or_else(|| author.to_string());
    let mut vars: BTreeMap<String, Value> = BTreeMap::new();
    for (k, v) in &req.sets {
        vars.insert(k.clone(), Value::String(v.clone()));
    }
    let text = |s: &str| Value::String(s.to_string());
    vars.insert("title".into(), text(title));
    vars.insert("slug".into(), text(&slug));
    vars.insert("id".into(), text(id.as_deref().unwrap_or("")));
    vars.insert("date".into(), text(&today.format("%Y-%m-%d").to_string()));
    vars.insert("now".into(), text(&crate::date::now_rfc3339(today)));
    vars.insert("author".into(), text(author));
    vars.insert("owner".into(), text(&owner));
    vars.insert("type".into(), text(&t.name));
    vars.insert("period".into(), text(period.as_deref().unwrap_or("")));
    vars.insert("parent".into(), text(req.parent.as_deref().unwrap_or("")));
    vars.insert("tags".into(), Value::from(req.tags.clone()));

    let template = template::for_type(&kb.root, t, &req.sets)?;
    let content = template::render(&template, &vars)?;
    check_rendered(&template, t, &path, &content, kb)?;
    let hint = (template.origin == template::Origin::Generic).then(|| {
        format!(
            "{name} has no template, so the doc has only its front-matter fields and a heading; \
             put a template in {dir}/{name}.md to give every new {name} its sections \
             (`kb templates show spec` prints one to start from)",
            name = t.name,
            dir = template::OVERRIDE_DIR
        )
    });
    Ok(NewDoc {
        path,
        id,
        doc_type: t.name.clone(),
        title: title.to_string(),
        content,
        hint,
    })
}

/// A template that yields a doc breaking its own type's schema is a bug to report, not a file
/// to write.
fn check_rendered(
    template: &template::Template,
    t: &DocType,
    path: &str,
    content: &str,
    kb: &Kb,
) -> Result<()> {
    let source = doc::parse(
        path.to_string(),
        content.as_bytes().to_vec(),
        &kb.config.schema,
    )
    .map_err(|e| Error::Template {
        file: template.file(),
        line: None,
        message: format!(
            "the rendered doc does not parse: {} (line {} of the result)",
            e.message, e.line
        ),
    })?;
    if source.doc.doc_type.as_deref() != Some(t.name.as_str()) {
        return Err(Error::Template {
            file: template.file(),
            line: None,
            message: format!(
                "the rendered doc has type {:?}, not {:?}",
                source.doc.doc_type.unwrap_or_default(),
                t.name
            ),
        });
    }
    let violations = kb.config.schema.validate(&source.doc);
    if let Some(v) = violations.first() {
        return Err(Error::Template {
            file: template.file(),
            line: None,
            message: format!(
                "the rendered doc breaks the {} schema: {}",
                t.name, v.message
            ),
        });
    }
    Ok(())
}

fn doc_path(
    t: &DocType,
    slug: &str,
    id: Option<&str>,
    today: NaiveDate,
    year: &str,
    author: &str,
) -> String {
    let name = t
        .filename
        .replace("{slug}", slug)
        .replace("{date}", &today.format("%Y-%m-%d").to_string())
        .replace("{year}", year)
        .replace("{id}", &slugify(id.unwrap_or("")))
        .replace("{author}", &slugify(author));
    // A pattern whose pieces were empty must not leave `-x`, `x-` or `//`.
    let name: Vec<String> = name
        .split('/')
        .map(|part| part.trim_matches('-').to_string())
        .filter(|part| !part.is_empty() && part != "." && part != "..")
        .collect();
    let name = if name.is_empty() {
        slug.to_string()
    } else {
        name.join("/")
    };
    match t.folder.as_str() {
        "" => format!("{name}.md"),
        folder => format!("{folder}/{name}.md"),
    }
}

/// The ids of the docs in `folder`, read from front-matter without a full parse: `kb new` must
/// stay instant on a 100k-doc KB, and ids of a type live in its folder.
fn existing_ids(kb: &Kb, folder: &str) -> Vec<String> {
    let (found, _) = kb.walk_folder_with(folder, |rel| {
        let text = kb.read_doc_bytes(rel).ok()?;
        let text = String::from_utf8_lossy(&text);
        frontmatter::quick_field(&text, "id").map(str::to_string)
    });
    found.into_iter().filter_map(|(_, id)| id).collect()
}

/// The next id for `pattern` (such as `RCA-{n:04}`): one past the highest number among `ids`
/// that fit the pattern, so gaps are never reused.
pub fn next_id(pattern: &str, ids: &[String]) -> String {
    let Some(start) = pattern.find("{n") else {
        return pattern.to_string();
    };
    let Some(len) = pattern[start..].find('}') else {
        return pattern.to_string();
    };
    let (prefix, spec, suffix) = (
        &pattern[..start],
        &pattern[start + 2..start + len],
        &pattern[start + len + 1..],
    );
    let width: usize = spec
        .trim_start_matches(':')
        .trim_start_matches('0')
        .parse()
        .unwrap_or(0);
    let highest = ids
        .iter()
        .filter_map(|id| {
            let rest = strip_prefix_ignore_case(id, prefix)?;
            let digits =
                rest.strip_suffix(suffix)
                    .unwrap_or(if suffix.is_empty() { rest } else { "" });
            (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.parse::<u64>().ok())?
        })
        .max()
        .unwrap_or(0);
    format!("{prefix}{:0width$}{suffix}", highest.saturating_add(1))
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn current_quarter(today: NaiveDate) -> String {
    format!("{}-Q{}", today.year(), (today.month() - 1) / 3 + 1)
}

/// Who is writing, and how kb knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub handle: String,
    /// The git identity matched no person of people/ (which has some): the handle is a guess
    /// from the git name or email, and the user should be told once.
    pub guessed_from: Option<String>,
}

/// The author: `KB_USER`, else the person in people/ whose email or name matches the git
/// identity, else the git name as a slug, else the email's local part.
pub fn author(kb: &Kb, identity: &crate::git::Identity) -> Option<Author> {
    if let Some(user) = &kb.config.user {
        return Some(Author {
            handle: user.clone(),
            guessed_from: None,
        });
    }
    let people_folder = kb
        .config
        .schema
        .get("person")
        .map_or("people", |t| t.folder.as_str());
    let (people, _) = kb.walk_folder_with(people_folder, |rel| {
        kb.read_walked(rel.to_string()).ok().map(|s| s.doc)
    });
    let same = |a: &Option<String>, b: Option<String>| {
        a.as_ref()
            .zip(b)
            .is_some_and(|(a, b)| a.trim().eq_ignore_ascii_case(b.trim()))
    };
    for (_, person) in &people {
        let Some(person) = person else { continue };
        let text = |k: &str| person.fields.get(k).and_then(doc::scalar_string);
        if same(&identity.email, text("email")) || same(&identity.name, text("name")) {
            if let Some(handle) = text("handle") {
                return Some(Author {
                    handle,
                    guessed_from: None,
                });
            }
        }
    }
    let guessed_from = (!people.is_empty())
        .then(|| identity.email.clone().or_else(|| identity.name.clone()))
        .flatten();
    guessed_handle(identity).map(|handle| Author {
        handle,
        guessed_from,
    })
}

fn guessed_handle(identity: &crate::git::Identity) -> Option<String> {
    let from_name = identity
        .name
        .as_deref()
        .map(slugify)
        .filter(|s| !s.is_empty());
    from_name.or_else(|| {
        identity
            .email
            .as_ref()
            .and_then(|e| e.split('@').next())
            .map(str::to_string)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_id_skips_past_the_highest_and_keeps_gaps() {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(next_id("RCA-{n:04}", &ids(&[])), "RCA-0001");
        assert_eq!(
            next_id(
                "RCA-{n:04}",
                &ids(&["RCA-0001", "RCA-0007", "rca-0003", "SPEC-0100", "RCA-x"])
            ),
            "RCA-0008"
        );
        assert_eq!(
            next_id("INC-{n}-X", &ids(&["INC-41-X", "INC-9-X"])),
            "INC-42-X"
        );
        assert_eq!(next_id("ADR-{n:03}", &ids(&["ADR-1234"])), "ADR-1235");
    }

    #[test]
    fn quarters() {
        let d = |m| NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
        assert_eq!(current_quarter(d(1)), "2026-Q1");
        assert_eq!(current_quarter(d(11)), "2026-Q4");
    }
}
