//! The import reads a large input one element at a time and each element again when it merges
//! it (issue 23): errors keep the whole file's line and column and leave the workspace as it
//! was, parents are merged before children whatever the order in the file, and a warning is
//! given once though its element is read twice. Nested template resources (a gallery's images
//! in its own `resources`) are imported with their full type.

use std::path::Path;

use serde_json::Value;
use sig_studio_core::import::{ImportError, Input, import};
use sig_studio_core::model::Workspace;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");

fn fixture_elements(name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(Path::new(FIXTURES).join(name)).unwrap();
    match serde_json::from_str(&text).unwrap() {
        Value::Array(list) => list,
        other => panic!("{name} is not a list: {other}"),
    }
}

#[test]
fn an_element_that_is_not_json_is_placed_in_the_file_and_nothing_changes() {
    let text = "{\n  \"value\": [\n    {\"name\": \"g\", \"type\": \"Microsoft.Compute/galleries\", \"location\": \"westeurope\"},\n    {\"name\": \"h\", \"type\": \"Microsoft.Compute/galleries\",\n     \"location\": \"westeurope\", \"tags\": {\"size\": \"\\ud800\"}}\n  ]\n}";
    let whole = serde_json::from_str::<Value>(text).unwrap_err();
    let mut ws = sig_studio_core::sample::sample();
    let before = ws.clone();
    let err = import(&mut ws, &[Input::new("page.json", text)]).unwrap_err();
    let ImportError::NotJson {
        line,
        column,
        message,
        ..
    } = &err
    else {
        panic!("{err}");
    };
    assert_eq!((*line, *column), (whole.line(), whole.column()), "{err}");
    assert_eq!(*line, 5);
    assert!(message.contains("hex escape"), "{message}");
    assert_eq!(ws, before);
}

#[test]
fn children_listed_before_their_parents_are_merged_after_them() {
    let files = [
        "az-sig-list.json",
        "az-image-definition-list.json",
        "az-image-version-list.json",
    ];
    let mut in_order: Vec<Value> = files.iter().flat_map(|f| fixture_elements(f)).collect();
    let parents_first = serde_json::to_string_pretty(&in_order).unwrap();
    in_order.reverse();
    let children_first = serde_json::to_string_pretty(&in_order).unwrap();
    let mut a = Workspace::default();
    let summary_a = import(&mut a, &[Input::new("list.json", parents_first)]).unwrap();
    let mut b = Workspace::default();
    let summary_b = import(&mut b, &[Input::new("list.json", children_first)]).unwrap();
    assert_eq!(a.galleries.len(), 2);
    assert!(a.version_count() > 0);
    assert!(summary_b.known_only_by_reference.is_empty());
    // The same resources, in the order the workspace keeps them by name.
    let sorted = |ws: &Workspace| {
        let mut galleries = ws.galleries.clone();
        galleries.sort_by(|x, y| x.name.cmp(&y.name));
        for g in &mut galleries {
            g.definitions.sort_by(|x, y| x.name.cmp(&y.name));
            for d in &mut g.definitions {
                d.versions.sort_by(|x, y| x.name.cmp(&y.name));
            }
        }
        galleries
    };
    assert_eq!(sorted(&a), sorted(&b));
    assert_eq!(summary_a.versions, summary_b.versions);
    assert_eq!(summary_a.galleries, summary_b.galleries);
}

#[test]
fn nested_template_resources_are_read_again_and_warned_about_once() {
    let template = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Compute/galleries",
      "apiVersion": "2025-03-03",
      "name": "nested",
      "location": "westeurope",
      "properties": {"description": "outer"},
      "resources": [
        {
          "type": "images",
          "apiVersion": "2025-03-03",
          "name": "linux",
          "location": "westeurope",
          "properties": {
            "osType": "Linux",
            "osState": "Generalized",
            "identifier": {"publisher": "p", "offer": "o", "sku": "s"}
          },
          "resources": [
            {
              "type": "versions",
              "apiVersion": "2025-03-03",
              "name": "1.0.0",
              "location": "westeurope",
              "condition": true,
              "properties": {
                "publishingProfile": {"targetRegions": [{"name": "westeurope"}]},
                "storageProfile": {"source": {"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/images/base"}}
              }
            }
          ]
        }
      ]
    },
    {"type": "Microsoft.Storage/storageAccounts", "name": "other", "apiVersion": "2023-01-01"}
  ]
}"#;
    let mut ws = Workspace::default();
    let summary = import(&mut ws, &[Input::new("nested.json", template)]).unwrap();
    assert_eq!(ws.galleries.len(), 1);
    assert_eq!(ws.galleries[0].definitions.len(), 1);
    assert_eq!(ws.galleries[0].definitions[0].versions[0].name, "1.0.0");
    assert!(summary.known_only_by_reference.is_empty());
    assert_eq!(summary.files[0].read, 3);
    let paths: Vec<&str> = summary.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(
        paths
            .iter()
            .filter(|p| **p == "resources[0].resources[0].resources[0].condition")
            .count(),
        1,
        "{paths:?}"
    );
    assert_eq!(
        paths.iter().filter(|p| **p == "resources[1].type").count(),
        1,
        "{paths:?}"
    );
}

/// `{"n": {"n": … 1}}` nesting `depth` levels.
fn nested(depth: usize) -> Value {
    let mut value = serde_json::json!(1);
    for _ in 0..depth {
        value = serde_json::json!({ "n": value });
    }
    value
}

#[test]
fn a_value_nested_too_deep_in_an_element_read_alone_is_cut_at_its_level_in_the_whole_file() {
    let version = serde_json::json!({
        "id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1/images/d1/versions/1.0.0",
        "name": "1.0.0",
        "type": "Microsoft.Compute/galleries/images/versions",
        "location": "westeurope",
        "properties": {"deepList": [nested(100)]},
    });
    // The object cut is the one at level 33 of the whole document: `deepList[0]` is at level 4
    // of the resource alone, 5 in an az list, 6 in a REST page's `value`.
    for (text, path, levels) in [
        (version.to_string(), "properties.deepList[0]", 29),
        (
            serde_json::json!([version]).to_string(),
            "[0].properties.deepList[0]",
            28,
        ),
        (
            serde_json::json!({ "value": [version] }).to_string(),
            "value[0].properties.deepList[0]",
            27,
        ),
    ] {
        let mut ws = Workspace::default();
        let summary = import(&mut ws, &[Input::new("v.json", text)]).unwrap();
        let cut: Vec<&str> = summary
            .warnings
            .iter()
            .filter(|w| w.message.contains("nested deeper than 32 levels"))
            .map(|w| w.path.as_str())
            .collect();
        // Once, though the element is read twice (found, then merged).
        assert_eq!(cut, [format!("{path}{}", ".n".repeat(levels))], "{path}");
        let dir = crate::common::tempdir("deep-element");
        let file = dir.join("ws.ron");
        sig_studio_core::workspace::save(&file, &ws).unwrap();
        assert_eq!(sig_studio_core::workspace::load(&file).unwrap(), ws);
    }
}
