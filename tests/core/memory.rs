//! No copy of the workspace that nothing needs (issue 23, item 7): a change to a document that
//! nothing else holds changes it in place, and lists read from the file have no spare room.

use std::sync::Arc;

use sig_studio_core::document::Document;
use sig_studio_core::model::{Edit, Gallery};
use sig_studio_core::sample::{sample, synthetic};
use sig_studio_core::workspace;

#[test]
fn a_change_copies_nothing_when_nothing_else_holds_the_workspace() {
    let dir = crate::common::tempdir("memory-opened");
    let path = dir.join("work.ron");
    workspace::save(&path, &sample()).unwrap();
    let (ws, disk) = workspace::load_stamped(&path).unwrap();
    let mut doc = Document::opened(ws, path, disk);
    let before = Arc::as_ptr(doc.shared());
    let gallery = Gallery {
        name: "added".to_owned(),
        tenant: doc.ws().tenants[0].name.clone(),
        ..Gallery::default()
    };
    doc.apply(Edit::AddGallery {
        index: None,
        gallery,
    })
    .unwrap();
    doc.service_change(|ws| {
        ws.galleries[0].description.push_str(" (progress)");
        ((), true)
    });
    assert_eq!(Arc::as_ptr(doc.shared()), before, "changed in place");
    // A thread saving it shares it; a change meanwhile copies it (the app holds replication
    // back while its own writers run).
    let saving = Arc::clone(doc.shared());
    doc.service_change(|ws| {
        ws.galleries[0].description.push_str(" (more)");
        ((), true)
    });
    assert_ne!(Arc::as_ptr(doc.shared()), Arc::as_ptr(&saving));
}

#[test]
fn lists_read_from_the_file_have_no_spare_room() {
    let text = workspace::to_ron_string(&synthetic(1_000));
    let ws = workspace::from_ron_str(&text).unwrap();
    for gallery in &ws.galleries {
        assert_eq!(gallery.definitions.capacity(), gallery.definitions.len());
        for definition in &gallery.definitions {
            assert_eq!(definition.versions.capacity(), definition.versions.len());
            for version in &definition.versions {
                let regions = &version.target_regions;
                assert_eq!(regions.capacity(), regions.len(), "{}", version.name);
            }
        }
    }
}
