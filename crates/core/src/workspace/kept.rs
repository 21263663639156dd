//! How the properties kept verbatim (`model::Verbatim`) are written in the workspace file, so
//! that every number is written back as it was read. serde_json keeps each number's text (its
//! `arbitrary_precision` feature): `12345678901234567890123`, `0.10000000000000001` or `1.50`
//! leave an export as they came in (only an exponent gains its sign: `1e2` is `1e+2`). RON
//! reads numbers into `i64`, `u64` or `f64`, so a number is written as one of those when that
//! gives back the same text, and otherwise as its text marked as a number: `Some("1.50")`. JSON
//! has no `Some`, so the mark means nothing else (`null` is `()`), and a reader without this
//! module reads the text as a string.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

/// serde_json's name for a number given as text through a map (`arbitrary_precision`).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Writes a kept map; see the module documentation.
pub fn serialize_map<S: Serializer>(
    map: &Map<String, Value>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut out = serializer.serialize_map(Some(map.len()))?;
    for (key, value) in map {
        out.serialize_entry(key, &Kept(value))?;
    }
    out.end()
}

/// Reads a kept map; see the module documentation.
pub fn deserialize_map<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Map<String, Value>, D::Error> {
    match deserializer.deserialize_any(KeptVisitor)? {
        Value::Object(map) => Ok(map),
        other => Err(de::Error::invalid_type(
            unexpected(&other),
            &"a map of kept properties",
        )),
    }
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("a number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

/// How a number is written so that it reads back as the same text.
enum Written {
    I64(i64),
    U64(u64),
    F64(f64),
    Text,
}

fn written(number: &Number) -> Written {
    let text = number.to_string();
    if let Ok(i) = text.parse::<i64>()
        && i.to_string() == text
    {
        return Written::I64(i);
    }
    if let Ok(u) = text.parse::<u64>()
        && u.to_string() == text
    {
        return Written::U64(u);
    }
    if let Ok(f) = text.parse::<f64>()
        && Number::from_f64(f).is_some_and(|n| n.to_string() == text)
    {
        return Written::F64(f);
    }
    Written::Text
}

struct Kept<'a>(&'a Value);

impl Serialize for Kept<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => match written(n) {
                Written::I64(i) => serializer.serialize_i64(i),
                Written::U64(u) => serializer.serialize_u64(u),
                Written::F64(f) => serializer.serialize_f64(f),
                Written::Text => serializer.serialize_some(&n.to_string()),
            },
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut out = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    out.serialize_element(&Kept(item))?;
                }
                out.end()
            }
            Value::Object(map) => serialize_map(map, serializer),
        }
    }
}

struct KeptVisitor;

/// A value read through [`KeptVisitor`].
struct Read(Value);

impl<'de> Deserialize<'de> for Read {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeptVisitor).map(Read)
    }
}

fn number_from_text<E: de::Error>(text: &str) -> Result<Value, E> {
    text.parse::<Number>()
        .map(Value::Number)
        .map_err(|_| E::invalid_value(de::Unexpected::Str(text), &"a number"))
}

impl<'de> Visitor<'de> for KeptVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a kept property value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    /// A number written as its text; anything else in `Some` is taken as it is.
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        match deserializer.deserialize_any(KeptVisitor)? {
            Value::String(text) => number_from_text(&text),
            other => Ok(other),
        }
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }

    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Value, E> {
        number_from_text(&i.to_string())
    }

    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Value, E> {
        number_from_text(&u.to_string())
    }

    /// Not a number (`NaN`, `inf`) is `null`, as serde_json reads it.
    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Number::from_f64(f).map_or(Value::Null, Value::Number))
    }

    fn visit_char<E>(self, c: char) -> Result<Value, E> {
        Ok(Value::String(c.to_string()))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(Read(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.is_empty() && key == NUMBER_TOKEN {
                // A serde_json value's number given as text.
                let text: String = access.next_value()?;
                return number_from_text(&text);
            }
            let Read(value) = access.next_value()?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(json: &str) -> (String, String) {
        let value: Value = serde_json::from_str(json).unwrap();
        let Value::Object(map) = value else {
            panic!("an object")
        };
        struct Wrap(Map<String, Value>);
        impl Serialize for Wrap {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serialize_map(&self.0, s)
            }
        }
        let ron = ron::to_string(&Wrap(map)).unwrap();
        let back = deserialize_map(&mut ron::Deserializer::from_str(&ron).unwrap()).unwrap();
        (ron, Value::Object(back).to_string())
    }

    #[test]
    fn numbers_come_back_as_they_were_written() {
        let json = r#"{"big":12345678901234567890123,"exp":1e2,"float":0.5,"i":-9223372036854775808,"int":7,"long":0.1000000000000000055511151231257827,"neg0":-0.0,"one":1.0,"pi":3.14159265358979323846264338327950288,"tiny":5e-324,"trailing":1.50,"u":18446744073709551615}"#;
        let (ron, back) = round_trip(json);
        // serde_json's reader gives an exponent its sign; every digit stays.
        assert_eq!(back, json.replace("1e2", "1e+2"), "through {ron}");
        // Numbers a RON reader takes exactly are written as numbers.
        assert!(
            ron.contains("\"int\":7") && ron.contains("\"float\":0.5"),
            "{ron}"
        );
        assert!(ron.contains("\"exp\":Some(\"1e+2\")"), "{ron}");
        let (_, back) = round_trip(r#"{"a":[null,true,"x",{"b":[]}],"s":"Some(\"1\")"}"#);
        assert_eq!(back, r#"{"a":[null,true,"x",{"b":[]}],"s":"Some(\"1\")"}"#);
    }
}
