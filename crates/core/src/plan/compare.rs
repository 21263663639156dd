//! One resource in two states: the step that takes it from BEFORE to AFTER, if any. What counts
//! is what ARM receives ([`crate::export::arm`]'s bodies), compared property by property; the
//! service's rules on what may change are asked of [`crate::model::fixed`].

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::target_regions::{Entries, regions, take_regions};
use super::{Action, Change, Kind, Step, gallery_key, same};
use crate::export::{arm, body};
use crate::model::{
    Gallery, ImageDefinition, ImageVersion, ResourcePath, TargetRegion, Workspace, fixed,
};

/// Keys of a resource body that are not properties of the resource.
const ENVELOPE: [&str; 4] = ["type", "apiVersion", "name", "dependsOn"];

pub fn gallery(old: Option<&Gallery>, new: &Gallery) -> Option<Step> {
    let Some(old) = old else {
        return Some(Step::new(Action::Create, Kind::Gallery, new.name.clone()));
    };
    if old == new || bodies_equal_quick(old, new) {
        return None;
    }
    let mut changes = diff(&arm::gallery_body(old), &arm::gallery_body(new));
    sharing_groups(old, new, &mut changes);
    if changes.is_empty() {
        return None;
    }
    let mut step = Step::new(Action::Update, Kind::Gallery, new.name.clone());
    step.changes = changes;
    let path = ResourcePath::gallery(&new.name);
    refuse_fixed(&mut step, &path, fixed::gallery_changes(old, new));
    if let Some(reason) = fixed::sharing_change(old, new) {
        step.refuse(reason);
    }
    Some(step)
}

/// A gallery's own fields equal (its definitions are compared one by one).
fn bodies_equal_quick(old: &Gallery, new: &Gallery) -> bool {
    old.without_definitions() == new.without_definitions()
}

/// Direct sharing's subscriptions and tenants (set by the share action, not in the body).
fn sharing_groups(old: &Gallery, new: &Gallery, changes: &mut Vec<Change>) {
    for (property, a, b) in [
        (
            "sharingProfile.groups[subscriptions]",
            &old.sharing.subscriptions,
            &new.sharing.subscriptions,
        ),
        (
            "sharingProfile.groups[tenants]",
            &old.sharing.tenants,
            &new.sharing.tenants,
        ),
    ] {
        if a != b {
            changes.push(Change {
                property: property.to_owned(),
                before: (!a.is_empty()).then(|| a.join(", ")),
                after: (!b.is_empty()).then(|| b.join(", ")),
            });
        }
    }
}

pub fn definition(
    g: &Gallery,
    old: Option<&ImageDefinition>,
    new: &ImageDefinition,
) -> Option<Step> {
    let path = format!("{}/{}", g.name, new.name);
    let Some(old) = old else {
        return Some(Step::new(Action::Create, Kind::Definition, path));
    };
    if old.without_versions() == new.without_versions() {
        return None;
    }
    let changes = diff(&arm::definition_body(g, old), &arm::definition_body(g, new));
    if changes.is_empty() {
        return None;
    }
    let mut step = Step::new(Action::Update, Kind::Definition, path);
    step.changes = changes;
    let rpath = ResourcePath::definition(&g.name, &new.name);
    refuse_fixed(&mut step, &rpath, fixed::definition_changes(old, new));
    if let Some(reason) = fixed::features_change(old, new) {
        step.refuse(reason);
    }
    Some(step)
}

