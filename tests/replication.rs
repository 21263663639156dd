//! The replication simulation, driven by simulated time (no sleeping): the time model and its
//! calibration, triggers from the data, faults, resume through the workspace file, determinism.

use sig_studio::model::{
    AggregateState, Edit, Gallery, ImageDefinition, ImageVersion, ManagedImage, OsType, Region,
    RegionState, ReplicationMode, ResourcePath, TargetRegion, Tenant, Workspace, region,
};
use sig_studio::replication::{self, Engine};
use sig_studio::workspace::{from_ron_str, to_ron_string};

const G: &str = "gallery";
const D: &str = "image";
/// Ten simulated seconds a step, like the command line.
const STEP: f64 = 10.0;

fn r(name: &str) -> Region {
    Region::parse(name).unwrap()
}

fn source() -> Region {
    r("westcentralus")
}

/// A workspace with one version of `occupied_gb` replicated from West Central US to `targets`
/// (the source region is added first).
fn workspace(occupied_gb: f64, targets: &[Region]) -> Workspace {
    let mut regions = vec![TargetRegion::new(source())];
    regions.extend(targets.iter().map(|t| TargetRegion::new(*t)));
    Workspace {
        tenants: vec![Tenant {
            name: "contoso".into(),
            domain: String::new(),
        }],
        managed_images: vec![ManagedImage {
            name: "img".into(),
            region: source(),
            os_type: OsType::Linux,
            os_disk_gb: 64,
            occupied_gb,
            ..ManagedImage::default()
        }],
        galleries: vec![Gallery {
            name: G.into(),
            region: source(),
            tenant: "contoso".into(),
            definitions: vec![ImageDefinition {
                name: D.into(),
                publisher: "p".into(),
                offer: "o".into(),
                sku: "s".into(),
                versions: vec![ImageVersion {
                    name: "1.0.0".into(),
                    source: "img".into(),
                    target_regions: regions,
                    ..ImageVersion::default()
                }],
                ..ImageDefinition::default()
            }],
            ..Gallery::default()
        }],
        ..Workspace::default()
    }
}

fn version<'a>(ws: &'a Workspace, name: &str) -> &'a ImageVersion {
    ws.gallery(G)
        .unwrap()
        .definition(D)
        .unwrap()
        .version(name)
        .unwrap()
}

fn path(name: &str) -> ResourcePath {
    ResourcePath::version(G, D, name)
}

fn state(ws: &Workspace, name: &str, region: Region) -> RegionState {
    version(ws, name).target(region).unwrap().status.state
}

/// Steps until nothing runs; returns the simulated seconds it took.
fn run_until_settled(engine: &mut Engine, ws: &mut Workspace) -> f64 {
    let mut secs = 0.0;
    loop {
        let report = engine.step(ws, STEP);
        secs += STEP;
        if !report.is_running() {
            return secs;
        }
        assert!(secs < 7.0 * 86_400.0, "replication never settles");
    }
}

fn settle(ws: &mut Workspace) -> f64 {
    run_until_settled(&mut Engine::new(), ws)
}

#[test]
fn a_new_version_replicates_through_queued_and_replicating_to_completed() {
    let east = r("eastus");
    let mut ws = workspace(30.0, &[east]);
    let mut engine = Engine::new();
    let report = engine.step(&mut ws, STEP);
    assert_eq!(report.started, 2);
    assert!(report.is_running() && report.changed);
    assert_eq!(state(&ws, "1.0.0", east), RegionState::Queued);
    assert_eq!(
        version(&ws, "1.0.0").aggregate_state(),
        AggregateState::InProgress
    );
    engine.advance(&mut ws, 600.0, STEP);
    let status = &version(&ws, "1.0.0").target(east).unwrap().status;
    assert_eq!(status.state, RegionState::Replicating);
    assert!((20..60).contains(&status.progress), "{status:?}");
    let mut last = status.progress;
    for _ in 0..200 {
        engine.step(&mut ws, STEP);
        let p = version(&ws, "1.0.0").target(east).unwrap().status.progress;
        assert!(p >= last, "progress never goes back");
        last = p;
    }
    assert_eq!(state(&ws, "1.0.0", east), RegionState::Completed);
    assert_eq!(
        version(&ws, "1.0.0").aggregate_state(),
        AggregateState::Completed
    );
    // Settled: a step changes nothing, so the app stops repainting.
    let before = ws.clone();
    let report = engine.step(&mut ws, STEP);
    assert!(!report.changed && !report.is_running());
    assert_eq!(ws, before);
    assert!(!replication::has_work(&ws));
}

