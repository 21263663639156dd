//! Commands that write back the file they read, run at the same time as real processes: of two
//! runs that read the same file, only one may write it; the other says the file changed and
//! writes nothing, so no result is lost (issue 23, point 3).

use std::fs;
use std::process::{Child, Command, Output, Stdio};

use crate::common::tempdir;
use sig_studio::model::Region;
use sig_studio::sample::SAMPLE_RON;
use sig_studio::workspace::load;

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_sig-studio"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(child: Child) -> (bool, String) {
    let Output { stderr, .. } = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (stderr.contains(": written"), stderr)
}

/// Each run marks its own region unavailable: a run's result is in the file when its outage is.
#[test]
fn of_two_simulate_runs_writing_the_file_they_read_none_is_lost() {
    let dir = tempdir("cli-concurrent-simulate");
    let file = dir.join("ws.ron");
    let path = file.to_str().unwrap();
    let regions = ["West Europe", "Japan East"];
    let mut both_written = 0;
    for trial in 0..25 {
        fs::write(&file, SAMPLE_RON).unwrap();
        // Paced so that both have read the file before either writes it.
        let children: Vec<Child> = regions
            .iter()
            .map(|region| {
                spawn(&[
                    "simulate", path, "--for", "20m", "--speed", "12000", "--outage", region,
                    "--write", path,
                ])
            })
            .collect();
        let results: Vec<(bool, String)> = children.into_iter().map(finish).collect();
        let ws = load(&file).unwrap();
        let written: Vec<usize> = (0..2).filter(|&i| results[i].0).collect();
        assert!(
            !written.is_empty(),
            "trial {trial}: neither wrote: {results:?}"
        );
        for &i in &written {
            let region: Region = regions[i].parse().unwrap();
            assert!(
                ws.simulation.outages.contains(&region),
                "trial {trial}: run {i} said written, but its result was lost: {results:?}"
            );
        }
        for (i, (wrote, stderr)) in results.iter().enumerate() {
            if !wrote {
                assert!(
                    stderr.contains("was changed on disk") && stderr.contains("not overwritten"),
                    "trial {trial}: run {i}: {stderr}"
                );
            }
        }
        both_written += usize::from(written.len() == 2);
    }
    // Both may write only one after the other (the second read the first one's file).
    eprintln!("both runs wrote in {both_written} of 25 trials");
}

fn gallery_json(name: &str) -> String {
    let mut items = Vec::new();
    // Large enough that reading and merging it takes a while.
    for i in 0..3_000 {
        items.push(serde_json::json!({
            "id": format!("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/galleries/{name}/images/def{i}"),
            "name": format!("def{i}"),
            "type": "Microsoft.Compute/galleries/images",
            "location": "westeurope",
            "properties": {
                "osType": "Linux",
                "osState": "Generalized",
                "identifier": {"publisher": "p", "offer": format!("o{i}"), "sku": "s"},
            },
        }));
    }
    serde_json::json!({ "value": items }).to_string()
}

#[test]
fn of_two_imports_into_the_same_workspace_none_is_lost() {
    let dir = tempdir("cli-concurrent-import");
    let file = dir.join("ws.ron");
    let path = file.to_str().unwrap();
    let inputs: Vec<String> = ["alpha", "beta"]
        .iter()
        .map(|name| {
            let json = dir.join(format!("{name}.json"));
            fs::write(&json, gallery_json(name)).unwrap();
            json.to_str().unwrap().to_owned()
        })
        .collect();
    for trial in 0..10 {
        fs::write(&file, SAMPLE_RON).unwrap();
        let children: Vec<Child> = inputs
            .iter()
            .map(|json| spawn(&["import", json, "--into", path, "--out", path]))
            .collect();
        let results: Vec<(bool, String)> = children
            .into_iter()
            .map(|child| {
                let out = child.wait_with_output().unwrap();
                let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
                (out.status.success(), stderr)
            })
            .collect();
        let ws = load(&file).unwrap();
        for (i, name) in ["alpha", "beta"].iter().enumerate() {
            if results[i].0 {
                assert!(
                    ws.gallery(name).is_some(),
                    "trial {trial}: the import of {name} said written, but it was lost: {results:?}"
                );
            } else {
                assert!(
                    results[i].1.contains("was changed on disk"),
                    "trial {trial}: {results:?}"
                );
            }
        }
    }
}
