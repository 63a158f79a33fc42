//! Configuration: compiled-in defaults, then kb.yaml, then `KB_*` environment variables, then
//! command-line flags (the CLI applies those last). Everything the core needs to know about "now"
//! and "who" comes from here, so commands stay deterministic under `KB_NOW` and `KB_USER`.

use crate::doc::frontmatter;
use crate::error::{Error, Result};
use crate::schema::{Schema, TypeOverride};
use chrono::NaiveDate;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "kb.yaml";

/// kb.yaml as written; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FileConfig {
    pub name: Option<String>,
    pub exclude: Vec<String>,
    pub types: BTreeMap<String, TypeOverride>,
    pub links: LinksConfig,
    pub check: CheckConfig,
    pub goals: GoalsConfig,
    pub search: SearchConfig,
    /// How often docs of each type are due for review: `{handbook: 180d, default: off}`.
    pub freshness: BTreeMap<String, String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinksConfig {
    /// Site URL prefixes mapped to folders, e.g. `/handbook/: handbook/`.
    pub roots: BTreeMap<String, String>,
}

/// kb.yaml's `check:`, read by `kb check`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    /// A level per rule code: `{broken-anchor: warning, rca-action-without-owner: off}`.
    pub rules: BTreeMap<RuleCode, Level>,
}

/// A code of `kb check --list-rules`; any other is a config error with the closest code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleCode(pub &'static str);

impl<'de> Deserialize<'de> for RuleCode {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        match crate::check::code(&name) {
            Some(code) => Ok(RuleCode(code.code)),
            None => Err(serde::de::Error::custom(unknown(
                "rule code",
                &name,
                crate::check::codes().map(|c| c.code),
                "`kb check --list-rules` lists the codes",
            ))),
        }
    }
}

/// What a rule's findings are: errors, warnings, or not reported (`off`, also `false`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Off,
}

impl Level {
    const NAMES: [&'static str; 3] = ["error", "warning", "off"];

    /// The severity findings get, `None` when they are not reported.
    pub fn severity(self) -> Option<crate::check::Severity> {
        match self {
            Level::Error => Some(crate::check::Severity::Error),
            Level::Warning => Some(crate::check::Severity::Warning),
            Level::Off => None,
        }
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Flag(bool),
            Name(String),
            Other(serde::de::IgnoredAny),
        }
        match Written::deserialize(deserializer)? {
            Written::Flag(false) => Ok(Level::Off),
            Written::Name(name) => match name.as_str() {
                "error" => Ok(Level::Error),
                "warning" => Ok(Level::Warning),
                "off" | "false" => Ok(Level::Off),
                _ => Err(serde::de::Error::custom(unknown(
                    "level",
                    &name,
                    Level::NAMES,
                    "use error, warning or off",
                ))),
            },
            Written::Flag(true) | Written::Other(_) => Err(serde::de::Error::custom(
                "a rule's level is error, warning or off",
            )),
        }
    }
}

/// "unknown rule code `broken-lnk`: did you mean `broken-link`?", or the `fallback` advice.
fn unknown<'a>(
    what: &str,
    name: &str,
    known: impl IntoIterator<Item = &'a str>,
    fallback: &str,
) -> String {
    match crate::query::closest(known, name) {
        Some(best) => format!("unknown {what} `{name}`: did you mean `{best}`?"),
        None => format!("unknown {what} `{name}`: {fallback}"),
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GoalsConfig {
    pub stale_after_days: u32,
    /// Month (1-12) in which the fiscal year starts.
    pub fiscal_year_start: u32,
    pub thresholds: Thresholds,
}

impl Default for GoalsConfig {
    fn default() -> Self {
        GoalsConfig {
            stale_after_days: 4,
            fiscal_year_start: 1,
            thresholds: Thresholds::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    pub at_risk: f64,
    pub off_track: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            at_risk: 0.15,
            off_track: 0.30,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Refresh {
    #[default]
    Always,
    Never,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    pub refresh: Refresh,
    /// Groups of words and phrases that mean the same here: `[[pto, "paid time off", vacation]]`.
    pub synonyms: Vec<Vec<String>>,
    /// Whether kb's own list of workplace synonyms applies too.
    pub builtin_synonyms: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            refresh: Refresh::default(),
            synonyms: Vec::new(),
            builtin_synonyms: true,
        }
    }
}

/// The configuration in force for one run.
#[derive(Debug, Clone)]
pub struct Config {
    pub name: String,
    pub exclude: GlobSet,
    pub schema: Schema,
    pub links: LinksConfig,
    pub check: CheckConfig,
    pub goals: GoalsConfig,
    pub search: SearchConfig,
    pub freshness: crate::stale::Freshness,
    /// "Today": `KB_NOW` or the local date.
    pub today: NaiveDate,
    /// The acting person's handle from `KB_USER`, if set.
    pub user: Option<String>,
    /// Whether commands read docs through the doc cache (`cache.rs`).
    pub cache: bool,
    /// A hash of kb.yaml's text as it was read for this configuration: the doc cache's key.
    /// Taken from the same read, so a kb.yaml replaced while kb runs cannot file what this
    /// configuration found under the next one's key.
    pub digest: u64,
}

/// The environment variables kb reads, so tests and callers can pass them explicitly.
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub now: Option<String>,
    pub user: Option<String>,
    /// `KB_NO_CACHE=1` (or `--no-cache`): read every doc, use no doc cache.
    pub no_cache: bool,
}

impl Env {
    pub fn from_process() -> Env {
        let var = |name| {
            std::env::var(name)
                .ok()
                .filter(|v: &String| !v.trim().is_empty())
        };
        Env {
            now: var("KB_NOW"),
            user: var("KB_USER"),
            no_cache: var("KB_NO_CACHE").is_some_and(|v| v != "0"),
        }
    }
}

impl Config {
    /// Reads `root/kb.yaml` (absent means all defaults) and applies the environment.
    pub fn load(root: &Path, env: &Env) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::io("read", path, e)),
        };
        let file = match text.is_empty() {
            true => FileConfig::default(),
            false => parse_file(&path, &text)?,
        };
        let name = file.name.clone().unwrap_or_else(|| {
            root.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "kb".into())
        });
        let today = match &env.now {
            Some(now) => parse_now(now)?,
            None => chrono::Local::now().date_naive(),
        };
        if !(1..=12).contains(&file.goals.fiscal_year_start) {
            return Err(config_error(
                &path,
                None,
                "goals.fiscal_year_start must be a month, 1 to 12",
            ));
        }
        check_paths(&path, &text, &file)?;
        let schema = Schema::new(&file.types);
        let freshness = freshness(&path, &text, &file.freshness, &schema)?;
        Ok(Config {
            name,
            exclude: build_globs(&path, &file.exclude)?,
            schema,
            freshness,
            links: file.links,
            check: file.check,
            goals: file.goals,
            search: file.search,
            today,
            user: env.user.clone(),
            cache: !env.no_cache,
            digest: {
                use std::hash::{Hash, Hasher};
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                text.hash(&mut hasher);
                hasher.finish()
            },
        })
    }
}

