//! Replication in the app, driven headless through accessible labels. Simulated time is advanced
//! directly (`SigStudioApp::advance_simulation`): no clock thread, no sleeping.

use crate::common;

use common::{H, Setup, click};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use sig_studio::model::{Region, RegionState, ResourcePath};
use sig_studio::sample::sample;
use sig_studio::ui::{Prefs, SigStudioApp, Startup};

fn version_path() -> ResourcePath {
    ResourcePath::version("contoso_images", "win2022-datacenter", "2026.8.0")
}

fn east_us() -> Region {
    "eastus".parse().unwrap()
}

/// The sample with the 2026.8.0 version (replicated only to its source region) selected.
fn harness() -> H {
    Setup::new(sample()).select(version_path()).build()
}

fn east_us_state(harness: &H) -> RegionState {
    let ws = &harness.state().doc.ws();
    let (g, d, v) = match version_path() {
        ResourcePath::Version(g, d, v) => (g, d, v),
        _ => unreachable!(),
    };
    ws.gallery(&g)
        .and_then(|g| g.definition(&d))
        .and_then(|d| d.version(&v))
        .and_then(|v| v.target(east_us()))
        .map(|t| t.status.state)
        .unwrap_or_default()
}

/// Adds East US to the selected version through the region picker.
fn add_east_us(harness: &mut H) {
    click(harness, "Add regions…");
    let search = harness.get_by_role_and_label(Role::TextInput, "Search regions");
    search.focus();
    search.type_text("eastus");
    harness.run_steps(2);
    harness.get_by_label_contains("(eastus,").click();
    harness.run_steps(2);
    click(harness, "Add 1 region");
    assert_eq!(east_us_state(harness), RegionState::Unknown);
}

/// Advances simulated time a minute at a time until East US is in `state` (at most 3 hours).
fn advance_until(harness: &mut H, state: RegionState) -> f64 {
    let mut secs = 0.0;
    while east_us_state(harness) != state {
        assert!(secs < 3.0 * 3600.0, "East US never became {state:?}");
        harness.state_mut().advance_simulation(60.0);
        secs += 60.0;
    }
    harness.run_steps(2);
    secs
}

/// The status bar's job counts, as the workspace says they should read.
fn status_counts(harness: &H) -> String {
    let mut replicating = 0;
    let mut queued = 0;
    for (_, _, v) in harness.state().doc.ws().versions() {
        for t in &v.target_regions {
            match t.status.state {
                RegionState::Replicating => replicating += 1,
                RegionState::Queued | RegionState::Unknown => queued += 1,
                _ => {}
            }
        }
    }
    format!("{replicating} replicating · {queued} queued")
}

fn progress_labels(harness: &H) -> Vec<String> {
    harness
        .query_all_by_role(Role::ProgressIndicator)
        .filter_map(|node| node.accesskit_node().label())
        .collect()
}

#[test]
fn a_new_region_shows_progress_time_left_and_completion() {
    let mut h = harness();
    add_east_us(&mut h);
    let undo_depth = h.state().doc.undo_depth();

    // Queued, then copying: a progress bar with a percentage and the time left.
    h.state_mut().advance_simulation(60.0);
    h.run_steps(2);
    assert_eq!(east_us_state(&h), RegionState::Queued);
    assert!(h.query_by_label("Cancel East US").is_some());
    h.state_mut().advance_simulation(600.0);
    h.run_steps(2);
    assert_eq!(east_us_state(&h), RegionState::Replicating);
    let labels = progress_labels(&h);
    assert_eq!(labels.len(), 1, "{labels:?}");
    let percent: u32 = labels[0].trim_end_matches(" %").parse().unwrap();
    assert!((1..100).contains(&percent), "{labels:?}");
    assert!(h.query_by_label_contains("min left").is_some());
    // The status bar counts the jobs.
    let counts = status_counts(&h);
    assert!(h.query_by_label_contains(&counts).is_some(), "{counts}");
    // Service progress is not an undo step, but it is an unsaved change.
    assert_eq!(h.state().doc.undo_depth(), undo_depth);
    assert!(h.state().doc.is_dirty());

    // A while later: further along.
    h.state_mut().advance_simulation(300.0);
    h.run_steps(2);
    let later: u32 = progress_labels(&h)[0]
        .trim_end_matches(" %")
        .parse()
        .unwrap();
    assert!(later > percent, "{later} after {percent}");

    advance_until(&mut h, RegionState::Completed);
    assert!(progress_labels(&h).is_empty());
    assert!(h.query_by_label("Cancel East US").is_none());
    assert_eq!(h.get_all_by_label("✔ Completed").count(), 2);
    let counts = status_counts(&h);
    assert!(h.query_by_label_contains(&counts).is_some(), "{counts}");
}