#[test]
fn calibration_one_region_is_about_twenty_minutes() {
    let mut ws = workspace(30.0, &[r("eastus")]);
    let secs = settle(&mut ws);
    assert!(
        (18.0 * 60.0..=23.0 * 60.0).contains(&secs),
        "30 GB to one region took {secs} s"
    );
}

#[test]
fn calibration_thirteen_preview_regions_take_a_few_hours() {
    let targets = region::regions_of(&region::PREVIEW_TARGET_REGIONS);
    let mut ws = workspace(30.0, &targets);
    let secs = settle(&mut ws);
    assert!(
        (2.0 * 3600.0..=4.0 * 3600.0).contains(&secs),
        "30 GB to 13 regions took {secs} s"
    );
    assert_eq!(
        version(&ws, "1.0.0").aggregate_state(),
        AggregateState::Completed
    );
}

#[test]
fn durations_grow_with_size_and_with_concurrent_regions() {
    let one = [r("eastus")];
    let small = settle(&mut workspace(10.0, &one));
    let large = settle(&mut workspace(60.0, &one));
    assert!(large > small * 3.0, "{small} s vs {large} s");
    let mut previous = 0.0;
    for n in [1, 3, 7, 13] {
        let targets = region::regions_of(&region::PREVIEW_TARGET_REGIONS[..n]);
        let secs = settle(&mut workspace(30.0, &targets));
        assert!(
            secs > previous,
            "{n} regions took {secs} s, fewer took {previous} s"
        );
        previous = secs;
    }
    // Across continents is slower than within the geography.
    let near = settle(&mut workspace(30.0, &[r("eastus")]));
    let far = settle(&mut workspace(30.0, &[r("southeastasia")]));
    assert!(far > near * 1.5, "{near} s vs {far} s");
}

#[test]
fn shallow_replication_is_near_instant() {
    let targets = region::regions_of(&region::PREVIEW_TARGET_REGIONS);
    let mut ws = workspace(500.0, &targets);
    ws.galleries[0].definitions[0].versions[0].replication_mode = ReplicationMode::Shallow;
    let secs = settle(&mut ws);
    assert!(secs <= 60.0, "{secs} s");
    assert_eq!(
        version(&ws, "1.0.0").aggregate_state(),
        AggregateState::Completed
    );
}

fn update(ws: &mut Workspace, change: impl FnOnce(&mut ImageVersion)) -> Result<Edit, String> {
    let mut v = version(ws, "1.0.0").clone();
    change(&mut v);
    Edit::UpdateVersion {
        gallery: G.into(),
        definition: D.into(),
        name: "1.0.0".into(),
        version: v,
    }
    .apply(ws)
    .map_err(|e| e.to_string())
}

#[test]
fn replica_counts_added_locally_and_removed_at_once() {
    let east = r("eastus");
    let mut ws = workspace(30.0, &[east]);
    let mut engine = Engine::new();
    run_until_settled(&mut engine, &mut ws);
    // Raise East US to 3 replicas: two local copies, much faster than the first copy.
    update(&mut ws, |v| v.target_regions[1].replicas = Some(3)).unwrap();
    assert!(replication::has_work(&ws));
    let report = engine.step(&mut ws, STEP);
    assert_eq!(report.started, 1);
    let status = &version(&ws, "1.0.0").target(east).unwrap().status;
    assert_eq!(status.state, RegionState::Replicating);
    assert_eq!(status.replicas_ready, Some(1));
    assert!(status.progress >= 33, "{status:?}");
    let secs = run_until_settled(&mut engine, &mut ws);
    assert!(secs < 10.0 * 60.0, "local copies took {secs} s");
    assert_eq!(state(&ws, "1.0.0", east), RegionState::Completed);
    // Lower it to 1: the extra replicas go at once, no job.
    update(&mut ws, |v| v.target_regions[1].replicas = Some(1)).unwrap();
    let report = engine.step(&mut ws, STEP);
    assert_eq!(report.trimmed, 1);
    assert!(!report.is_running());
    let status = &version(&ws, "1.0.0").target(east).unwrap().status;
    assert_eq!(status.state, RegionState::Completed);
    assert_eq!(status.replicas_ready, None);
}

