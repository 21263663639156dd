//! Deeply nested properties (issue 23, point 2): the import leaves out what nests deeper than
//! any Azure body, and no save writes a workspace the reader would refuse; what a save writes
//! opens again.

use std::sync::Arc;

use serde_json::{Value, json};

use sig_studio_core::import::{Input, import};
use sig_studio_core::model::{AzureSeen, Origin, Workspace};
use sig_studio_core::sample::sample;
use sig_studio_core::workspace::depth::{MAX_KEPT_DEPTH, nesting};
use sig_studio_core::workspace::{load, save, to_ron_string};

use crate::common::tempdir;

/// `{"n": {"n": … 1}}` nesting `depth` levels.
fn nested(depth: usize) -> Value {
    let mut value = json!(1);
    for _ in 0..depth {
        value = json!({ "n": value });
    }
    value
}

const VERSION_ID: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1/images/d1/versions/1.0.0";

#[test]
fn an_import_leaves_out_values_nested_too_deep_and_its_result_opens_again() {
    let gallery = json!({
        "id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1",
        "name": "g1",
        "type": "Microsoft.Compute/galleries",
        "location": "westeurope",
        "properties": {"description": "x", "deep": nested(60), "fine": nested(8)},
    });
    let version = json!({
        "id": VERSION_ID,
        "name": "1.0.0",
        "type": "Microsoft.Compute/galleries/images/versions",
        "location": "westeurope",
        "properties": {
            "deepList": [nested(100)],
            "publishingProfile": {"targetRegions": [
                {"name": "West Europe", "regionalReplicaCount": 1, "encryption": nested(70)}
            ]},
        },
    });
    let mut ws = Workspace::default();
    let inputs = [
        Input::new("gallery.json", gallery.to_string()),
        Input::new("version.json", version.to_string()),
    ];
    let summary = import(&mut ws, &inputs).unwrap();
    let cut: Vec<String> = summary
        .warnings
        .iter()
        .filter(|w| w.message.contains("nested deeper than 32 levels"))
        .map(|w| format!("{}: {}", w.file, w.path))
        .collect();
    assert_eq!(cut.len(), 3, "{cut:?}");
    assert!(
        cut[0].starts_with("gallery.json: properties.deep.n.n."),
        "{cut:?}"
    );
    // What nests as Azure nests is kept.
    let kept = ws.galleries[0].unmodeled.get("properties").unwrap();
    assert_eq!(kept["fine"], nested(8));
    let dir = tempdir("deep-import");
    let file = dir.join("ws.ron");
    save(&file, &ws).unwrap();
    assert_eq!(load(&file).unwrap(), ws);
}

/// Every place a kept value can be, at the deepest the save allows: the file opens again. One
/// level deeper, the save refuses and the previous file stays.
#[test]
fn the_deepest_value_a_save_writes_opens_again_and_deeper_is_refused() {
    let dir = tempdir("deep-save");
    let file = dir.join("ws.ron");
    save(&file, &sample()).unwrap();
    let before = std::fs::read_to_string(&file).unwrap();
    let places: [fn(&mut Workspace, Value); 4] = [
        |ws, v| ws.galleries[0].unmodeled.insert("p", v),
        |ws, v| ws.galleries[0].definitions[0].unmodeled.insert("p", v),
        |ws, v| {
            ws.galleries[0].definitions[0].versions[0]
                .unmodeled
                .insert("p", v)
        },
        |ws, v| {
            ws.galleries[0].definitions[0].versions[0].target_regions[0]
                .unmodeled
                .insert("p", v)
        },
    ];
    for (i, place) in places.iter().enumerate() {
        // The kept map is the first level; the value under its key the rest.
        let deepest = nested(MAX_KEPT_DEPTH - 1);
        assert_eq!(nesting(&deepest), MAX_KEPT_DEPTH - 1);
        let mut ws = sample();
        place(&mut ws, deepest);
        let at = dir.join(format!("deepest-{i}.ron"));
        save(&at, &ws).unwrap();
        assert_eq!(load(&at).unwrap(), ws, "place {i}");

        let mut ws = sample();
        place(&mut ws, nested(MAX_KEPT_DEPTH));
        let err = save(&file, &ws).unwrap_err().to_string();
        assert!(
            err.contains("nested 49 levels deep, more than the 48"),
            "place {i}: {err}"
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
        // The text of such a workspace is indeed more than the reader takes.
        if i == 3 {
            let text = to_ron_string(&{
                let mut ws = sample();
                place(&mut ws, nested(70));
                ws
            });
            assert!(sig_studio_core::workspace::from_ron_str(&text).is_err());
        }
    }
}

/// Azure as last seen is in the file too: its kept values are held to the same depth, at the
/// deepest place one can be (a target region of a version).
#[test]
fn azure_as_last_seen_is_held_to_the_same_depth() {
    let dir = tempdir("deep-seen");
    let file = dir.join("ws.ron");
    let seen_with = |value: Value| {
        let mut azure = sample();
        azure.galleries[0].definitions[0].versions[0].target_regions[0]
            .unmodeled
            .insert("p", value);
        let mut ws = sample();
        ws.azure = Some(Arc::new(AzureSeen::snapshot(&azure, Origin::default())));
        ws
    };
    let ws = seen_with(nested(MAX_KEPT_DEPTH - 1));
    save(&file, &ws).unwrap();
    assert_eq!(load(&file).unwrap(), ws);
    let before = std::fs::read_to_string(&file).unwrap();
    let err = save(&file, &seen_with(nested(MAX_KEPT_DEPTH)))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("(Azure as last seen) keeps a property nested 49 levels deep"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
}
