//! Front-matter: splitting it from the body, and parsing it. This is the only file that touches
//! YAML (serde_yaml 0.9 is no longer developed, so a switch to a fork stays a one-file change);
//! kb.yaml is parsed through [`from_yaml`] too.
//!
//! YAML between `---` lines is read and written; TOML between `+++` lines (Hugo) is read. Values
//! come out as JSON values so the rest of the crate has one value type to match on.

use serde::de::DeserializeOwned;
use serde_json::{Number, Value};
use std::collections::HashMap;

/// Front-matter (or kb.yaml) larger than this is refused before parsing. Real front-matter is a
/// few KiB (a check-in naming fifty goals is about 20 KiB); ten times the largest we expect still
/// parses in milliseconds, while the parsers' time on hostile input grows with its size.
pub const MAX_YAML_BYTES: usize = 256 * 1024;

/// Nesting deeper than this is refused before parsing: serde_yaml spends about two minutes on
/// 100,000 nested `[` before its own recursion limit (128) stops it. No doc needs more than a
/// handful of levels.
pub const MAX_NESTING: usize = 64;

pub use super::fields::{Fields, View};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    None,
    Yaml,
    Toml,
}

/// A document's text cut into front-matter and body.
#[derive(Debug)]
pub struct Split<'a> {
    pub format: Format,
    /// The text between the fences (empty when there is no front-matter).
    pub raw: &'a str,
    pub body: &'a str,
    /// Byte offset of the body in the text.
    pub body_offset: usize,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// A front-matter problem, at a 1-based line and column of the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: Option<usize>,
    pub message: String,
}

