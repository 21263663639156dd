//! RON layout of the workspace file (documented in `docs/workspace-format.md`).
//!
//! Resources nest as galleries → definitions → versions. Galleries and definitions print one
//! field a line; a version prints its fields on one line followed by one line per target region;
//! principals, grants and managed images print one a line. Default values are omitted. The same
//! workspace always gives the same bytes.

use std::fmt::Write as _;
use std::sync::Arc;

use ron::ser::PrettyConfig;
use serde::{Deserialize, Serialize};

use super::LoadError;
use crate::model::{
    Gallery, Grant, ManagedImage, Principal, RoleAssignment, Settings, SimulationState, Tenant,
    Workspace,
};

/// The format this version writes. Format 1 named target regions' `region` `name` and
/// `replicas` `regional_replica_count`, and `managed_images` `images`; it is read and migrated.
/// Format 3 added what API 2025-03-03 carries (subscription and resource group, tags, features,
/// sources in Azure, sharing, soft delete, unmodeled properties, presence in Azure); formats 1
/// and 2 have none of it and read as planned, untagged resources. Format 4 added role
/// assignments' Azure names, object ids and scopes (`assignments`), definitions' and versions'
/// own locations and end-of-life times of day, and keeps Azure as last seen in an `azure`
/// section beside the planned state; a stored per-resource `presence` (format 3) is read and
/// moved into it (`azure_section::migrate`).
pub const FORMAT_VERSION: u32 = 4;

const HEADER: &str = "// SIG Studio workspace. Format reference: docs/workspace-format.md\n";
const INDENT: &str = "    ";

/// What the file holds at the top level.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBody {
    format: u64,
    #[serde(default)]
    settings: Settings,
    #[serde(default)]
    tenants: Vec<Tenant>,
    #[serde(default)]
    principals: Vec<Principal>,
    #[serde(default)]
    grants: Vec<Grant>,
    #[serde(default)]
    assignments: Vec<RoleAssignment>,
    #[serde(default, alias = "images")]
    managed_images: Vec<ManagedImage>,
    #[serde(default)]
    galleries: Vec<Gallery>,
    #[serde(default)]
    simulation: SimulationState,
    #[serde(default, deserialize_with = "super::azure_section::some")]
    azure: Option<super::azure_section::Section>,
}

fn row_config() -> PrettyConfig {
    PrettyConfig::new()
        .struct_names(false)
        .compact_structs(true)
        .compact_arrays(true)
        .compact_maps(true)
        .new_line("\n")
}

fn block_config() -> PrettyConfig {
    PrettyConfig::new()
        .struct_names(false)
        .compact_arrays(true)
        .indentor(INDENT)
        .new_line("\n")
}

/// Writes a value as one compact line.
pub(super) fn row(out: &mut String, value: &impl Serialize) {
    // Serializing plain data into a String cannot fail.
    let _ = ron::ser::to_writer_pretty(&mut *out, value, row_config());
}

/// Writes a struct one field a line, indented by `depth`, leaving it open (no closing `)`)
/// so that child lists can follow.
fn open_block(out: &mut String, depth: usize, value: &impl Serialize) {
    let mut text = String::new();
    let _ = ron::ser::to_writer_pretty(&mut text, value, block_config());
    let body = text.trim_end().strip_suffix(')').unwrap_or(&text);
    for line in body.lines() {
        push_indent(out, depth);
        out.push_str(line);
        out.push('\n');
    }
}

pub(super) fn push_indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str(INDENT);
    }
}

pub(super) fn rows<T: Serialize>(out: &mut String, depth: usize, name: &str, items: &[T]) {
    if items.is_empty() {
        return;
    }
    push_indent(out, depth);
    let _ = writeln!(out, "{name}: [");
    for item in items {
        push_indent(out, depth + 1);
        row(out, item);
        out.push_str(",\n");
    }
    push_indent(out, depth);
    out.push_str("],\n");
}

/// The file's text for a workspace: deterministic, compact, readable.
pub fn to_ron_string(ws: &Workspace) -> String {
    let mut out = String::with_capacity(256 + ws.version_count() * 400);
    push_ron(&mut out, ws);
    out
}

/// Appends the file's text for a workspace to `out` (after a line of its own, say), so that the
/// text of a large workspace is not copied again to put something before it.
pub fn push_ron(out: &mut String, ws: &Workspace) {
    out.push_str(HEADER);
    out.push_str("(\n");
    push_indent(out, 1);
    let _ = writeln!(out, "format: {FORMAT_VERSION},");
    if ws.settings != Settings::default() {
        push_indent(out, 1);
        out.push_str("settings: ");
        let mut text = String::new();
        let _ = ron::ser::to_writer_pretty(&mut text, &ws.settings, block_config());
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                out.push('\n');
                push_indent(out, 1);
            }
            out.push_str(line);
        }
        out.push_str(",\n");
    }
    rows(out, 1, "tenants", &ws.tenants);
    rows(out, 1, "principals", &ws.principals);
    rows(out, 1, "grants", &ws.grants);
    rows(out, 1, "assignments", &ws.assignments);
    rows(out, 1, "managed_images", &ws.managed_images);
    write_galleries(out, 1, &ws.galleries);
    if !ws.simulation.is_default() {
        push_indent(out, 1);
        out.push_str("simulation: ");
        row(out, &ws.simulation);
        out.push_str(",\n");
    }
    if let Some(seen) = &ws.azure {
        super::azure_section::write(out, seen);
    }
    out.push_str(")\n");
}

