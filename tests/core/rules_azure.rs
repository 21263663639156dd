//! The service's rules for the fields of API 2025-03-03, each message with its resource path.

use sig_studio_core::model::azure::{
    AzureSource, CommunityInfo, DiskImage, ImageFeature, PurchasePlan, ReplicaSet,
    SharingPermission,
};
use sig_studio_core::model::{
    HyperVGeneration, Presence, ResourcePath, StorageAccountStrategy, StorageType, validate,
};
use sig_studio_core::sample::sample;

fn problems(ws: &sig_studio_core::model::Workspace) -> Vec<String> {
    validate(ws, jiff::civil::date(2026, 11, 29))
        .iter()
        .map(|p| p.to_string())
        .collect()
}

fn has(problems: &[String], text: &str) {
    assert!(
        problems.iter().any(|p| p.contains(text)),
        "{text:?} not in {problems:#?}"
    );
}

#[test]
fn gallery_sharing_and_resource_group() {
    let mut ws = sample();
    let gallery = &mut ws.galleries[0];
    let name = gallery.name.clone();
    gallery.resource_group = "rg images.".into();
    gallery.sharing.permission = SharingPermission::Community;
    gallery.sharing.community = Some(CommunityInfo {
        publisher_contact: "a@x.example".into(),
        ..CommunityInfo::default()
    });
    gallery.sharing.tenants.push("not-a-guid".into());
    let found = problems(&ws);
    has(
        &found,
        &format!("{name}: error: The resource group name \"rg images.\" is invalid"),
    );
    has(
        &found,
        &format!(
            "{name}: error: A community gallery needs its publisher information; missing: publisher URI, EULA, public name prefix"
        ),
    );
    has(
        &found,
        &format!(
            "{name}: error: The tenant id \"not-a-guid\" the gallery is shared with is not a GUID"
        ),
    );
    has(
        &found,
        &format!(
            "{name}: warning: Subscriptions and tenants are shared with only when the permission is Groups"
        ),
    );
}

#[test]
fn definition_features_and_plan() {
    let mut ws = sample();
    let gallery = ws.galleries[0].name.clone();
    let definition = &mut ws.galleries[0].definitions[0];
    let path = format!("{gallery}/{}", definition.name);
    definition.generation = HyperVGeneration::V1;
    definition.features = vec![
        ImageFeature {
            name: "SecurityType".into(),
            value: "TrustedLaunch".into(),
            starts_at_version: String::new(),
        },
        ImageFeature {
            name: "securitytype".into(),
            value: "Standard".into(),
            starts_at_version: String::new(),
        },
    ];
    definition.purchase_plan = Some(PurchasePlan {
        name: "plan".into(),
        ..PurchasePlan::default()
    });
    let found = problems(&ws);
    has(
        &found,
        &format!(
            "{path}: error: Security type TrustedLaunch needs Hyper-V generation V2; this definition is V1"
        ),
    );
    has(
        &found,
        &format!("{path}: error: The feature \"securitytype\" is listed more than once"),
    );
    has(
        &found,
        &format!("{path}: error: A purchase plan needs its name, publisher and product"),
    );

    ws.galleries[0].definitions[0].features = vec![ImageFeature {
        name: "SecurityType".into(),
        value: "TrustedLaunchh".into(),
        starts_at_version: String::new(),
    }];
    has(
        &problems(&ws),
        &format!("{path}: error: \"TrustedLaunchh\" is not a security type"),
    );
}

#[test]
fn version_sources_strategy_and_safety() {
    let mut ws = sample();
    let gallery = ws.galleries[0].name.clone();
    let definition = &mut ws.galleries[0].definitions[0];
    let path = format!(
        "{gallery}/{}/{}",
        definition.name, definition.versions[0].name
    );
    let version = &mut definition.versions[0];
    version.source.clear();
    version.azure_source = Some(Box::new(AzureSource {
        data_disks: vec![
            DiskImage {
                lun: Some(1),
                ..DiskImage::default()
            },
            DiskImage {
                lun: Some(1),
                ..DiskImage::default()
            },
        ],
        region: Some(sig_studio_core::model::Region::parse("Japan East").unwrap()),
        ..AzureSource::default()
    }));
    version.storage_type = StorageType::Premium_LRS;
    version.storage_account_strategy = Some(StorageAccountStrategy::PreferStandard_ZRS);
    version.block_deletion_before_end_of_life = true;
    version.end_of_life = None;
    version.target_regions[0]
        .additional_replica_sets
        .push(ReplicaSet {
            storage_type: StorageType::PremiumV2_LRS,
            replicas: 0,
        });
    let found = problems(&ws);
    has(
        &found,
        &format!("{path}: error: Two data disks of the source use LUN 1"),
    );
    has(
        &found,
        &format!("{path}: error: The source names neither a resource nor an OS disk image"),
    );
    has(
        &found,
        &format!("{path}: error: The source region Japan East must be one of the target regions"),
    );
    has(
        &found,
        &format!(
            "{path}: error: A version has either a storage type (Premium_LRS) or a storage account strategy, not both"
        ),
    );
    has(
        &found,
        &format!(
            "{path}: warning: Deletion is blocked before the end-of-life date, but the version has none"
        ),
    );
    has(
        &found,
        "additional PremiumV2_LRS replicas: The replica count must be between 1 and 100; got 0",
    );
    // A source in Azure is not "missing" like an unknown managed image would be.
    assert!(
        !found
            .iter()
            .any(|p| p.contains("has no source managed image"))
    );
}

#[test]
fn placeholders_warn_instead_of_failing_required_fields() {
    let mut ws = sample();
    let path =
        ResourcePath::definition(&ws.galleries[0].name, &ws.galleries[0].definitions[0].name);
    crate::common::mark_in_azure(&mut ws, &path, Presence::Reference);
    ws.galleries[0].definitions[0].publisher.clear();
    let found = problems(&ws);
    has(&found, "warning: Known only by reference");
    assert!(
        !found
            .iter()
            .any(|p| p.contains("publisher") && p.contains("error")),
        "{found:#?}"
    );
}
