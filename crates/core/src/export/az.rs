//! The az CLI script: bash with `set -euo pipefail`, one `az` call per resource in dependency
//! order, every call against the same subscription. What each argument holds is decided twice:
//!
//! - bash: every value is a single-quoted literal, or `$'…'` with byte escapes when it holds a
//!   control or bidirectional character (so the script's text is plain, and the same on a
//!   terminal as in a file), or a reference to a variable the script requires;
//! - az: a value reaches az as one argument, but az still reads some arguments itself (a word
//!   starting with `-` is an option, `@path` and `key=@path` read a local file, AAZ arguments
//!   read `null`, `??` and quotes). A resource whose values are all plain (see
//!   [`super::az_resource`]) is written with `az sig` flags; any other is written as the exact
//!   ARM body the template deploys, JSON with `=` and `@` escaped, through
//!   `az resource create --is-full-object`.
//!
//! The real az CLI checks every script this module writes (tests/oracle, docs/export.md).

use std::collections::BTreeMap;

use super::{ExportError, Scope, Selection};
use crate::model::Workspace;

pub use super::az_write::Writer;

/// Part of one shell word: literal text or a variable's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Literal(String),
    Var(String),
}

/// One argument of a command: the concatenation of its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word(pub Vec<Part>);

impl Word {
    pub fn lit(text: impl Into<String>) -> Self {
        Self(vec![Part::Literal(text.into())])
    }

    pub fn var(name: &str) -> Self {
        Self(vec![Part::Var(name.to_owned())])
    }

    /// This word followed by another's parts.
    pub fn then(mut self, other: Word) -> Self {
        self.0.extend(other.0);
        self
    }

    /// The value the word has when the variables have these values.
    pub fn value(&self, vars: &BTreeMap<String, String>) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Part::Literal(s) => s.clone(),
                Part::Var(v) => vars.get(v).cloned().unwrap_or_default(),
            })
            .collect()
    }

    /// The word as bash source.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for part in &self.0 {
            match part {
                Part::Literal(s) => out.push_str(&quote(s)),
                Part::Var(v) => out.push_str(&format!("\"${{{v}}}\"")),
            }
        }
        if out.is_empty() { "''".to_owned() } else { out }
    }
}

/// Characters written as byte escapes: control characters (a newline would end a line on a
/// terminal, an escape would drive it) and the bidirectional overrides that reorder text.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A bash word with exactly this value: bare when it holds only characters bash gives no
/// meaning to, single-quoted (`'` written `'\''`) when it has no hidden character, else
/// `$'…'` with every hidden character's UTF-8 bytes as `\xNN` (locale-independent).
pub fn quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./=:@%+,".contains(&b));
    if plain {
        return text.to_owned();
    }
    if !text.chars().any(is_hidden) {
        return format!("'{}'", text.replace('\'', r"'\''"));
    }
    let mut out = String::from("$'");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            c if is_hidden(c) => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\x{b:02x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// What a variable the script requires stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The ARM id of the workspace's managed image of this name.
    ManagedImage(String),
    /// The object id of the principal of this name.
    Principal(String),
    /// The subscription of the galleries whose subscription the workspace does not know.
    Subscription,
    /// The resource group of the galleries whose resource group the workspace does not know.
    ResourceGroup,
}

/// A variable the script needs from the environment, and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Required {
    pub name: String,
    pub what: String,
    pub subject: Subject,
}

/// The script's content before rendering: required variables, notes, and `az` calls.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    pub required: Vec<Required>,
    /// What the reader should know (printed when the script runs).
    pub notes: Vec<String>,
    /// Each command's arguments after `az`.
    pub commands: Vec<Vec<Word>>,
    /// Comment lines, each written before the command of its index (or at the end).
    pub comments: Vec<(usize, String)>,
    /// What the script does, in comment lines (the export's text when `None`).
    pub header: Option<String>,
}

const EXPORT_HEADER: &str = "Written by `sig-studio export --format az`: creates the galleries, image definitions,\nimage versions and role assignments of a workspace, parents first.";

/// A comment line that stays one comment whatever the text holds: hidden characters (newlines
/// above all, which would end the comment and start a command) become spaces.
pub fn comment(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if is_hidden(c) { ' ' } else { c })
        .collect();
    format!("# {clean}\n")
}

/// The script of a scope, as bash source.
pub fn to_string(ws: &Workspace, scope: &Scope) -> Result<String, ExportError> {
    Ok(render(&script(ws, scope)?))
}

/// The shell function that checks a required variable: set, and for an ARM id or a GUID,
/// shaped like one (the script puts it inside JSON and URLs).
const REQUIRE: &str = r#"require() {
    if [ -z "${!1:-}" ]; then
        printf 'set %s to %s\n' "$1" "$2" >&2
        exit 2
    fi
    case "${!1}" in
        *[!A-Za-z0-9/._\(\)-]*)
            printf '%s holds a character an ARM id or name does not: %s\n' "$1" "$2" >&2
            exit 2
            ;;
    esac
}
"#;

/// Renders a script.
pub fn render(script: &Script) -> String {
    let mut out = String::from("#!/usr/bin/env bash\n");
    for line in script.header.as_deref().unwrap_or(EXPORT_HEADER).lines() {
        out.push_str(&comment(line));
    }
    out.push_str(
        "# Every value is a single-quoted literal on purpose: nothing in a name or text is\n# expanded (hence SC2016).\n# shellcheck disable=SC2016\nset -euo pipefail\n\n",
    );
    if !script.required.is_empty() {
        out.push_str(REQUIRE);
        for r in &script.required {
            out.push_str(&format!("require {} {}\n", r.name, quote(&r.what)));
        }
        out.push('\n');
    }
    for note in &script.notes {
        out.push_str(&format!("printf 'note: %s\\n' {} >&2\n", quote(note)));
    }
    if !script.notes.is_empty() {
        out.push('\n');
    }
    let mut comments = script.comments.iter().peekable();
    for (index, command) in script.commands.iter().enumerate() {
        while let Some((_, text)) = comments.next_if(|(at, _)| *at <= index) {
            out.push_str(&comment(text));
        }
        // One line per option and its values.
        out.push_str("az");
        for word in command {
            let is_option = matches!(word.0.as_slice(), [Part::Literal(s)] if s.starts_with("--"));
            out.push_str(if is_option { " \\\n    " } else { " " });
            out.push_str(&word.render());
        }
        out.push_str("\n\n");
    }
    for (_, text) in comments {
        out.push_str(&comment(text));
    }
    out
}

/// The script of a scope, before rendering.
pub fn script(ws: &Workspace, scope: &Scope) -> Result<Script, ExportError> {
    let selection = Selection::new(ws, scope)?;
    selection.check_names()?;
    let mut w = Writer::new(ws);
    for gallery in &selection.galleries {
        w.create_gallery(gallery)?;
    }
    for (gallery, definition) in &selection.definitions {
        w.create_definition(gallery, definition)?;
    }
    for item in &selection.versions {
        w.create_version(item.gallery, item.definition, item.version)?;
    }
    for item in super::assign::items(&selection) {
        w.create_assignment(&item);
    }
    Ok(w.finish())
}
