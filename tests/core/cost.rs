//! Cost estimates, breakdowns, the replica planner and retention policies (issue 6).

use crate::common;

use common::cli::run;

use sig_studio_core::cost::retention::{newest_completed, preview_stored_policy};
use sig_studio_core::cost::{
    GroupBy, Outcome, PlanError, RegionDemand, format_usd, plan_replicas, preview_retention,
    recommend_replicas, version_cost, what_if, workspace_cost,
};
use sig_studio_core::model::prices::TransferOverride;
use sig_studio_core::model::{
    Edit, ImageVersion, ManagedImage, PriceTable, Region, RegionState, ReplicaStatus,
    RetentionPolicy, StorageType, TargetRegion, Workspace,
};
use sig_studio_core::sample::{sample, synthetic};
use sig_studio_core::workspace::{from_ron_str, to_ron_string};

const G: &str = "contoso_images";
const WIN: &str = "win2022-datacenter";
const UBUNTU: &str = "ubuntu-2204-base";

fn region(name: &str) -> Region {
    Region::parse(name).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

macro_rules! assert_close {
    ($a:expr, $b:expr) => {{
        let (a, b): (f64, f64) = ($a, $b);
        assert!(close(a, b), "{} = {a}, expected {b}", stringify!($a));
    }};
}

fn image(occupied_gb: f64) -> ManagedImage {
    ManagedImage {
        name: "img".into(),
        region: region("westcentralus"),
        os_disk_gb: 30,
        occupied_gb,
        ..ManagedImage::default()
    }
}

fn version_in(regions: &[&str], replicas: u32) -> ImageVersion {
    ImageVersion {
        name: "1.0.0".into(),
        source: "img".into(),
        default_replica_count: replicas,
        target_regions: regions
            .iter()
            .map(|r| TargetRegion::new(region(r)))
            .collect(),
        ..ImageVersion::default()
    }
}

fn stored_version<'a>(ws: &'a Workspace, definition: &str, name: &str) -> &'a ImageVersion {
    ws.gallery(G)
        .unwrap()
        .definition(definition)
        .unwrap()
        .version(name)
        .unwrap()
}

// ---- the cost model ----

#[test]
fn documented_example_ten_gb_three_regions_two_replicas() {
    // DOMAIN.md §6: 10 GB used, 3 regions × 2 replicas = 6 × 10 GB of snapshots.
    let prices = PriceTable::default();
    let version = version_in(&["westcentralus", "eastus", "westus"], 2);
    let cost = version_cost(&prices, &image(10.0), &version);
    assert_eq!(cost.totals.replicas, 6);
    assert_close!(cost.totals.snapshot_gb, 60.0);
    assert_close!(cost.totals.monthly_usd, 60.0 * 0.05);
    // Egress: the 2 regions other than the source, once each, 10 GB at 0.02 USD within a continent.
    assert_close!(cost.totals.egress_gb, 20.0);
    assert_close!(cost.totals.egress_usd, 2.0 * 10.0 * 0.02);
    let source = cost.region(region("westcentralus")).unwrap();
    assert_eq!(source.totals.egress_gb, 0.0);
    assert_eq!(format_usd(cost.totals.monthly_usd), "3.00 USD");
    assert_eq!(format_usd(cost.totals.egress_usd), "0.40 USD");
}

#[test]
fn version_replicated_to_thirteen_regions() {
    let ws = sample();
    let version = stored_version(&ws, WIN, "2026.9.0");
    assert_eq!(
        version.target_regions.len(),
        14,
        "the source and 13 targets"
    );
    let cost = sig_studio_core::cost::estimate::version_cost_in(&ws, version).unwrap();
    // westcentralus 3, eastus 3, westeurope 2 and the default 2 in the 11 others.
    assert_eq!(cost.totals.replicas, 30);
    assert_close!(cost.totals.snapshot_gb, 30.0 * 44.25);
    assert_close!(cost.totals.monthly_usd, 30.0 * 44.25 * 0.05);
    // 9 North American targets at 0.02, 4 in Europe and Asia at 0.05; none into the source.
    assert_close!(cost.totals.egress_gb, 13.0 * 44.25);
    assert_close!(cost.totals.egress_usd, 44.25 * (9.0 * 0.02 + 4.0 * 0.05));
    assert_eq!(format_usd(cost.totals.monthly_usd), "66.38 USD");
}

