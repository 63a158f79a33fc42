//! A document: one Markdown file of the KB, its front-matter fields, and what kb derives from it
//! (title, type, status). Reading a file into a [`Document`] is cheap; the Markdown outline
//! (headings, links) is computed only by commands that need it, from a [`Source`].

mod fields;
pub mod frontmatter;
pub mod markdown;

use crate::error::{DocError, DocErrorKind};
use crate::schema::Schema;
pub use frontmatter::{Fields, View};
use serde_json::Value;
use std::borrow::Cow;

/// One doc's metadata; the body is not kept, so 100k of these fit in memory.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Document {
    /// Path relative to the KB root, with `/`: the doc's canonical identity. The doc cache
    /// keeps it once, as its entry's key: whoever loads docs from it sets it from the walk's
    /// path (`Kb::load_folder`, `check::Context::build`), a move where a copy was decoded.
    #[serde(skip)]
    pub path: String,
    /// `title:`, else the first `# heading` (else the first heading of any level), else the file
    /// name.
    pub title: String,
    /// `type:`, else the type whose folder holds the doc.
    pub doc_type: Option<String>,
    #[serde(with = "crate::cache::fields")]
    pub fields: Fields,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
    /// What git says about the doc, for commands that asked (`history::attach`).
    #[serde(skip)]
    pub git: Option<Box<crate::history::GitFacts>>,
}

/// A document together with its text, for commands that read the body.
#[derive(Debug, Clone)]
pub struct Source {
    pub doc: Document,
    pub text: String,
    body_offset: usize,
}

impl Source {
    /// The text after the front-matter.
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    pub fn outline(&self) -> markdown::Outline {
        markdown::outline(self.body(), self.doc.body_line)
    }
}

/// Parses the bytes of the file at `path` (relative to the KB root), keeping its text.
pub fn parse(path: String, bytes: Vec<u8>, schema: &Schema) -> Result<Source, DocError> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => return Err(not_utf8(path, e.as_bytes(), e.utf8_error().valid_up_to())),
    };
    let text = normalize(&text).into_owned();
    let (doc, body_offset) = analyze(path, &text, schema)?;
    Ok(Source {
        doc,
        text,
        body_offset,
    })
}

/// Parses the bytes of the file at `path` into its metadata alone: what a listing needs, without
/// copying the text, so a reader can reuse one buffer for every file.
pub fn parse_metadata(path: String, bytes: &[u8], schema: &Schema) -> Result<Document, DocError> {
    parse_metadata_with_body(path, bytes, schema, |doc, _| doc)
}

/// Like [`parse_metadata`], and lends the body to `read` for what it needs of it (a check-in's
/// narrative), still without copying the whole text.
pub fn parse_metadata_with_body<T>(
    path: String,
    bytes: &[u8],
    schema: &Schema,
    read: impl FnOnce(Document, &str) -> T,
) -> Result<T, DocError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => return Err(not_utf8(path, bytes, e.valid_up_to())),
    };
    let text = normalize(text);
    analyze(path, &text, schema).map(|(doc, offset)| read(doc, &text[offset..]))
}

/// The text as the parser expects it: without byte-order marks (some tools write two), and with
/// `\n` line ends where the file uses old Mac `\r` alone (same length, so offsets hold).
fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.trim_start_matches('\u{feff}');
    match text.contains('\r') && !text.contains('\n') {
        true => std::borrow::Cow::Owned(text.replace('\r', "\n")),
        false => std::borrow::Cow::Borrowed(text),
    }
}

fn not_utf8(path: String, bytes: &[u8], valid: usize) -> DocError {
    let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = bytes[..valid]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    DocError {
        path,
        line,
        column: Some(valid - line_start + 1),
        kind: DocErrorKind::NotUtf8,
        message: format!("not valid UTF-8 (byte {valid})"),
    }
}

