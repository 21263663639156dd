//! Azure as last seen in the workspace (issue 20, part 1): kept in the file beside the planned
//! state, set by an import, untouched by undo, migrated from format 3's per-resource presence,
//! and where plans start from.

use std::path::Path;
use std::sync::Arc;

use sig_studio_core::document::Document;
use sig_studio_core::import::{Input, import};
use sig_studio_core::model::{AzureSeen, Edit, Origin, Presence, ResourcePath, Workspace};
use sig_studio_core::plan::{self, Action};
use sig_studio_core::sample::{SAMPLE_RON, sample};
use sig_studio_core::workspace::{from_ron_str, to_ron_string};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");

fn fixture(name: &str) -> Input {
    Input::read(&Path::new(FIXTURES).join(name)).expect("fixture readable")
}

fn pulled() -> Workspace {
    let mut ws = sample();
    let origin = Origin {
        subscription: "11111111-2222-3333-4444-555555555555".into(),
        endpoint: "https://management.azure.com/".into(),
        read_at: Some("2026-11-26T10:00:00Z".parse().unwrap()),
        ..Origin::default()
    };
    ws.azure = Some(Arc::new(AzureSeen::snapshot(&ws, origin)));
    ws
}

#[test]
fn the_file_keeps_azure_as_last_seen_with_when_and_from_where() {
    let ws = pulled();
    let text = to_ron_string(&ws);
    assert!(text.contains("    azure: (\n"), "{text}");
    assert!(text.contains("read_at: Some(\"2026-11-26T10:00:00Z\")"));
    assert!(text.contains("endpoint: \"https://management.azure.com/\""));
    let back = from_ron_str(&text).unwrap();
    assert_eq!(back, ws);
    assert_eq!(to_ron_string(&back), text, "deterministic");
    let seen = back.azure.as_ref().unwrap();
    assert_eq!(seen.version_count(), ws.version_count());
    assert!(seen.origin.describe().contains("read 2026-11-26T10:00:00Z"));
}

#[test]
fn presence_is_derived_from_azure_as_last_seen_ignoring_case() {
    let mut ws = pulled();
    assert_eq!(
        ws.presence(&ResourcePath::gallery("contoso_images")),
        Some(Presence::InAzure)
    );
    assert_eq!(
        ws.presence_of("CONTOSO_IMAGES", Some("Ubuntu-2204-Base"), Some("1.0.8")),
        Presence::InAzure
    );
    assert_eq!(
        ws.presence_of("contoso_images", Some("ubuntu-2204-base"), Some("9.9.9")),
        Presence::Planned
    );
    assert_eq!(ws.presence(&ResourcePath::gallery("nope")), None);
    ws.azure = None;
    assert_eq!(
        ws.presence(&ResourcePath::gallery("contoso_images")),
        Some(Presence::Planned)
    );
}

#[test]
fn format_3_presence_moves_into_azure_as_last_seen() {
    // A format 3 file whose gallery and one version were imported, and a definition known only
    // by reference.
    let v3 = SAMPLE_RON
        .replacen("format: 4,", "format: 3,", 1)
        .replacen(
            "name: \"contoso_images\",",
            "name: \"contoso_images\",\n            presence: InAzure,",
            1,
        )
        .replacen(
            "name: \"ubuntu-2204-base\",",
            "name: \"ubuntu-2204-base\",\n                    presence: Reference,",
            1,
        )
        .replacen(
            "(name: \"1.0.8\",",
            "(name: \"1.0.8\", presence: InAzure,",
            1,
        );
    assert_ne!(v3, SAMPLE_RON);
    let ws = from_ron_str(&v3).expect("format 3 loads");
    let seen = ws.azure.as_ref().expect("Azure as last seen rebuilt");
    assert!(seen.origin.migrated);
    assert!(seen.origin.describe().contains("older workspace file"));
    assert_eq!(
        ws.presence_of("contoso_images", None, None),
        Presence::InAzure
    );
    assert_eq!(
        ws.presence_of("contoso_images", Some("ubuntu-2204-base"), None),
        Presence::Reference
    );
    assert_eq!(
        ws.presence_of("contoso_images", Some("ubuntu-2204-base"), Some("1.0.8")),
        Presence::InAzure
    );
    assert_eq!(
        ws.presence_of("contoso_images", Some("ubuntu-2204-base"), Some("1.0.9")),
        Presence::Planned
    );
    assert_eq!(
        ws.presence_of("contoso_images", Some("win2022-datacenter"), None),
        Presence::Planned
    );
    // The planned state is the sample's; nothing of presence is written back into it.
    assert_eq!(
        Workspace {
            azure: None,
            ..ws.clone()
        },
        sample()
    );
    let saved = to_ron_string(&ws);
    assert!(saved.contains("format: 4,") && !saved.contains("presence"));
    assert_eq!(from_ron_str(&saved).unwrap(), ws);
}