#[test]
fn premium_costs_more_than_standard_and_regions_can_differ() {
    let prices = PriceTable::default();
    let mut version = version_in(&["westcentralus", "eastus"], 1);
    let standard = version_cost(&prices, &image(100.0), &version);
    version.storage_type = StorageType::Premium_LRS;
    let premium = version_cost(&prices, &image(100.0), &version);
    assert_close!(standard.totals.monthly_usd, 200.0 * 0.05);
    assert_close!(premium.totals.monthly_usd, 200.0 * 0.132);
    assert_close!(premium.totals.egress_usd, standard.totals.egress_usd);
    // A region's own storage type wins over the version's.
    version.target_regions[1].storage_type = Some(StorageType::Standard_ZRS);
    let mixed = version_cost(&prices, &image(100.0), &version);
    assert_close!(mixed.totals.monthly_usd, 100.0 * 0.132 + 100.0 * 0.05);
    assert_eq!(mixed.regions[1].storage_type, StorageType::Standard_ZRS);
    // Edited prices are used.
    let mut edited = prices.clone();
    edited.set_storage_usd_per_gb_month(StorageType::Premium_LRS, 0.2);
    let repriced = version_cost(&edited, &image(100.0), &version);
    assert_close!(repriced.totals.monthly_usd, 100.0 * 0.2 + 100.0 * 0.05);
}

#[test]
fn egress_only_across_regions() {
    let prices = PriceTable::default();
    let only_source = version_in(&["westcentralus"], 5);
    let cost = version_cost(&prices, &image(10.0), &only_source);
    assert_eq!(cost.totals.egress_usd, 0.0);
    assert_close!(cost.totals.monthly_usd, 5.0 * 10.0 * 0.05);
    // More replicas in a target region add storage, not egress.
    let mut two = version_in(&["westcentralus", "northeurope"], 1);
    let one_replica = version_cost(&prices, &image(10.0), &two);
    two.target_regions[1].replicas = Some(7);
    let seven_replicas = version_cost(&prices, &image(10.0), &two);
    assert_close!(one_replica.totals.egress_usd, 10.0 * 0.05);
    assert_close!(
        seven_replicas.totals.egress_usd,
        one_replica.totals.egress_usd
    );
    assert_close!(
        seven_replicas.totals.monthly_usd - one_replica.totals.monthly_usd,
        6.0 * 10.0 * 0.05
    );
    // A pair override replaces the continent price, in either direction.
    let mut overridden = prices.clone();
    overridden.transfer_overrides.push(TransferOverride {
        from: region("northeurope"),
        to: region("westcentralus"),
        usd_per_gb: 0.09,
    });
    let cost = version_cost(&overridden, &image(10.0), &two);
    assert_close!(cost.totals.egress_usd, 10.0 * 0.09);
}

#[test]
fn totals_equal_the_sum_of_their_parts() {
    let mut ws = synthetic(300);
    // Merge the sample in, so regions, storage types and overrides vary.
    let s = sample();
    ws.managed_images.extend(s.managed_images);
    ws.galleries.extend(s.galleries);
    let report = workspace_cost(&ws);
    assert!(report.unpriced.is_empty());
    let total = report.totals;
    assert!(total.monthly_usd > 0.0 && total.egress_usd > 0.0);
    for by in GroupBy::ALL {
        let rows = report.rows(by);
        assert!(!rows.is_empty());
        let monthly: f64 = rows.iter().map(|r| r.totals.monthly_usd).sum();
        let egress: f64 = rows.iter().map(|r| r.totals.egress_usd).sum();
        let replicas: u64 = rows.iter().map(|r| r.totals.replicas).sum();
        assert_close!(monthly, total.monthly_usd);
        assert_close!(egress, total.egress_usd);
        assert_eq!(replicas, total.replicas, "{by:?}");
    }
    assert_eq!(report.rows(GroupBy::Version).len(), ws.version_count());
    for g in &report.galleries {
        for d in &g.definitions {
            for v in &d.versions {
                let monthly: f64 = v.cost.regions.iter().map(|r| r.totals.monthly_usd).sum();
                assert_close!(monthly, v.cost.totals.monthly_usd);
            }
        }
    }
    // An independent computation straight from the formula.
    let mut monthly = 0.0;
    let mut egress = 0.0;
    for (_, _, v) in ws.versions() {
        let image = ws.managed_image(&v.source).unwrap();
        for t in &v.target_regions {
            let price = match v.storage_type_in(t) {
                StorageType::Premium_LRS => 0.132,
                _ => 0.05,
            };
            monthly += image.occupied_gb * f64::from(v.replica_count(t)) * price;
            if t.region != image.region {
                let per_gb = if t.region.continent() == image.region.continent() {
                    0.02
                } else {
                    0.05
                };
                egress += image.occupied_gb * per_gb;
            }
        }
    }
    assert_close!(total.monthly_usd, monthly);
    assert_close!(total.egress_usd, egress);
}