/// Cuts `text` (BOM already removed) into front-matter and body. The only error is a fence that
/// opens and never closes, reported at line 1.
pub fn split(text: &str) -> Result<Split<'_>, Problem> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let format = match text[..first_end].trim_end() {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => {
            return Ok(Split {
                format: Format::None,
                raw: "",
                body: text,
                body_offset: 0,
                body_line: 1,
            })
        }
    };
    let mut offset = first_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let content = text[offset..end].trim_end();
        let closes = match format {
            Format::Yaml => content == "---" || content == "...",
            _ => content == "+++",
        };
        if closes {
            return Ok(Split {
                format,
                raw: &text[first_end..offset],
                body: &text[end..],
                body_offset: end,
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    let fence = if format == Format::Yaml { "---" } else { "+++" };
    Err(Problem {
        line: 1,
        column: None,
        message: format!("front-matter opened with `{fence}` on line 1 is never closed"),
    })
}

/// Parses the front-matter of `split` into fields. Empty front-matter gives no fields.
pub fn parse(split: &Split<'_>) -> Result<Fields, Problem> {
    if split.format != Format::None {
        // The front-matter's first line is line 2 of the file.
        check_bounds(split.raw, 2, "front-matter")?;
    }
    match split.format {
        Format::None => Ok(Fields::new()),
        Format::Yaml => parse_yaml(split.raw),
        Format::Toml => parse_toml(split.raw),
    }
}

/// Refuses `text` (whose first line is file line `first_line`) when it is too large or nested too
/// deeply to hand to a parser; `what` names it in the message.
fn check_bounds(text: &str, first_line: usize, what: &str) -> Result<(), Problem> {
    if text.len() > MAX_YAML_BYTES {
        return Err(Problem {
            line: first_line.saturating_sub(1).max(1),
            column: None,
            message: format!(
                "{what} is {} KiB, more than the {} KiB kb reads; shorten it (long text belongs in a doc's body)",
                text.len().div_ceil(1024),
                MAX_YAML_BYTES / 1024
            ),
        });
    }
    match too_deep(text) {
        Some(line) => Err(Problem {
            line: first_line + line,
            column: None,
            message: format!(
                "{what} nests more than {MAX_NESTING} levels deep; flatten the lists and mappings"
            ),
        }),
        None => Ok(()),
    }
}

/// The 0-based line on which `text` first nests deeper than [`MAX_NESTING`], counting flow
/// brackets (`[`, `{`) and block levels (indentation, `- ` items). Brackets inside quotes and
/// comments count too: over-counting can only refuse absurd text, while skipping quoted text
/// would let a stray quote hide the nesting that follows it.
fn too_deep(text: &str) -> Option<usize> {
    let mut flow = 0usize;
    let mut indents: Vec<usize> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        if flow == 0 && !content.is_empty() && !content.starts_with('#') {
            let indent = line.len() - content.len();
            while indents.last().is_some_and(|&i| i >= indent) {
                indents.pop();
            }
            indents.push(indent);
            if indents.len() + leading_items(content) > MAX_NESTING {
                return Some(n);
            }
        }
        for b in line.bytes() {
            match b {
                b'[' | b'{' => flow += 1,
                b']' | b'}' => flow = flow.saturating_sub(1),
                _ => continue,
            }
            if flow > MAX_NESTING {
                return Some(n);
            }
        }
    }
    None
}

/// How many `- ` list items open on this line (`- - - x` nests three lists).
fn leading_items(content: &str) -> usize {
    let mut rest = content;
    let mut items = 0;
    while let Some(after) = rest.strip_prefix('-') {
        if !(after.is_empty() || after.starts_with([' ', '\t'])) {
            break;
        }
        items += 1;
        rest = after.trim_start_matches([' ', '\t']);
    }
    items
}

fn parse_yaml(raw: &str) -> Result<Fields, Problem> {
    // The common case, a mapping with string keys and plain values, deserializes straight into
    // fields; anything else (a list, a null, integer keys, tags, `.nan`) takes the slower path
    // through serde_yaml's own tree, which also gives the precise error.
    // serde_json makes a non-finite float null on the fast path, which would hide a
    // `weight: .nan` from `kb check`; the slow path keeps it as the text `.nan`.
    let non_finite = raw
        .as_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b".nan") || w.eq_ignore_ascii_case(b".inf"));
    let mut fast_error = None;
    if !non_finite {
        match serde_yaml::from_str::<Fields>(raw) {
            Ok(fields) => return Ok(fields),
            Err(e) => fast_error = Some(e),
        }
    }
    // The front-matter starts on line 2 of the file. serde_yaml's tree refuses a repeated key,
    // which the fast path takes (the last value wins, `kb check` warns): when both fail, the
    // fast path's error is the real one.
    let value: serde_yaml::Value = serde_yaml::from_str(raw).map_err(|e| {
        match fast_error.filter(|_| e.to_string().starts_with("duplicate entry")) {
            Some(fast) => yaml_problem(&fast, 1),
            None => yaml_problem(&e, 1),
        }
    })?;
    match value {
        serde_yaml::Value::Null => Ok(Fields::new()),
        serde_yaml::Value::Mapping(map) => Ok(yaml_mapping_to_fields(map)),
        other => Err(Problem {
            line: 2,
            column: None,
            message: format!(
                "front-matter must be a mapping of `key: value` lines, found {}",
                yaml_kind(&other)
            ),
        }),
    }
}

fn yaml_problem(e: &serde_yaml::Error, line_offset: usize) -> Problem {
    let (line, column) = match e.location() {
        Some(loc) => (loc.line() + line_offset, Some(loc.column())),
        None => (1 + line_offset, None),
    };
    // serde_yaml appends "at line X column Y" to its message; we say where ourselves.
    let message = e.to_string();
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    Problem {
        line,
        column,
        message: format!("invalid YAML front-matter: {message}"),
    }
}

fn yaml_kind(value: &serde_yaml::Value) -> &'static str {
    match value {
        serde_yaml::Value::Null => "nothing",
        serde_yaml::Value::Bool(_) => "a boolean",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::String(_) => "a string",
        serde_yaml::Value::Sequence(_) => "a list",
        serde_yaml::Value::Mapping(_) => "a mapping",
        serde_yaml::Value::Tagged(_) => "a tagged value",
    }
}

fn yaml_mapping_to_fields(map: serde_yaml::Mapping) -> Fields {
    map.into_iter()
        .map(|(k, v)| (yaml_key(k), yaml_to_json(v)))
        .collect()
}

fn yaml_key(key: serde_yaml::Value) -> String {
    match key {
        serde_yaml::Value::String(s) => s,
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Null => "null".into(),
        other => serde_yaml::to_string(&other)
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
    }
}

