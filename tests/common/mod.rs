//! Helpers every test binary shares: the fixed date, temporary folders, the command line as the
//! tests run it, and the seeded generator. Nothing here links the app's UI.

#![allow(dead_code)] // Each test file uses its own part.

pub mod cli;
pub mod gallery;
pub mod log_capture;
pub mod mock_arm;
pub mod oracle;
pub mod pyenv;
pub mod rng;
pub mod spec;

use std::path::PathBuf;

/// The date the tests judge end-of-life dates against (fixed, so results never depend on the
/// day the tests run).
pub fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 26)
}

/// A fresh, empty folder for one test's files.
pub fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sig-studio-ui-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Marks the gallery, definition or version at `path` of `ws` (and its parents, known by
/// reference unless already there) as in Azure as last seen, or known only by reference.
pub fn mark_in_azure(
    ws: &mut sig_studio_core::model::Workspace,
    path: &sig_studio_core::model::ResourcePath,
    presence: sig_studio_core::model::Presence,
) {
    use sig_studio_core::model::{AzureSeen, Gallery, ImageDefinition, Presence, ResourcePath};
    let (origin, mut galleries, principals, grants, mut references) = match ws.azure.take() {
        Some(seen) => std::sync::Arc::unwrap_or_clone(seen).into_parts(),
        None => Default::default(),
    };
    let (g, d, v) = match path {
        ResourcePath::Gallery(g) => (g, None, None),
        ResourcePath::Definition(g, d) => (g, Some(d), None),
        ResourcePath::Version(g, d, v) => (g, Some(d), Some(v)),
        _ => panic!("not a gallery, definition or version: {path}"),
    };
    let planned = ws.gallery(g).expect("the gallery is planned");
    let gi = match galleries.iter().position(|x| &x.name == g) {
        Some(i) => i,
        None => {
            galleries.push(planned.without_definitions());
            if d.is_some() || presence == Presence::Reference {
                references.push(g.clone());
            }
            galleries.len() - 1
        }
    };
    if d.is_none() && presence == Presence::InAzure {
        references.retain(|r| r != g);
    }
    if let Some(d) = d {
        let planned_d = planned.definition(d).expect("the definition is planned");
        let seen_g: &mut Gallery = &mut galleries[gi];
        let di = match seen_g.definitions.iter().position(|x| &x.name == d) {
            Some(i) => i,
            None => {
                seen_g.definitions.push(ImageDefinition {
                    ..planned_d.without_versions()
                });
                if v.is_some() || presence == Presence::Reference {
                    references.push(format!("{g}/{d}"));
                }
                seen_g.definitions.len() - 1
            }
        };
        if v.is_none() && presence == Presence::InAzure {
            references.retain(|r| r != &format!("{g}/{d}"));
        }
        if let Some(v) = v {
            let planned_v = planned_d.version(v).expect("the version is planned");
            let versions = &mut seen_g.definitions[di].versions;
            versions.retain(|x| &x.name != v);
            versions.push(planned_v.clone());
        }
    }
    ws.azure = Some(std::sync::Arc::new(AzureSeen::new(
        origin, galleries, principals, grants, references,
    )));
}