#[test]
fn versions_without_a_source_are_listed_not_priced() {
    let mut ws = sample();
    ws.galleries[0].definitions[0].versions[0].source = "gone".into();
    let report = workspace_cost(&ws);
    assert_eq!(report.unpriced.len(), 1);
    assert_eq!(
        report.unpriced[0].path,
        "contoso_images/win2022-datacenter/2026.7.0"
    );
    assert!(
        report.unpriced[0]
            .reason
            .contains("\"gone\" is not in this workspace")
    );
    assert_eq!(report.rows(GroupBy::Version).len(), 6);
}

#[test]
fn what_if_shows_the_change_before_it_is_applied() {
    let ws = sample();
    let stored = stored_version(&ws, WIN, "2026.9.0");
    let mut edited = stored.clone();
    // eastus 3 → 5 replicas, add UK South, remove South India.
    edited.target_regions[2].replicas = Some(5);
    edited
        .target_regions
        .push(TargetRegion::new(region("uksouth")));
    edited
        .target_regions
        .retain(|t| t.region != region("southindia"));
    let change = what_if(&ws, Some(stored), &edited).unwrap();
    // +2 replicas in eastus, +2 in uksouth (default 2), −2 in southindia.
    assert_close!(change.monthly_change_usd, 2.0 * 44.25 * 0.05);
    assert_close!(change.added_egress_usd, 44.25 * 0.05);
    assert_eq!(change.added_regions, vec![region("uksouth")]);
    assert_eq!(change.removed_regions, vec![region("southindia")]);
    // A new version: everything is added.
    let change = what_if(&ws, None, stored).unwrap();
    assert_close!(change.monthly_change_usd, change.after.totals.monthly_usd);
    assert_close!(change.added_egress_usd, change.after.totals.egress_usd);
}

// ---- the replica planner ----

fn demand(name: &str, vms: u32, scale_sets: u32) -> RegionDemand {
    RegionDemand {
        region: region(name),
        concurrent_vms: vms,
        concurrent_scale_sets: scale_sets,
    }
}

#[test]
fn planner_thresholds() {
    let count = |per: u32, vms: u32, scale_sets: u32, production: bool| {
        recommend_replicas(per, Some(&demand("eastus", vms, scale_sets)), production, 1).0
    };
    assert_eq!(count(20, 0, 0, false), 1);
    assert_eq!(count(20, 20, 0, false), 1);
    assert_eq!(count(20, 21, 0, false), 2);
    assert_eq!(count(20, 40, 0, false), 2);
    assert_eq!(count(20, 41, 0, false), 3);
    assert_eq!(count(20, 120, 0, false), 6);
    assert_eq!(count(50, 120, 0, false), 3);
    assert_eq!(count(20, 20, 4, false), 4);
    assert_eq!(count(20, 20, 0, true), 3);
    assert_eq!(count(20, 100, 0, true), 5);
    assert_eq!(count(20, 2000, 0, false), 100);
    assert_eq!(count(20, 2001, 0, false), 100);
    let (n, why) = recommend_replicas(20, Some(&demand("eastus", 5000, 0)), false, 1);
    assert_eq!(n, 100);
    assert!(
        why.contains("capped at the service's limit of 100"),
        "{why}"
    );
}