#[test]
fn an_added_region_starts_a_job_and_a_removed_one_has_none() {
    let (east, west) = (r("eastus"), r("westeurope"));
    let mut ws = workspace(30.0, &[east]);
    let mut engine = Engine::new();
    run_until_settled(&mut engine, &mut ws);
    update(&mut ws, |v| v.target_regions.push(TargetRegion::new(west))).unwrap();
    engine.step(&mut ws, STEP);
    assert_eq!(state(&ws, "1.0.0", west), RegionState::Queued);
    assert_eq!(state(&ws, "1.0.0", east), RegionState::Completed);
    engine.advance(&mut ws, 600.0, STEP);
    update(&mut ws, |v| v.target_regions.retain(|t| t.region != west)).unwrap();
    let report = engine.step(&mut ws, STEP);
    assert!(!report.is_running());
    assert!(version(&ws, "1.0.0").target(west).is_none());
}

#[test]
fn removing_a_replicated_region_is_refused_while_the_version_blocks_it() {
    let (east, west) = (r("eastus"), r("westeurope"));
    let mut ws = workspace(30.0, &[east, west]);
    update(&mut ws, |v| {
        v.allow_deletion_of_replicated_locations = false
    })
    .unwrap();
    let mut engine = Engine::new();
    // Not yet replicating: removal is allowed.
    engine.step(&mut ws, STEP);
    assert_eq!(state(&ws, "1.0.0", west), RegionState::Queued);
    let mut copy = ws.clone();
    update(&mut copy, |v| v.target_regions.retain(|t| t.region != west)).unwrap();
    // Replicating or completed: refused, and the job keeps running.
    engine.advance(&mut ws, 600.0, STEP);
    assert_eq!(state(&ws, "1.0.0", west), RegionState::Replicating);
    let err = update(&mut ws, |v| v.target_regions.retain(|t| t.region != west)).unwrap_err();
    assert!(
        err.contains("Removing the replicated region West Europe is not allowed"),
        "{err}"
    );
    run_until_settled(&mut engine, &mut ws);
    let err = update(&mut ws, |v| v.target_regions.retain(|t| t.region != east)).unwrap_err();
    assert!(err.contains("East US"), "{err}");
}

#[test]
fn deleting_a_version_ends_its_jobs() {
    let mut ws = workspace(30.0, &[r("eastus")]);
    let mut engine = Engine::new();
    engine.advance(&mut ws, 300.0, STEP);
    assert!(replication::has_work(&ws));
    Edit::DeleteVersion {
        gallery: G.into(),
        definition: D.into(),
        name: "1.0.0".into(),
    }
    .apply(&mut ws)
    .unwrap();
    assert!(!replication::has_work(&ws));
    assert!(!engine.step(&mut ws, STEP).changed);
}

#[test]
fn resume_after_save_and_load_ends_like_an_uninterrupted_run() {
    let targets = region::regions_of(&region::PREVIEW_TARGET_REGIONS[..5]);
    let mut uninterrupted = workspace(30.0, &targets);
    uninterrupted.settings.time_model.failure_rate = 0.3;
    uninterrupted.simulation.seed = 11;
    let mut resumed = uninterrupted.clone();

    let mut engine = Engine::new();
    for _ in 0..400 {
        engine.step(&mut uninterrupted, STEP);
    }

    let mut engine = Engine::new();
    for _ in 0..150 {
        engine.step(&mut resumed, STEP);
    }
    let text = to_ron_string(&resumed);
    assert!(text.contains("copied_gb: "), "progress is saved:\n{text}");
    let mut reopened = from_ron_str(&text).unwrap();
    assert_eq!(reopened, resumed, "the file keeps every bit of state");
    let mut engine = Engine::new();
    for _ in 0..250 {
        engine.step(&mut reopened, STEP);
    }
    assert_eq!(reopened, uninterrupted);
}

