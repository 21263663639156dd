//! CPU time of one frame of the real app UI, headless (egui_kittest, no rendering), with the
//! whole tree expanded: 10,000 and 100,000 versions, idle and while scrolling; and 10,000
//! versions while 10,000 replication jobs run (the simulation stepped every frame, the activity
//! panel open); and the access matrix over 10,000 versions and 1,000 principals.
//! Run: `cargo bench --bench frame`.

#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock to time what it measures"
)]

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use sig_studio::model::ResourcePath;
use sig_studio::sample::{synthetic, with_access};
use sig_studio::ui::dialogs::matrix::MatrixView;
use sig_studio::ui::{Prefs, SigStudioApp, Startup, screenshot};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// 10,000 versions with 10,000 replication jobs started (regions reset to Unknown), the
/// activity panel open; each frame first applies one clock tick at 3600× (360 simulated
/// seconds: the clock ticks every 100 ms), as the app does when a tick arrives.
fn while_replicating() {
    let mut harness = replicating_harness();
    let mut samples = Vec::with_capacity(200);
    let mut step_samples = Vec::with_capacity(200);
    for _ in 0..200 {
        let start = Instant::now();
        harness.state_mut().advance_simulation(TICK_SECS);
        step_samples.push(start.elapsed());
        harness.step();
        samples.push(start.elapsed());
    }
    let worst = samples.iter().max().copied().unwrap_or_default();
    println!();
    println!(
        "| jobs | clock tick at 3600×: engine work (median / worst) | frame with the tick, activity panel open (median / worst) |"
    );
    println!("|---:|---:|---:|");
    let step_worst = step_samples.iter().max().copied().unwrap_or_default();
    println!(
        "| {JOBS} | {:.3} ms / {:.3} ms | {:.2} ms / {:.2} ms |",
        median(step_samples).as_secs_f64() * 1e3,
        step_worst.as_secs_f64() * 1e3,
        median(samples).as_secs_f64() * 1e3,
        worst.as_secs_f64() * 1e3
    );
}

/// Simulated seconds of one clock tick at 3600× (the clock ticks every 100 ms).
const TICK_SECS: f64 = 360.0;
/// Replication jobs started in the replicating measure.
const JOBS: usize = 10_000;

/// The app over 10,000 versions with [`JOBS`] replication jobs started, the activity panel
/// open, settled.
fn replicating_harness() -> Harness<'static, SigStudioApp> {
    let mut ws = synthetic(10_000);
    let mut jobs = 0;
    'versions: for gallery in &mut ws.galleries {
        for definition in &mut gallery.definitions {
            for version in &mut definition.versions {
                for target in &mut version.target_regions {
                    if jobs == JOBS {
                        break 'versions;
                    }
                    target.status = Default::default();
                    jobs += 1;
                }
            }
        }
    }
    let selected = ws
        .versions()
        .next()
        .map(|(g, d, v)| ResourcePath::version(&g.name, &d.name, &v.name));
    let prefs = Prefs {
        show_activity: true,
        ..Prefs::default()
    };
    let mut app = SigStudioApp::new(
        Startup::Workspace(ws, None),
        None,
        prefs,
        sig_studio::today(),
    )
    .without_native_dialogs();
    app.expand_all();
    if let Some(path) = selected {
        app.select_path(path);
    }
    let mut harness = screenshot::harness(app, 1.0);
    harness.run_steps(3);
    harness
}

/// The access matrix (1,000 principals × 10,010 galleries, definitions and versions, 5,000
/// grants) open over the app: its first frame (effective access computed), then idle frames and
/// frames scrolling it down and across.
fn access_matrix() {
    let (mut harness, first) = matrix_harness();
    let centre = harness.ctx.content_rect().center();
    let (idle, _) = measure(&mut harness, centre, 200, None);
    let (scrolling, worst) = measure(&mut harness, centre, 300, Some(MATRIX_SCROLL));
    let cells = drawn_cells(harness.state());
    println!();
    println!(
        "| access matrix | cells laid out | slowest frame while opening (access computed) | idle frame (median) | scrolling frame (median / worst) |"
    );
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| 1,000 principals × 10,010 resources, 5,000 grants | {cells} | {:.0} ms | {:.2} ms | {:.2} ms / {:.2} ms |",
        first.as_secs_f64() * 1e3,
        idle.as_secs_f64() * 1e3,
        scrolling.as_secs_f64() * 1e3,
        worst.as_secs_f64() * 1e3
    );
}