/// Simulation menu, Region outages, "East US unavailable"; then no menu stays open.
fn toggle_east_us_outage(h: &mut H) {
    click(h, "Simulation");
    click(h, "Region outages");
    click(h, "East US unavailable");
    for _ in 0..3 {
        if h.query_by_label("Region outages").is_none() {
            break;
        }
        h.key_press(egui::Key::Escape);
        h.run_steps(6);
    }
    assert!(h.query_by_label("Region outages").is_none());
}

#[test]
fn an_outage_fails_the_region_with_details_and_retry_completes_it() {
    let mut h = harness();
    add_east_us(&mut h);
    // Simulation menu, Region outages: East US unavailable.
    toggle_east_us_outage(&mut h);
    assert!(h.state().doc.ws().simulation.has_outage(east_us()));

    advance_until(&mut h, RegionState::Failed);
    assert!(h.query_by_label("✖ Failed").is_some());
    assert!(
        h.get_all_by_label_contains("East US is unavailable (simulated outage)")
            .next()
            .is_some()
    );
    assert!(h.get_all_by_label_contains("1 failed").next().is_some());

    // Available again; Retry per region queues it again and it completes.
    toggle_east_us_outage(&mut h);
    assert!(!h.state().doc.ws().simulation.has_outage(east_us()));
    assert!(h.query_by_label("Retry failed regions").is_some());
    click(&mut h, "Retry East US");
    assert_eq!(east_us_state(&h), RegionState::Queued);
    advance_until(&mut h, RegionState::Completed);
    assert!(h.query_by_label("✖ Failed").is_none());
    assert!(h.query_by_label("Retry failed regions").is_none());
}

#[test]
fn cancel_leaves_the_region_failed_until_retried() {
    let mut h = harness();
    add_east_us(&mut h);
    h.state_mut().advance_simulation(600.0);
    h.run_steps(2);
    click(&mut h, "Cancel East US");
    assert_eq!(east_us_state(&h), RegionState::Failed);
    assert!(
        h.get_all_by_label_contains("Cancelled by the user")
            .next()
            .is_some()
    );
    click(&mut h, "Retry failed regions");
    assert_eq!(east_us_state(&h), RegionState::Queued);
}

fn deploy_answer(h: &mut H, region: &str) -> String {
    click(h, "Deploy…");
    h.get_by_label_contains(&format!("{region}: ")).click();
    h.run_steps(6);
    let answer = h
        .query_by_label_contains("Refused:")
        .or_else(|| h.query_by_label_contains("Allowed:"))
        .and_then(|n| {
            let node = n.accesskit_node();
            node.label().or_else(|| node.value())
        })
        .unwrap_or_default();
    click(h, "Close");
    answer
}

#[test]
fn deploy_is_refused_until_the_region_has_completed() {
    let mut h = harness();
    add_east_us(&mut h);
    let before = deploy_answer(&mut h, "East US");
    assert!(
        before.contains("Refused") && before.contains("is not available in East US region"),
        "{before}"
    );
    advance_until(&mut h, RegionState::Completed);
    let after = deploy_answer(&mut h, "East US");
    assert!(
        after.starts_with("✔ Allowed: 1 VM from 2026.8.0 in East US"),
        "{after}"
    );

    // On the definition, "latest" resolves per region: 2026.9.0 holds a replica in East US.
    h.state_mut().select_path(ResourcePath::definition(
        "contoso_images",
        "win2022-datacenter",
    ));
    h.run_steps(4);
    let latest = deploy_answer(&mut h, "East US");
    assert!(latest.contains("2026.9.0 (latest in East US)"), "{latest}");
}

