//! Handing a version to a build: the Packer HCL parses with python-hcl2 and holds exactly the
//! version's regions and counts, every value survives quoting; the publish timeout follows the
//! plan's own replication prediction (distance and size); what Packer cannot express is named.
//! The Image Builder hand-off is tested in `image_builder.rs`.

use crate::common;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sig_studio_core::export::handoff::{self, NoteKind, Target};
use sig_studio_core::export::packer;
use sig_studio_core::model::{
    HyperVGeneration, ImageVersion, OsState, Region, SecurityType, StorageType, TargetRegion,
    Workspace,
};
use sig_studio_core::plan;
use sig_studio_core::sample::sample;

use common::gallery::{D, G, r};

/// Parses HCL files with python-hcl2: one JSON document per file, strings as their values
/// (escapes resolved, `$${` and `%%{` back to `${` and `%{`), and for each the kinds of tree
/// nodes found, so a test can tell that no text became an interpolation or a directive.
const PARSE_HCL: &str = r#"
import json, sys
import hcl2
from hcl2.utils import SerializationOptions
opts = SerializationOptions(with_comments=False, strip_string_quotes=True, explicit_blocks=False)
def lit(v):
    if isinstance(v, str):
        return v.replace("$${", "${").replace("%%{", "%{")
    if isinstance(v, list):
        return [lit(x) for x in v]
    if isinstance(v, dict):
        return {lit(k): lit(x) for k, x in v.items()}
    return v
out = []
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    tree = hcl2.parses_to_tree(text)
    kinds = sorted({t.data for t in tree.iter_subtrees()})
    out.append({"doc": lit(hcl2.loads(text, serialization_options=opts)), "kinds": kinds})
print(json.dumps(out))
"#;

pub(crate) fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("sig-studio-handoff-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Each text parsed by python-hcl2.
fn parse_hcl(name: &str, texts: &[String]) -> Vec<Value> {
    let dir = temp_dir(name);
    let paths: Vec<PathBuf> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let path = dir.join(format!("{i}.pkr.hcl"));
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let out = common::pyenv::run_script(PARSE_HCL, &refs);
    let parsed: Vec<Value> = serde_json::from_str(&out).unwrap();
    for p in &parsed {
        let kinds: Vec<&str> = p["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        assert!(
            !kinds
                .iter()
                .any(|k| k.contains("interpolation") || k.contains("directive")),
            "a value became an interpolation or a directive: {kinds:?}"
        );
    }
    parsed.into_iter().map(|p| p["doc"].clone()).collect()
}

/// The `source "azure-arm"` block of a parsed file.
fn source(doc: &Value) -> &Value {
    let sources = doc["source"][0]["azure-arm"].as_object().unwrap();
    assert_eq!(sources.len(), 1);
    sources.values().next().unwrap()
}

/// `(name, replicas)` of the destination's `target_region` blocks.
fn regions_of(source: &Value) -> Vec<(String, u64)> {
    source["shared_image_gallery_destination"][0]["target_region"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["replicas"].as_u64().unwrap(),
            )
        })
        .collect()
}

pub(crate) fn wanted_regions(v: &ImageVersion) -> Vec<(String, u64)> {
    v.target_regions
        .iter()
        .map(|t| (t.region.name().to_owned(), u64::from(v.replica_count(t))))
        .collect()
}

