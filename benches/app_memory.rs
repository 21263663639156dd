//! Where the app's memory goes with a large workspace open: the heap in use after each stage
//! of opening it in the real app (headless, egui_kittest without rendering), and the peak
//! within the stage, counted by a global allocator. The resident memory of the app in a real
//! window is `benches/idle.sh open=FILE`; this says which stage and which copy it is.
//! Run: `cargo bench --bench app_memory [-- VERSIONS]` (default 100,000).

#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock to time what it measures"
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use sig_studio::model::ResourcePath;
use sig_studio::sample::synthetic;
use sig_studio::ui::{Prefs, SigStudioApp, Startup, screenshot};

/// The system allocator, counting the bytes in use and the most in use since the last reset.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
            grow(new_size);
        }
        p
    }
}

fn grow(size: usize) {
    let now = IN_USE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

/// Runs one stage; prints the heap in use after it and the peak within it.
fn stage<T>(name: &str, f: impl FnOnce() -> T) -> T {
    PEAK.store(IN_USE.load(Ordering::Relaxed), Ordering::Relaxed);
    let start = Instant::now();
    let out = f();
    println!(
        "| {name} | {:.0} MB | {:.0} MB | {:.0} ms |",
        mb(IN_USE.load(Ordering::Relaxed)),
        mb(PEAK.load(Ordering::Relaxed)),
        start.elapsed().as_secs_f64() * 1e3
    );
    out
}

fn main() {
    let versions: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = std::env::temp_dir().join(format!("sig-studio-app-memory-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{versions}.ron"));
    let _ = sig_studio::workspace::save(&path, &synthetic(versions));
    let today = jiff::civil::date(2026, 11, 26);
    println!("{versions} versions, {:.1} MB file", {
        std::fs::metadata(&path).map_or(0.0, |m| m.len() as f64 / 1e6)
    });
    println!("| stage | heap in use after | peak within | time |");
    println!("|---|---:|---:|---:|");
    stage("start", || ());
    let ws = stage("the workspace alone (loaded)", || {
        sig_studio::workspace::load(&path).ok()
    });
    assert_eq!(ws.as_ref().map(|ws| ws.version_count()), Some(versions));
    stage("a copy of it", || drop(ws.clone()));
    stage("dropped", || drop(ws));
    let app = stage("app created: file opened", || {
        SigStudioApp::new(Startup::File(path.clone()), None, Prefs::default(), today)
    });
    let mut h = stage("first frames", || {
        let mut h = screenshot::harness(app, 1.0);
        h.run_steps(3);
        h
    });
    let version = h
        .state()
        .doc
        .ws()
        .versions()
        .last()
        .map(|(g, d, v)| ResourcePath::version(&g.name, &d.name, &v.name));
    stage("a version selected", || {
        if let Some(version) = version {
            h.state_mut().select_path(version);
        }
        h.run_steps(3);
    });
    stage("replication ticks (unsaved changes)", || {
        for _ in 0..5 {
            h.state_mut().advance_simulation(6.0);
            h.step();
        }
    });
    stage("tree expanded", || {
        h.state_mut().expand_all();
        h.run_steps(3);
    });
    stage("a recovery copy written (30 s after a change)", || {
        sig_studio::workspace::recovery::write(&dir, h.state().doc.ws(), None).is_ok()
    });
    drop(h);
    stage("app closed", || ());
    let _ = std::fs::remove_dir_all(&dir);
}
