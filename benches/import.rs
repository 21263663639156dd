//! Import of a REST list of 10,000 image versions (as `az rest` or a `value` page gives them:
//! 9 target regions each, a managed image source, encryption, safety profile), into an empty
//! workspace and again into the imported one (every version matched). Target: ≤ 1 s in release.
//!
//! `cargo bench --bench import`

use std::time::{Duration, Instant};

use serde_json::json;
use sig_studio::import::{Input, import};
use sig_studio::model::Workspace;

const VERSIONS: usize = 10_000;
const DEFINITIONS: usize = 20;
const REGIONS: [&str; 9] = [
    "West Central US",
    "East US",
    "East US 2",
    "West US",
    "West US 2",
    "Central US",
    "North Europe",
    "West Europe",
    "Southeast Asia",
];

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// One page holding every version, shaped like the service's list response.
fn rest_list() -> String {
    let per_definition = VERSIONS / DEFINITIONS;
    let mut value = Vec::with_capacity(VERSIONS);
    for i in 0..VERSIONS {
        let definition = i / per_definition;
        let gallery = definition % 2;
        let name = format!("1.{}.{}", i / 1000, i % 1000);
        let targets: Vec<_> = REGIONS
            .iter()
            .enumerate()
            .map(|(r, region)| {
                json!({
                    "name": region,
                    "regionalReplicaCount": 1 + r % 3,
                    "storageAccountType": if r % 2 == 0 { "Standard_LRS" } else { "Standard_ZRS" },
                    "excludeFromLatest": false,
                    "encryption": {"osDiskImage": {"diskEncryptionSetId": format!("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/des-{r}")}}
                })
            })
            .collect();
        value.push(json!({
            "id": format!("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/gallery_{gallery}/images/definition-{definition}/versions/{name}"),
            "name": name,
            "location": "West Central US",
            "type": "Microsoft.Compute/galleries/images/versions",
            "tags": {"build": format!("{i}")},
            "properties": {
                "publishingProfile": {
                    "targetRegions": targets,
                    "replicaCount": 1,
                    "publishedDate": "2026-09-01T10:12:44.1234567+00:00",
                    "storageAccountType": "Standard_LRS"
                },
                "storageProfile": {
                    "source": {"id": format!("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-build/providers/Microsoft.Compute/images/image-{i}")},
                    "osDiskImage": {"sizeInGB": 30, "hostCaching": "ReadOnly"},
                    "dataDiskImages": [{"lun": 0, "sizeInGB": 64, "hostCaching": "None"}]
                },
                "safetyProfile": {"allowDeletionOfReplicatedLocations": true, "reportedForPolicyViolation": false},
                "provisioningState": "Succeeded"
            }
        }));
    }
    json!({ "value": value }).to_string()
}

fn main() {
    let text = rest_list();
    let input = [Input::new("versions.json", text)];
    const RUNS: usize = 5;
    let mut fresh = Vec::with_capacity(RUNS);
    let mut merged = Vec::with_capacity(RUNS);
    let mut imported = Workspace::default();
    for _ in 0..RUNS {
        let mut ws = Workspace::default();
        let start = Instant::now();
        let summary = import(&mut ws, &input).expect("imports");
        fresh.push(start.elapsed());
        assert_eq!(summary.versions.added, VERSIONS);
        assert!(
            summary.warnings.is_empty(),
            "{:?}",
            summary.warnings.first()
        );
        let start = Instant::now();
        let again = import(&mut ws, &input).expect("imports");
        merged.push(start.elapsed());
        assert_eq!(again.versions.unchanged, VERSIONS);
        imported = ws;
    }
    assert_eq!(imported.version_count(), VERSIONS);
    println!(
        "input: {:.1} MB of JSON, {VERSIONS} versions in {DEFINITIONS} definitions",
        input[0].text.len() as f64 / 1e6
    );
    println!("| import | median of {RUNS} |");
    println!("|---|---:|");
    println!(
        "| into an empty workspace (parse, detect, convert, placeholders) | {:.0} ms |",
        median(fresh).as_secs_f64() * 1e3
    );
    println!(
        "| again into the imported workspace (every version matched, nothing changes) | {:.0} ms |",
        median(merged).as_secs_f64() * 1e3
    );
}
