//! Pre-flight: one test per reason a build's publish would fail, each quoting the reason (the
//! service's or the build tool's words where it has them); the sample's planned versions pass.

use crate::common;

use sig_studio_core::export::handoff::{BuildSource, SourceKind, Tool};
use sig_studio_core::model::{
    HyperVGeneration, ImageVersion, OsState, Presence, ReplicationMode, SecurityType, Severity,
    StorageType, TargetRegion, Workspace,
};
use sig_studio_core::preflight::{self, Check, Finding, Input, Preflight, Verdict};
use sig_studio_core::sample::{sample, synthetic};

use common::gallery::{D, G, r};

const PATH: &str = "gallery/image/1.0.0";

/// One planned version of a 30 GB image from West Central US to `targets` (source first), in a
/// generation 2 definition.
fn ws(targets: &[&str]) -> Workspace {
    let regions: Vec<_> = targets.iter().map(|t| r(t)).collect();
    let mut ws = common::gallery::workspace(30.0, &regions);
    ws.galleries[0].definitions[0].generation = HyperVGeneration::V2;
    ws
}

fn version(ws: &mut Workspace) -> &mut ImageVersion {
    &mut ws.galleries[0].definitions[0].versions[0]
}

fn check(ws: &Workspace, input: Input) -> Preflight {
    assert_eq!(format!("{G}/{D}/1.0.0"), PATH);
    preflight::check(ws, PATH, &input, common::today()).unwrap()
}

fn with_build(build: BuildSource) -> Input {
    Input { tool: None, build }
}

/// The one finding of a kind; fails with the whole report otherwise.
fn only(report: &Preflight, check: Check) -> &Finding {
    let found: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.check == check)
        .collect();
    assert_eq!(found.len(), 1, "{check:?} in {:#?}", report.findings);
    found[0]
}

fn quoted(f: &Finding) -> &str {
    assert!(f.source.is_some(), "{f:?}");
    f.service_text.as_deref().unwrap()
}

#[test]
fn the_samples_planned_versions_pass() {
    let ws = sample();
    let mut checked = 0;
    for (g, d, v) in ws.versions() {
        assert_eq!(
            ws.presence_of(&g.name, Some(&d.name), Some(&v.name)),
            Presence::Planned
        );
        let path = format!("{}/{}/{}", g.name, d.name, v.name);
        for tool in [None, Some(Tool::Packer)] {
            let input = Input {
                tool,
                build: BuildSource::default(),
            };
            let report = preflight::check(&ws, &path, &input, common::today()).unwrap();
            assert_eq!(
                report.verdict(),
                Verdict::Clean,
                "{path} {tool:?}: {report:#?}"
            );
        }
        // Image Builder: only the warning that the gallery's subscription and resource group
        // are unknown (the sample does not say them).
        let input = Input {
            tool: Some(Tool::ImageBuilder),
            build: BuildSource::default(),
        };
        let report = preflight::check(&ws, &path, &input, common::today()).unwrap();
        assert_eq!(report.verdict(), Verdict::Warnings, "{path}: {report:#?}");
        assert!(report.findings[0].message.contains("{subscription-id}"));
        checked += 1;
    }
    assert_eq!(checked, 7);
}

#[test]
fn a_base_image_of_another_generation() {
    let ws = ws(&["eastus"]);
    let report = check(
        &ws,
        with_build(BuildSource {
            generation: Some(HyperVGeneration::V1),
            ..BuildSource::default()
        }),
    );
    assert_eq!(report.verdict(), Verdict::WouldFail);
    let f = only(&report, Check::Generation);
    assert_eq!(f.severity, Severity::Error);
    assert!(
        quoted(f).contains("has a different Hypervisor generation ['V1'] than the parent gallery image Hypervisor generation ['V2']"),
        "{f:?}"
    );
    // Told nothing, the check becomes a note.
    let report = check(&ws, Input::default());
    assert_eq!(report.verdict(), Verdict::Clean);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("generation is not known"))
    );
}

#[test]
fn a_trusted_launch_build_into_a_definition_that_does_not_support_it() {
    let ws = ws(&["eastus"]);
    let report = check(
        &ws,
        with_build(BuildSource {
            security: Some(SecurityType::TrustedLaunch),
            ..BuildSource::default()
        }),
    );
    let f = only(&report, Check::SecurityType);
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains(
            "The build VM's security type is TrustedLaunch but the definition's is Standard"
        ),
        "{f:?}"
    );
}