fn parse_file(path: &Path, text: &str) -> Result<FileConfig> {
    frontmatter::from_yaml(text).map_err(|p| {
        config_error(
            path,
            Some(p.line),
            &format!("invalid {CONFIG_FILE}: {}", p.message),
        )
    })
}

/// Folders, file name patterns and template names in kb.yaml name places inside the KB; one
/// that leads out of it (a kb.yaml copied from a fork, say) would make kb read or write there.
fn check_paths(path: &Path, text: &str, file: &FileConfig) -> Result<()> {
    for (name, t) in &file.types {
        let settings = [
            ("folder", &t.folder),
            ("filename", &t.filename),
            ("template", &t.template),
        ];
        for (key, value) in settings {
            if let Some(value) = value.as_deref().filter(|v| leaves_root(v)) {
                return Err(outside_error(
                    path,
                    text,
                    &format!("types.{name}.{key}"),
                    key,
                    value,
                ));
            }
        }
    }
    for folder in file.links.roots.values() {
        // A folder of the site's files, counted from the KB root: `/` and `./` are the root.
        if leaves_root(folder.trim_start_matches('/')) {
            return Err(outside_error(path, text, "links.roots", folder, folder));
        }
    }
    Ok(())
}

/// Whether a path from kb.yaml leads out of the KB, or into the folders that are git's and
/// kb's own (docs written there would never be seen, and `.kb/tmp/` is swept).
fn leaves_root(value: &str) -> bool {
    let first = value
        .trim_start_matches("./")
        .split('/')
        .next()
        .unwrap_or("");
    crate::fsutil::lexically_inside(Path::new(value)).is_err()
        || value.starts_with('~')
        || value.contains('\\')
        || first == ".git"
        || first == ".kb"
}

fn outside_error(path: &Path, text: &str, setting: &str, needle: &str, value: &str) -> Error {
    let line = text
        .lines()
        .position(|l| l.contains(needle) && l.contains(value))
        .map(|i| i + 1);
    config_error(
        path,
        line,
        &format!("{setting}: {value:?} leads outside the knowledge base or into .git/ or .kb/; kb keeps docs in the KB's own folders"),
    )
}

/// `freshness:`: each key a doc type or `default`, each value an interval or `off`.
fn freshness(
    path: &Path,
    text: &str,
    entries: &BTreeMap<String, String>,
    schema: &Schema,
) -> Result<crate::stale::Freshness> {
    let line_of = |key: &str| {
        text.lines()
            .position(|l| l.trim_start().starts_with(&format!("{key}:")))
            .map(|i| i + 1)
    };
    for key in entries.keys() {
        if key != "default" && schema.get(key).is_none() {
            let known: Vec<&str> = schema.types().map(|t| t.name.as_str()).collect();
            return Err(config_error(
                path,
                line_of(key),
                &format!(
                    "freshness: {key:?} is not a doc type; the types are {} (or `default`)",
                    known.join(", ")
                ),
            ));
        }
    }
    crate::stale::Freshness::parse(entries).map_err(|(key, value)| {
        config_error(
            path,
            line_of(&key),
            &format!("freshness.{key}: {value:?} is not an interval: write 90d, 6m, 1y or off"),
        )
    })
}