#[test]
fn packer_hcl_of_every_sample_version_parses_and_holds_its_regions_and_counts() {
    let ws = sample();
    let paths: Vec<String> = ws
        .versions()
        .map(|(g, d, v)| format!("{}/{}/{}", g.name, d.name, v.name))
        .collect();
    let texts: Vec<String> = paths
        .iter()
        .map(|p| packer::write(&ws, &Target::find(&ws, p).unwrap(), common::today()).text)
        .collect();
    let docs = parse_hcl("sample", &texts);
    assert_eq!(docs.len(), 7);
    for ((path, doc), (g, d, v)) in paths.iter().zip(&docs).zip(ws.versions()) {
        let s = source(doc);
        let dest = &s["shared_image_gallery_destination"][0];
        assert_eq!(dest["gallery_name"], json!(g.name), "{path}");
        assert_eq!(dest["image_name"], json!(d.name), "{path}");
        assert_eq!(dest["image_version"], json!(v.name), "{path}");
        assert_eq!(regions_of(s), wanted_regions(v), "{path}");
        assert_eq!(dest["storage_account_type"], json!("Standard_LRS"));
        assert_eq!(dest["use_shallow_replication"], json!(false));
        assert_eq!(
            s["shared_gallery_image_version_exclude_from_latest"],
            json!(v.exclude_from_latest)
        );
        assert_eq!(
            s["shared_gallery_image_version_end_of_life_date"].as_str(),
            v.end_of_life.map(|e| format!("{e}T00:00:00Z")).as_deref()
        );
        assert!(
            s.get("shared_image_gallery_replica_count").is_none(),
            "refused beside target_region blocks"
        );
        assert!(
            s["shared_image_gallery_timeout"]
                .as_str()
                .unwrap()
                .ends_with('m')
        );
        assert_eq!(
            dest["resource_group"],
            json!("${var.gallery_resource_group}")
        );
    }
}

/// One version in a gallery of known subscription and resource group, from a managed image
/// of `gb` in East US, to `targets` (the source region first).
pub(crate) fn one_version(gb: f64, targets: &[&str]) -> Workspace {
    let mut regions: Vec<Region> = vec![r("eastus")];
    regions.extend(targets.iter().map(|t| r(t)));
    let mut ws = common::gallery::workspace(gb, &[]);
    ws.managed_images[0].region = r("eastus");
    let g = &mut ws.galleries[0];
    g.region = r("eastus");
    g.subscription = "3f2504e0-4f89-11d3-9a0c-0305e82c3301".into();
    g.resource_group = "images-rg".into();
    g.definitions[0].versions[0].target_regions =
        regions.into_iter().map(TargetRegion::new).collect();
    ws
}

pub(crate) fn path() -> String {
    format!("{G}/{D}/1.0.0")
}

/// The Packer timeout in minutes, read back from the parsed HCL.
fn timeout_of(doc: &Value) -> u32 {
    let text = source(doc)["shared_image_gallery_timeout"]
        .as_str()
        .unwrap();
    text.trim_end_matches('m').parse().unwrap()
}

#[test]
fn the_timeout_grows_with_distance_and_size_as_the_plans_prediction_does() {
    let cases = [
        ("near", one_version(200.0, &["eastus2"])),
        ("far", one_version(200.0, &["westeurope"])),
        // Six first copies across continents share the source's outbound throughput.
        (
            "farther",
            one_version(
                200.0,
                &[
                    "westeurope",
                    "japaneast",
                    "brazilsouth",
                    "australiaeast",
                    "southafricanorth",
                    "koreacentral",
                ],
            ),
        ),
        ("far and big", one_version(600.0, &["westeurope"])),
    ];
    let mut predicted = Vec::new();
    let mut texts = Vec::new();
    for (name, ws) in &cases {
        let t = Target::find(ws, &path()).unwrap();
        let secs = handoff::predict(ws, &t, common::today()).unwrap();
        // The plan of creating the version from nothing predicts the same time.
        let empty = Workspace {
            settings: ws.settings.clone(),
            ..Workspace::default()
        };
        let plan = plan::plan(&empty, ws, common::today());
        let step = plan
            .steps
            .iter()
            .find(|s| s.path == path())
            .unwrap_or_else(|| panic!("{name}: the plan creates the version"));
        assert_eq!(step.replication_secs, Some(secs), "{name}");
        predicted.push(secs);
        texts.push(packer::write(ws, &t, common::today()).text);
    }
    let docs = parse_hcl("timeouts", &texts);
    let timeouts: Vec<u32> = docs.iter().map(timeout_of).collect();
    for (secs, minutes) in predicted.iter().zip(&timeouts) {
        assert_eq!(
            *minutes,
            handoff::publish_minutes(*secs).max(packer::PACKER_DEFAULT_TIMEOUT_MINUTES)
        );
        assert!(f64::from(*minutes) * 60.0 >= secs * handoff::MARGIN_FACTOR);
    }
    assert!(predicted[0] < predicted[1], "across continents is slower");
    assert!(
        predicted[1] < predicted[2],
        "more regions than the source sends to at once take longer"
    );
    assert!(predicted[1] < predicted[3], "a bigger image takes longer");
    assert!(timeouts[0] < timeouts[1], "{timeouts:?}");
    assert!(timeouts[1] < timeouts[2], "{timeouts:?}");
    assert!(timeouts[1] < timeouts[3], "{timeouts:?}");
}