/// The `galleries: [...]` list at `depth`: each gallery and definition one field a line, each
/// version on one line followed by its target regions one a line.
pub(super) fn write_galleries(out: &mut String, depth: usize, galleries: &[Gallery]) {
    if galleries.is_empty() {
        return;
    }
    push_indent(out, depth);
    out.push_str("galleries: [\n");
    for gallery in galleries {
        open_block(out, depth + 1, gallery);
        if !gallery.definitions.is_empty() {
            push_indent(out, depth + 2);
            out.push_str("definitions: [\n");
            for definition in &gallery.definitions {
                open_block(out, depth + 3, definition);
                if !definition.versions.is_empty() {
                    push_indent(out, depth + 4);
                    out.push_str("versions: [\n");
                    for version in &definition.versions {
                        push_indent(out, depth + 5);
                        row(out, version);
                        out.pop(); // the closing ')', reopened for the regions
                        if version.target_regions.is_empty() {
                            out.push_str("),\n");
                            continue;
                        }
                        out.push_str(", target_regions: [\n");
                        for target in &version.target_regions {
                            push_indent(out, depth + 6);
                            row(out, target);
                            out.push_str(",\n");
                        }
                        push_indent(out, depth + 5);
                        out.push_str("]),\n");
                    }
                    push_indent(out, depth + 4);
                    out.push_str("],\n");
                }
                push_indent(out, depth + 3);
                out.push_str("),\n");
            }
            push_indent(out, depth + 2);
            out.push_str("],\n");
        }
        push_indent(out, depth + 1);
        out.push_str("),\n");
    }
    push_indent(out, depth);
    out.push_str("],\n");
}

/// Where the top-level `format: N` field is (1-based line and column of N) and N, wherever it
/// sits among the top-level fields, so that a file from a newer version is refused before its
/// unknown contents are parsed. Skips comments, strings and nested values; reads N as RON
/// writes integers (`2`, `0x2`, `0o2`, `0b10`, `+2`, `1_0`).
fn find_format(text: &str) -> Option<(u64, usize, usize)> {
    let bytes = text.as_bytes();
    let mut stack: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i),
            b'"' => i = skip_string(bytes, i + 1),
            b'r' if matches!(bytes.get(i + 1), Some(b'#' | b'"')) => {
                i = skip_raw_string(bytes, i + 1)
            }
            b'\'' => i = skip_char(bytes, i + 1),
            b'(' | b'[' | b'{' => {
                stack.push(b);
                i += 1;
            }
            b')' | b']' | b'}' => {
                stack.pop();
                i += 1;
            }
            _ if b.is_ascii_alphabetic() || b == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                if stack.as_slice() != [b'('] || &text[start..i] != "format" {
                    continue;
                }
                let after = i + skip_blanks(&text[i..]);
                if bytes.get(after) != Some(&b':') {
                    continue;
                }
                let at = after + 1 + skip_blanks(&text[after + 1..]);
                let end = text[at..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '+'))
                    .map_or(text.len(), |n| at + n);
                let (line, col) = position(text, at);
                return parse_integer(&text[at..end]).map(|n| (n, line, col));
            }
            _ => i += 1,
        }
    }
    None
}

/// Bytes of white space and comments at the start of `s`.
fn skip_blanks(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if s[i..].starts_with("//") {
            i = s[i..].find('\n').map_or(bytes.len(), |n| i + n);
        } else if s[i..].starts_with("/*") {
            i = skip_block_comment(bytes, i);
        } else {
            return i;
        }
    }
}

/// The index after a (nested) block comment starting at `i`.
fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"/*") {
            depth += 1;
            i += 2;
        } else if bytes[i..].starts_with(b"*/") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The index after a string whose opening quote is before `i`.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index after a raw string `r#…"…"#…` whose `r` is before `i`.