#[test]
fn a_file_from_before_the_engine_resumes_from_its_percent() {
    // The sample has regions at 72 %, 41 % and 18 % without the engine's byte counts.
    let mut ws = sig_studio::sample::sample();
    let mut engine = Engine::new();
    engine.step(&mut ws, 1.0);
    let v = ws
        .gallery("contoso_images")
        .unwrap()
        .definition("ubuntu-2204-base")
        .unwrap()
        .version("1.0.12")
        .unwrap();
    let canada = &v.target(r("canadacentral")).unwrap().status;
    assert_eq!(canada.state, RegionState::Replicating);
    assert!((72..=73).contains(&canada.progress), "{canada:?}");
    let mut ws2 = ws.clone();
    let secs = run_until_settled(&mut engine, &mut ws2);
    assert!(secs < 3.0 * 3600.0, "{secs}");
    assert!(!replication::has_work(&ws2));
}

#[test]
fn outage_fails_jobs_then_retry_completes() {
    let (east, west) = (r("eastus"), r("westeurope"));
    let mut ws = workspace(30.0, &[east, west]);
    let mut engine = Engine::new();
    engine.advance(&mut ws, 300.0, STEP);
    assert!(replication::set_outage(&mut ws, east, true));
    assert!(!replication::set_outage(&mut ws, east, true));
    let report = engine.step(&mut ws, STEP);
    assert_eq!(report.failed, 1);
    let status = &version(&ws, "1.0.0").target(east).unwrap().status;
    assert_eq!(status.state, RegionState::Failed);
    assert!(
        status.details.contains("gallery/image/1.0.0")
            && status.details.contains("East US is unavailable"),
        "{}",
        status.details
    );
    assert_eq!(
        version(&ws, "1.0.0").aggregate_state(),
        AggregateState::Failed
    );
    run_until_settled(&mut engine, &mut ws);
    assert_eq!(state(&ws, "1.0.0", west), RegionState::Completed);
    assert_eq!(state(&ws, "1.0.0", east), RegionState::Failed);
    // Retrying during the outage fails again; after it, the copy completes.
    assert_eq!(
        replication::retry(&mut ws, &path("1.0.0"), Some(east)),
        Ok(1)
    );
    engine.step(&mut ws, STEP);
    assert_eq!(state(&ws, "1.0.0", east), RegionState::Failed);
    replication::set_outage(&mut ws, east, false);
    assert_eq!(replication::retry(&mut ws, &path("1.0.0"), None), Ok(1));
    assert_eq!(state(&ws, "1.0.0", east), RegionState::Queued);
    run_until_settled(&mut engine, &mut ws);
    assert_eq!(
        version(&ws, "1.0.0").aggregate_state(),
        AggregateState::Completed
    );
    let err = replication::retry(&mut ws, &path("1.0.0"), Some(east)).unwrap_err();
    assert!(err.message.contains("nothing to retry"), "{err}");
}

#[test]
fn an_outage_of_the_source_region_fails_first_copies() {
    let east = r("eastus");
    let mut ws = workspace(30.0, &[east]);
    replication::set_outage(&mut ws, source(), true);
    let mut engine = Engine::new();
    engine.step(&mut ws, STEP);
    let status = &version(&ws, "1.0.0").target(east).unwrap().status;
    assert_eq!(status.state, RegionState::Failed);
    assert!(
        status
            .details
            .contains("the source region West Central US is unavailable"),
        "{}",
        status.details
    );
}