#[test]
fn planner_returns_one_undoable_edit_with_its_cost() {
    let mut ws = sample();
    ws.settings.vms_per_replica = 20;
    let plan = plan_replicas(
        &ws,
        G,
        WIN,
        "2026.9.0",
        &[demand("eastus", 120, 2), demand("westeurope", 10, 0)],
        true,
    )
    .unwrap();
    let eastus = plan
        .regions
        .iter()
        .find(|r| r.region == region("eastus"))
        .unwrap();
    assert_eq!(
        (eastus.current_replicas, eastus.recommended_replicas),
        (3, 6)
    );
    let westeurope = plan
        .regions
        .iter()
        .find(|r| r.region == region("westeurope"))
        .unwrap();
    assert_eq!(westeurope.recommended_replicas, 3, "production minimum");
    // 12 regions without demand at 2 rise to 3; westcentralus stays at 3.
    let added_replicas = 3 + 1 + 11;
    assert_close!(
        plan.change.monthly_change_usd,
        f64::from(added_replicas) * 44.25 * 0.05
    );
    assert_eq!(plan.change.added_egress_usd, 0.0);
    let before = ws.clone();
    let Some(Edit::UpdateVersion { .. }) = &plan.edit else {
        panic!("expected one UpdateVersion, got {:?}", plan.edit);
    };
    let inverse = plan.edit.clone().unwrap().apply(&mut ws).unwrap();
    // Equal but for the engine's record of replicas already made (kept in the status).
    let without_status = |v: &ImageVersion| {
        let mut v = v.clone();
        for t in &mut v.target_regions {
            t.status = ReplicaStatus::default();
        }
        v
    };
    assert_eq!(
        without_status(stored_version(&ws, WIN, "2026.9.0")),
        without_status(&plan.planned)
    );
    inverse.apply(&mut ws).unwrap();
    assert_eq!(ws, before, "undo restores everything");
    // Planning again after applying changes nothing.
    plan.edit.clone().unwrap().apply(&mut ws).unwrap();
    let again = plan_replicas(
        &ws,
        G,
        WIN,
        "2026.9.0",
        &[demand("eastus", 120, 2), demand("westeurope", 10, 0)],
        true,
    )
    .unwrap();
    assert!(again.edit.is_none());
    assert_eq!(again.change.monthly_change_usd, 0.0);
}

#[test]
fn planner_refuses_regions_that_are_not_targets() {
    let ws = sample();
    let err =
        plan_replicas(&ws, G, WIN, "2026.7.0", &[demand("eastus", 40, 0)], false).unwrap_err();
    assert!(matches!(err, PlanError::NotATarget { .. }));
    assert_eq!(
        err.to_string(),
        "contoso_images/win2022-datacenter/2026.7.0: East US is not a target region of the version; add it to the version's regions first"
    );
    assert!(matches!(
        plan_replicas(&ws, G, WIN, "9.9.9", &[], false),
        Err(PlanError::NotFound(_))
    ));
}

// ---- retention ----

fn keep(n: u32, delete_beyond: Option<u32>) -> RetentionPolicy {
    RetentionPolicy {
        keep_latest: n,
        delete_beyond,
        delete_published_before: None,
    }
}

/// Applies the preview's batch and checks it gives the predicted workspace, and that undo
/// restores the original exactly.
fn apply_checked(ws: &mut Workspace, preview: &sig_studio_core::cost::RetentionPreview) {
    let before = ws.clone();
    let predicted = preview.predicted(ws);
    let edit = preview.edit().expect("the preview changes something");
    assert!(matches!(edit, Edit::Batch { .. }), "one undo step");
    let inverse = edit.apply(ws).expect("the batch applies");
    assert_eq!(*ws, predicted, "preview equals what apply does");
    let mut undone = ws.clone();
    inverse.apply(&mut undone).expect("undo applies");
    assert_eq!(undone, before, "undo restores everything");
}

fn outcome<'a>(preview: &'a sig_studio_core::cost::RetentionPreview, name: &str) -> &'a Outcome {
    &preview
        .versions
        .iter()
        .find(|v| v.name == name)
        .unwrap()
        .outcome
}

