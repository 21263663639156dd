//! Reading JSON objects field by field: each field taken is removed, so what remains at the end
//! is exactly what the app did not understand (kept verbatim). A value of the wrong type or
//! outside the spec's enums stays in the object and gets a warning naming its JSON path.

use serde_json::{Map, Value};

use super::Warning;

/// Where warnings go while one input file is read.
pub(crate) struct Cx<'a> {
    pub file: &'a str,
    pub warnings: &'a mut Vec<Warning>,
    /// Region names already resolved: a list repeats the same few names thousands of times.
    pub regions: &'a mut std::collections::HashMap<String, Option<crate::model::Region>>,
}

impl Cx<'_> {
    pub fn warn(&mut self, path: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            file: self.file.to_owned(),
            path: path.to_owned(),
            message: message.into(),
        });
    }
}

/// JSON path of a key below `base`.
pub(crate) fn join(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_owned()
    } else {
        format!("{base}.{key}")
    }
}

/// JSON path of an element of an array at `base`.
pub(crate) fn index(base: &str, i: usize) -> String {
    format!("{base}[{i}]")
}

/// A value as it appears in a message: strings quoted, long values shortened.
pub(crate) fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        let short: String = text.chars().take(57).collect();
        format!("{short}…")
    } else {
        text
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An object being taken apart, with its JSON path in the input.
pub(crate) struct Obj {
    pub map: Map<String, Value>,
    pub path: String,
}

impl Obj {
    pub fn new(map: Map<String, Value>, path: String) -> Self {
        Self { map, path }
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// Removes a key and returns its value, whatever it is.
    pub fn take_raw(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key)
    }

    /// Takes a value when `parse` accepts it; otherwise warns and leaves it (kept verbatim).
    pub fn take_with<T>(
        &mut self,
        cx: &mut Cx<'_>,
        key: &str,
        parse: impl FnOnce(&Value) -> Result<T, String>,
    ) -> Option<T> {
        let value = self.map.get(key)?;
        if value.is_null() {
            self.map.remove(key);
            return None;
        }
        match parse(value) {
            Ok(parsed) => {
                self.map.remove(key);
                Some(parsed)
            }
            Err(message) => {
                cx.warn(&join(&self.path, key), message);
                None
            }
        }
    }

    pub fn str(&mut self, cx: &mut Cx<'_>, key: &str) -> Option<String> {
        self.take_with(cx, key, |v| match v {
            Value::String(s) => Ok(s.clone()),
            other => Err(format!(
                "{} is {}, expected a string",
                show(other),
                kind_of(other)
            )),
        })
    }

    pub fn bool(&mut self, cx: &mut Cx<'_>, key: &str) -> Option<bool> {
        self.take_with(cx, key, |v| match v {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
            other => Err(format!("{} is not true or false", show(other))),
        })
    }

    pub fn u32(&mut self, cx: &mut Cx<'_>, key: &str) -> Option<u32> {
        self.take_with(cx, key, |v| {
            let n = match v {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.trim().parse::<u64>().ok(),
                _ => None,
            };
            n.and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| format!("{} is not a whole number of 0 or more", show(v)))
        })
    }

    /// A string that must be one of an enum's names: `what` completes "… is not <what>".
    pub fn enumeration<T>(
        &mut self,
        cx: &mut Cx<'_>,
        key: &str,
        what: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        self.take_with(cx, key, |v| match v {
            Value::String(s) => parse(s).ok_or_else(|| format!("\"{s}\" is not {what}")),
            other => Err(format!("{} is not {what}", show(other))),
        })
    }

    /// An Azure region in either name form (`westus`, `West US`).
    pub fn region(&mut self, cx: &mut Cx<'_>, key: &str) -> Option<crate::model::Region> {
        let regions = &mut *cx.regions;
        let found = match self.map.get(key)? {
            Value::String(name) => match regions.get(name) {
                Some(found) => *found,
                None => {
                    let found = crate::model::Region::parse(name).ok();
                    regions.insert(name.clone(), found);
                    found
                }
            },
            Value::Null => {
                self.map.remove(key);
                return None;
            }
            _ => None,
        };
        match found {
            Some(region) => {
                self.map.remove(key);
                Some(region)
            }
            None => {
                let shown = self.map.get(key).map(show).unwrap_or_default();
                cx.warn(
                    &join(&self.path, key),
                    format!("{shown} is not an Azure region"),
                );
                None
            }
        }
    }

    /// A date or date-time (`2026-11-10`, `2026-11-10T00:00:00Z`): its calendar date.
    pub fn date(&mut self, cx: &mut Cx<'_>, key: &str) -> Option<crate::model::Date> {
        self.take_with(cx, key, |v| {
            let text = v.as_str().unwrap_or_default();
            let day: String = text.chars().take(10).collect();
            day.parse::<crate::model::Date>()
                .map_err(|_| format!("{} is not a date", show(v)))
        })
    }

    /// A date-time as a UTC date and, when it is not midnight, the UTC time of day (`2027-04-30`,
    /// `2027-04-30T12:59:59Z`, `2019-02-17T00:00:00-08:00`).
    pub fn date_time(
        &mut self,
        cx: &mut Cx<'_>,
        key: &str,
    ) -> Option<(crate::model::Date, Option<crate::model::Time>)> {
        self.take_with(cx, key, |v| {
            let text = v.as_str().unwrap_or_default().trim();
            if let Ok(stamp) = text.parse::<jiff::Timestamp>() {
                let utc = stamp.to_zoned(jiff::tz::TimeZone::UTC).datetime();
                let time = utc.time();
                return Ok((
                    utc.date(),
                    (time != jiff::civil::Time::midnight()).then_some(time),
                ));
            }
            if let Ok(local) = text.parse::<jiff::civil::DateTime>() {
                let time = local.time();
                return Ok((
                    local.date(),
                    (time != jiff::civil::Time::midnight()).then_some(time),
                ));
            }
            let day: String = text.chars().take(10).collect();
            day.parse::<crate::model::Date>()
                .map(|d| (d, None))
                .map_err(|_| format!("{} is not a date", show(v)))
        })
    }

    /// Takes a nested object to read; give it back with `restore` so that what it does not
    /// understand is kept.
    pub fn obj(&mut self, cx: &mut Cx<'_>, key: &str) -> Option<Obj> {
        match self.map.get(key)? {
            Value::Object(_) => match self.map.remove(key) {
                Some(Value::Object(map)) => Some(Obj::new(map, join(&self.path, key))),
                _ => None,
            },
            Value::Null => {
                self.map.remove(key);
                None
            }
            other => {
                let message = format!("{} is {}, expected an object", show(other), kind_of(other));
                cx.warn(&join(&self.path, key), message);
                None
            }
        }
    }

    /// Takes a nested array; the caller puts back the elements it did not understand.
    pub fn arr(&mut self, cx: &mut Cx<'_>, key: &str) -> Option<Vec<Value>> {
        match self.map.get(key)? {
            Value::Array(_) => match self.map.remove(key) {
                Some(Value::Array(items)) => Some(items),
                _ => None,
            },
            Value::Null => {
                self.map.remove(key);
                None
            }
            other => {
                let message = format!("{} is {}, expected an array", show(other), kind_of(other));
                cx.warn(&join(&self.path, key), message);
                None
            }
        }
    }

    /// Puts back what a nested object left over, under its key.
    pub fn restore(&mut self, key: &str, child: Obj) {
        if !child.map.is_empty() {
            self.map.insert(key.to_owned(), Value::Object(child.map));
        }
    }

    /// Puts back array elements that were not understood (or the leftovers of those that were).
    pub fn restore_items(&mut self, key: &str, items: Vec<Value>) {
        if !items.is_empty() {
            self.map.insert(key.to_owned(), Value::Array(items));
        }
    }
}

/// An object element of an array, or a warning.
pub(crate) fn as_obj(cx: &mut Cx<'_>, value: Value, path: String) -> Result<Obj, Value> {
    match value {
        Value::Object(map) => Ok(Obj::new(map, path)),
        other => {
            cx.warn(
                &path,
                format!(
                    "{} is {}, expected an object",
                    show(&other),
                    kind_of(&other)
                ),
            );
            Err(other)
        }
    }
}