/// The document in `text` (BOM removed), and the byte offset of its body.
fn analyze(path: String, text: &str, schema: &Schema) -> Result<(Document, usize), DocError> {
    let error = |p: frontmatter::Problem, kind| DocError {
        path: path.clone(),
        line: p.line,
        column: p.column,
        kind,
        message: p.message,
    };
    let split =
        frontmatter::split(text).map_err(|p| error(p, DocErrorKind::UnclosedFrontMatter))?;
    let kind = match split.format {
        frontmatter::Format::Toml => DocErrorKind::BadToml,
        _ => DocErrorKind::BadYaml,
    };
    let fields = frontmatter::parse(&split).map_err(|p| error(p, kind))?;
    let (body_offset, body_line) = (split.body_offset, split.body_line);

    let title = match fields.get("title").and_then(scalar_string) {
        Some(title) if !title.trim().is_empty() => title.trim().to_string(),
        _ => markdown::title_heading(&text[body_offset..]).unwrap_or_else(|| file_stem(&path)),
    };
    let doc_type = match fields.get("type").and_then(scalar_string) {
        Some(t) if !t.is_empty() => Some(t),
        _ => schema.type_for_path(&path).map(str::to_string),
    };
    let doc = Document {
        path,
        title,
        doc_type,
        fields,
        body_line,
        git: None,
    };
    Ok((doc, body_offset))
}

fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    // `handbook/benefits/index.md` is titled after its folder.
    if matches!(stem, "index" | "_index" | "README" | "readme") {
        if let Some(folder) = path.rsplit('/').nth(1) {
            return folder.to_string();
        }
    }
    stem.to_string()
}

/// The names Hugo and Jekyll give kb's date fields, as `(kb's name, theirs)`: a doc that does not
/// set kb's field is read through theirs, so listings, `--where`, search and export agree.
pub const DATE_ALIASES: &[(&str, &str)] = &[("updated", "lastmod"), ("created", "date")];

/// The Hugo or Jekyll name of kb's date field `key`, if it has one.
fn date_alias(key: &str) -> Option<&'static str> {
    DATE_ALIASES
        .iter()
        .find(|(ours, _)| *ours == key)
        .map(|(_, theirs)| *theirs)
}