#[test]
fn seed_pattern_latest_in_many_regions_older_in_one() {
    let mut ws = sample();
    // A new release replicated everywhere, like 2026.9.0 was.
    let mut next = stored_version(&ws, WIN, "2026.9.0").clone();
    next.name = "2026.11.0".into();
    next.source = "win2022-dc-2026-10".into();
    Edit::AddVersion {
        gallery: G.into(),
        definition: WIN.into(),
        index: None,
        version: next,
    }
    .apply(&mut ws)
    .unwrap();
    // Statuses of a new version start afresh; mark it replicated.
    for t in &mut ws.galleries[0].definitions[0].versions[4].target_regions {
        t.status = ReplicaStatus::completed();
    }
    let preview = preview_retention(&ws, G, WIN, &keep(1, None)).unwrap();
    let names: Vec<&str> = preview.versions.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        ["2026.11.0", "2026.10.0", "2026.9.0", "2026.8.0", "2026.7.0"]
    );
    assert_eq!(outcome(&preview, "2026.11.0"), &Outcome::Keep);
    assert_eq!(
        outcome(&preview, "2026.10.0"),
        &Outcome::Keep,
        "already in one region"
    );
    let Outcome::Shrink { removed } = outcome(&preview, "2026.9.0") else {
        panic!("2026.9.0 should shrink");
    };
    assert_eq!(removed.len(), 13);
    assert!(!removed.contains(&region("westcentralus")));
    assert_eq!(preview.changes().count(), 1);
    // The saving is the cost of the removed replicas: 27 of 30.
    assert_close!(preview.monthly_saving_usd, 27.0 * 44.25 * 0.05);
    let before = workspace_cost(&ws).totals.monthly_usd;
    apply_checked(&mut ws, &preview);
    let after = workspace_cost(&ws).totals.monthly_usd;
    assert_close!(before - after, preview.monthly_saving_usd);
    // Only the latest is in many regions now.
    let d = ws.gallery(G).unwrap().definition(WIN).unwrap();
    for v in &d.versions {
        let expected = if v.name == "2026.11.0" { 14 } else { 1 };
        assert_eq!(v.target_regions.len(), expected, "{}", v.name);
    }
    assert!(
        preview_retention(&ws, G, WIN, &keep(1, None))
            .unwrap()
            .edit()
            .is_none(),
        "applying twice changes nothing more"
    );
}

#[test]
fn never_removes_the_version_latest_resolves_to() {
    let mut ws = sample();
    // ubuntu: 1.0.12 completes but is excluded from latest, so "latest" is 1.0.9.
    {
        let d = &mut ws.galleries[0].definitions[1];
        let v = d.versions.iter_mut().find(|v| v.name == "1.0.12").unwrap();
        v.exclude_from_latest = true;
        for t in &mut v.target_regions {
            t.status.state = RegionState::Completed;
            t.status.progress = 100;
        }
    }
    let d = ws.gallery(G).unwrap().definition(UBUNTU).unwrap();
    assert_eq!(newest_completed(d).unwrap().name, "1.0.12");
    assert_eq!(
        sig_studio_core::model::latest::latest(d, None)
            .unwrap()
            .name,
        "1.0.9"
    );
    let preview = preview_retention(&ws, G, UBUNTU, &keep(1, Some(1))).unwrap();
    assert_eq!(outcome(&preview, "1.0.12"), &Outcome::Keep);
    assert!(matches!(
        outcome(&preview, "1.0.9"),
        Outcome::Protected { why } if why.starts_with("\"latest\" resolves to it")
    ));
    assert!(matches!(outcome(&preview, "1.0.8"), Outcome::Delete { .. }));
    apply_checked(&mut ws, &preview);
    let d = ws.gallery(G).unwrap().definition(UBUNTU).unwrap();
    assert_eq!(
        sig_studio_core::model::latest::latest(d, None)
            .unwrap()
            .name,
        "1.0.9",
        "latest still resolves to the same version after the policy"
    );
}