fn yaml_to_json(value: serde_yaml::Value) -> Value {
    match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                Number::from_f64(f).map_or_else(|| Value::String(n.to_string()), Value::Number)
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(seq) => {
            Value::Array(seq.into_iter().map(yaml_to_json).collect())
        }
        serde_yaml::Value::Mapping(map) => Value::Object(yaml_mapping_to_fields(map).into_map()),
        serde_yaml::Value::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

fn parse_toml(raw: &str) -> Result<Fields, Problem> {
    let table: toml::Table = toml::from_str(raw).map_err(|e| {
        let line = e
            .span()
            .map_or(0, |span| raw[..span.start].matches('\n').count());
        // toml says "duplicate key" without naming it; its span covers the key.
        let named = e
            .span()
            .and_then(|span| raw.get(span))
            .filter(|key| e.message().contains("duplicate") && !key.contains('\n'))
            .map_or(String::new(), |key| format!(" `{}`", key.trim()));
        Problem {
            line: line + 2,
            column: None,
            message: format!(
                "invalid TOML front-matter: {}{named}",
                e.message().trim_end()
            ),
        }
    })?;
    Ok(table
        .into_iter()
        .map(|(k, v)| (k, toml_to_json(v)))
        .collect())
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// One top-level scalar of a doc's YAML front-matter, read without parsing the YAML: for scans
/// over many files (the next free id) where a full parse would cost more than the read.
pub fn quick_field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    for line in lines {
        let line = line.trim_end();
        if line == "---" || line == "..." {
            return None;
        }
        if let Some(value) = line
            .strip_prefix(key)
            .and_then(|rest| rest.strip_prefix(':'))
        {
            let value = value.split(" #").next().unwrap_or("").trim();
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            return (!value.is_empty()).then_some(value);
        }
    }
    None
}

/// The 1-based line of each top-level key of a doc's front-matter (the text without its BOM):
/// YAML `key: value` and TOML `key = value` lines, and a TOML `[table]` header as its table's
/// key. Read without parsing, so findings and edits can point at a field; a key written twice
/// has the line of its last value, the one YAML keeps. Text without front-matter, or with one
/// that never closes (the parse reports that), has no key lines.
pub fn field_lines(text: &str) -> HashMap<String, usize> {
    key_lines(text).last_lines()
}

/// Every top-level key line of a front-matter, repeats kept, in the file's order: one scan
/// for both [`KeyLines::last_lines`] and [`KeyLines::repeats`].
pub struct KeyLines {
    format: Format,
    keys: Vec<(String, usize)>,
}

impl KeyLines {
    /// The line each key is last set on ([`field_lines`]).
    pub fn last_lines(&self) -> HashMap<String, usize> {
        self.keys.iter().cloned().collect()
    }

    /// Top-level YAML keys written again, each with the line it was last set on and the line
    /// of the repeat: YAML readers keep the last value without a word, so the earlier ones are
    /// lost. TOML refuses a repeated key outright (a parse error), so TOML has none here.
    pub fn repeats(&self) -> Vec<(String, usize, usize)> {
        if self.format != Format::Yaml {
            return Vec::new();
        }
        let mut last: HashMap<&str, usize> = HashMap::new();
        let mut out = Vec::new();
        for (key, n) in &self.keys {
            if let Some(before) = last.insert(key, *n) {
                out.push((key.clone(), before, *n));
            }
        }
        out
    }
}

/// The key lines of a doc's front-matter ([`KeyLines`]).
pub fn key_lines(text: &str) -> KeyLines {
    let Ok(split) = split(text) else {
        return KeyLines {
            format: Format::None,
            keys: Vec::new(),
        };
    };
    let mut toml = TomlScan::default();
    let mut yaml = YamlScan::default();
    // The front-matter's first line is line 2 of the file.
    let keys = split
        .raw
        .lines()
        .zip(2..)
        .filter_map(|(line, n)| {
            let key = match split.format {
                Format::Yaml => yaml.key(line),
                Format::Toml => toml.key(line),
                Format::None => None,
            };
            key.map(|k| (k, n))
        })
        .collect();
    KeyLines {
        format: split.format,
        keys,
    }
}

/// Where a line-by-line scan of YAML front-matter is: lines that continue a quoted value over
/// several lines are text, not keys, wherever they start.
#[derive(Default)]
struct YamlScan {
    open_quote: Option<char>,
}

impl YamlScan {
    fn key(&mut self, line: &str) -> Option<String> {
        if let Some(quote) = self.open_quote {
            if closes(line, quote) {
                self.open_quote = None;
            }
            return None;
        }
        let key = yaml_key_line(line)?;
        let value = line.split_once(':').map_or("", |(_, v)| v).trim_start();
        if let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) {
            if !closes(&value[1..], quote) {
                self.open_quote = Some(quote);
            }
        }
        Some(key)
    }
}