fn config_error(path: &Path, line: Option<usize>, message: &str) -> Error {
    Error::Config {
        path: PathBuf::from(path),
        line,
        message: message.to_string(),
    }
}

fn build_globs(path: &Path, patterns: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern.trim_start_matches('/')).map_err(|e| {
            config_error(
                path,
                None,
                &format!("invalid exclude glob {pattern:?}: {e}"),
            )
        })?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| config_error(path, None, &format!("invalid exclude globs: {e}")))
}

/// `KB_NOW` is a date (`2026-11-25`) or an RFC 3339 timestamp, whose date is used.
pub fn parse_now(value: &str) -> Result<NaiveDate> {
    let value = value.trim();
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(value).map(|t| t.date_naive()))
        .map_err(|_| Error::Env {
            name: "KB_NOW",
            message: format!("{value:?} is not a date like 2026-11-25"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kb_now_accepts_dates_and_timestamps() {
        assert_eq!(
            parse_now("2026-11-25").unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        );
        assert_eq!(
            parse_now("2026-11-25T23:00:00Z").unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        );
        assert!(parse_now("tomorrow").is_err());
    }

    #[test]
    fn unknown_key_names_the_line() {
        let e = parse_file(Path::new("kb.yaml"), "name: A\nexclud: [x]\n").unwrap_err();
        match e {
            Error::Config { line, message, .. } => {
                assert_eq!(line, Some(2));
                assert!(message.contains("exclud"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn paths_leaving_the_root_are_config_errors_with_their_line() {
        let text = "name: A\ntypes:\n  spec:\n    folder: ../../x\n";
        let file = parse_file(Path::new("kb.yaml"), text).unwrap();
        match check_paths(Path::new("kb.yaml"), text, &file).unwrap_err() {
            Error::Config { line, message, .. } => {
                assert_eq!(line, Some(4));
                assert!(message.contains("types.spec.folder"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        for ok in ["specs", "./specs", "a/b", "."] {
            assert!(!leaves_root(ok), "{ok}");
        }
        for bad in [
            "/etc",
            "..",
            "a/../../b",
            "~/x",
            ".git/hooks",
            ".kb/tmp",
            "./.kb",
        ] {
            assert!(leaves_root(bad), "{bad}");
        }
    }

    fn config_error(text: &str) -> (Option<usize>, String) {
        match parse_file(Path::new("kb.yaml"), text).unwrap_err() {
            Error::Config { line, message, .. } => (line, message),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn check_rules_are_typed() {
        let f = parse_file(
            Path::new("kb.yaml"),
            "check:\n  rules: {broken-link: off, unknown-type: error, goal-cycle: warning, bad-date: false, bad-enum: \"false\"}\n",
        )
        .unwrap();
        let level = |code| f.check.rules.get(&RuleCode(code)).copied();
        assert_eq!(level("broken-link"), Some(Level::Off));
        assert_eq!(level("unknown-type"), Some(Level::Error));
        assert_eq!(level("goal-cycle"), Some(Level::Warning));
        assert_eq!(level("bad-date"), Some(Level::Off));
        assert_eq!(level("bad-enum"), Some(Level::Off));
        assert!(parse_file(Path::new("kb.yaml"), "check:\n").is_ok());
        assert!(parse_file(Path::new("kb.yaml"), "check:\n  rules:\n").is_ok());
    }

    #[test]
    fn unknown_rule_codes_levels_and_keys_name_the_line_and_the_closest_name() {
        let (line, message) = config_error("name: A\ncheck:\n  rules:\n    broken-lnk: off\n");
        assert_eq!(line, Some(4));
        assert!(
            message.contains("unknown rule code `broken-lnk`: did you mean `broken-link`?"),
            "{message}"
        );
        let (line, message) = config_error("check:\n  rules:\n    broken-link: warnin\n");
        assert_eq!(line, Some(3));
        assert!(
            message.contains("unknown level `warnin`: did you mean `warning`?"),
            "{message}"
        );
        let (_, message) = config_error("check:\n  rules: {broken-link: loud}\n");
        assert!(message.contains("use error, warning or off"), "{message}");
        let (line, message) = config_error("check:\n  rules:\n    broken-link: [1]\n");
        assert_eq!(line, Some(3));
        assert!(
            message.contains("level is error, warning or off"),
            "{message}"
        );
        let (line, message) = config_error("check:\n  rulez: {}\n");
        assert_eq!(line, Some(2));
        assert!(message.contains("unknown field `rulez`"), "{message}");
    }

    #[test]
    fn types_merge_from_yaml() {
        let f = parse_file(
            Path::new("kb.yaml"),
            "types:\n  vendor:\n    folder: vendors\n    fields: {renewal: date, tier: {enum: [a, b]}}\n",
        )
        .unwrap();
        let s = Schema::new(&f.types);
        assert_eq!(s.type_for_path("vendors/x.md"), Some("vendor"));
    }
}