#[test]
fn cancel_leaves_a_failed_region_that_retry_restarts() {
    let east = r("eastus");
    let mut ws = workspace(30.0, &[east]);
    let mut engine = Engine::new();
    engine.advance(&mut ws, 600.0, STEP);
    replication::cancel(&mut ws, &path("1.0.0"), east).unwrap();
    let status = &version(&ws, "1.0.0").target(east).unwrap().status;
    assert_eq!(status.state, RegionState::Failed);
    assert!(
        status.details.contains("cancelled by the user"),
        "{}",
        status.details
    );
    // A cancelled job stays cancelled.
    engine.advance(&mut ws, 3600.0, STEP);
    assert_eq!(state(&ws, "1.0.0", east), RegionState::Failed);
    // Nothing to cancel on a completed region.
    let err = replication::cancel(&mut ws, &path("1.0.0"), source()).unwrap_err();
    assert!(err.message.contains("no job to cancel"), "{err}");
    replication::retry(&mut ws, &path("1.0.0"), Some(east)).unwrap();
    let secs = run_until_settled(&mut engine, &mut ws);
    assert!(secs > 15.0 * 60.0, "a retry copies from scratch: {secs} s");
    assert_eq!(state(&ws, "1.0.0", east), RegionState::Completed);
}

#[test]
fn failure_rate_is_reproducible_with_a_seed() {
    let targets = region::regions_of(&region::PREVIEW_TARGET_REGIONS);
    let mut a = workspace(30.0, &targets);
    a.settings.time_model.failure_rate = 0.4;
    a.simulation.seed = 1234;
    let mut b = a.clone();
    settle(&mut a);
    // Different step sizes, same failures: draws depend on seed, version, region and attempt.
    let mut engine = Engine::new();
    while engine.step(&mut b, 7.0).is_running() {}
    let failed = |ws: &Workspace| -> Vec<Region> {
        version(ws, "1.0.0")
            .target_regions
            .iter()
            .filter(|t| t.status.state == RegionState::Failed)
            .map(|t| t.region)
            .collect()
    };
    assert!(!failed(&a).is_empty(), "a 40 % rate fails some of 14");
    assert!(failed(&a).len() < 14);
    assert_eq!(failed(&a), failed(&b));
    let details = &version(&a, "1.0.0")
        .target(failed(&a)[0])
        .unwrap()
        .status
        .details;
    assert!(
        details.contains("simulated failure, attempt 1"),
        "{details}"
    );
    // Another seed fails other regions.
    let mut c = workspace(30.0, &targets);
    c.settings.time_model.failure_rate = 0.4;
    c.simulation.seed = 99;
    settle(&mut c);
    assert_ne!(failed(&a), failed(&c));
}

#[test]
fn same_seed_and_steps_give_identical_workspaces() {
    let targets = region::regions_of(&region::PREVIEW_TARGET_REGIONS);
    let mut a = workspace(30.0, &targets);
    a.settings.time_model.failure_rate = 0.25;
    a.simulation.seed = 7;
    let mut b = a.clone();
    let (mut ea, mut eb) = (Engine::new(), Engine::new());
    for i in 0..500 {
        let dt = 5.0 + f64::from(i % 7);
        assert_eq!(ea.step(&mut a, dt), eb.step(&mut b, dt));
    }
    assert_eq!(a, b);
    assert_eq!(to_ron_string(&a), to_ron_string(&b));
}

#[test]
fn time_remaining_counts_down() {
    let east = r("eastus");
    let mut ws = workspace(30.0, &[east]);
    let mut engine = Engine::new();
    engine.refresh(&ws);
    let v = version(&ws, "1.0.0").clone();
    let before = engine
        .remaining_secs(&ws, &v, v.target(east).unwrap())
        .unwrap();
    assert!((1100.0..1400.0).contains(&before), "{before}");
    engine.advance(&mut ws, 600.0, STEP);
    let v = version(&ws, "1.0.0").clone();
    let left = engine
        .remaining_secs(&ws, &v, v.target(east).unwrap())
        .unwrap();
    assert!((before - 650.0..before - 550.0).contains(&left), "{left}");
    let rows = replication::jobs(&ws, &engine);
    assert!(
        rows.iter()
            .any(|row| row.region == east && row.remaining_secs == Some(left))
    );
    run_until_settled(&mut engine, &mut ws);
    let v = version(&ws, "1.0.0").clone();
    assert_eq!(
        engine.remaining_secs(&ws, &v, v.target(east).unwrap()),
        None
    );
}