/// A scalar front-matter value as text; lists and maps have none.
pub fn scalar_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Document {
    /// A front-matter field by name; `a.b` reaches into maps. `path`, `title` and `type` answer
    /// with kb's derived values when the front-matter does not set them.
    pub fn field(&self, key: &str) -> Option<Value> {
        let mut parts = key.split('.');
        let first = parts.next()?;
        if first == "git" {
            let mut value = serde_json::to_value(self.git.as_deref()?).ok()?;
            for part in parts {
                value = value.as_object_mut()?.remove(part)?;
            }
            return Some(value);
        }
        let git_date = |pick: fn(&crate::history::GitFacts) -> chrono::NaiveDate| {
            self.git
                .as_deref()
                .map(|g| Value::String(pick(g).to_string()))
        };
        let mut value = match self.fields.value(first) {
            Some(v) => v.into_owned(),
            None => {
                return match key {
                    // Git's dates, when the command read them, stand in for typed ones.
                    "updated" => self
                        .fields
                        .value("lastmod")
                        .map(Cow::into_owned)
                        .or_else(|| git_date(|g| g.updated)),
                    "created" => self
                        .fields
                        .value("date")
                        .map(Cow::into_owned)
                        .or_else(|| git_date(|g| g.created)),
                    "path" => Some(Value::String(self.path.clone())),
                    "title" => Some(Value::String(self.title.clone())),
                    "type" => self.doc_type.clone().map(Value::String),
                    _ => date_alias(key)
                        .and_then(|alias| self.fields.value(alias))
                        .map(Cow::into_owned),
                };
            }
        };
        for part in parts {
            value = value.as_object_mut()?.remove(part)?;
        }
        Some(value)
    }

    pub fn text_field(&self, key: &str) -> Option<String> {
        text_of(self.fields.view(key)).map(Cow::into_owned)
    }

    pub fn id(&self) -> Option<String> {
        self.text_field("id")
    }

    /// `status:`, or `state:` (the goal's word for it).
    pub fn status(&self) -> Option<String> {
        self.text_field("status")
            .or_else(|| self.text_field("state"))
    }

    pub fn owner(&self) -> Option<String> {
        self.text_field("owner")
    }

    /// `tags:` as a list, or as one comma- or space-separated string.
    pub fn tags(&self) -> Vec<String> {
        tags_of(self.fields.view("tags"))
            .into_iter()
            .map(Cow::into_owned)
            .collect()
    }

    /// `created:`, else Hugo's `date:`, as [`Document::date_field`] reads it.
    pub fn created(&self) -> Option<String> {
        self.date_or_alias("created")
    }

    /// `updated:`, else Hugo's `lastmod:`, as [`Document::date_field`] reads it.
    pub fn updated(&self) -> Option<String> {
        self.date_or_alias("updated")
    }

    /// [`Document::created`], else the date of the doc's first commit when git was read.
    pub fn created_or_git(&self) -> Option<String> {
        self.created()
            .or_else(|| self.git.as_ref().map(|g| g.created.to_string()))
    }

    /// [`Document::updated`], else the date of the doc's last commit when git was read: the
    /// front-matter wins where someone typed a date.
    pub fn updated_or_git(&self) -> Option<String> {
        self.updated()
            .or_else(|| self.git.as_ref().map(|g| g.updated.to_string()))
    }

    /// What a listing shows of every doc, as the methods above read each of them, found in one
    /// pass over the fields, its texts borrowed: a pass per field, and a copy of each text, were
    /// a fifth of `kb ls --format json`.
    pub fn listed(&self) -> Listed<'_> {
        let [id, status, state, owner, tags, created, date, updated, lastmod] =
            self.fields.views([
                "id", "status", "state", "owner", "tags", "created", "date", "updated", "lastmod",
            ]);
        debug_assert_eq!(DATE_ALIASES, [("updated", "lastmod"), ("created", "date")]);
        let git = self.git.as_deref();
        Listed {
            id: text_of(id),
            status: text_of(status).or_else(|| text_of(state)),
            owner: text_of(owner),
            tags: tags_of(tags),
            created: date_of(created)
                .or_else(|| date_of(date))
                .or_else(|| git.map(|g| Cow::Owned(g.created.to_string()))),
            updated: date_of(updated)
                .or_else(|| date_of(lastmod))
                .or_else(|| git.map(|g| Cow::Owned(g.updated.to_string()))),
        }
    }

    fn date_or_alias(&self, key: &str) -> Option<String> {
        self.date_field(key)
            .or_else(|| date_alias(key).and_then(|alias| self.date_field(alias)))
    }

    /// A date field as `YYYY-MM-DD` when it is one; other text is passed through.
    pub fn date_field(&self, key: &str) -> Option<String> {
        date_of(self.fields.view(key)).map(Cow::into_owned)
    }
}

/// The front-matter a listing shows of a doc ([`Document::listed`]); dates fall back to git's.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed<'a> {
    pub id: Option<Cow<'a, str>>,
    pub status: Option<Cow<'a, str>>,
    pub owner: Option<Cow<'a, str>>,
    pub tags: Vec<Cow<'a, str>>,
    pub created: Option<Cow<'a, str>>,
    pub updated: Option<Cow<'a, str>>,
}