/// Whether `text` (inside a quoted YAML value) holds its closing `quote`.
fn closes(text: &str, quote: char) -> bool {
    closing(text, quote).is_some()
}

/// Where in `text` (inside a quoted value) its closing `quote` is: a `"` not escaped by a
/// backslash, or a `'` not doubled.
fn closing(text: &str, quote: char) -> Option<usize> {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            ('"', '\\') => {
                chars.next();
            }
            ('"', '"') => return Some(i),
            ('\'', '\'') if chars.peek().is_some_and(|&(_, c)| c == '\'') => {
                chars.next();
            }
            ('\'', '\'') => return Some(i),
            _ => {}
        }
    }
    None
}

/// `line` (a top-level `key: value`, or `key = value` in TOML) with its value replaced by
/// `value`, every other byte kept: the key as written, an anchor or tag before the value (an
/// alias elsewhere may name it), a comment after it. `None` when the line does not read so.
pub fn with_value(line: &str, format: Format, value: &str) -> Option<String> {
    let separator = if format == Format::Toml { '=' } else { ':' };
    let after_key = key_end(line, separator)? + 1;
    let mut start = after_key + blank_len(&line[after_key..]);
    // `&anchor` and `!tag` tokens stay in front of the new value.
    while line[start..].starts_with(['&', '!']) {
        let token = line[start..].find(char::is_whitespace)?;
        start += token + blank_len(&line[start + token..]);
    }
    let old = &line[start..];
    let end = match old.chars().next() {
        Some(quote @ ('"' | '\'')) => closing(&old[1..], quote)? + 2,
        _ => old.find(" #").unwrap_or(old.len()),
    };
    let tail = &old[end..];
    if !(tail.trim().is_empty() || tail.trim_start().starts_with('#')) {
        return None;
    }
    let head = &line[..start];
    let space = if head.ends_with(separator) { " " } else { "" };
    Some(format!("{head}{space}{value}{tail}"))
}

/// Where the separator after a line's key is: after its closing quote when the key is quoted.
fn key_end(line: &str, separator: char) -> Option<usize> {
    let key = line.trim_start();
    let offset = line.len() - key.len();
    let from = match key.chars().next() {
        Some(quote @ ('"' | '\'')) => closing(&key[1..], quote)? + 2,
        _ => 0,
    };
    Some(offset + from + key[from..].find(separator)?)
}