#[test]
fn a_vm_source_into_a_trusted_launch_supported_definition() {
    let mut ws = ws(&["eastus"]);
    ws.galleries[0].definitions[0].set_security_type(Some(SecurityType::TrustedLaunchSupported));
    let report = check(
        &ws,
        with_build(BuildSource {
            kind: Some(SourceKind::VirtualMachine),
            ..BuildSource::default()
        }),
    );
    let f = only(&report, Check::SourceKind);
    assert_eq!(f.severity, Severity::Error);
    assert!(
        quoted(f).starts_with(
            "The security type 'TrustedLaunchSupported' is not supported for the source id"
        ),
        "{f:?}"
    );
    assert!(quoted(f).contains("Currently only Vhd Blob, User Image and Gallery Image Version sources are supported for 'TrustedLaunchSupported' images."));
    // The Packer hand-off captures through a managed image, which the definition takes.
    let packer = check(
        &ws,
        Input {
            tool: Some(Tool::Packer),
            build: BuildSource::default(),
        },
    );
    assert!(
        packer.findings.iter().all(|f| f.check != Check::SourceKind),
        "{packer:#?}"
    );
    // Unless the definition is specialized: Packer captures no specialized managed image.
    ws.galleries[0].definitions[0].os_state = OsState::Specialized;
    let packer = check(
        &ws,
        Input {
            tool: Some(Tool::Packer),
            build: BuildSource::default(),
        },
    );
    let f = only(&packer, Check::Tool);
    assert!(f.message.contains("can not be Specialized"), "{f:?}");
}

#[test]
fn trusted_launch_needs_generation_2_and_no_managed_image() {
    let ws = ws(&["eastus"]);
    let report = check(
        &ws,
        with_build(BuildSource {
            generation: Some(HyperVGeneration::V1),
            security: Some(SecurityType::TrustedLaunch),
            kind: Some(SourceKind::ManagedImage),
        }),
    );
    let texts: Vec<&str> = report
        .findings
        .iter()
        .filter_map(|f| f.service_text.as_deref())
        .collect();
    assert!(texts.contains(&"Use of TrustedLaunch setting is not supported for the provided image. Please select Trusted Launch Supported Gen2 OS Image."), "{texts:?}");
    assert!(texts.contains(&"Creation of managed images are not supported for virtual machine with TrustedLaunch security type."), "{texts:?}");
}

#[test]
fn a_managed_image_into_a_confidential_vm_definition() {
    let mut ws = ws(&["eastus"]);
    ws.galleries[0].definitions[0].set_security_type(Some(SecurityType::ConfidentialVM));
    let report = check(
        &ws,
        with_build(BuildSource {
            security: Some(SecurityType::ConfidentialVM),
            kind: Some(SourceKind::ManagedImage),
            ..BuildSource::default()
        }),
    );
    let f = only(&report, Check::SourceKind);
    assert!(
        quoted(f).contains("Currently Snapshot, Disk and VM sources are supported for the Confidential VM security type."),
        "{f:?}"
    );
}

#[test]
fn zone_redundant_storage_where_the_region_has_no_zones() {
    let mut ws = ws(&["eastus", "northcentralus"]);
    version(&mut ws).target_regions[2].storage_type = Some(StorageType::Standard_ZRS);
    let report = check(&ws, Input::default());
    let f = only(&report, Check::Zrs);
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.region, Some(r("northcentralus")));
    assert_eq!(
        quoted(f),
        "ZRS storage account type is not supported in this region."
    );
}

#[test]
fn a_region_open_only_on_request() {
    let ws = ws(&["australiacentral"]);
    let report = check(&ws, Input::default());
    assert_eq!(report.verdict(), Verdict::Warnings);
    let f = only(&report, Check::AccessRequest);
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.region, Some(r("australiacentral")));
    assert!(
        quoted(f).starts_with("The provided location australiacentral is not available for resource type 'Microsoft.Compute/galleries'"),
        "{f:?}"
    );
}

#[test]
fn shallow_replication_beyond_the_build_region() {
    let mut ws = ws(&["eastus"]);
    version(&mut ws).replication_mode = ReplicationMode::Shallow;
    let report = check(&ws, Input::default());
    let f = only(&report, Check::Shallow);
    assert!(f.message.contains("also lists eastus"), "{f:?}");
    assert!(quoted(f).starts_with(
        "when `use_shallow_replication` there can only be one destination region set matching the build location"
    ));
}

#[test]
fn shallow_replication_with_more_than_one_replica() {
    let mut ws = ws(&[]);
    let v = version(&mut ws);
    v.replication_mode = ReplicationMode::Shallow;
    v.target_regions[0].replicas = Some(2);
    let report = check(&ws, Input::default());
    let f = only(&report, Check::Shallow);
    assert_eq!(f.region, Some(r("westcentralus")));
    assert_eq!(
        quoted(f),
        "When using shallow replication the replica count can only be 1, leaving this value unset will default to 1"
    );
}