#[test]
fn an_idle_app_requests_no_repaint_even_with_the_clock_enabled() {
    let mut app = SigStudioApp::new(
        Startup::Workspace(sample(), None),
        None,
        Prefs::default(),
        common::today(),
    )
    .without_native_dialogs();
    app.enable_simulation_clock();
    // Let the sample's running replication settle first (simulated time, no clock).
    let mut rounds = 0;
    while app.advance_simulation(600.0).is_running() {
        rounds += 1;
        assert!(rounds < 100, "the sample's replication never settled");
    }
    app.select_path(version_path());
    let mut harness = common::harness(app, 1.0);
    harness.run_steps(10);
    // Nothing runs: no frame asks for another one, so the window sleeps.
    harness.step();
    assert!(!harness.ctx.has_requested_repaint());
}

#[test]
fn the_activity_panel_lists_jobs_cancels_retries_and_selects() {
    let mut h = harness();
    assert!(h.query_by_label("Replication activity").is_none());
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::A,
    );
    h.run_steps(6);
    assert!(h.state().prefs.show_activity);
    assert!(h.query_by_label("Replication activity").is_some());
    // The sample's 1.0.12 has six regions queued or replicating.
    let release = "contoso_images/ubuntu-2204-base/1.0.12";
    assert_eq!(h.get_all_by_label(release).count(), 6);

    click(&mut h, "Cancel Canada Central");
    let canada = |h: &H| {
        h.state()
            .doc
            .ws()
            .gallery("contoso_images")
            .and_then(|g| g.definition("ubuntu-2204-base"))
            .and_then(|d| d.version("1.0.12"))
            .and_then(|v| v.target("canadacentral".parse().unwrap()))
            .map(|t| t.status.state)
    };
    assert_eq!(canada(&h), Some(RegionState::Failed));
    click(&mut h, "Retry Canada Central");
    assert_eq!(canada(&h), Some(RegionState::Queued));

    h.get_all_by_label(release).next().unwrap().click();
    h.run_steps(6);
    assert_eq!(
        h.state().selection,
        Some(ResourcePath::version(
            "contoso_images",
            "ubuntu-2204-base",
            "1.0.12"
        ))
    );
}

#[test]
fn progress_alone_is_reported_apart_from_the_users_changes() {
    let mut h = harness();
    h.get_by_label("Saved");
    // The sample's 1.0.12 is still replicating: time passes, nothing is edited.
    h.state_mut().advance_simulation(120.0);
    h.run_steps(3);
    h.get_by_label("Replication progress not saved");
    assert!(h.state().doc.is_dirty() && !h.state().doc.has_user_changes());
    add_east_us(&mut h);
    h.get_by_label("Unsaved changes");
}