pub fn version(
    (before_ws, after_ws): (&Workspace, &Workspace),
    g: &Gallery,
    d: &ImageDefinition,
    old: Option<&ImageVersion>,
    new: &ImageVersion,
) -> Option<Step> {
    let path = format!("{}/{}/{}", g.name, d.name, new.name);
    let Some(old) = old else {
        return Some(Step::new(Action::Create, Kind::Version, path));
    };
    if same_but_status(old, new) {
        return None;
    }
    // Only the regions changed: the rest of the two bodies is the same, and each region's
    // entry is written only if the two differ in more than replication state.
    let only_regions = same_but_regions(old, new)
        && !body::unread_target_regions(old)
        && !body::unread_target_regions(new)
        && body::version_location(before_ws, g, old) == body::version_location(after_ws, g, new);
    let mut changes = Vec::new();
    let (old_regions, new_regions) = if only_regions {
        (Entries::of(old), Entries::of(new))
    } else {
        let mut a = arm::version_body(before_ws, g, d, old);
        let mut b = arm::version_body(after_ws, g, d, new);
        let regions = (take_regions(&mut a), take_regions(&mut b));
        changes = diff(&a, &b);
        regions
    };
    regions(old, new, &old_regions, &new_regions, &mut changes);
    if changes.is_empty() {
        return None;
    }
    let mut step = Step::new(Action::Update, Kind::Version, path);
    step.changes = changes;
    let rpath = ResourcePath::version(&g.name, &d.name, &new.name);
    refuse_fixed(&mut step, &rpath, fixed::version_update_changes(old, new));
    if let Some(region) = fixed::removed_protected_region(old, new, old.target_regions.iter()) {
        step.refuse(fixed::protected_region_message(region));
    }
    if let Some(reason) = fixed::unencrypted_region_added(old, new) {
        step.refuse(reason);
    }
    Some(step)
}

/// Whether two states of a version differ at most in replication state (the service's, not a
/// change to deploy): checked field by field, so thousands of versions whose progress moved
/// are not turned into bodies to compare.
pub(crate) fn same_but_status(a: &ImageVersion, b: &ImageVersion) -> bool {
    same_but_regions(a, b)
        && a.target_regions.len() == b.target_regions.len()
        && a.target_regions
            .iter()
            .zip(&b.target_regions)
            .all(|(x, y)| same_region_but_status(x, y))
}

/// Whether two states of a version are the same but for their target regions. Every field is
/// named: a new one cannot be missed.
fn same_but_regions(a: &ImageVersion, b: &ImageVersion) -> bool {
    let ImageVersion {
        name,
        source,
        azure_source,
        published,
        end_of_life,
        end_of_life_time,
        location,
        exclude_from_latest,
        default_replica_count,
        storage_type,
        storage_account_strategy,
        replication_mode,
        allow_deletion_of_replicated_locations,
        block_deletion_before_end_of_life,
        retention_exempt,
        tags,
        format3_presence: _,
        unmodeled,
        target_regions: _,
    } = a;
    *name == b.name
        && *source == b.source
        && *azure_source == b.azure_source
        && *published == b.published
        && *end_of_life == b.end_of_life
        && *end_of_life_time == b.end_of_life_time
        && *location == b.location
        && *exclude_from_latest == b.exclude_from_latest
        && *default_replica_count == b.default_replica_count
        && *storage_type == b.storage_type
        && *storage_account_strategy == b.storage_account_strategy
        && *replication_mode == b.replication_mode
        && *allow_deletion_of_replicated_locations == b.allow_deletion_of_replicated_locations
        && *block_deletion_before_end_of_life == b.block_deletion_before_end_of_life
        && *retention_exempt == b.retention_exempt
        && *tags == b.tags
        && *unmodeled == b.unmodeled
}

/// Whether two target regions are the same but for their replication state.
pub(super) fn same_region_but_status(x: &TargetRegion, y: &TargetRegion) -> bool {
    let TargetRegion {
        region,
        replicas,
        storage_type,
        exclude_from_latest,
        additional_replica_sets,
        status: _,
        unmodeled,
    } = x;
    *region == y.region
        && *replicas == y.replicas
        && *storage_type == y.storage_type
        && *exclude_from_latest == y.exclude_from_latest
        && *additional_replica_sets == y.additional_replica_sets
        && *unmodeled == y.unmodeled
}