fn skip_raw_string(bytes: &[u8], mut i: usize) -> usize {
    let hashes = bytes[i..].iter().take_while(|b| **b == b'#').count();
    i += hashes;
    if bytes.get(i) != Some(&b'"') {
        return i;
    }
    i += 1;
    while i < bytes.len() {
        if bytes[i] == b'"'
            && bytes[i + 1..]
                .iter()
                .take(hashes)
                .filter(|b| **b == b'#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    bytes.len()
}

/// The index after a character literal whose opening quote is before `i`.
fn skip_char(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\'' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// A RON integer: decimal, `0x`, `0o` or `0b`, with an optional `+` and `_` separators.
fn parse_integer(token: &str) -> Option<u64> {
    let token = token.strip_prefix('+').unwrap_or(token).replace('_', "");
    let (digits, radix) = if let Some(d) = token.strip_prefix("0x") {
        (d, 16)
    } else if let Some(d) = token.strip_prefix("0o") {
        (d, 8)
    } else if let Some(d) = token.strip_prefix("0b") {
        (d, 2)
    } else {
        (token.as_str(), 10)
    };
    u64::from_str_radix(digits, radix).ok()
}

/// 1-based line and column (in characters) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn check_format(found: u64, (line, col): (usize, usize)) -> Result<(), LoadError> {
    if found > u64::from(FORMAT_VERSION) {
        return Err(LoadError::NewerFormat {
            path: None,
            line,
            col,
            found,
            supported: FORMAT_VERSION,
        });
    }
    if found == 0 {
        return Err(LoadError::Parse {
            path: None,
            line,
            col,
            message: "format 0 is not a workspace format (the first is 1)".to_owned(),
        });
    }
    Ok(())
}

/// Parses a workspace file's text; migrates older formats.
pub fn from_ron_str(text: &str) -> Result<Workspace, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let found = find_format(text);
    if let Some((number, line, col)) = found {
        check_format(number, (line, col))?;
    }
    let parsed = std::panic::catch_unwind(|| ron::Options::default().from_str::<FileBody>(text));
    let body = match parsed {
        Ok(Ok(body)) => body,
        Ok(Err(err)) => {
            let mut message = describe(&err.code);
            let unclosed_string = matches!(err.code, ron::Error::ExpectedStringEnd)
                && !rest_after(text, err.span.start.line, err.span.start.col).contains('"');
            if unclosed_string {
                message = "unexpected end of file inside a string: the closing quote is missing (the file is incomplete)".to_owned();
            } else if at_end(text, err.span.start.line, err.span.start.col)
                && !matches!(err.code, ron::Error::Eof)
            {
                message = format!("unexpected end of file: the file is incomplete ({message})");
            }
            return Err(LoadError::Parse {
                path: None,
                line: err.span.start.line,
                col: err.span.start.col,
                message,
            });
        }
        Err(_) => {
            return Err(LoadError::Parse {
                path: None,
                line: 1,
                col: 1,
                message: "the RON parser failed on this file".to_owned(),
            });
        }
    };
    check_format(
        body.format,
        found.map_or((1, 1), |(_, line, col)| (line, col)),
    )?;
    let azure = body.azure.map(|section| Arc::new(section.into_seen()));
    let mut ws = Workspace {
        settings: body.settings,
        tenants: body.tenants,
        principals: body.principals,
        grants: body.grants,
        assignments: body.assignments,
        managed_images: body.managed_images,
        galleries: body.galleries,
        simulation: body.simulation,
        azure,
    };
    if ws.azure.is_none() {
        super::azure_section::migrate(&mut ws);
    } else {
        // A file with an `azure` section says where things are; stray format-3 marks in it
        // mean nothing.
        super::azure_section::clear_marks(&mut ws);
    }
    Ok(ws)
}

/// The text after a 1-based position (from the character after it).
fn rest_after(text: &str, line: usize, col: usize) -> &str {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let within: usize = l.chars().take(col).map(char::len_utf8).sum();
            return &text[(offset + within).min(text.len())..];
        }
        offset += l.len();
    }
    ""
}

/// Whether a 1-based position lies at the end of the text (ignoring trailing white space).
fn at_end(text: &str, line: usize, col: usize) -> bool {
    let trimmed = text.trim_end();
    let last_line = trimmed.lines().count().max(1);
    let last_col = trimmed.lines().last().map_or(0, |l| l.chars().count()) + 1;
    line > last_line || (line == last_line && col >= last_col)
}

/// Ron's messages, with a little more context where they are terse.
fn describe(code: &ron::Error) -> String {
    match code {
        ron::Error::Eof => "unexpected end of file: the file is incomplete (a closing bracket or parenthesis is missing)".to_owned(),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_format_wherever_it_sits() {
        assert_eq!(
            find_format("// x\n(\n  /* y */ format: 7,"),
            Some((7, 3, 19))
        );
        assert_eq!(find_format("(galleries: [], format: 2)"), Some((2, 1, 25)));
        assert_eq!(find_format("(format: 0x2)"), Some((2, 1, 10)));
        assert_eq!(find_format("(format: 0b11, x: 1)"), Some((3, 1, 10)));
        // Not a top-level field: inside a string, a comment or a nested value.
        assert_eq!(
            find_format("(a: \"format: 9\", /* format: 8 */ b: (format: 7), format: 2)"),
            Some((2, 1, 58))
        );
        assert_eq!(
            find_format("(a: r#\"x\"format: 9\"#, format: 2)"),
            Some((2, 1, 31))
        );
    }
}
