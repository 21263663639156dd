//! A version's target regions in a plan: compared by region (their ARM entries, and the words
//! that say how the version holds each region), not as one list.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::compare::{compact, same_region_but_status};
use super::{Change, same};
use crate::export::body;
use crate::model::{ImageVersion, TargetRegion};

/// A version's `targetRegions` entries, by lowercase region name.
pub(super) enum Entries<'v> {
    /// Taken from the version's ARM body.
    Body(Map<String, Value>),
    /// The version's own regions, each entry written only when it is asked for: when a
    /// version's regions are all that changed (a plan that gives 100,000 versions a region
    /// writes no body). By short name, which is lowercase.
    Model(BTreeMap<&'static str, &'v TargetRegion>),
}

impl<'v> Entries<'v> {
    /// The entries of a version whose body lists exactly its own regions (no
    /// [`body::unread_target_regions`]).
    pub fn of(v: &'v ImageVersion) -> Self {
        Self::Model(
            v.target_regions
                .iter()
                .map(|t| (t.region.name(), t))
                .collect(),
        )
    }

    fn keys(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        match self {
            Self::Body(map) => Box::new(map.keys().map(String::as_str)),
            Self::Model(map) => Box::new(map.keys().copied()),
        }
    }

    fn contains(&self, key: &str) -> bool {
        match self {
            Self::Body(map) => map.contains_key(key),
            Self::Model(map) => map.contains_key(key),
        }
    }

    fn get(&self, key: &str) -> Option<Cow<'_, Value>> {
        match self {
            Self::Body(map) => map.get(key).map(Cow::Borrowed),
            Self::Model(map) => map.get(key).map(|t| Cow::Owned(body::target_region(t))),
        }
    }

    /// Whether both hold the same entry for `key` (or neither holds one). Two regions equal
    /// but for their replication state are the same entry without writing either.
    fn same_entry(&self, other: &Self, key: &str) -> bool {
        if let (Self::Model(a), Self::Model(b)) = (self, other)
            && let (Some(x), Some(y)) = (a.get(key), b.get(key))
            && same_region_but_status(x, y)
        {
            return true;
        }
        self.get(key) == other.get(key)
    }
}

/// Removes the target regions from a version body, by lowercase region name.
pub(super) fn take_regions(body: &mut Value) -> Entries<'static> {
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
    Entries::Body(out)
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
    old_entries: &Entries<'_>,
    new_entries: &Entries<'_>,
    changes: &mut Vec<Change>,
) {
    fn find<'v>(v: &'v ImageVersion, key: &str) -> Option<&'v TargetRegion> {
        v.target_regions.iter().find(|t| same(t.region.name(), key))
    }
    for key in new_entries.keys() {
        let before = old_entries.contains(key);
        let t_after = find(new, key);
        let t_before = find(old, key);
        let property = || {
            let region = t_after.map_or(key, |t| t.region.name());
            format!("targetRegions[{region}]")
        };
        match (before, t_before, t_after) {
            (false, _, Some(ta)) => changes.push(Change {
                property: property(),
                before: None,
                after: Some(region_text(new, ta)),
            }),
            // Only what ARM receives differently: a version-wide change that the region
            // inherits (excluded from latest) is the version's one line, not one per region.
            (true, Some(tb), Some(ta)) if !old_entries.same_entry(new_entries, key) => {
                let same_words = same_text(old, tb, new, ta);
                let (before, after) = if same_words {
                    let entry = |entries: &Entries<'_>| {
                        entries.get(key).map(|e| compact(&e)).unwrap_or_default()
                    };
                    (entry(old_entries), entry(new_entries))
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
        if !new_entries.contains(key)
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
        if let (Some(o), true) = (old.target(t.region), old_entries.contains(key))
            && old_entries.same_entry(new_entries, key)
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