/// A scalar value as text, when not empty.
fn text_of(value: Option<View<'_>>) -> Option<Cow<'_, str>> {
    value?.text().filter(|text| !text.is_empty())
}

/// A list of tags, or one comma- or space-separated string of them.
fn tags_of(value: Option<View<'_>>) -> Vec<Cow<'_, str>> {
    let Some(value) = value else {
        return Vec::new();
    };
    if let Some(items) = value.items() {
        return items.into_iter().filter_map(View::text).collect();
    }
    match value.string() {
        Some(s) => s
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|t| !t.is_empty())
            .map(Cow::Borrowed)
            .collect(),
        None => Vec::new(),
    }
}

/// A date as `YYYY-MM-DD` when it is one; other text is passed through.
fn date_of(value: Option<View<'_>>) -> Option<Cow<'_, str>> {
    let raw = text_of(value)?;
    Some(match crate::date::parse(&raw) {
        Some(date) => crate::date::ymd(date, raw),
        None => raw,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(path: &str, text: &str) -> Result<Source, DocError> {
        parse(
            path.to_string(),
            text.as_bytes().to_vec(),
            &Schema::default(),
        )
    }

    #[test]
    fn title_from_front_matter_heading_or_file_name() {
        assert_eq!(
            doc("a.md", "---\ntitle: T\n---\n# H\n").unwrap().doc.title,
            "T"
        );
        assert_eq!(
            doc("a.md", "---\nowner: x\n---\n# H\n").unwrap().doc.title,
            "H"
        );
        assert_eq!(
            doc("dir/some-file.md", "text").unwrap().doc.title,
            "some-file"
        );
        assert_eq!(doc("benefits/index.md", "").unwrap().doc.title, "benefits");
    }

    /// `listed` reads in one pass what the accessors read one by one, from fields parsed and
    /// from fields kept packed as the cache keeps them.
    #[test]
    fn listed_agrees_with_the_accessors() {
        let texts = [
            "---\nid: 7\nstatus: draft\nowner: dana\ntags: [a, b]\ncreated: 2026-01-02\nupdated: 2026-02-03T10:00:00Z\n---\n",
            "---\nstate: on-track\ntags: 'x, y z'\ndate: 2025-05-06\nlastmod: not-a-date-lastmod\nowner: ''\n---\n",
            "---\ntags: lone\ncreated: someday\n---\n",
            "---\ntags: 7\nid: true\nstatus: [a]\nowner: {x: 1}\nupdated: ' 2026-03-04 '\n---\n",
            "---\ntags: [1, x, [y], '']\nid: 1.5\ncreated: 2026-13-01\n---\n",
            "no front-matter",
        ];
        for text in texts {
            let mut d = doc("a.md", text).unwrap().doc;
            for packed in [false, true] {
                if packed {
                    d.fields.pack();
                    assert!(d.fields.packed().is_some());
                }
                let expected = Listed {
                    id: d.id().map(Cow::Owned),
                    status: d.status().map(Cow::Owned),
                    owner: d.owner().map(Cow::Owned),
                    tags: d.tags().into_iter().map(Cow::Owned).collect(),
                    created: d.created_or_git().map(Cow::Owned),
                    updated: d.updated_or_git().map(Cow::Owned),
                };
                assert_eq!(d.listed(), expected, "{text:?}, packed: {packed}");
            }
        }
        // What each shape reads as, written down before the one-pass reading was.
        let listed = |i: usize| {
            let mut d = doc("a.md", texts[i]).unwrap().doc;
            d.fields.pack();
            let l = d.listed();
            let text = |t: &Option<Cow<str>>| t.as_deref().map(str::to_string);
            (
                [&l.id, &l.status, &l.owner, &l.created, &l.updated].map(text),
                l.tags.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
            )
        };
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            listed(0),
            (
                [
                    some("7"),
                    some("draft"),
                    some("dana"),
                    some("2026-01-02"),
                    some("2026-02-03")
                ],
                vec!["a".to_string(), "b".into()]
            )
        );
        assert_eq!(
            listed(1),
            (
                [
                    None,
                    some("on-track"),
                    None,
                    some("2025-05-06"),
                    some("not-a-date-lastmod")
                ],
                vec!["x".to_string(), "y".into(), "z".into()]
            )
        );
        assert_eq!(listed(2).0[3], some("someday"));
        assert_eq!(listed(2).1, vec!["lone".to_string()]);
        // A number is no list of tags; a list or a map is no id, status or owner.
        assert_eq!(
            listed(3),
            ([some("true"), None, None, None, some("2026-03-04")], vec![])
        );
        // List items: scalars as text, an empty one kept, a nested list left out.
        assert_eq!(listed(4).1, vec!["1".to_string(), "x".into(), "".into()]);
        assert_eq!(listed(4).0[0], some("1.5"));
        assert_eq!(listed(4).0[3], some("2026-13-01"));
    }

    #[test]
    fn type_from_field_or_folder() {
        assert_eq!(
            doc("rca/x.md", "# X").unwrap().doc.doc_type.as_deref(),
            Some("rca")
        );
        assert_eq!(
            doc("rca/x.md", "---\ntype: spec\n---\n")
                .unwrap()
                .doc
                .doc_type
                .as_deref(),
            Some("spec")
        );
        assert_eq!(doc("misc/x.md", "# X").unwrap().doc.doc_type, None);
    }

    #[test]
    fn bom_is_dropped() {
        let s = doc("a.md", "\u{feff}---\ntitle: T\n---\nbody").unwrap();
        assert_eq!(s.doc.title, "T");
        let s = doc("a.md", "\u{feff}\u{feff}---\ntitle: T\n---\nbody").unwrap();
        assert_eq!(s.doc.title, "T");
        let s = doc("a.md", "---\rtitle: T\r---\rbody").unwrap();
        assert_eq!(s.doc.title, "T");
        assert_eq!(s.body(), "body");
    }

    #[test]
    fn non_utf8_names_line_and_column() {
        let e = parse(
            "a.md".into(),
            b"---\ntitle: ok\n---\nab\xffc\n".to_vec(),
            &Schema::default(),
        )
        .unwrap_err();
        assert_eq!(
            (e.kind, e.line, e.column),
            (DocErrorKind::NotUtf8, 4, Some(3))
        );
    }

    #[test]
    fn fields_and_derived_values() {
        let d = doc("specs/a.md", "---\ntitle: A\nid: SPEC-0001\nstate: active\ntags: a, b\nreview: {due: 2026-12-01}\ncreated: 2026-01-02T10:00:00Z\n---\n")
            .unwrap()
            .doc;
        assert_eq!(d.id().as_deref(), Some("SPEC-0001"));
        assert_eq!(d.status().as_deref(), Some("active"));
        assert_eq!(d.tags(), vec!["a", "b"]);
        assert_eq!(
            d.field("review.due"),
            Some(Value::String("2026-12-01".into()))
        );
        assert_eq!(d.field("path"), Some(Value::String("specs/a.md".into())));
        assert_eq!(d.date_field("created").as_deref(), Some("2026-01-02"));
    }

    #[test]
    fn hugo_dates_stand_in_for_created_and_updated() {
        let d = doc(
            "a.md",
            "---\ndate: 2026-01-02T10:00:00Z\nlastmod: 2026-02-03\n---\n",
        )
        .unwrap()
        .doc;
        assert_eq!(d.created().as_deref(), Some("2026-01-02"));
        assert_eq!(d.updated().as_deref(), Some("2026-02-03"));
        assert_eq!(d.field("updated"), Some(Value::String("2026-02-03".into())));
        let d = doc(
            "a.md",
            "---\ncreated: 2026-03-04\ndate: 2026-01-02\nupdated: \"\"\nlastmod: 2026-02-03\n---\n",
        )
        .unwrap()
        .doc;
        assert_eq!(d.created().as_deref(), Some("2026-03-04"));
        // An empty `updated:` gives way to `lastmod:` in listings, as before.
        assert_eq!(d.updated().as_deref(), Some("2026-02-03"));
        assert_eq!(d.field("updated"), Some(Value::String(String::new())));
    }
}