#[test]
fn deploy_is_refused_before_completion_and_allowed_after() {
    use sig_studio::replication::deploy::{DeployKind, check};
    let east = r("eastus");
    let mut ws = workspace(30.0, &[east]);
    let mut engine = Engine::new();
    engine.advance(&mut ws, 600.0, STEP);
    let err = check(&ws, &path("1.0.0"), east, DeployKind::Vms, 10).unwrap_err();
    assert!(
        err.to_string()
            .contains("The gallery image gallery/image/1.0.0 is not available in East US region"),
        "{err}"
    );
    // The definition's latest is not there yet either.
    let definition = ResourcePath::definition(G, D);
    assert!(check(&ws, &definition, east, DeployKind::Vms, 10).is_err());
    run_until_settled(&mut engine, &mut ws);
    let plan = check(&ws, &path("1.0.0"), east, DeployKind::Vms, 10).unwrap();
    assert_eq!((plan.replicas, plan.load_per_replica), (1, 10.0));
    let plan = check(&ws, &definition, east, DeployKind::Vms, 10).unwrap();
    assert_eq!(plan.version, path("1.0.0"));
}

#[test]
fn latest_follows_replication_region_by_region() {
    use sig_studio::model::latest::latest;
    let (east, west) = (r("eastus"), r("westeurope"));
    let mut ws = workspace(30.0, &[east, west]);
    let mut engine = Engine::new();
    run_until_settled(&mut engine, &mut ws);
    // A newer version, 1.0.10, replicating: latest stays 1.0.0 until it completes there.
    let mut newer = version(&ws, "1.0.0").clone();
    newer.name = "1.0.10".into();
    for t in &mut newer.target_regions {
        t.status = Default::default();
    }
    let mut older = newer.clone();
    older.name = "1.0.9".into();
    for v in [newer, older] {
        Edit::AddVersion {
            gallery: G.into(),
            definition: D.into(),
            index: None,
            version: v,
        }
        .apply(&mut ws)
        .unwrap();
    }
    let def = |ws: &Workspace| ws.gallery(G).unwrap().definition(D).unwrap().clone();
    assert_eq!(latest(&def(&ws), Some(east)).unwrap().name, "1.0.0");
    assert_eq!(latest(&def(&ws), None).unwrap().name, "1.0.10");
    // Cancel 1.0.10 in West Europe; everything else completes.
    engine.step(&mut ws, STEP);
    replication::cancel(&mut ws, &path("1.0.10"), west).unwrap();
    run_until_settled(&mut engine, &mut ws);
    assert_eq!(latest(&def(&ws), Some(east)).unwrap().name, "1.0.10");
    assert_eq!(latest(&def(&ws), Some(west)).unwrap().name, "1.0.9");
    // Excluded in East US by its own flag: 1.0.9 is latest there.
    update_named(&mut ws, "1.0.10", |v| {
        v.target_regions[1].exclude_from_latest = Some(true);
    });
    assert_eq!(latest(&def(&ws), Some(east)).unwrap().name, "1.0.9");
}

fn update_named(ws: &mut Workspace, name: &str, change: impl FnOnce(&mut ImageVersion)) {
    let mut v = version(ws, name).clone();
    change(&mut v);
    Edit::UpdateVersion {
        gallery: G.into(),
        definition: D.into(),
        name: name.into(),
        version: v,
    }
    .apply(ws)
    .unwrap();
}

/// The subcommands, through their argument parsing and `cli::run` (the binary's `main` only
/// adds the exit); output texts come from the same render functions the subcommands print.
mod cli {
    use super::*;
    use clap::Parser;
    use sig_studio::cli::{self, Cli, simulate};

    fn run(args: &[&str]) -> u8 {
        let cli =
            Cli::try_parse_from(std::iter::once("sig-studio").chain(args.iter().copied())).unwrap();
        cli::run(cli.command.unwrap())
    }