#[test]
fn every_value_survives_hcl_quoting() {
    const HOSTILE: &str = "rg\"${var.x}%{if true}\\n\n\t\u{1b}[31m\u{202e} $${y} end";
    let mut ws = one_version(20.0, &["westeurope"]);
    let g = &mut ws.galleries[0];
    g.resource_group = HOSTILE.into();
    let v = &mut g.definitions[0].versions[0];
    v.tags.insert(HOSTILE.into(), HOSTILE.into());
    v.tags.insert("team".into(), "images".into());
    v.target_regions[1].unmodeled.insert(
        "encryption",
        json!({ "osDiskImage": { "diskEncryptionSetId": HOSTILE } }),
    );
    let t = Target::find(&ws, &path()).unwrap();
    let text = packer::write(&ws, &t, common::today()).text;
    let doc = &parse_hcl("hostile", &[text])[0];
    let s = source(doc);
    let dest = &s["shared_image_gallery_destination"][0];
    assert_eq!(dest["resource_group"], json!(HOSTILE));
    assert_eq!(
        dest["target_region"][1]["disk_encryption_set_id"],
        json!(HOSTILE)
    );
    assert!(
        dest["target_region"][0]
            .get("disk_encryption_set_id")
            .is_none()
    );
    let tags = &s["azure_tags"];
    assert_eq!(tags[HOSTILE], json!(HOSTILE), "{tags}");
    assert_eq!(tags["team"], json!("images"));
}

#[test]
fn regions_of_another_storage_type_are_left_to_a_named_follow_up() {
    let mut ws = one_version(20.0, &["westeurope", "japaneast"]);
    let v = &mut ws.galleries[0].definitions[0].versions[0];
    v.target_regions[1].storage_type = Some(StorageType::Premium_LRS);
    v.target_regions[2].replicas = Some(4);
    let t = Target::find(&ws, &path()).unwrap();
    let handoff = packer::write(&ws, &t, common::today());
    let doc = &parse_hcl("storage", std::slice::from_ref(&handoff.text))[0];
    let s = source(doc);
    assert_eq!(
        regions_of(s),
        vec![("eastus".to_owned(), 1), ("japaneast".to_owned(), 4)]
    );
    assert_eq!(
        s["shared_image_gallery_destination"][0]["storage_account_type"],
        json!("Standard_LRS")
    );
    let follow_up = handoff
        .notes
        .iter()
        .find(|n| n.kind == NoteKind::FollowUp && n.text.contains("westeurope"))
        .expect("a follow-up names the region");
    assert!(
        follow_up.text.contains("one storage type"),
        "{}",
        follow_up.text
    );
    let command = follow_up.command.as_deref().unwrap();
    assert!(
        command.starts_with("az sig image-version update"),
        "{command}"
    );
    assert!(
        command.ends_with(
            "--add publishingProfile.targetRegions name=westeurope regionalReplicaCount=1 storageAccountType=Premium_LRS"
        ),
        "{command}"
    );
    assert!(command.contains("--resource-group images-rg"), "{command}");
    // The HCL says so too, in its comments.
    assert!(
        handoff
            .text
            .contains("# follow-up: westeurope: Packer takes one storage type")
    );
}

