//! The Azure Image Builder hand-off: the `distribute` entry validates against the
//! `Microsoft.VirtualMachineImages` 2024-02-01 schema (fixture with its source), its timeout is
//! the build allowance plus the plan's prediction with the margin, within 960 minutes, and what
//! the API version cannot express is named with its follow-up.

use crate::common;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sig_studio_core::export::handoff::{self, NoteKind, Target};
use sig_studio_core::export::image_builder::{self, Versioning};
use sig_studio_core::model::{DataDisk, ReplicationMode, StorageType};
use sig_studio_core::sample::sample;

use crate::handoff::{one_version, path, temp_dir, wanted_regions};

/// Validates Image Builder `distribute` entries and timeouts against the schema fixture, with
/// every object closed to properties the schema does not define, and the discriminators.
const VALIDATE_IMAGE_BUILDER: &str = r##"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
defs = schema["definitions"]
def closed(name):
    d = defs[name]
    props = dict(d.get("properties", {}))
    for part in d.get("allOf", []):
        props.update(defs[part["$ref"].split("/")[-1]]["properties"])
    return {"allOf": [{"$ref": "#/definitions/" + name}], "properties": {k: {} for k in props}, "additionalProperties": False, "definitions": defs}
docs = json.load(open(sys.argv[2], encoding="utf-8"))
for doc in docs:
    props = doc["properties"]
    assert set(props) <= {"buildTimeoutInMinutes", "distribute"}, props.keys()
    if "buildTimeoutInMinutes" in props:
        jsonschema.validate(props["buildTimeoutInMinutes"], defs["buildTimeoutInMinutes"])
    for entry in props["distribute"]:
        assert entry["type"] == "SharedImage", entry["type"]
        jsonschema.validate(entry, closed("ImageTemplateSharedImageDistributor"))
        for region in entry.get("targetRegions", []):
            jsonschema.validate(region, closed("TargetRegion"))
        if "versioning" in entry:
            scheme = {"Latest": "DistributeVersionerLatest", "Source": "DistributeVersionerSource"}[entry["versioning"]["scheme"]]
            jsonschema.validate(entry["versioning"], closed(scheme))
    # Nothing undefined passes: the same check refuses a property 2024-02-01 does not have.
    bad = dict(props["distribute"][0], replicationMode="Full")
    try:
        jsonschema.validate(bad, closed("ImageTemplateSharedImageDistributor"))
        raise SystemExit("replicationMode was accepted")
    except jsonschema.ValidationError:
        pass
print(len(docs))
"##;

fn schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/image-builder/shared-image-distributor-2024-02-01.schema.json")
}