#[test]
fn never_removes_the_newest_completed_version() {
    let mut ws = sample();
    // ubuntu: 1.0.12 is still replicating; 1.0.9 is the newest completed.
    let d = ws.gallery(G).unwrap().definition(UBUNTU).unwrap();
    assert_eq!(newest_completed(d).unwrap().name, "1.0.9");
    let preview = preview_retention(&ws, G, UBUNTU, &keep(1, Some(1))).unwrap();
    assert_eq!(outcome(&preview, "1.0.12"), &Outcome::Keep);
    assert!(matches!(
        outcome(&preview, "1.0.9"),
        Outcome::Protected { why } if why == "it is the newest completed version"
    ));
    assert!(matches!(outcome(&preview, "1.0.8"), Outcome::Delete { .. }));
    apply_checked(&mut ws, &preview);
    let d = ws.gallery(G).unwrap().definition(UBUNTU).unwrap();
    let names: Vec<&str> = d.versions.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["1.0.9", "1.0.12"]);

    // When nothing has completed, the newest version is kept whatever the policy says.
    let mut ws = sample();
    for v in &mut ws.galleries[0].definitions[1].versions {
        for t in &mut v.target_regions {
            t.status.state = RegionState::Replicating;
        }
    }
    let d = ws.gallery(G).unwrap().definition(UBUNTU).unwrap();
    assert_eq!(newest_completed(d).unwrap().name, "1.0.12");
    let by_date = RetentionPolicy {
        keep_latest: 1,
        delete_beyond: None,
        delete_published_before: Some(jiff::civil::date(2030, 1, 1)),
    };
    let preview = preview_retention(&ws, G, UBUNTU, &by_date).unwrap();
    // The newest is always among the latest N, so it stays; nothing else is protected.
    assert_eq!(outcome(&preview, "1.0.12"), &Outcome::Keep);
    assert!(matches!(outcome(&preview, "1.0.9"), Outcome::Delete { .. }));
    assert!(matches!(outcome(&preview, "1.0.8"), Outcome::Delete { .. }));
}

#[test]
fn deletes_beyond_m_with_their_grants_and_undo_restores_them() {
    let mut ws = sample();
    // 2026.10.0 validated: no longer excluded from latest, so 2026.9.0 is no longer protected.
    ws.galleries[0].definitions[0].versions[3].exclude_from_latest = false;
    let preview = preview_retention(&ws, G, WIN, &keep(1, Some(1))).unwrap();
    // 2026.10.0 is the newest and completed; 2026.9.0 carries bob's grant.
    assert_eq!(outcome(&preview, "2026.10.0"), &Outcome::Keep);
    for name in ["2026.9.0", "2026.8.0", "2026.7.0"] {
        assert!(
            matches!(outcome(&preview, name), Outcome::Delete { .. }),
            "{name}"
        );
    }
    let nine = preview
        .versions
        .iter()
        .find(|v| v.name == "2026.9.0")
        .unwrap();
    assert_eq!(nine.grants_removed.len(), 1);
    assert_eq!(nine.grants_removed[0].principal, "bob@contoso.com");
    assert!(preview.to_text().contains("also removes the grant Reader"));
    let grants = ws.grants.len();
    apply_checked(&mut ws, &preview);
    assert_eq!(ws.grants.len(), grants - 1);
}

#[test]
fn deletes_by_published_date() {
    let ws = sample();
    let policy = RetentionPolicy {
        keep_latest: 2,
        delete_beyond: None,
        delete_published_before: Some(jiff::civil::date(2026, 8, 11)),
    };
    let preview = preview_retention(&ws, G, WIN, &policy).unwrap();
    assert!(matches!(
        outcome(&preview, "2026.7.0"),
        Outcome::Delete { why } if why == "published 2026-07-14, before 2026-08-11"
    ));
    assert_eq!(
        outcome(&preview, "2026.8.0"),
        &Outcome::Keep,
        "published on the day"
    );
    assert_eq!(preview.changes().count(), 1);
}