    fn temp(name: &str) -> String {
        let dir =
            std::env::temp_dir().join(format!("sig-studio-replication-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name).to_string_lossy().into_owned()
    }

    #[test]
    fn simulate_runs_until_settled_and_writes_the_result() {
        let (file, out) = (temp("simulate.ron"), temp("simulated.ron"));
        sig_studio::workspace::save(file.as_ref(), &workspace(30.0, &[r("eastus")])).unwrap();
        assert_eq!(
            run(&["simulate", "--until-settled", "--write", &out, &file]),
            0
        );
        let written = sig_studio::workspace::load(out.as_ref()).unwrap();
        assert!(!replication::has_work(&written));
        let east = &version(&written, "1.0.0")
            .target(r("eastus"))
            .unwrap()
            .status;
        assert_eq!(east.state, RegionState::Completed);
        assert!(
            (18.0 * 60.0..23.0 * 60.0).contains(&east.elapsed_secs),
            "{east:?}"
        );
        assert!(written.simulation.clock_secs >= east.elapsed_secs);
    }

    #[test]
    fn simulate_exits_3_when_an_outage_fails_a_region() {
        let file = temp("outage.ron");
        sig_studio::workspace::save(file.as_ref(), &workspace(30.0, &[r("eastus")])).unwrap();
        assert_eq!(run(&["simulate", "--outage", "East US", &file]), 3);
        assert!(
            Cli::try_parse_from(["sig-studio", "simulate", "--outage", "Atlantis", &file]).is_err()
        );
        assert!(Cli::try_parse_from(["sig-studio", "simulate", "--for", "soon", &file]).is_err());
    }

    #[test]
    fn simulate_prints_state_and_duration_per_region() {
        let east = r("eastus");
        let mut ws = workspace(30.0, &[east]);
        let options = simulate::Options {
            for_secs: Some(600.0),
            ..Default::default()
        };
        let outcome = simulate::simulate(&mut ws, &options);
        assert_eq!((outcome.running, outcome.exit_code()), (1, 1));
        assert_eq!(outcome.secs, 600.0);
        let outcome = simulate::simulate(&mut ws, &simulate::Options::default());
        assert_eq!(outcome.exit_code(), 0);
        let text = simulate::render(&ws, &[("gallery/image/1.0.0".into(), east)], &outcome);
        assert!(text.contains("gallery/image/1.0.0: Completed"), "{text}");
        assert!(
            text.lines().any(|l| l.contains("East US")
                && l.contains("Completed")
                && l.contains("took 21 min")),
            "{text}"
        );
        assert_eq!(simulate::parse_duration("90m"), Ok(5400.0));
        assert_eq!(simulate::parse_duration("2h"), Ok(7200.0));
    }

    #[test]
    fn deploy_answers_allowed_refused_and_unreadable() {
        let file = temp("deploy.ron");
        std::fs::write(&file, sig_studio::sample::SAMPLE_RON).unwrap();
        let version = "contoso_images/win2022-datacenter/2026.9.0";
        assert_eq!(
            run(&[
                "deploy", &file, version, "--region", "eastus", "--vms", "90"
            ]),
            0
        );
        let definition = "contoso_images/ubuntu-2204-base";
        let refused = [
            "deploy",
            &file,
            definition,
            "--region",
            "West Europe",
            "--scale-sets",
            "2",
        ];
        assert_eq!(run(&refused), 1);
        let missing = [
            "deploy",
            &file,
            "contoso_images/nope",
            "--region",
            "eastus",
            "--vms",
            "1",
        ];
        assert_eq!(run(&missing), 2);
        assert_eq!(
            run(&[
                "deploy", &file, definition, "--region", "mars", "--vms", "1"
            ]),
            2
        );
        assert_eq!(
            run(&[
                "deploy",
                "/nonexistent.ron",
                definition,
                "--region",
                "eastus",
                "--vms",
                "1"
            ]),
            2
        );
        assert!(
            Cli::try_parse_from([
                "sig-studio",
                "deploy",
                &file,
                definition,
                "--region",
                "eastus"
            ])
            .is_err()
        );
        // The printed answer.
        let ws = sig_studio::sample::sample();
        let plan = sig_studio::replication::deploy::check(
            &ws,
            &ResourcePath::parse(version).unwrap(),
            r("eastus"),
            sig_studio::replication::deploy::DeployKind::Vms,
            90,
        )
        .unwrap();
        let text = cli::deploy::render(&plan);
        assert!(text.starts_with("allowed: 90 VMs from contoso_images/win2022-datacenter/2026.9.0 in East US (3 replicas, 30.0 VMs per replica)"), "{text}");
        assert!(text.contains("warning: 90 VMs"), "{text}");
    }
}