#[test]
fn image_builder_entries_validate_against_the_2024_02_01_schema() {
    let ws = sample();
    let mut docs = Vec::new();
    let versionings = [
        Versioning::Explicit,
        Versioning::Latest { major: Some(2026) },
        Versioning::Latest { major: None },
        Versioning::Source,
    ];
    for (i, (g, d, v)) in ws.versions().enumerate() {
        let t = Target::find(&ws, &format!("{}/{}/{}", g.name, d.name, v.name)).unwrap();
        let options = image_builder::Options {
            versioning: versionings[i % versionings.len()],
            ..image_builder::Options::default()
        };
        let handoff = image_builder::write(&ws, &t, &options, common::today());
        let doc: Value = serde_json::from_str(&handoff.text).unwrap();
        let entry = &doc["properties"]["distribute"][0];
        let regions: Vec<(String, u64)> = entry["targetRegions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["name"].as_str().unwrap().to_owned(),
                    r["replicaCount"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(regions, wanted_regions(v));
        let id = entry["galleryImageId"].as_str().unwrap();
        assert_eq!(
            id.ends_with(&format!("/images/{}/versions/{}", d.name, v.name)),
            options.versioning == Versioning::Explicit,
            "{id}"
        );
        let secs = handoff.predicted_secs.clone().unwrap();
        assert_eq!(
            doc["properties"]["buildTimeoutInMinutes"],
            json!(image_builder::DEFAULT_BUILD_MINUTES + handoff::publish_minutes(secs))
        );
        docs.push(doc);
    }
    let dir = temp_dir("image-builder");
    let file = dir.join("docs.json");
    std::fs::write(&file, serde_json::to_string(&docs).unwrap()).unwrap();
    let out = common::pyenv::run_script(VALIDATE_IMAGE_BUILDER, &[&schema(), &file]);
    assert_eq!(out.trim(), "7");
}

#[test]
fn image_builder_names_what_it_cannot_express() {
    let mut ws = one_version(20.0, &["westeurope", "japaneast"]);
    let v = &mut ws.galleries[0].definitions[0].versions[0];
    v.end_of_life = Some(jiff::civil::date(2028, 1, 31));
    v.target_regions[1].storage_type = Some(StorageType::PremiumV2_LRS);
    v.target_regions[2].exclude_from_latest = Some(true);
    let t = Target::find(&ws, &path()).unwrap();
    let handoff =
        image_builder::write(&ws, &t, &image_builder::Options::default(), common::today());
    let doc: Value = serde_json::from_str(&handoff.text).unwrap();
    let names: Vec<&str> = doc["properties"]["distribute"][0]["targetRegions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["eastus", "japaneast"], "PremiumV2 is left out");
    let follow: Vec<(&str, &str)> = handoff
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::FollowUp)
        .map(|n| (n.text.as_str(), n.command.as_deref().unwrap_or("")))
        .collect();
    assert!(
        follow.iter().any(|(t, c)| t.contains("PremiumV2_LRS")
            && c.contains(
                "name=westeurope regionalReplicaCount=1 storageAccountType=PremiumV2_LRS"
            )),
        "{follow:?}"
    );
    assert!(
        follow
            .iter()
            .any(|(t, c)| t.contains("End of life 2028-01-31")
                && c.contains("--set publishingProfile.endOfLifeDate=2028-01-31")),
        "{follow:?}"
    );
    assert!(
        follow
            .iter()
            .any(|(t, c)| t.starts_with("japaneast: excludeFromLatest true")
                && c.contains("publishingProfile.targetRegions[1].excludeFromLatest=true")),
        "{follow:?}"
    );
    assert!(!handoff.has_blockers());
    // PremiumV2 in the region Image Builder creates the version in cannot be added later.
    let mut premium = ws.clone();
    premium.galleries[0].definitions[0].versions[0].target_regions[0].storage_type =
        Some(StorageType::PremiumV2_LRS);
    let t = Target::find(&premium, &path()).unwrap();
    let blocked = image_builder::write(
        &premium,
        &t,
        &image_builder::Options::default(),
        common::today(),
    );
    assert!(
        blocked
            .notes
            .iter()
            .any(|n| n.kind == NoteKind::Blocker && n.text.contains("The gallery's region eastus")),
        "{:?}",
        blocked.notes
    );

    // Shallow replication and encryption cannot be expressed, nor set afterwards.
    let v = &mut ws.galleries[0].definitions[0].versions[0];
    v.replication_mode = ReplicationMode::Shallow;
    v.target_regions[0].unmodeled.insert(
        "encryption",
        json!({ "osDiskImage": { "diskEncryptionSetId": "/subscriptions/s/des" } }),
    );
    let t = Target::find(&ws, &path()).unwrap();
    let handoff =
        image_builder::write(&ws, &t, &image_builder::Options::default(), common::today());
    let blockers: Vec<&str> = handoff
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Blocker)
        .map(|n| n.text.as_str())
        .collect();
    assert!(
        blockers.iter().any(|b| b.contains("no replicationMode")),
        "{blockers:?}"
    );
    assert!(
        blockers.iter().any(|b| b.contains("Encryption")),
        "{blockers:?}"
    );
}

#[test]
fn the_image_builder_timeout_stays_within_960_minutes_and_says_so() {
    let mut ws = one_version(
        1500.0,
        &[
            "westeurope",
            "japaneast",
            "brazilsouth",
            "australiaeast",
            "southafricanorth",
        ],
    );
    ws.managed_images[0].data_disks = vec![DataDisk {
        lun: 0,
        size_gb: 1000,
    }];
    let t = Target::find(&ws, &path()).unwrap();
    let options = image_builder::Options {
        build_minutes: 300,
        ..image_builder::Options::default()
    };
    let handoff = image_builder::write(&ws, &t, &options, common::today());
    let secs = handoff.predicted_secs.clone().unwrap();
    assert!(300 + handoff::publish_minutes(secs) > image_builder::MAX_BUILD_MINUTES);
    assert_eq!(
        handoff.timeout_minutes,
        Some(image_builder::MAX_BUILD_MINUTES)
    );
    assert!(
        handoff
            .notes
            .iter()
            .any(|n| n.kind == NoteKind::Warning && n.text.contains("at most 960")),
        "{:?}",
        handoff.notes
    );
}