#[test]
fn older_files_without_presence_have_no_azure_state() {
    for format in ["1", "2", "3"] {
        let text = SAMPLE_RON.replacen("format: 4,", &format!("format: {format},"), 1);
        let ws = from_ron_str(&text).unwrap();
        assert!(ws.azure.is_none(), "format {format}");
    }
}

#[test]
fn an_import_sets_azure_as_last_seen_and_undo_leaves_it() {
    let inputs = [
        fixture("az-sig-list.json"),
        fixture("az-image-definition-list.json"),
        fixture("az-image-version-list.json"),
        fixture("az-role-assignment-list.json"),
    ];
    let mut imported = sample();
    import(&mut imported, &inputs).unwrap();
    let seen = imported.azure.clone().expect("the import sets it");
    assert_eq!(seen.galleries().len(), 2, "the imported galleries only");
    assert!(!seen.grants().is_empty(), "the role assignments read");
    assert_eq!(seen.origin.imported.len(), inputs.len());
    // The planned sample is not in Azure; what was imported is.
    assert_eq!(
        imported.presence_of("contoso_images", None, None),
        Presence::Planned
    );
    assert_eq!(
        imported.presence_of("fabrikam_images", None, None),
        Presence::InAzure
    );

    // In a document: the import is one undo step, Azure as last seen set beside it.
    let mut doc = Document::new(sample(), None);
    let mut copy = imported.clone();
    let edit = Edit::ReplaceResources {
        label: "Import".into(),
        resources: Box::new(sig_studio_core::model::Resources::take(&mut copy)),
    };
    doc.apply(edit).unwrap();
    assert!(doc.set_azure(copy.azure.take()));
    assert_eq!(*doc.ws(), imported);
    let path = ResourcePath::version("contoso_images", "ubuntu-2204-base", "1.0.8");
    doc.apply(Edit::delete(&path).unwrap()).unwrap();
    doc.undo();
    doc.undo();
    assert_eq!(doc.ws().azure, imported.azure, "undo never touches it");
    assert_eq!(doc.ws().galleries, sample().galleries);
    assert!(doc.is_dirty(), "the file does not hold this Azure state");
}

#[test]
fn plans_start_from_azure_as_last_seen_not_from_the_last_save() {
    let mut ws = pulled();
    assert!(plan::from_azure(&ws, crate::common::today()).is_empty());
    let path = ResourcePath::version("contoso_images", "ubuntu-2204-base", "1.0.8");
    Edit::delete(&path).unwrap().apply(&mut ws).unwrap();
    // Saved and read back: the edit is still a step, since nothing was deployed.
    let reopened = from_ron_str(&to_ron_string(&ws)).unwrap();
    let plan = plan::from_azure(&reopened, crate::common::today());
    assert_eq!(plan.steps.len(), 1);
    assert_eq!(plan.steps[0].action, Action::Delete);
    assert_eq!(plan.steps[0].path, "contoso_images/ubuntu-2204-base/1.0.8");
    // Never seen: every planned resource is a create, nothing is deleted.
    let never = sample();
    let plan = plan::from_azure(&never, crate::common::today());
    assert_eq!(plan.count(Action::Delete), 0);
    assert!(plan.count(Action::Create) > 10);
}
