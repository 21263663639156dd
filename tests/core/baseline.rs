//! The document's baseline (what *Review changes…* plans from) without a second copy of the
//! workspace in memory once a file holds it (issue 23, item 7), and lists read from the file
//! without spare room.

use std::sync::Arc;

use crate::common::tempdir;
use sig_studio_core::document::{Baseline, BaselineError, Document};
use sig_studio_core::model::{Edit, Gallery};
use sig_studio_core::sample::{sample, synthetic};
use sig_studio_core::workspace;

fn add_gallery(doc: &mut Document, name: &str) {
    let gallery = Gallery {
        name: name.to_owned(),
        tenant: doc.ws().tenants[0].name.clone(),
        ..Gallery::default()
    };
    doc.apply(Edit::AddGallery {
        index: None,
        gallery,
    })
    .unwrap();
}

#[test]
fn an_opened_document_reads_its_baseline_back_from_the_file_once_it_changes() {
    let dir = tempdir("baseline-opened");
    let path = dir.join("work.ron");
    workspace::save(&path, &sample()).unwrap();
    let (ws, disk) = workspace::load_stamped(&path).unwrap();
    let opened = ws.clone();
    let mut doc = Document::opened(ws, path.clone(), disk);
    // Unchanged: the baseline is the workspace itself.
    assert!(matches!(doc.baseline(), Baseline::Held(b) if Arc::ptr_eq(&b, doc.shared())));
    // A change does not copy the workspace to keep the baseline: the file holds it.
    add_gallery(&mut doc, "added");
    assert_eq!(Arc::strong_count(doc.shared()), 1, "no other copy holds it");
    let baseline = doc.baseline();
    assert!(matches!(baseline, Baseline::File { .. }));
    assert_eq!(*baseline.load().unwrap(), opened);
    assert!(doc.ws().gallery("added").is_some());
    // Someone else changes the file: what it held then is gone, and the error says so.
    let mut other = opened.clone();
    other.galleries.clear();
    workspace::save(&path, &other).unwrap();
    match doc.baseline().load() {
        Err(err @ BaselineError::Changed { .. }) => {
            assert!(err.to_string().contains("changed on disk"), "{err}");
            assert!(err.to_string().contains("work.ron"), "{err}");
        }
        other => panic!("expected a changed file, got {other:?}"),
    }
}

#[test]
fn after_a_save_the_saved_content_is_the_baseline() {
    let dir = tempdir("baseline-saved");
    let path = dir.join("saved.ron");
    let mut doc = Document::new(sample(), None);
    add_gallery(&mut doc, "before_save");
    // Not saved anywhere: the baseline stays in memory, the content as created.
    assert!(matches!(doc.baseline(), Baseline::Held(_)));
    let snapshot = Arc::clone(doc.shared());
    let state = doc.state();
    let stamp = workspace::save_checked(&path, &snapshot, None).unwrap();
    // A change made while the save ran.
    add_gallery(&mut doc, "during_save");
    doc.mark_saved(state, path.clone());
    doc.set_saved_baseline(Arc::clone(&snapshot), path.clone(), stamp);
    drop(snapshot);
    assert!(matches!(doc.baseline(), Baseline::File { .. }));
    let baseline = doc.baseline().load().unwrap();
    assert!(baseline.gallery("before_save").is_some());
    assert!(baseline.gallery("during_save").is_none());
    // An import's baseline is what Azure holds, not the file's: kept in memory.
    doc.set_baseline(Arc::new(sample()));
    add_gallery(&mut doc, "after_import");
    assert_eq!(*doc.baseline().load().unwrap(), sample());
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
