//! Which resource a payload describes, when names alone would merge two into one.
//!
//! - Galleries are the workspace's by name, and Azure allows one name in two resource groups
//!   (or subscriptions): the two are different galleries. One is kept (the workspace's own, else
//!   the one whose id sorts first, so the file order decides nothing), and every payload of the
//!   other is skipped with a warning naming both ids.
//! - Two files of one import that describe one resource differently (the spec's examples give
//!   six different `1.0.0`) are not merged field by field into a resource neither describes:
//!   the first description is kept whole and the other skipped with a warning naming both.
//!   A later file that adds only what the first left out (a replication status) is merged.

use std::collections::HashMap;

use serde_json::Value;

use super::Item;
use super::json::Cx;
use crate::export::body;
use crate::model::azure::ArmId;
use crate::model::{Gallery, ImageDefinition, ImageVersion, Workspace};

/// A gallery's place in Azure, lower case: subscription and resource group.
pub(crate) type Place = (String, String);

/// The place kept for each gallery name (lower case) that more than one place uses.
pub(crate) fn choose(ws: &Workspace, items: &[(usize, Item)]) -> HashMap<String, Place> {
    let mut seen: HashMap<String, Vec<Place>> = HashMap::new();
    for g in &ws.galleries {
        if !g.subscription.is_empty() || !g.resource_group.is_empty() {
            seen.entry(g.name.to_lowercase()).or_default().push((
                g.subscription.to_lowercase(),
                g.resource_group.to_lowercase(),
            ));
        }
    }
    let existing: HashMap<String, Place> = seen
        .iter()
        .map(|(k, v)| (k.clone(), v[0].clone()))
        .collect();
    for (_, item) in items {
        let Item::Resource { obj, .. } = item else {
            continue;
        };
        let Some(parsed) = obj
            .map
            .get("id")
            .and_then(Value::as_str)
            .and_then(ArmId::parse)
        else {
            continue;
        };
        let (Some((gallery, _, _)), Some(sub), Some(rg)) = (
            parsed.gallery_path(),
            parsed.subscription.as_ref(),
            parsed.resource_group.as_ref(),
        ) else {
            continue;
        };
        let places = seen.entry(gallery.to_lowercase()).or_default();
        let place = (sub.to_lowercase(), rg.to_lowercase());
        if !places.contains(&place) {
            places.push(place);
        }
    }
    seen.into_iter()
        .filter(|(_, places)| places.len() > 1)
        .map(|(name, mut places)| {
            let kept = existing.get(&name).cloned().unwrap_or_else(|| {
                places.sort();
                places[0].clone()
            });
            (name, kept)
        })
        .collect()
}

fn id_of(gallery: &str, place: &Place) -> String {
    format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/galleries/{gallery}",
        place.0, place.1
    )
}

/// Whether a payload of gallery `gallery` in `sub`/`rg` belongs to another gallery of the same
/// name than the one kept; warns with both ids when it does.
pub(crate) fn other_gallery(
    cx: &mut Cx<'_>,
    path: &str,
    chosen: &HashMap<String, Place>,
    gallery: &str,
    sub: Option<&str>,
    rg: Option<&str>,
) -> bool {
    let (Some(kept), Some(sub), Some(rg)) = (chosen.get(&gallery.to_lowercase()), sub, rg) else {
        return false;
    };
    let place = (sub.to_lowercase(), rg.to_lowercase());
    if &place == kept {
        return false;
    }
    cx.warn(
        path,
        format!(
            "gallery \"{gallery}\" is in two places: {} and {}. They are different galleries and the workspace holds one gallery of a name: the first is kept, this one is skipped (import it into another workspace)",
            id_of(gallery, kept),
            id_of(gallery, &place)
        ),
    );
    true
}

/// A resource as it was before a payload was applied, to take back a conflicting description.
pub(crate) enum Snapshot {
    Gallery(Gallery),
    Definition(ImageDefinition),
    Version(ImageVersion),
}

impl Snapshot {
    /// What ARM would receive for the resource, the measure of "describes it differently".
    fn body(&self, ws: &Workspace, gallery: &Gallery, definition: &ImageDefinition) -> Value {
        match self {
            Self::Gallery(g) => body::gallery(g),
            Self::Definition(d) => body::definition(gallery, d),
            Self::Version(v) => {
                let item = crate::export::VersionItem {
                    gallery,
                    definition,
                    version: v,
                };
                body::version(ws, &item, |name| name.to_owned())
            }
        }
    }
}

/// Where a snapshot's resource is: gallery, definition and version indices.
pub(crate) type At = (usize, Option<usize>, Option<usize>);

pub(crate) fn take(ws: &Workspace, at: At) -> Snapshot {
    let g = &ws.galleries[at.0];
    match at {
        (_, Some(d), Some(v)) => Snapshot::Version(g.definitions[d].versions[v].clone()),
        (_, Some(d), None) => Snapshot::Definition(g.definitions[d].without_versions()),
        _ => Snapshot::Gallery(g.without_definitions()),
    }
}

/// Whether the resource at `at` now differs from `before` in what ARM receives; if so it is
/// put back as it was.
pub(crate) fn differs_and_restore(ws: &mut Workspace, at: At, before: Snapshot) -> bool {
    let now = take(ws, at);
    let gallery = ws.galleries[at.0].without_definitions();
    let definition =
        at.1.map(|d| ws.galleries[at.0].definitions[d].without_versions())
            .unwrap_or_default();
    if before.body(ws, &gallery, &definition) == now.body(ws, &gallery, &definition) {
        return false;
    }
    let g = &mut ws.galleries[at.0];
    match (before, at) {
        (Snapshot::Version(v), (_, Some(d), Some(i))) => g.definitions[d].versions[i] = v,
        (Snapshot::Definition(def), (_, Some(d), None)) => {
            let versions = std::mem::take(&mut g.definitions[d].versions);
            g.definitions[d] = ImageDefinition { versions, ..def };
        }
        (Snapshot::Gallery(gallery), _) => {
            let definitions = std::mem::take(&mut g.definitions);
            *g = Gallery {
                definitions,
                ..gallery
            };
        }
        _ => {}
    }
    true
}
