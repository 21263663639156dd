//! A resource's envelope: what kind it is, its envelope apart from its properties, its tags,
//! and what a payload leaves over, kept verbatim.

use serde_json::{Map, Value};

use crate::import::json::{Cx, Obj, join, show};
use crate::import::{Hint, Kind};
use crate::model::azure::ArmId;
use crate::model::{Tags, Verbatim};

/// Keys of a REST resource outside `properties`.
const ENVELOPE_KEYS: [&str; 9] = [
    "id",
    "name",
    "type",
    "location",
    "tags",
    "identity",
    "extendedLocation",
    "systemData",
    "etag",
];

fn type_kind(type_name: &str) -> Option<Option<Kind>> {
    if type_name.is_empty() {
        return None;
    }
    Some(match type_name.to_ascii_lowercase().as_str() {
        "microsoft.compute/galleries" => Some(Kind::Gallery),
        "microsoft.compute/galleries/images" => Some(Kind::Definition),
        "microsoft.compute/galleries/images/versions" => Some(Kind::Version),
        _ => None,
    })
}

/// What a resource item is: from its `type`, else its id, else the document's hint, else its
/// shape. `None`: another resource type.
pub(crate) fn kind_of(obj: &Obj, hint: &Hint, flattened: bool) -> Option<Kind> {
    if let Some(kind) = obj
        .map
        .get("type")
        .and_then(Value::as_str)
        .and_then(type_kind)
    {
        return kind;
    }
    if let Some(id) = obj.map.get("id").and_then(Value::as_str) {
        return match ArmId::parse(id).and_then(|a| a.gallery_path()) {
            Some((_, None, _)) => Some(Kind::Gallery),
            Some((_, Some(_), None)) => Some(Kind::Definition),
            Some((_, Some(_), Some(_))) => Some(Kind::Version),
            None => None,
        };
    }
    if hint.kind.is_some() {
        return hint.kind;
    }
    let props = if flattened {
        Some(&obj.map)
    } else {
        obj.map.get("properties").and_then(Value::as_object)
    }?;
    if props.contains_key("publishingProfile") || props.contains_key("storageProfile") {
        Some(Kind::Version)
    } else if props.contains_key("osType")
        || props
            .get("identifier")
            .and_then(Value::as_object)
            .is_some_and(|i| i.contains_key("publisher"))
    {
        Some(Kind::Definition)
    } else if props.contains_key("sharingProfile")
        || props.contains_key("softDeletePolicy")
        || props.contains_key("identifier")
    {
        Some(Kind::Gallery)
    } else {
        None
    }
}

pub(super) const STORAGE_TYPES: &str =
    "a storage account type (Standard_LRS, Standard_ZRS, Premium_LRS or PremiumV2_LRS)";

pub(super) fn tags(cx: &mut Cx<'_>, obj: &mut Obj) -> Option<Tags> {
    obj.take_with(cx, "tags", |v| match v {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                other => Err(format!(
                    "the tag \"{k}\" has the value {}, expected a string",
                    show(other)
                )),
            })
            .collect(),
        other => Err(format!("{} is not an object of tags", show(other))),
    })
}

/// Merges what a payload left over into a resource's verbatim properties (two levels deep, so
/// that a partial payload does not drop what an earlier one kept).
pub(super) fn keep(verbatim: &mut Verbatim, leftovers: Map<String, Value>) {
    for (k, mut v) in leftovers {
        if strip_nulls(&mut v) {
            continue;
        }
        let map = verbatim.map_mut();
        match (map.get_mut(&k), v) {
            (Some(Value::Object(old)), Value::Object(new)) => {
                for (k2, v2) in new {
                    old.insert(k2, v2);
                }
            }
            (_, v) => {
                map.insert(k, v);
            }
        }
    }
}

/// Removes the `null`s of a value's objects in place: the az CLI prints unset properties as
/// `null`, which says nothing worth keeping. Returns whether nothing is left: an object emptied
/// of nulls goes too, but one that was empty stays (`userAssignedIdentities` maps each identity
/// to `{}`).
fn strip_nulls(value: &mut Value) -> bool {
    match value {
        Value::Null => true,
        Value::Object(map) if map.is_empty() => false,
        Value::Object(map) => {
            map.retain(|_, v| !strip_nulls(v));
            map.is_empty()
        }
        Value::Array(items) => {
            for item in items.iter_mut() {
                strip_nulls(item);
            }
            false
        }
        _ => false,
    }
}

/// Splits a resource into its envelope (id, name, location, tags, identity…) and properties.
pub(super) fn split(obj: Obj, flattened: bool) -> (Obj, Obj) {
    if flattened {
        let mut envelope = Map::new();
        let mut props = obj.map;
        for k in ENVELOPE_KEYS.iter().chain(["resourceGroup"].iter()) {
            if let Some(v) = props.remove(*k) {
                envelope.insert((*k).to_owned(), v);
            }
        }
        (
            Obj::new(envelope, obj.path.clone()),
            Obj::new(props, obj.path),
        )
    } else {
        let mut envelope = obj.map;
        let props = match envelope.remove("properties") {
            Some(Value::Object(props)) => props,
            Some(other) => {
                envelope.insert("properties".to_owned(), other);
                Map::new()
            }
            None => Map::new(),
        };
        let props_path = join(&obj.path, "properties");
        (Obj::new(envelope, obj.path), Obj::new(props, props_path))
    }
}

/// The leftovers of envelope and properties, shaped like the REST body.
pub(super) fn leftovers(envelope: Obj, props: Obj) -> Map<String, Value> {
    let mut out = envelope.map;
    if !props.map.is_empty() {
        out.insert("properties".to_owned(), Value::Object(props.map));
    }
    out
}