#[test]
fn respects_the_exemption_flag_and_saves_it() {
    let mut ws = sample();
    ws.galleries[0].definitions[0].versions[0].retention_exempt = true; // 2026.7.0
    ws.galleries[0].definitions[0].versions[2].retention_exempt = true; // 2026.9.0
    let preview = preview_retention(&ws, G, WIN, &keep(1, Some(3))).unwrap();
    for name in ["2026.7.0", "2026.9.0"] {
        assert!(
            matches!(outcome(&preview, name), Outcome::Protected { why } if why == "the user excluded it from retention"),
            "{name}"
        );
    }
    assert!(preview.edit().is_none());
    // Saved only when set.
    let text = to_ron_string(&ws);
    assert_eq!(text.matches("retention_exempt: true").count(), 2);
    assert_eq!(from_ron_str(&text).unwrap(), ws);
    assert!(!to_ron_string(&sample()).contains("retention_exempt"));
}

#[test]
fn versions_that_block_deletion_of_replicated_regions_are_reported() {
    let mut ws = sample();
    ws.galleries[0].definitions[0].versions[3].exclude_from_latest = false;
    ws.galleries[0].definitions[0].versions[2].allow_deletion_of_replicated_locations = false;
    let preview = preview_retention(&ws, G, WIN, &keep(1, Some(3))).unwrap();
    let Outcome::Blocked { why } = outcome(&preview, "2026.9.0") else {
        panic!("2026.9.0 should be blocked");
    };
    assert!(
        why.contains("allowDeletionOfReplicatedLocations is false"),
        "{why}"
    );
    assert_eq!(preview.blocked().count(), 1);
    // The other changes still form a batch that applies.
    assert!(matches!(
        outcome(&preview, "2026.7.0"),
        Outcome::Delete { .. }
    ));
    apply_checked(&mut ws, &preview);
    assert_eq!(
        stored_version(&ws, WIN, "2026.9.0").target_regions.len(),
        14
    );
}

#[test]
fn stored_policies_round_trip_and_the_gallery_default_applies() {
    let mut ws = sample();
    ws.galleries[0].default_retention = Some(keep(1, None));
    ws.galleries[0].definitions[1].retention = Some(keep(2, Some(2)));
    let text = to_ron_string(&ws);
    assert!(text.contains("default_retention: Some("));
    let loaded = from_ron_str(&text).unwrap();
    assert_eq!(loaded, ws);
    let win = preview_stored_policy(&ws, G, WIN).unwrap();
    assert_eq!(win.policy, keep(1, None));
    let ubuntu = preview_stored_policy(&ws, G, UBUNTU).unwrap();
    assert_eq!(ubuntu.policy, keep(2, Some(2)));
    assert!(matches!(outcome(&ubuntu, "1.0.8"), Outcome::Delete { .. }));
    assert!(preview_stored_policy(&sample(), G, WIN).is_err());
    assert!(preview_retention(&ws, G, WIN, &keep(0, None)).is_err());
    assert!(preview_retention(&ws, G, WIN, &keep(3, Some(2))).is_err());
}

