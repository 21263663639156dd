//! What the plan lists for one change: one line per property ARM receives differently, never a
//! line per region for a version-wide setting the regions inherit (issue 24, item 7).

use sig_studio_core::model::{Date, ImageVersion, Workspace};
use sig_studio_core::plan;
use sig_studio_core::sample::sample;

fn today() -> Date {
    "2026-11-29".parse().unwrap()
}

fn version<'a>(ws: &'a mut Workspace, name: &str) -> &'a mut ImageVersion {
    ws.galleries
        .iter_mut()
        .flat_map(|g| g.definitions.iter_mut())
        .flat_map(|d| d.versions.iter_mut())
        .find(|v| v.name == name)
        .unwrap()
}

fn lines(before: &Workspace, after: &Workspace) -> Vec<String> {
    let plan = plan::plan(before, after, today());
    assert_eq!(plan.steps.len(), 1, "one update: {:?}", plan.steps);
    plan.steps[0]
        .changes
        .iter()
        .map(|c| format!("{}: {:?} → {:?}", c.property, c.before, c.after))
        .collect()
}

#[test]
fn excluding_a_version_from_latest_is_one_line_not_one_per_region() {
    let before = sample();
    let mut after = before.clone();
    let v = version(&mut after, "2026.9.0");
    assert_eq!(v.target_regions.len(), 14);
    v.exclude_from_latest = true;
    let lines = lines(&before, &after);
    assert_eq!(
        lines,
        ["publishingProfile.excludeFromLatest: Some(\"false\") → Some(\"true\")"],
    );
}

#[test]
fn a_default_count_lists_each_region_it_changes_once() {
    let before = sample();
    let mut after = before.clone();
    let v = version(&mut after, "2026.9.0");
    v.default_replica_count = 4;
    // Regions with their own count (West Central US and East US hold 3) do not change.
    let following = v
        .target_regions
        .iter()
        .filter(|t| t.replicas.is_none())
        .count();
    let lines = lines(&before, &after);
    let regions: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("targetRegions["))
        .collect();
    assert_eq!(regions.len(), following, "{lines:#?}");
    let mut unique = regions.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), regions.len(), "no region twice: {lines:#?}");
}

#[test]
fn a_region_excluded_on_its_own_is_its_one_line() {
    let before = sample();
    let mut after = before.clone();
    let v = version(&mut after, "2026.9.0");
    v.target_regions[2].exclude_from_latest = Some(true);
    let lines = lines(&before, &after);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].starts_with("targetRegions[eastus]"), "{lines:#?}");
    assert!(lines[0].contains("excluded from latest"), "{lines:#?}");
}