/// The length of the blanks `text` starts with.
fn blank_len(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

/// The key a top-level YAML `key: value` line sets.
fn yaml_key_line(line: &str) -> Option<String> {
    if !line.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '"' || c == '\'') {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    Some(key.trim().trim_matches(['"', '\'']).to_string())
}

/// Where a line-by-line scan of TOML front-matter is: keys after a `[table]` header belong to
/// the table, and lines inside a `"""` string are text.
#[derive(Default)]
struct TomlScan {
    in_table: bool,
    in_multiline_string: bool,
}

impl TomlScan {
    /// The top-level key this line sets (`key = v`, `a.b = v`, `"quoted key" = v`) or opens
    /// (`[table]`, `[[array.of.tables]]`).
    fn key(&mut self, line: &str) -> Option<String> {
        let was_in_string = self.in_multiline_string;
        let delimiters = line.matches("\"\"\"").count() + line.matches("'''").count();
        if delimiters % 2 == 1 {
            self.in_multiline_string = !self.in_multiline_string;
        }
        if was_in_string {
            return None;
        }
        let line = line.trim_start();
        if let Some(header) = line.strip_prefix('[') {
            self.in_table = true;
            let header = header.strip_prefix('[').unwrap_or(header);
            let (key, rest) = toml_key_segment(header.trim_start())?;
            return rest.starts_with([']', '.']).then_some(key);
        }
        if self.in_table {
            return None;
        }
        let (key, rest) = toml_key_segment(line)?;
        rest.starts_with(['=', '.']).then_some(key)
    }
}

/// The first segment of a TOML key (bare, `"basic"` or `'literal'`) and the text after it,
/// leading blanks removed.
fn toml_key_segment(text: &str) -> Option<(String, &str)> {
    let (key, rest) = match text.chars().next()? {
        quote @ ('"' | '\'') => {
            let inner = &text[1..];
            let end = inner.find(quote)?;
            (&inner[..end], &inner[end + 1..])
        }
        _ => {
            let end = text
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(text.len());
            (&text[..end], &text[end..])
        }
    };
    (!key.is_empty()).then(|| (key.to_string(), rest.trim_start()))
}

/// Parses a whole YAML file (kb.yaml) into `T`, with the 1-based line of any error.
pub fn from_yaml<T: DeserializeOwned + Default>(text: &str) -> Result<T, Problem> {
    if text.trim().is_empty() {
        return Ok(T::default());
    }
    check_bounds(text, 1, "the file")?;
    serde_yaml::from_str(text).map_err(|e| {
        let mut problem = yaml_problem(&e, 0);
        problem.message = problem.message.replace("invalid YAML front-matter: ", "");
        problem
    })
}

/// Writes fields as a YAML front-matter block, fences included.
pub fn to_yaml_block(fields: &Fields) -> String {
    let yaml = if fields.is_empty() {
        String::new()
    } else {
        serde_yaml::to_string(fields).unwrap_or_default()
    };
    format!("---\n{yaml}---\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_replaced_keeping_the_key_as_written_an_anchor_and_a_comment() {
        let date = "2026-11-25";
        let cases = [
            ("reviewed: 2020-01-01", "reviewed: 2026-11-25"),
            ("reviewed: &x 2020-01-01", "reviewed: &x 2026-11-25"),
            ("reviewed: !!str 2020-01-01", "reviewed: !!str 2026-11-25"),
            (
                "reviewed:   \"2020-06-06\"   # last",
                "reviewed:   2026-11-25   # last",
            ),
            (
                "\"reviewed\": '2020-01-01' # it's fine",
                "\"reviewed\": 2026-11-25 # it's fine",
            ),
            ("  reviewed: 2020-01-01 # c", "  reviewed: 2026-11-25 # c"),
            ("reviewed:", "reviewed: 2026-11-25"),
            ("reviewed: 'it''s' # c", "reviewed: 2026-11-25 # c"),
        ];
        for (line, want) in cases {
            assert_eq!(
                with_value(line, Format::Yaml, date).as_deref(),
                Some(want),
                "{line}"
            );
        }
        assert_eq!(
            with_value("reviewed = 2020-01-01 # toml", Format::Toml, date).as_deref(),
            Some("reviewed = 2026-11-25 # toml")
        );
        // A flow value or text after a quote is not a plain value: written anew by the caller.
        assert_eq!(with_value("reviewed: \"a\" b", Format::Yaml, date), None);
        assert_eq!(with_value("no separator", Format::Yaml, date), None);
    }

    #[test]
    fn quick_field_reads_top_level_scalars() {
        let text = "---\ntitle: T\nid: \"RCA-0007\" # note\nnested:\n  id: no\n---\nid: body\n";
        assert_eq!(quick_field(text, "id"), Some("RCA-0007"));
        assert_eq!(quick_field("---\ntitle: T\n---\nid: x\n", "id"), None);
        assert_eq!(quick_field("id: x\n", "id"), None);
    }

    #[test]
    fn field_lines_of_yaml_and_toml() {
        let yaml =
            "---\ntitle: T\nowner: dana\nnested:\n  owner: no\n\"q\": 1\n---\nstatus: body\n";
        let lines = field_lines(yaml);
        assert_eq!(lines["title"], 2);
        assert_eq!(lines["owner"], 3);
        assert_eq!(lines["nested"], 4);
        assert_eq!(lines["q"], 6);
        assert!(!lines.contains_key("status"));

        let toml = "+++\ntitle = \"T\"\n  owner=\"dana\"\nreview.due = 2026-12-01\n\"my key\" = 1\ntags = [\n  \"a = b\",\n]\nnotes = \"\"\"\nstatus = text\n\"\"\"\n[params]\nstatus = \"draft\"\n[[links]]\nurl = \"x\"\n+++\nbody = 1\n";
        let lines = field_lines(toml);
        assert_eq!(lines["title"], 2);
        assert_eq!(lines["owner"], 3);
        assert_eq!(lines["review"], 4);
        assert_eq!(lines["my key"], 5);
        assert_eq!(lines["tags"], 6);
        assert_eq!(lines["notes"], 9);
        assert_eq!(lines["params"], 12);
        assert_eq!(lines["links"], 14);
        assert!(!lines.contains_key("a = b"));
        assert!(!lines.contains_key("status"), "{lines:?}");
        assert!(!lines.contains_key("url"));
        assert!(!lines.contains_key("body"));

        assert!(field_lines("# no front-matter\ntitle: x\n").is_empty());
        assert!(field_lines("---\ntitle: never closed\n").is_empty());
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("# Title\n\nText").unwrap();
        assert_eq!(s.format, Format::None);
        assert_eq!(s.body_line, 1);
        assert!(parse(&s).unwrap().is_empty());
    }

    #[test]
    fn yaml_front_matter_and_body_line() {
        let s = split("---\ntitle: A\ntags: [x, y]\n---\nbody\n").unwrap();
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 5);
        let f = parse(&s).unwrap();
        assert_eq!(f["title"], "A");
        assert_eq!(f["tags"], serde_json::json!(["x", "y"]));
    }

    #[test]
    fn crlf_and_only_front_matter() {
        let s = split("---\r\ntitle: A\r\n---\r\n").unwrap();
        assert_eq!(s.body, "");
        assert_eq!(parse(&s).unwrap()["title"], "A");
        let s = split("---\ntitle: A\n---").unwrap();
        assert_eq!(s.body, "");
    }

    #[test]
    fn empty_front_matter() {
        let s = split("---\n---\nbody").unwrap();
        assert!(parse(&s).unwrap().is_empty());
        let s = split("---\n# only a comment\n---\n").unwrap();
        assert!(parse(&s).unwrap().is_empty());
    }

    #[test]
    fn unclosed_fence_is_line_one() {
        let e = split("---\ntitle: A\nbody\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn yaml_error_line_counts_the_fence() {
        let s = split("---\ntitle: A\nowner: [unclosed\n---\n").unwrap();
        let e = parse(&s).unwrap_err();
        assert!(e.line >= 3, "{e:?}");
        assert!(e.message.starts_with("invalid YAML front-matter"));
        assert!(!e.message.contains(" at line "));
    }

    #[test]
    fn non_mapping_front_matter_is_an_error() {
        let s = split("---\n- a\n- b\n---\n").unwrap();
        assert!(parse(&s).unwrap_err().message.contains("found a list"));
    }

    #[test]
    fn repeated_keys_name_both_lines_and_nested_keys_do_not_count() {
        let text = "---\ntitle: A\nowner: x\nreview:\n  owner: y\nowner: z\ntitle: B\n---\n";
        assert_eq!(
            key_lines(text).repeats(),
            [("owner".to_string(), 3, 6), ("title".to_string(), 2, 7)]
        );
        assert!(key_lines("---\ntitle: A\n---\ntitle: B\n")
            .repeats()
            .is_empty());
        // A third time names the second; quoted keys count; a quoted value over several
        // lines is text (user pass, 2026-12-02).
        let text = "---\n'owner': a\nowner: b\nowner: c\ntitle: \"a long\nowner: x\"\n---\n";
        assert_eq!(
            key_lines(text).repeats(),
            [("owner".to_string(), 2, 3), ("owner".to_string(), 3, 4)]
        );
        // TOML refuses repeats itself (naming the key); dotted keys and arrays of tables are
        // not repeats.
        let s = split("+++\nowner = \"x\"\nowner = \"y\"\n+++\n").unwrap();
        let problem = parse(&s).unwrap_err();
        assert_eq!(
            (problem.line, problem.message.ends_with("`owner`")),
            (3, true),
            "{}",
            problem.message
        );
        let toml = "+++\nz.b = 1\nz.a = 2\n[[items]]\nname = \"a\"\n[[items]]\nname = \"b\"\n+++\n";
        assert!(key_lines(toml).repeats().is_empty());
    }

    #[test]
    fn a_repeated_key_does_not_hide_the_real_syntax_error() {
        let s = split("---\ntitle: Bad\nowner: a\nowner: b\nfoo: a: b\n---\n").unwrap();
        let problem = parse(&s).unwrap_err();
        assert!(
            !problem.message.contains("duplicate"),
            "{}",
            problem.message
        );
        assert_eq!(problem.line, 5, "{}", problem.message);
        // Without a syntax error, the last value counts.
        let s = split("---\nowner: a\nowner: b\n---\n").unwrap();
        assert_eq!(parse(&s).unwrap()["owner"], "b");
    }

    #[test]
    fn toml_front_matter() {
        let s = split("+++\ntitle = \"T\"\ndate = 2024-01-02\n+++\nbody").unwrap();
        let f = parse(&s).unwrap();
        assert_eq!(f["title"], "T");
        assert_eq!(f["date"], "2024-01-02");
        // Keys in the file's order, as for YAML (kb show, ls --format json).
        let s = split("+++\nzeta = 1\nalpha = 2\n[params]\nz = 1\na = 2\n+++\n").unwrap();
        let f = parse(&s).unwrap();
        assert_eq!(f.keys().collect::<Vec<_>>(), ["zeta", "alpha", "params"]);
        let nested: Vec<&String> = f["params"].as_object().unwrap().keys().collect();
        assert_eq!(nested, ["z", "a"]);
        let s = split("+++\ntitle = \n+++\n").unwrap();
        assert_eq!(parse(&s).unwrap_err().line, 2);
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("---\ntitle: A\nx: {}\n---\n", "[".repeat(100_000));
        let started = std::time::Instant::now();
        let e = parse(&split(&deep).unwrap()).unwrap_err();
        assert!(started.elapsed().as_secs_f64() < 1.0);
        assert_eq!(e.line, 3);
        assert!(e.message.contains("nests more than 64 levels"), "{e:?}");
        let e = from_yaml::<serde_json::Value>(&"{a: ".repeat(1000)).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.starts_with("the file nests"), "{e:?}");
        // Block nesting by indentation and by list items.
        let stairs: String = (0..70)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert!(from_yaml::<serde_json::Value>(&stairs).is_err());
        let items = format!("x:\n  {}1\n", "- ".repeat(70));
        assert_eq!(from_yaml::<serde_json::Value>(&items).unwrap_err().line, 2);
        // TOML goes through the same check.
        let toml = format!("+++\nx = {}\n+++\n", "[".repeat(100));
        assert!(parse(&split(&toml).unwrap())
            .unwrap_err()
            .message
            .contains("nests"));
    }

    #[test]
    fn ordinary_nesting_and_brackets_pass() {
        let text = "---\ngoals:\n  g1:\n    key_results:\n      - id: p99\n        note: \"[wip] {x}\"\n      - - a\n        - b\nm: {a: [1, [2, [3]]]}\n---\n";
        let f = parse(&split(text).unwrap()).unwrap();
        assert_eq!(f["m"]["a"][1][1][0], 3);
        assert!(too_deep(&"[".repeat(64)).is_none());
        assert_eq!(too_deep(&"[".repeat(65)), Some(0));
    }

    #[test]
    fn oversized_front_matter_is_refused() {
        let big = format!(
            "---\nnotes: \"{}\"\n---\nbody\n",
            "x".repeat(MAX_YAML_BYTES)
        );
        let e = parse(&split(&big).unwrap()).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("more than the 256 KiB"), "{e:?}");
    }

    #[test]
    fn non_string_keys_and_numbers() {
        let s = split("---\n2026: true\nweight: 1.5\nn: 3\n---\n").unwrap();
        let f = parse(&s).unwrap();
        assert_eq!(f["2026"], true);
        assert_eq!(f["weight"], 1.5);
        assert_eq!(f["n"], 3);
    }
}
