//! What the app keeps of a resource's REST body without modelling it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Properties of a resource the app does not model (encryption, identity, UEFI settings,
/// validation results…), kept verbatim so that an export writes them back: the part of the
/// resource's REST body the import did not take, nested as in the body. In the workspace file
/// it is a RON map (JSON `null` is `()`), keys in sorted order; every number is written back as
/// it was read, digit for digit (`workspace::kept`).
/// Boxed and absent when empty: every target region of every version has one, and most are
/// empty, so it costs one pointer there.
#[derive(Clone, Debug, Default)]
pub struct Verbatim(Option<Box<serde_json::Map<String, serde_json::Value>>>);

/// Absent and empty alike, as they compare.
impl std::hash::Hash for Verbatim {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.as_deref().filter(|m| !m.is_empty()).hash(state);
    }
}

impl PartialEq for Verbatim {
    /// Absent and empty are the same.
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => a == b,
            (Some(m), None) | (None, Some(m)) => m.is_empty(),
            (None, None) => true,
        }
    }
}

impl Verbatim {
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|m| m.is_empty())
    }

    /// Keeps a value under a top-level key of the body (`identity`, `properties`).
    pub fn insert(&mut self, key: &str, value: serde_json::Value) {
        self.map_mut().insert(key.to_owned(), value);
    }

    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.0.as_ref()?.get(key)
    }

    /// Keys in order, for display.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().flat_map(|m| m.keys().map(String::as_str))
    }

    /// A copy of the kept properties (empty when there are none).
    pub fn to_map(&self) -> serde_json::Map<String, serde_json::Value> {
        self.0.as_deref().cloned().unwrap_or_default()
    }

    /// The map, created when absent.
    pub fn map_mut(&mut self) -> &mut serde_json::Map<String, serde_json::Value> {
        self.0.get_or_insert_with(Default::default)
    }
}

impl Serialize for Verbatim {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Numbers as they were read (`workspace::kept`).
        match &self.0 {
            Some(map) => crate::workspace::kept::serialize_map(map, serializer),
            None => crate::workspace::kept::serialize_map(&serde_json::Map::new(), serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Verbatim {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = crate::workspace::kept::deserialize_map(deserializer)?;
        Ok(Self((!map.is_empty()).then(|| Box::new(map))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_round_trips_through_ron() {
        let mut v = Verbatim::default();
        v.insert(
            "properties",
            serde_json::json!({"securityProfile": {"uefiSettings": {"signatureTemplateNames": ["MicrosoftUefiCertificateAuthorityTemplate"]}}, "f": [0.1, 3.3, 123456789.12345679, 5e-324, -0.0, 1.0, 1e300], "n": null, "big": 18446744073709551615u64, "min": -9223372036854775808i64, "s": "q\"b\\\n\u{1F600}", "k y": [[], {}]}),
        );
        let text = ron::to_string(&v).unwrap();
        let back: Verbatim = ron::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
