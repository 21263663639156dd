//! A version's target regions in a plan: compared by region (their ARM entries, and the words
//! that say how the version holds each region), not as one list.

use serde_json::{Map, Value};

use super::compare::compact;
use super::{Change, same};
use crate::model::{ImageVersion, TargetRegion};

/// Removes the target regions from a version body, by lowercase region name.
pub(super) fn take_regions(body: &mut Value) -> Map<String, Value> {
    let mut out = Map::new();
    let list = body
        .get_mut("properties")
        .and_then(|p| p.get_mut("publishingProfile"))
        .and_then(|p| p.as_object_mut())
        .and_then(|p| p.remove("targetRegions"));
    if let Some(Value::Array(entries)) = list {
        for entry in entries {
            let name = entry
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_ascii_lowercase();
            out.insert(name, entry);
        }
    }
    out
}

/// How a version holds a region, in words: "2 replicas on Standard_LRS, excluded from latest".
pub fn region_text(v: &ImageVersion, t: &TargetRegion) -> String {
    let count = v.replica_count(t);
    let mut text = format!(
        "{} on {}",
        crate::words::count(count as usize, "replica", "replicas"),
        v.storage_type_in(t).label()
    );
    for set in t.additional_replica_sets.iter() {
        text.push_str(&format!(
            ", +{} on {}",
            crate::words::count(set.replicas as usize, "replica", "replicas"),
            set.storage_type.label()
        ));
    }
    if t.exclude_from_latest.unwrap_or(v.exclude_from_latest) {
        text.push_str(", excluded from latest");
    }
    text
}

/// Whether [`region_text`] says the same of two regions, found without writing either.
fn same_text(a: &ImageVersion, ta: &TargetRegion, b: &ImageVersion, tb: &TargetRegion) -> bool {
    let sets = |t: &TargetRegion| {
        t.additional_replica_sets
            .iter()
            .map(|set| (set.replicas, set.storage_type.label()))
            .collect::<Vec<_>>()
    };
    a.replica_count(ta) == b.replica_count(tb)
        && a.storage_type_in(ta).label() == b.storage_type_in(tb).label()
        && ta.exclude_from_latest.unwrap_or(a.exclude_from_latest)
            == tb.exclude_from_latest.unwrap_or(b.exclude_from_latest)
        && sets(ta) == sets(tb)
}

pub(super) fn regions(
    old: &ImageVersion,
    new: &ImageVersion,
    old_entries: &Map<String, Value>,
    new_entries: &Map<String, Value>,
    changes: &mut Vec<Change>,
) {
    fn find<'v>(v: &'v ImageVersion, key: &str) -> Option<&'v TargetRegion> {
        v.target_regions.iter().find(|t| same(t.region.name(), key))
    }
    for (key, entry) in new_entries {
        let before = old_entries.get(key);
        let t_after = find(new, key);
        let t_before = find(old, key);
        let property = || {
            let region = t_after.map_or(key.as_str(), |t| t.region.name());
            format!("targetRegions[{region}]")
        };
        match (before, t_before, t_after) {
            (None, _, Some(ta)) => changes.push(Change {
                property: property(),
                before: None,
                after: Some(region_text(new, ta)),
            }),
            // Only what ARM receives differently: a version-wide change that the region
            // inherits (excluded from latest) is the version's one line, not one per region.
            (Some(b), Some(tb), Some(ta)) if b != entry => {
                let same_words = same_text(old, tb, new, ta);
                let (before, after) = if same_words {
                    (compact(b), compact(entry))
                } else {
                    (region_text(old, tb), region_text(new, ta))
                };
                changes.push(Change {
                    property: property(),
                    before: Some(before),
                    after: Some(after),
                });
            }
            _ => {}
        }
    }
    for key in old_entries.keys() {
        if !new_entries.contains_key(key)
            && let Some(t) = find(old, key)
        {
            changes.push(Change {
                property: format!("targetRegions[{}]", t.region.name()),
                before: Some(region_text(old, t)),
                after: None,
            });
        }
    }
    // A region whose effective count changes only through the default count (its own entry
    // is the same, so the loop above did not list it).
    for t in &new.target_regions {
        let key = t.region.name();
        if let (Some(o), true) = (old.target(t.region), old_entries.contains_key(key))
            && old_entries.get(key) == new_entries.get(key)
            && old.replica_count(o) != new.replica_count(t)
            && !same_text(old, o, new, t)
        {
            changes.push(Change {
                property: format!("targetRegions[{key}]"),
                before: Some(region_text(old, o)),
                after: Some(region_text(new, t)),
            });
        }
    }
}