#[test]
fn security_settings_follow_the_definition() {
    let mut ws = one_version(20.0, &[]);
    let cases = [
        (
            Some(SecurityType::TrustedLaunch),
            Some("TrustedLaunch"),
            true,
            false,
        ),
        (
            Some(SecurityType::ConfidentialVM),
            Some("ConfidentialVM"),
            true,
            false,
        ),
        (
            Some(SecurityType::TrustedLaunchSupported),
            None,
            false,
            true,
        ),
        (None, None, false, false),
    ];
    let mut texts = Vec::new();
    for (security, ..) in &cases {
        let d = &mut ws.galleries[0].definitions[0];
        d.generation = HyperVGeneration::V2;
        d.set_security_type(*security);
        let t = Target::find(&ws, &path()).unwrap();
        texts.push(packer::write(&ws, &t, common::today()).text);
    }
    let docs = parse_hcl("security", &texts);
    for ((security, written, secure, managed), doc) in cases.iter().zip(&docs) {
        let s = source(doc);
        assert_eq!(s["security_type"].as_str(), *written, "{security:?}");
        assert_eq!(s["secure_boot_enabled"], json!(secure), "{security:?}");
        assert_eq!(s["vtpm_enabled"], json!(secure), "{security:?}");
        assert_eq!(
            s.get("managed_image_name").is_some(),
            *managed,
            "{security:?}"
        );
        if *managed {
            assert_eq!(s["managed_image_name"], json!("image-1.0.0"));
            assert_eq!(s["managed_image_resource_group_name"], json!("images-rg"));
        }
    }
    // A specialized TrustedLaunchSupported definition has no Packer route at all.
    let d = &mut ws.galleries[0].definitions[0];
    d.set_security_type(Some(SecurityType::TrustedLaunchSupported));
    d.os_state = OsState::Specialized;
    let t = Target::find(&ws, &path()).unwrap();
    assert!(packer::write(&ws, &t, common::today()).has_blockers());
}

#[test]
fn an_unknown_size_leaves_packers_default_timeout_and_says_why() {
    let mut ws = one_version(20.0, &["westeurope"]);
    ws.managed_images.clear();
    let t = Target::find(&ws, &path()).unwrap();
    let handoff = packer::write(&ws, &t, common::today());
    assert!(handoff.timeout_minutes.is_none());
    assert!(handoff.predicted_secs.is_err());
    let doc = &parse_hcl("unknown", std::slice::from_ref(&handoff.text))[0];
    assert!(source(doc).get("shared_image_gallery_timeout").is_none());
    assert!(
        handoff.notes[0]
            .text
            .contains("not set (replication time unknown"),
        "{}",
        handoff.notes[0].text
    );
}

#[test]
fn prepare_gives_the_dialog_both_texts_and_both_preflights() {
    let ws = sample();
    let path = "contoso_images/ubuntu-2204-base/1.0.12";
    let prepared =
        handoff::prepare(&ws, path, &handoff::Options::default(), common::today()).unwrap();
    let t = Target::find(&ws, path).unwrap();
    assert_eq!(prepared.path, path);
    assert_eq!(
        prepared.packer.text,
        packer::write(&ws, &t, common::today()).text
    );
    assert!(
        prepared
            .image_builder
            .text
            .contains("\"type\": \"SharedImage\"")
    );
    use sig_studio_core::preflight::Verdict;
    assert_eq!(prepared.packer_preflight.verdict(), Verdict::Clean);
    assert_eq!(
        prepared.image_builder_preflight.verdict(),
        Verdict::Warnings
    );
    let told = handoff::Options {
        build: handoff::BuildSource {
            generation: Some(HyperVGeneration::V1),
            ..handoff::BuildSource::default()
        },
        ..handoff::Options::default()
    };
    let prepared = handoff::prepare(&ws, path, &told, common::today()).unwrap();
    assert_eq!(prepared.packer_preflight.verdict(), Verdict::WouldFail);
    assert!(handoff::prepare(&ws, "contoso_images/nope", &told, common::today()).is_err());
}
