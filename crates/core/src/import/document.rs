//! An input read without holding its whole tree at once. Its top level is read with every
//! member left as text (`RawValue`, borrowed from the input), then each part is parsed when it
//! is used: the small members whole, the elements of the one large array (a template's
//! `resources`, a list's `value`, an az CLI list) one at a time. A template of 100,000 versions
//! is 145 MB of text and would be 1.2 GB as one `serde_json::Value`.
//!
//! Errors name the line and column in the whole input, as a parse of the whole would.

use std::collections::BTreeMap;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::{ImportError, Input};

/// One input's text (without a byte order mark) and its name for messages.
pub(crate) struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// An input's top level.
pub(crate) enum Document<'a> {
    /// A top-level array (the az CLI's lists): its elements, as text.
    Array(Vec<&'a RawValue>),
    /// A top-level object: its members, parsed, except the one large array (`resources` of a
    /// template, else `value` of a list), whose elements are kept as text.
    Object {
        members: Map<String, Value>,
        large: Option<(&'static str, Vec<&'a RawValue>)>,
    },
    /// Anything else.
    Other(Value),
}

/// The member of a top-level object read element by element, if any: what the import reads
/// the document as decides it (an example reads its `responses` whole).
fn large_member(members: &BTreeMap<String, &RawValue>) -> Option<&'static str> {
    let is_array = |key: &str| {
        members
            .get(key)
            .is_some_and(|raw| raw.get().trim_start().starts_with('['))
    };
    if members.contains_key("parameters") && members.contains_key("responses") {
        None
    } else if is_array("resources") {
        Some("resources")
    } else if is_array("value") {
        Some("value")
    } else {
        None
    }
}

impl<'a> Source<'a> {
    pub fn new(input: &'a Input) -> Self {
        Self {
            name: &input.name,
            text: input.text.strip_prefix('\u{feff}').unwrap_or(&input.text),
        }
    }

    /// The top level; every part but the large array's elements is parsed (so that a value
    /// JSON does not allow is found now, before anything is merged).
    pub fn document(&self) -> Result<Document<'a>, ImportError> {
        let text = self.text;
        match text.trim_start().as_bytes().first() {
            Some(b'[') => {
                let list: Vec<&RawValue> =
                    serde_json::from_str(text).map_err(|e| self.error(text, &e))?;
                Ok(Document::Array(list))
            }
            Some(b'{') => {
                let raw: BTreeMap<String, &RawValue> =
                    serde_json::from_str(text).map_err(|e| self.error(text, &e))?;
                let large_key = large_member(&raw);
                // Parsed in the order they are written, as a parse of the whole meets them.
                let mut parts: Vec<(String, &RawValue)> = raw.into_iter().collect();
                parts.sort_by_key(|(_, raw)| raw.get().as_ptr() as usize);
                let mut members = Map::new();
                let mut large = None;
                for (key, raw) in parts {
                    match large_key {
                        Some(name) if name == key => large = Some((name, self.elements(raw)?)),
                        _ => {
                            members.insert(key, self.value(raw)?);
                        }
                    }
                }
                Ok(Document::Object { members, large })
            }
            _ => Ok(Document::Other(
                serde_json::from_str(text).map_err(|e| self.error(text, &e))?,
            )),
        }
    }

    /// The elements of an array read as text.
    fn elements(&self, raw: &'a RawValue) -> Result<Vec<&'a RawValue>, ImportError> {
        serde_json::from_str(raw.get()).map_err(|e| self.error(raw.get(), &e))
    }

    /// One part of the input, parsed.
    pub fn value(&self, raw: &RawValue) -> Result<Value, ImportError> {
        serde_json::from_str(raw.get()).map_err(|e| self.error(raw.get(), &e))
    }

    /// An error in `part` (a slice of the input's text) at the line and column of the input.
    fn error(&self, part: &str, e: &serde_json::Error) -> ImportError {
        let start = (part.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        let before = self.text.get(..start).unwrap_or_default();
        let lines_before = before.bytes().filter(|b| *b == b'\n').count();
        // serde_json counts columns in bytes from the start of the line.
        let column_before = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
        let column = if e.line() <= 1 {
            e.column() + column_before
        } else {
            e.column()
        };
        ImportError::NotJson {
            file: self.name.to_owned(),
            line: e.line() + lines_before,
            column,
            message: describe_json_error(e),
        }
    }
}

/// serde_json's message without its own " at line L column C" (the caller prints the position).
fn describe_json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    };
    format!("not JSON: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_at(text: &str) -> (usize, usize, String) {
        let input = Input::new("f.json", text);
        let source = Source::new(&input);
        let result = source.document().and_then(|doc| match doc {
            Document::Array(list) => list.iter().try_for_each(|raw| source.value(raw).map(drop)),
            Document::Object { large, .. } => large
                .into_iter()
                .flat_map(|(_, list)| list)
                .try_for_each(|raw| source.value(raw).map(drop)),
            Document::Other(_) => Ok(()),
        });
        match result {
            Err(ImportError::NotJson {
                line,
                column,
                message,
                ..
            }) => (line, column, message),
            other => panic!("{other:?}"),
        }
    }

    /// The position a parse of the whole text gives.
    fn whole(text: &str) -> (usize, usize, String) {
        let e = serde_json::from_str::<Value>(text).unwrap_err();
        (e.line(), e.column(), describe_json_error(&e))
    }

    #[test]
    fn errors_inside_a_part_are_placed_in_the_whole_input() {
        for text in [
            // Numbers of any size are JSON (kept digit for digit): a lone surrogate is not.
            "{\"value\": [\n  {\"a\": 1},\n  {\"b\": \"\\udc00\"}\n]}",
            "{\"value\": [{\"a\": 1}, {\"b\": \"x\\ud800\"}]}",
            "[\n {\"a\": \"\\ud800\"}]",
            "{\"resources\": [], \"parameters\": {\"x\":\n    {\"y\": \"\\ud800\"}}}",
            "[{\"a\": 1},\n  {\"b\": tru}]",
            "{\"a\": 1,\n \"b\": }",
            "  \n [1, 2",
        ] {
            assert_eq!(error_at(text), whole(text), "{text}");
        }
    }

    #[test]
    fn a_byte_order_mark_is_not_the_document() {
        let input = Input::new("f.json", "\u{feff}[{\"a\": 1}]");
        let Ok(Document::Array(list)) = Source::new(&input).document() else {
            panic!("an array");
        };
        assert_eq!(list.len(), 1);
    }
}