/// How far the wheel turns before each frame scrolling the access matrix.
const MATRIX_SCROLL: egui::Vec2 = egui::vec2(200.0, 400.0);

/// The app with the access matrix open and settled, and the slowest of its opening frames.
fn matrix_harness() -> (Harness<'static, SigStudioApp>, Duration) {
    let mut ws = synthetic(10_000);
    with_access(&mut ws, 1_000, 5_000);
    let app = SigStudioApp::new(
        Startup::Workspace(ws, None),
        None,
        Prefs::default(),
        sig_studio::today(),
    )
    .without_native_dialogs();
    let mut harness = screenshot::harness(app, 1.0);
    harness.run_steps(3);
    harness
        .state_mut()
        .open_dialog(sig_studio::ui::DialogRequest::AccessMatrix(()));
    // Opening: frames until the first cells are on screen (the dialog sizes itself first); the
    // slowest of them is the one that computes everyone's effective access.
    let mut first = Duration::ZERO;
    for _ in 0..30 {
        let start = Instant::now();
        harness.step();
        first = first.max(start.elapsed());
        if drawn_cells(harness.state()) > 0 {
            break;
        }
    }
    harness.run_steps(20);
    (harness, first)
}

/// Median and worst frame with the pointer at `at`; with `scroll`, the wheel turns by that much
/// before every frame, reversing every 50 frames.
fn measure(
    harness: &mut Harness<'_, SigStudioApp>,
    at: egui::Pos2,
    frames: usize,
    scroll: Option<egui::Vec2>,
) -> (Duration, Duration) {
    harness.hover_at(at);
    let mut samples = Vec::with_capacity(frames);
    for i in 0..frames {
        if let Some(delta) = scroll {
            wheel(harness, delta, i);
        }
        let start = Instant::now();
        harness.step();
        samples.push(start.elapsed());
    }
    let worst = samples.iter().max().copied().unwrap_or_default();
    (median(samples), worst)
}

fn main() {
    let only = std::env::var("FRAME_BENCH").unwrap_or_default();
    // `FRAME_BENCH=replicating` runs only the replication measure.
    if only == "replicating" {
        while_replicating();
        return;
    }
    if let Some(scenario) = only.strip_prefix("count:") {
        count(scenario);
        return;
    }
    println!(
        "| versions | rows in tree | idle frame (median) | scrolling frame (median / worst) | first frame after expanding |"
    );
    println!("|---:|---:|---:|---:|---:|");
    for versions in [10_000, 100_000] {
        let (mut harness, first) = tree_harness(versions);
        let (idle, _) = measure(&mut harness, TREE, 200, None);
        let (scrolling, worst) = measure(&mut harness, TREE, 300, Some(TREE_SCROLL));
        let rows = versions + versions / 200 + versions / 10_000 + 4;
        println!(
            "| {versions} | ~{rows} | {:.2} ms | {:.2} ms / {:.2} ms | {:.0} ms |",
            idle.as_secs_f64() * 1e3,
            scrolling.as_secs_f64() * 1e3,
            worst.as_secs_f64() * 1e3,
            first.as_secs_f64() * 1e3
        );
    }
    while_replicating();
    access_matrix();
}

/// Cells the open access matrix laid out in its last frame (0 when it is not open).
fn drawn_cells(app: &SigStudioApp) -> usize {
    app.dialog()
        .and_then(|d| d.downcast_ref::<MatrixView>())
        .map_or(0, |view| view.drawn_cells)
}

/// Over the tree panel, where the wheel scrolls.
const TREE: egui::Pos2 = egui::pos2(150.0, 400.0);
/// How far the wheel turns before each frame scrolling the tree.
const TREE_SCROLL: egui::Vec2 = egui::vec2(0.0, 400.0);