// ---- the command line ----

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sig-studio-cost-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn cli_cost_text_and_json() {
    let dir = tempdir("cost");
    let file = dir.join("ws.ron");
    std::fs::write(&file, to_ron_string(&sample())).unwrap();
    let path = file.to_str().unwrap();
    let (code, out, _) = run(&["cost", path, "--by", "region"]);
    assert_eq!(code, 0);
    assert!(out.contains("Estimated cost in USD"));
    assert!(out.contains("Prices are default estimates"));
    assert!(out.contains("westcentralus"));
    let report = workspace_cost(&sample());
    let total = format!(
        "Total: {}/month for storage, {} once for transfer",
        format_usd(report.totals.monthly_usd),
        format_usd(report.totals.egress_usd)
    );
    assert!(out.contains(&total), "{out}");

    let (code, out, _) = run(&["cost", path, "--json", "--by", "version"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["currency"], "USD");
    assert_eq!(json["by"], "version");
    assert_eq!(json["rows"].as_array().unwrap().len(), 7);
    let monthly = json["totals"]["monthly_usd"].as_f64().unwrap();
    assert_close!(monthly, report.totals.monthly_usd);

    let (code, out, _) = run(&["cost", path, "--json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["galleries"][0]["name"], "contoso_images");

    let (code, _, err) = run(&["cost", dir.join("missing.ron").to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn cli_retention_previews_applies_and_refuses() {
    let dir = tempdir("retention");
    let file = dir.join("ws.ron");
    // 2026.10.0 validated (no longer excluded from latest): 2026.9.0 can shrink.
    let mut base = sample();
    base.galleries[0].definitions[0].versions[3].exclude_from_latest = false;
    let original = to_ron_string(&base);
    std::fs::write(&file, &original).unwrap();
    let path = file.to_str().unwrap();
    let out_file = dir.join("out.ron");
    let out_path = out_file.to_str().unwrap();
    let definition = "contoso_images/win2022-datacenter";

    // Preview only: prints, writes nothing.
    let (code, out, err) = run(&[
        "retention",
        path,
        "--definition",
        definition,
        "--keep-latest",
        "1",
        "--delete-beyond",
        "3",
    ]);
    assert_eq!(code, 0, "{err}");
    let expected = preview_retention(&base, G, WIN, &keep(1, Some(3))).unwrap();
    assert_eq!(out, expected.to_text());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    assert!(!out_file.exists());

    let (code, out, _) = run(&[
        "retention",
        path,
        "--definition",
        definition,
        "--keep-latest",
        "1",
        "--json",
    ]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["currency"], "USD");
    assert_eq!(json["versions"][1]["name"], "2026.9.0");
    assert_eq!(json["versions"][1]["outcome"]["action"], "shrink");
    assert_eq!(
        json["versions"][1]["outcome"]["removed"]
            .as_array()
            .unwrap()
            .len(),
        13
    );

    // Apply: the written file is the predicted workspace.
    let (code, out, err) = run(&[
        "retention",
        path,
        "--definition",
        definition,
        "--keep-latest",
        "1",
        "--delete-beyond",
        "3",
        "--apply",
        "--write",
        out_path,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Applied 2 changes"), "{out}");
    let written = sig_studio_core::workspace::load(&out_file).unwrap();
    assert_eq!(written, expected.predicted(&base));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);

    // Bad arguments: exit 1 with a message, nothing written.
    std::fs::remove_file(&out_file).unwrap();
    for (args, message) in [
        (
            vec!["--definition", "contoso_images", "--keep-latest", "1"],
            "expected an image definition path",
        ),
        (
            vec!["--definition", "contoso_images/nope", "--keep-latest", "1"],
            "was not found",
        ),
        (
            vec!["--definition", definition, "--keep-latest", "0"],
            "at least 1",
        ),
        (
            vec![
                "--definition",
                definition,
                "--keep-latest",
                "2",
                "--delete-beyond",
                "1",
            ],
            "must be at least keep latest",
        ),
        (
            vec!["--definition", definition, "--keep-latest", "1", "--apply"],
            "--apply needs --write",
        ),
        (
            vec![
                "--definition",
                definition,
                "--keep-latest",
                "1",
                "--write",
                out_path,
            ],
            "--write needs --apply",
        ),
        (vec!["--definition", definition], "no retention policy"),
    ] {
        let mut all = vec!["retention", path];
        all.extend(args);
        let (code, _, err) = run(&all);
        assert_eq!(code, 1, "{all:?}: {err}");
        assert!(err.contains(message), "{all:?}: {err}");
        assert!(!out_file.exists());
    }

    // Blocked: exit 1, nothing written.
    let mut ws = sample();
    ws.galleries[0].definitions[0].versions[3].exclude_from_latest = false;
    ws.galleries[0].definitions[0].versions[2].allow_deletion_of_replicated_locations = false;
    std::fs::write(&file, to_ron_string(&ws)).unwrap();
    let (code, out, err) = run(&[
        "retention",
        path,
        "--definition",
        definition,
        "--keep-latest",
        "1",
        "--apply",
        "--write",
        out_path,
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("BLOCKED"), "{out}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!out_file.exists());

    // Unreadable file: exit 2.
    let (code, _, _) = run(&[
        "retention",
        dir.join("missing.ron").to_str().unwrap(),
        "--definition",
        definition,
        "--keep-latest",
        "1",
    ]);
    assert_eq!(code, 2);
}