/// The bundled unfinished example's 1.0.13 leaves its source region out of its targets: the
/// service would refuse it, so its regions are marked "Not created: fix the errors" (region
/// table, activity panel, status bar) and start only once the source region is added.
#[test]
fn a_version_with_errors_is_not_created_until_they_are_fixed() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/examples/unfinished.ron"
    ))
    .unwrap();
    let ws = sig_studio::workspace::from_ron_str(&text).unwrap();
    let path = ResourcePath::version("contoso_images", "ubuntu-2204-base", "1.0.13");
    let mut h = Setup::new(ws).select(path.clone()).build();
    h.state_mut().advance_simulation(600.0);
    h.run_steps(3);
    let east = |h: &H| {
        h.state()
            .doc
            .ws()
            .gallery("contoso_images")
            .and_then(|g| g.definition("ubuntu-2204-base"))
            .and_then(|d| d.version("1.0.13"))
            .and_then(|v| v.target(east_us()))
            .map(|t| t.status.state)
    };
    assert_eq!(east(&h), Some(RegionState::Unknown));
    // Both regions in the version's table; the status bar counts them.
    assert_eq!(h.get_all_by_label("Not created: fix the errors").count(), 2);
    assert_eq!(h.get_all_by_label_contains("· 2 not created").count(), 1);
    // The activity panel lists them too.
    h.state_mut().prefs.show_activity = true;
    h.run_steps(3);
    assert!(h.get_all_by_label("Not created: fix the errors").count() > 2);
    assert_eq!(h.get_all_by_label_contains("· 2 not created").count(), 2);
    h.state_mut().prefs.show_activity = false;
    h.run_steps(3);

    // Add the source region (West Central US): the version is valid and replicates.
    click(&mut h, "Add regions…");
    let search = h.get_by_role_and_label(Role::TextInput, "Search regions");
    search.focus();
    search.type_text("westcentralus");
    h.run_steps(2);
    h.get_by_label_contains("(westcentralus,").click();
    h.run_steps(2);
    click(&mut h, "Add 1 region");
    h.state_mut().advance_simulation(60.0);
    h.run_steps(3);
    assert_eq!(east(&h), Some(RegionState::Queued));
    assert!(h.query_by_label("Not created: fix the errors").is_none());
    assert!(h.query_by_label_contains("not created").is_none());
}

/// A region under a simulated outage says so where a user picks regions and in the status bar
/// (issue 15, point 7).
#[test]
fn an_outage_shows_in_the_status_bar_and_the_region_picker() {
    let mut ws = sample();
    ws.simulation.outages.push(east_us());
    let mut h = Setup::new(ws).select(version_path()).build();
    h.get_by_label("⚠ Outage: East US");
    click(&mut h, "Add regions…");
    h.get_by_label_contains("(eastus, United States) · unavailable (simulated outage)");
    assert!(
        h.query_by_label_contains("(eastus2, United States) · unavailable")
            .is_none()
    );
}

/// A failed replication is listed in the Problems panel with its reason, and its link selects
/// the version (issue 15, point 7).
#[test]
fn a_failed_replication_is_listed_in_the_problems_panel() {
    let mut ws = sample();
    let version = &mut ws.galleries[0].definitions[1].versions[2];
    let name = version.name.clone();
    let target = version.target_regions.last_mut().unwrap();
    target.status.state = RegionState::Failed;
    target.status.details =
        "Southeast Asia is unavailable (simulated outage): retry once it is back".to_owned();
    let mut h = Setup::new(ws).build();
    h.get_by_label_contains("1 failed replication");
    h.get_by_label_contains("Replication to Southeast Asia failed: Southeast Asia is unavailable");
    let path = ResourcePath::version("contoso_images", "ubuntu-2204-base", &name);
    h.get_all_by_label(&path.to_string())
        .next()
        .unwrap()
        .click();
    h.run_steps(4);
    assert_eq!(h.state().selection, Some(path));
}

/// The Problems panel follows failures as they happen, though it gathers them again only when
/// a region may have started or stopped failing: a cancel and a retry (commands), and a step
/// that fails a job (an outage).
#[test]
fn the_problems_panel_follows_cancels_retries_and_failing_steps() {
    let mut h = harness();
    add_east_us(&mut h);
    h.state_mut().advance_simulation(600.0);
    h.run_steps(2);
    assert!(h.query_by_label_contains("failed replication").is_none());
    click(&mut h, "Cancel East US");
    h.get_by_label_contains("1 failed replication");
    h.get_by_label_contains("Replication to East US failed: Cancelled by the user");
    click(&mut h, "Retry failed regions");
    assert!(h.query_by_label_contains("failed replication").is_none());
    toggle_east_us_outage(&mut h);
    advance_until(&mut h, RegionState::Failed);
    h.get_by_label_contains("1 failed replication");
    h.get_by_label_contains("Replication to East US failed: East US is unavailable");
}
