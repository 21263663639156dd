//! Text for a terminal: names and messages from a file may hold control characters (a newline
//! that fakes an output line, an escape sequence that rewrites the screen). Everything the
//! command line prints as text goes through here; `--json` output is escaped by JSON itself.

use std::borrow::Cow;

use crate::model::{ReplicaStatus, TargetRegion, Workspace};

/// Whether a character must not reach a terminal as it is: C0 and C1 controls, DEL, and the
/// bidirectional overrides that reorder what is shown ("Trojan source").
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character escaped as Rust writes it: `\n`, `\r`, `\t`, `\u{1b}`.
pub fn esc(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Multi-line text with each line's unsafe characters escaped (its line breaks kept).
pub fn esc_lines(text: &str) -> Cow<'_, str> {
    // ASCII text (the usual case) is checked byte by byte: the 19 MB of a plan of 100,000
    // versions in a hundredth of the time.
    let safe = if text.is_ascii() {
        !text.bytes().any(|b| (b < 0x20 && b != b'\n') || b == 0x7f)
    } else {
        !text.chars().any(|c| c != '\n' && is_unsafe(c))
    };
    if safe {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(esc).collect();
    Cow::Owned(lines.join("\n"))
}

/// The workspace with every string escaped for a terminal, for text reports: names then print
/// as one line each whatever they hold. Arguments that name something in it must be escaped
/// with [`esc`] too, so that they still match. Returns the workspace itself when nothing needs
/// escaping (the usual case: see [`needs_escaping`]).
pub fn sanitized(mut ws: Workspace) -> Workspace {
    if !needs_escaping(&ws) {
        return ws;
    }
    for tenant in &mut ws.tenants {
        clean(tenant);
    }
    for principal in &mut ws.principals {
        clean(principal);
    }
    for grant in &mut ws.grants {
        clean(grant);
    }
    for image in &mut ws.managed_images {
        clean(image);
    }
    clean(&mut ws.settings);
    // Children are written by the file's own layout, not by serde: each level on its own.
    for gallery in &mut ws.galleries {
        let definitions = std::mem::take(&mut gallery.definitions);
        clean(gallery);
        gallery.definitions = definitions;
        for definition in &mut gallery.definitions {
            let versions = std::mem::take(&mut definition.versions);
            clean(definition);
            definition.versions = versions;
            for version in &mut definition.versions {
                let targets = std::mem::take(&mut version.target_regions);
                clean(version);
                version.target_regions = targets;
                for target in &mut version.target_regions {
                    clean(target);
                }
            }
        }
    }
    ws
}

/// Whether a string of the workspace (or a key) holds an unsafe character. Found from the JSON
/// form of each level (galleries, definitions, versions and target regions serialize without
/// their children): JSON writes every control character as an escape (so a backslash shows it,
/// or a quote or backslash, which only costs the full pass) and the other unsafe characters as
/// they are. 100,000 versions take a fraction of the time their workspace file's text took to
/// make (and none of its 100 MB).
fn needs_escaping(ws: &Workspace) -> bool {
    let mut scan = Scan(Vec::new());
    ws.galleries.iter().any(|g| {
        g.definitions.iter().any(|d| {
            scan.found(d)
                || d.versions.iter().any(|v| {
                    scan.found(v) || v.target_regions.iter().any(|t| region_found(&mut scan, t))
                })
        })
    }) || scan.found(ws)
}

/// Whether a target region holds a string to escape. Only its replication details and the
/// entries the import could not read are free text (its region is a catalog name, the rest
/// numbers and names of the model): the 900,000 regions of 100,000 versions are not turned
/// into JSON. Every field is named: a new one cannot be missed.
fn region_found(scan: &mut Scan, t: &TargetRegion) -> bool {
    let TargetRegion {
        region: _,
        replicas: _,
        storage_type: _,
        exclude_from_latest: _,
        additional_replica_sets: _,
        status,
        unmodeled,
    } = t;
    let ReplicaStatus {
        state: _,
        progress: _,
        details,
        copied_gb: _,
        local_copied_gb: _,
        replicas_ready: _,
        elapsed_secs: _,
        attempt: _,
        clock: _,
    } = status;
    details.chars().any(is_unsafe) || (!unmodeled.is_empty() && scan.found(unmodeled))
}

/// A buffer for the JSON of one value at a time.
struct Scan(Vec<u8>);

impl Scan {
    /// Whether the JSON of `value` holds a backslash or an unsafe character.
    fn found<T: serde::Serialize>(&mut self, value: &T) -> bool {
        self.0.clear();
        if serde_json::to_writer(&mut self.0, value).is_err() {
            return true;
        }
        let Ok(text) = std::str::from_utf8(&self.0) else {
            return true;
        };
        text.bytes().any(|b| b == b'\\' || b == 0x7f)
            || (!text.is_ascii() && text.chars().any(is_unsafe))
    }
}

/// Escapes the strings of one value through its serde form; leaves it as it is when nothing
/// needs escaping or the form does not read back.
fn clean<T: serde::Serialize + serde::de::DeserializeOwned>(value: &mut T) {
    let Ok(mut form) = serde_json::to_value(&*value) else {
        return;
    };
    if escape_strings(&mut form)
        && let Ok(escaped) = serde_json::from_value(form)
    {
        *value = escaped;
    }
}

/// Escapes every string (and object key) in place; whether anything changed.
fn escape_strings(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) => match esc(s) {
            Cow::Borrowed(_) => false,
            Cow::Owned(escaped) => {
                *s = escaped;
                true
            }
        },
        Value::Array(items) => {
            // Every item is escaped (no short cut once one changed).
            let mut changed = false;
            for item in items {
                changed |= escape_strings(item);
            }
            changed
        }
        Value::Object(map) => {
            let mut changed = false;
            let unsafe_keys: Vec<String> = map
                .keys()
                .filter(|k| k.chars().any(is_unsafe))
                .cloned()
                .collect();
            for key in unsafe_keys {
                if let Some(v) = map.remove(&key) {
                    map.insert(esc(&key).into_owned(), v);
                    changed = true;
                }
            }
            for v in map.values_mut() {
                changed |= escape_strings(v);
            }
            changed
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_overrides_only() {
        assert_eq!(esc("plain-name_1.0"), "plain-name_1.0");
        assert_eq!(esc("café ✔"), "café ✔");
        assert_eq!(esc("a\nb\tc\r"), "a\\nb\\tc\\r");
        assert_eq!(esc("\u{1b}[2J"), "\\u{1b}[2J");
        assert_eq!(esc("x\u{7f}\u{85}\u{202e}"), "x\\u{7f}\\u{85}\\u{202e}");
        assert_eq!(esc_lines("ok\nbad\u{1b}\n"), "ok\nbad\\u{1b}\n");
        // ASCII text is checked byte by byte, the rest character by character.
        assert_eq!(esc_lines("a\tb\n\x7f\r\n"), "a\\tb\n\\u{7f}\\r\n");
        assert_eq!(esc_lines("plain\nlines\n"), "plain\nlines\n");
        assert_eq!(esc_lines("café\n\u{85}\u{202e}"), "café\n\\u{85}\\u{202e}");
        assert_eq!(esc_lines("café ✔\n"), "café ✔\n");
    }

    #[test]
    fn a_sanitized_workspace_holds_no_control_characters() {
        let mut ws = crate::sample::sample();
        ws.galleries[0].name = "evil\nname: valid (0 problems)\u{1b}[1A".to_owned();
        let clean = sanitized(ws.clone());
        assert_eq!(
            clean.galleries[0].name,
            "evil\\nname: valid (0 problems)\\u{1b}[1A"
        );
        // Multi-line text (release notes) is escaped too; plain names stay as they are.
        assert_eq!(
            clean.galleries[0].definitions[0].name,
            ws.galleries[0].definitions[0].name
        );
        assert_eq!(clean.principals, ws.principals);
        let mut deep = ws.clone();
        deep.galleries[0].definitions[0].versions[0].target_regions[0]
            .status
            .details = "a\rb".to_owned();
        let clean = sanitized(deep);
        assert_eq!(
            clean.galleries[0].definitions[0].versions[0].target_regions[0]
                .status
                .details,
            "a\\rb"
        );
        assert_eq!(clean.version_count(), ws.version_count());
        let untouched = crate::sample::synthetic(50);
        assert_eq!(sanitized(untouched.clone()), untouched);
    }

    #[test]
    fn every_unsafe_character_anywhere_is_found() {
        // The sample's release notes are multi-line: a generated workspace has plain text only.
        assert!(needs_escaping(&crate::sample::sample()));
        let mut ws = crate::sample::synthetic(50);
        ws.principals.push(crate::model::Principal {
            name: "alice@contoso.com".to_owned(),
            ..Default::default()
        });
        assert!(!needs_escaping(&ws));
        // JSON escapes C0 controls (a backslash), writes DEL, C1 controls and bidi overrides as
        // they are: each is found, in a name, a tag's key or value, or a principal.
        for c in ['\n', '\u{1b}', '\u{7f}', '\u{85}', '\u{202e}', '\u{2066}'] {
            let mut named = ws.clone();
            named.galleries[0].definitions[0].versions[0].name = format!("1.0.{c}");
            assert!(needs_escaping(&named), "{c:?} in a name");
            let mut tagged = ws.clone();
            tagged.galleries[0]
                .tags
                .insert(format!("k{c}"), "v".to_owned());
            assert!(needs_escaping(&tagged), "{c:?} in a tag's key");
            let mut tagged = ws.clone();
            tagged.galleries[0]
                .tags
                .insert("k".to_owned(), format!("v{c}"));
            assert!(needs_escaping(&tagged), "{c:?} in a tag's value");
            let mut status = ws.clone();
            status.galleries[0].definitions[0].versions[0].target_regions[0]
                .status
                .details = format!("copy{c}");
            assert!(needs_escaping(&status), "{c:?} in a region's status");
            // What the import kept of a region entry: its keys and its values.
            for (key, value) in [
                (format!("k{c}"), "v".to_owned()),
                ("k".into(), format!("v{c}")),
            ] {
                let mut kept = ws.clone();
                kept.galleries[0].definitions[0].versions[1].target_regions[2]
                    .unmodeled
                    .insert(&key, serde_json::json!({ "nested": [value] }));
                assert!(needs_escaping(&kept), "{c:?} in a region's kept entry");
                assert_ne!(sanitized(kept.clone()), kept);
            }
            let mut principal = ws.clone();
            principal.principals[0].name.push(c);
            assert!(needs_escaping(&principal), "{c:?} in a principal");
            assert_ne!(sanitized(principal.clone()), principal);
        }
    }
}