#[test]
fn a_version_number_that_exists_in_azure() {
    let mut ws = ws(&["eastus"]);
    // Azure as last seen holds the version (as a pull of this workspace would).
    let seen = sig_studio_core::model::seen::AzureSeen::snapshot(&ws, Default::default());
    ws.azure = Some(std::sync::Arc::new(seen));
    let report = check(&ws, Input::default());
    let f = only(&report, Check::Exists);
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(
        quoted(f),
        "a gallery image version for image name:version image:1.0.0 already exists in gallery gallery, use a different gallery image version or use the -force option to automatically delete it."
    );
}

#[test]
fn replica_counts_outside_1_to_100() {
    let mut ws = ws(&["eastus", "westus"]);
    let v = version(&mut ws);
    v.target_regions[1].replicas = Some(0);
    v.target_regions[2].replicas = Some(101);
    let report = check(&ws, Input::default());
    let found: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.check == Check::ReplicaCount)
        .collect();
    assert_eq!(found.len(), 2, "{:#?}", report.findings);
    assert_eq!(found[0].region, Some(r("eastus")));
    assert!(
        found[0]
            .message
            .contains("The replica count must be between 1 and 100; got 0")
    );
    assert!(found[0].message.contains("Packer would silently publish 1"));
    assert_eq!(
        quoted(found[0]),
        "The value 0 of parameter regionalReplicaCount is out of range. The value must be between 1 and 100, inclusive"
    );
    assert!(quoted(found[1]).starts_with("The value 101 of parameter regionalReplicaCount"));
    // The rules' own problem is not reported a second time.
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.check != Check::Rule || !f.message.contains("replica count")),
        "{:#?}",
        report.findings
    );
}

#[test]
fn the_per_region_quota_after_this_version() {
    // 10,000 versions in West Central US: this one takes the last.
    let mut ws = synthetic(10_000);
    let path = "gallery000/image-00/0.0.0";
    let report = preflight::check(&ws, path, &Input::default(), common::today()).unwrap();
    let f = only(&report, Check::Quota);
    assert_eq!(f.severity, Severity::Warning);
    assert!(
        f.message
            .starts_with("10000 image versions in westcentralus with this version")
    );
    // One more in another gallery of the region: over the quota, unless that gallery is in
    // another subscription.
    let mut other = ws.galleries[0].without_definitions();
    other.name = "other".into();
    other.subscription = "another".into();
    let mut definition = ws.galleries[0].definitions[0].without_versions();
    definition.versions.push(ImageVersion {
        name: "9.9.9".into(),
        source: "base-linux".into(),
        target_regions: vec![TargetRegion::new(r("westcentralus"))],
        ..ImageVersion::default()
    });
    other.definitions.push(definition);
    ws.galleries.push(other);
    let report = preflight::check(&ws, path, &Input::default(), common::today()).unwrap();
    assert_eq!(only(&report, Check::Quota).severity, Severity::Warning);
    ws.galleries[1].subscription = String::new();
    let report = preflight::check(&ws, path, &Input::default(), common::today()).unwrap();
    let f = only(&report, Check::Quota);
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message
            .starts_with("10001 image versions in westcentralus"),
        "{f:?}"
    );
    assert_eq!(
        quoted(f),
        "10000 image versions per subscription per region"
    );
}

#[test]
fn an_end_of_life_date_that_is_not_in_the_future() {
    let mut ws = ws(&["eastus"]);
    version(&mut ws).end_of_life = Some(common::today());
    let report = check(&ws, Input::default());
    let f = only(&report, Check::EndOfLife);
    assert_eq!(
        f.severity,
        Severity::Error,
        "creating a version with it fails"
    );
    assert_eq!(quoted(f), "EndOfLifeDate must be set to a future date.");
}

#[test]
fn image_builder_needs_the_gallerys_region_among_the_targets() {
    let mut ws = ws(&["eastus"]);
    ws.galleries[0].region = r("westeurope");
    let report = check(
        &ws,
        Input {
            tool: Some(Tool::ImageBuilder),
            build: BuildSource::default(),
        },
    );
    let f = report
        .findings
        .iter()
        .find(|f| f.check == Check::Tool && f.severity == Severity::Error)
        .unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert_eq!(
        quoted(f),
        "One of the regions must be the region where the Gallery is deployed."
    );
}

#[test]
fn the_workspaces_rules_are_findings_too() {
    let mut ws = ws(&["eastus"]);
    // The source's region must be a target: a rule of the workspace, reused as it is.
    version(&mut ws).target_regions.remove(0);
    let report = check(&ws, Input::default());
    let f = only(&report, Check::Rule);
    assert!(
        f.message.contains("must be one of the target regions"),
        "{f:?}"
    );
    assert_eq!(report.verdict(), Verdict::WouldFail);
    // An unknown path is an error, not an empty report.
    assert!(
        preflight::check(
            &ws,
            "gallery/image/9.9.9",
            &Input::default(),
            common::today()
        )
        .is_err()
    );
}
