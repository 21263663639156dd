//! Import of a REST list of 10,000 image versions (as `az rest` or a `value` page gives them:
//! 9 target regions each, a managed image source, encryption, safety profile), into an empty
//! workspace and again into the imported one (every version matched). Target: ≤ 1 s in release.
//! Also what the app adds around it: the copy of the workspace the import merges into (made on
//! the import's thread), and
//! accepting the import as one undo step, undoing and redoing it (the parts are moved, not
//! copied).
//!
//! `cargo bench --bench import`

#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock to time what it measures"
)]

use std::time::{Duration, Instant};

use serde_json::json;
use sig_studio::document::Document;
use sig_studio::import::{Input, import};
use sig_studio::model::{Edit, Resources, Workspace};

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

/// CPU time this thread has run (Linux `schedstat`): on a machine shared with other builds the
/// wall-clock time includes waiting for a core, this does not.
fn cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Wall-clock and CPU time of `f`.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Option<Duration>) {
    let cpu = cpu_time();
    let start = Instant::now();
    let out = f();
    let wall = start.elapsed();
    let used = cpu.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a));
    (out, wall, used)
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let text = rest_list();
    let input = [Input::new("versions.json", text)];
    const RUNS: usize = 5;
    let (mut fresh, mut fresh_cpu) = (Vec::new(), Vec::new());
    let (mut merged, mut merged_cpu) = (Vec::new(), Vec::new());
    let mut imported = Workspace::default();
    for _ in 0..RUNS {
        let mut ws = Workspace::default();
        let (summary, wall, cpu) = timed(|| import(&mut ws, &input).expect("imports"));
        fresh.push(wall);
        fresh_cpu.extend(cpu);
        assert_eq!(summary.versions.added, VERSIONS);
        assert!(
            summary.warnings.is_empty(),
            "{:?}",
            summary.warnings.first()
        );
        let (again, wall, cpu) = timed(|| import(&mut ws, &input).expect("imports"));
        merged.push(wall);
        merged_cpu.extend(cpu);
        assert_eq!(again.versions.unchanged, VERSIONS);
        imported = ws;
    }
    assert_eq!(imported.version_count(), VERSIONS);
    let (mut copies, mut steps) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        // The dialog merges into a copy of the open workspace; accepting swaps the parts in.
        let mut doc = Document::new(imported.clone(), None);
        let (mut copy, wall, _) = timed(|| doc.ws().clone());
        copies.push(wall);
        copy.galleries[0].description = "imported again".to_owned();
        let ((), wall, _) = timed(|| {
            let edit = Edit::ReplaceResources {
                label: "Import from Azure JSON".to_owned(),
                resources: Box::new(Resources::take(&mut copy)),
            };
            doc.apply(edit).expect("applies");
            doc.undo().expect("undoes");
            doc.redo().expect("redoes");
        });
        steps.push(wall);
        assert_eq!(doc.ws().galleries[0].description, "imported again");
    }
    let cpu = |samples: Vec<Duration>| {
        if samples.is_empty() {
            "n/a".to_owned()
        } else {
            ms(median(samples))
        }
    };
    println!(
        "input: {:.1} MB of JSON, {VERSIONS} versions in {DEFINITIONS} definitions",
        input[0].text.len() as f64 / 1e6
    );
    println!("| import (median of {RUNS}) | wall clock | CPU time |");
    println!("|---|---:|---:|");
    println!(
        "| into an empty workspace (parse, detect, convert, placeholders) | {} | {} |",
        ms(median(fresh)),
        cpu(fresh_cpu)
    );
    println!(
        "| again into the imported workspace (every version matched, nothing changes) | {} | {} |",
        ms(median(merged)),
        cpu(merged_cpu)
    );
    println!(
        "| in the app: the copy of the workspace the import merges into (on its thread) | {} | |",
        ms(median(copies))
    );
    println!(
        "| in the app: accept as one undo step, undo, redo | {} | |",
        ms(median(steps))
    );
}