fn refuse_fixed(step: &mut Step, path: &ResourcePath, properties: Vec<&'static str>) {
    if !properties.is_empty() {
        let reasons: Vec<String> = properties
            .iter()
            .map(|p| fixed::immutable_message(path, p))
            .collect();
        step.refuse(format!(
            "{} (a change Azure refuses; to make it, delete the {} and create it again)",
            reasons.join("; "),
            path.kind()
        ));
    }
}

/// The properties that differ between two bodies, by their path under `properties` (tags and
/// arrays compared whole).
pub fn diff(a: &Value, b: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    let (Value::Object(a), Value::Object(b)) = (a, b) else {
        return out;
    };
    let strip = |m: &Map<String, Value>| -> Map<String, Value> {
        let mut m = m.clone();
        for key in ENVELOPE {
            m.remove(key);
        }
        if let Some(Value::Object(props)) = m.remove("properties") {
            for (k, v) in props {
                m.insert(k, v);
            }
        }
        m
    };
    walk(
        "",
        &Value::Object(strip(a)),
        &Value::Object(strip(b)),
        &mut out,
    );
    out
}

fn walk(path: &str, a: &Value, b: &Value, out: &mut Vec<Change>) {
    if a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if path != "tags" => {
            for (key, va) in x {
                let sub = join(path, key);
                match y.get(key) {
                    Some(vb) => walk(&sub, va, vb, out),
                    None => out.push(Change {
                        property: sub,
                        before: Some(compact(va)),
                        after: None,
                    }),
                }
            }
            for (key, vb) in y {
                if !x.contains_key(key) {
                    out.push(Change {
                        property: join(path, key),
                        before: None,
                        after: Some(compact(vb)),
                    });
                }
            }
        }
        _ => out.push(Change {
            property: path.to_owned(),
            before: Some(compact(a)),
            after: Some(compact(b)),
        }),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A value as the plan shows it: strings as they are, anything else as compact JSON.
pub fn compact(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Deletes and creates of one kind whose resources are the same but for their name (or their
/// gallery's resource group, or their parent) are a rename or move: ARM has neither, so the plan
/// keeps both steps and says what they are. Each resource is looked up and stripped once; pairs
/// with the same last name are matched first through a map (a definition renamed with all its
/// versions), the rest pairwise.
pub fn mark_renames(
    deletes: &mut [Vec<Step>; 4],
    upserts: &mut [Vec<Step>; 4],
    before: &Workspace,
    after: &Workspace,
) {
    for slot in 1..4 {
        let created: Vec<(usize, Stripped)> = upserts[slot]
            .iter()
            .enumerate()
            .filter(|(_, s)| s.action == Action::Create)
            .filter_map(|(i, s)| Some((i, Resource::find(after, &s.path)?.stripped())))
            .collect();
        if created.is_empty() {
            continue;
        }
        let removed: Vec<(usize, Stripped)> = deletes[slot]
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((i, Resource::find(before, &s.path)?.stripped())))
            .collect();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (k, (i, _)) in created.iter().enumerate() {
            by_name
                .entry(last(&upserts[slot][*i].path).to_ascii_lowercase())
                .or_default()
                .push(k);
        }
        let mut taken = vec![false; created.len()];
        let mut paired = vec![false; removed.len()];
        for same_name_pass in [true, false] {
            for (r, (d, old)) in removed.iter().enumerate() {
                if paired[r] {
                    continue;
                }
                let name = last(&deletes[slot][*d].path).to_ascii_lowercase();
                let candidates: Vec<usize> = if same_name_pass {
                    by_name.get(&name).cloned().unwrap_or_default()
                } else {
                    (0..created.len()).collect()
                };
                for k in candidates {
                    let (i, new) = &created[k];
                    if taken[k] || !old.same_content(new) {
                        continue;
                    }
                    let what = old.change_to(new);
                    let del = &mut deletes[slot][*d];
                    let (from, to) = (del.path.clone(), upserts[slot][*i].path.clone());
                    let verb = if what == "rename of" {
                        "rename"
                    } else {
                        "move"
                    };
                    del.note = Some(format!(
                        "{what} {from} → {to}: ARM cannot {verb} a resource, so it is deleted here and created again as {to}"
                    ));
                    del.pair = Some(to.clone());
                    let step = &mut upserts[slot][*i];
                    step.note = Some(format!(
                        "{what} {from} → {to}: created again after {from} is deleted"
                    ));
                    step.pair = Some(from);
                    taken[k] = true;
                    paired[r] = true;
                    break;
                }
            }
        }
    }
}

fn last(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A resource without what may differ in a rename or move (its name, its gallery's location
/// in Azure, its children, replication state), with where it was.
struct Stripped {
    /// The gallery's identity and the definition's name (lowercase), and the resource's name.
    gallery: (String, String, String),
    definition: String,
    name: String,
    content: Content,
}

#[derive(PartialEq)]
enum Content {
    Gallery(Gallery),
    Definition(ImageDefinition),
    Version(ImageVersion),
}

impl Stripped {
    fn same_content(&self, other: &Self) -> bool {
        let same_place = self.gallery == other.gallery;
        match (&self.content, &other.content) {
            (Content::Gallery(_), Content::Gallery(_)) => self.content == other.content,
            // A definition is renamed inside its gallery.
            (Content::Definition(_), Content::Definition(_)) => {
                same_place && self.content == other.content
            }
            (Content::Version(_), Content::Version(_)) => self.content == other.content,
            _ => false,
        }
    }

    /// "move of" when only where it is changed, else "rename of".
    fn change_to(&self, new: &Self) -> &'static str {
        let moved = match self.content {
            Content::Gallery(_) => self.gallery != new.gallery,
            Content::Definition(_) => false,
            Content::Version(_) => self.gallery != new.gallery || self.definition != new.definition,
        };
        if moved && same(&self.name, &new.name) {
            "move of"
        } else {
            "rename of"
        }
    }
}

/// A gallery, definition or version found by its plan path.
enum Resource<'w> {
    Gallery(&'w Gallery),
    Definition(&'w Gallery, &'w ImageDefinition),
    Version(&'w Gallery, &'w ImageDefinition, &'w ImageVersion),
}

impl<'w> Resource<'w> {
    fn find(ws: &'w Workspace, path: &str) -> Option<Self> {
        match (path.split('/').count(), super::find(ws, path)) {
            (1, (Some(g), _, _)) => Some(Self::Gallery(g)),
            (2, (Some(g), Some(d), _)) => Some(Self::Definition(g, d)),
            (3, (Some(g), Some(d), Some(v))) => Some(Self::Version(g, d, v)),
            _ => None,
        }
    }

    fn stripped(&self) -> Stripped {
        let (g, d, name, content) = match self {
            Self::Gallery(g) => {
                let content = Gallery {
                    name: String::new(),
                    subscription: String::new(),
                    resource_group: String::new(),
                    format3_presence: Default::default(),
                    ..g.without_definitions()
                };
                (*g, String::new(), &g.name, Content::Gallery(content))
            }
            Self::Definition(g, d) => {
                let content = ImageDefinition {
                    name: String::new(),
                    format3_presence: Default::default(),
                    ..d.without_versions()
                };
                (
                    *g,
                    d.name.to_ascii_lowercase(),
                    &d.name,
                    Content::Definition(content),
                )
            }
            Self::Version(g, d, v) => {
                let mut content = ImageVersion {
                    name: String::new(),
                    format3_presence: Default::default(),
                    published: None,
                    ..(*v).clone()
                };
                for t in &mut content.target_regions {
                    t.status = Default::default();
                }
                (
                    *g,
                    d.name.to_ascii_lowercase(),
                    &v.name,
                    Content::Version(content),
                )
            }
        };
        Stripped {
            gallery: gallery_key(g),
            definition: d,
            name: name.clone(),
            content,
        }
    }
}