/// The app over `versions` versions, the whole tree expanded, the middle version selected,
/// settled; and how long its first frame took.
fn tree_harness(versions: usize) -> (Harness<'static, SigStudioApp>, Duration) {
    let ws = synthetic(versions);
    let selected = ws
        .versions()
        .nth(versions / 2)
        .map(|(g, d, v)| ResourcePath::version(&g.name, &d.name, &v.name));
    let mut app = SigStudioApp::new(
        Startup::Workspace(ws, None),
        None,
        Prefs::default(),
        sig_studio::today(),
    )
    .without_native_dialogs();
    app.expand_all();
    if let Some(path) = selected {
        app.select_path(path);
    }
    let mut harness = screenshot::harness(app, 1.0);
    let start = Instant::now();
    harness.step();
    let first = start.elapsed();
    harness.run_steps(5);
    (harness, first)
}

/// `FRAME_BENCH=count:SCENARIO` sets one scenario up as above, then draws
/// `FRAME_BENCH_FRAMES` frames of it (default 50) in [`counted_frames`], for an instruction
/// counter that wall-clock noise on a busy machine does not disturb:
/// `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*counted_frames*'
/// target/release/deps/frame-… ` (instructions per frame: the total over the frames).
/// Scenarios: tree-10k-idle, tree-10k-scroll, tree-100k-idle, tree-100k-scroll, matrix-idle,
/// matrix-scroll, replicating (each frame with its clock tick, as in the replicating measure).
fn count(scenario: &str) {
    let frames = std::env::var("FRAME_BENCH_FRAMES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    let (mut harness, at, scroll) = match scenario {
        // As the wall-clock measure: the pointer stays off the window.
        "replicating" => (replicating_harness(), None, None),
        "tree-10k-idle" => (tree_harness(10_000).0, Some(TREE), None),
        "tree-10k-scroll" => (tree_harness(10_000).0, Some(TREE), Some(TREE_SCROLL)),
        "tree-100k-idle" => (tree_harness(100_000).0, Some(TREE), None),
        "tree-100k-scroll" => (tree_harness(100_000).0, Some(TREE), Some(TREE_SCROLL)),
        "matrix-idle" | "matrix-scroll" => {
            let mut harness = matrix_harness().0;
            let centre = harness.ctx.content_rect().center();
            let scroll = (scenario == "matrix-scroll").then_some(MATRIX_SCROLL);
            // Settled under the pointer, as the wall-clock measure is.
            harness.hover_at(centre);
            harness.run_steps(5);
            (harness, Some(centre), scroll)
        }
        other => {
            eprintln!("unknown scenario {other:?}: see `count` in benches/frame.rs");
            std::process::exit(2);
        }
    };
    if let Some(at) = at {
        harness.hover_at(at);
    }
    harness.step();
    let tick = scenario == "replicating";
    counted_frames(&mut harness, frames, scroll, tick);
    println!("{scenario}: {frames} frames drawn");
}

/// The frames an instruction counter measures (never inlined, so that callgrind's
/// `--toggle-collect` finds it).
#[inline(never)]
fn counted_frames(
    harness: &mut Harness<'_, SigStudioApp>,
    frames: usize,
    scroll: Option<egui::Vec2>,
    tick: bool,
) {
    for i in 0..frames {
        if let Some(delta) = scroll {
            wheel(harness, delta, i);
        }
        if tick {
            harness.state_mut().advance_simulation(TICK_SECS);
        }
        harness.step();
    }
}

/// The wheel turns by `delta` before frame `i`, reversing every 50 frames.
fn wheel(harness: &mut Harness<'_, SigStudioApp>, delta: egui::Vec2, i: usize) {
    let sign = if (i / 50).is_multiple_of(2) {
        -1.0
    } else {
        1.0
    };
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: delta * sign,
        phase: egui::TouchPhase::Move,
        modifiers: egui::Modifiers::NONE,
        source: egui::MouseWheelSource::Wheel,
    });
}
