//! The file's `azure: (...)` section (format 4): Azure as last seen, laid out like the planned
//! galleries; and the migration of format 3's per-resource `presence` into it.

use std::sync::Arc;

use serde::Deserialize;

use super::format::{push_indent, rows, write_galleries};
use crate::model::{
    AzureSeen, Gallery, Grant, ImageDefinition, Origin, Presence, Principal, Workspace,
};

/// What the `azure` section holds.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Section {
    #[serde(default)]
    origin: Origin,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    principals: Vec<Principal>,
    #[serde(default)]
    grants: Vec<Grant>,
    #[serde(default)]
    galleries: Vec<Gallery>,
}

/// `azure: (...)` without RON's `Some(...)` around it.
pub(super) fn some<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Section>, D::Error> {
    Section::deserialize(d).map(Some)
}

impl Section {
    pub(super) fn into_seen(self) -> AzureSeen {
        let mut galleries = self.galleries;
        // Presence is not stored in this section either: whatever a hand-edit put there is
        // meaningless here.
        clear_presence(&mut galleries);
        AzureSeen::new(
            self.origin,
            galleries,
            self.principals,
            self.grants,
            self.references,
        )
    }
}

/// Writes the `azure` section at depth 1 (nothing when Azure was never seen).
pub(super) fn write(out: &mut String, seen: &AzureSeen) {
    push_indent(out, 1);
    out.push_str("azure: (\n");
    if seen.origin != Origin::default() {
        push_indent(out, 2);
        out.push_str("origin: ");
        super::format::row(out, &seen.origin);
        out.push_str(",\n");
    }
    if !seen.references().is_empty() {
        push_indent(out, 2);
        out.push_str("references: ");
        super::format::row(out, &seen.references());
        out.push_str(",\n");
    }
    rows(out, 2, "principals", seen.principals());
    rows(out, 2, "grants", seen.grants());
    write_galleries(out, 2, seen.galleries());
    push_indent(out, 1);
    out.push_str("),\n");
}

/// Clears format 3's marks from the planned state (the file's `azure` section says what is in
/// Azure).
pub(super) fn clear_marks(ws: &mut Workspace) {
    clear_presence(&mut ws.galleries);
}

fn clear_presence(galleries: &mut [Gallery]) {
    for g in galleries {
        g.format3_presence = Presence::Planned;
        for d in &mut g.definitions {
            d.format3_presence = Presence::Planned;
            for v in &mut d.versions {
                v.format3_presence = Presence::Planned;
            }
        }
    }
}

/// Format 3 marked each gallery, definition and version "in Azure" or "known only by
/// reference" where it stood in the planned state. Those resources become Azure as last seen
/// (their fields as the file planned them, the origin saying so); the marks are cleared. A
/// file with no marks has no Azure state.
pub(super) fn migrate(ws: &mut Workspace) {
    let marked = ws.galleries.iter().any(|g| {
        g.format3_presence != Presence::Planned
            || g.definitions.iter().any(|d| {
                d.format3_presence != Presence::Planned
                    || d.versions
                        .iter()
                        .any(|v| v.format3_presence != Presence::Planned)
            })
    });
    if !marked {
        clear_presence(&mut ws.galleries);
        return;
    }
    let mut galleries = Vec::new();
    let mut references = Vec::new();
    for g in &ws.galleries {
        let definitions: Vec<ImageDefinition> = g
            .definitions
            .iter()
            .filter_map(|d| migrate_definition(g, d, &mut references))
            .collect();
        if g.format3_presence == Presence::Planned && definitions.is_empty() {
            continue;
        }
        if g.format3_presence != Presence::InAzure {
            // Known by reference, or the parent of something in Azure: it exists there too.
            references.push(g.name.clone());
        }
        galleries.push(Gallery {
            definitions,
            ..g.without_definitions()
        });
    }
    // Grants on resources that exist in Azure may or may not exist there: none is assumed
    // (a plan lists them as creates until a refresh reads them).
    let origin = Origin {
        migrated: true,
        ..Origin::default()
    };
    clear_presence(&mut ws.galleries);
    clear_presence(&mut galleries);
    ws.azure = Some(Arc::new(AzureSeen::new(
        origin,
        galleries,
        Vec::new(),
        Vec::new(),
        references,
    )));
}

fn migrate_definition(
    g: &Gallery,
    d: &ImageDefinition,
    references: &mut Vec<String>,
) -> Option<ImageDefinition> {
    let versions: Vec<_> = d
        .versions
        .iter()
        .filter(|v| v.format3_presence != Presence::Planned)
        .cloned()
        .collect();
    if d.format3_presence == Presence::Planned && versions.is_empty() {
        return None;
    }
    if d.format3_presence != Presence::InAzure {
        references.push(format!("{}/{}", g.name, d.name));
    }
    Some(ImageDefinition {
        versions,
        ..d.without_versions()
    })
}
