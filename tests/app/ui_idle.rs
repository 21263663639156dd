//! Idle means no repaints (issue 23, items 9 and 10): what the app asks of egui's repaint
//! scheduler once a recovery copy is current, and while the replication clock runs. The CPU
//! this saves is measured in a real window by `benches/idle.sh`.

use std::time::Duration;

use crate::common::{self, H, Setup, shortcut, tempdir, type_into};
use egui::{Key, Modifiers, ViewportId};
use sig_studio::sample::sample;
use sig_studio::ui::tasks::simulation::PROGRESS_FRAME_INTERVAL;
use sig_studio::workspace::recovery;

/// How soon after the last frame the app asked for the next one (`Duration::MAX`: never).
fn repaint_delay(h: &H) -> Duration {
    h.output()
        .viewport_output
        .get(&ViewportId::ROOT)
        .map_or(Duration::ZERO, |out| out.repaint_delay)
}

/// Adds a gallery through its dialog, as a user would (Ctrl+Shift+N with nothing selected).
fn add_gallery(h: &mut H, name: &str) {
    shortcut(h, Modifiers::COMMAND | Modifiers::SHIFT, Key::N);
    type_into(h, "Gallery name", name);
    h.key_press(Key::Enter);
    h.run_steps(4);
    assert!(h.state().doc.ws().gallery(name).is_some(), "{name} added");
}

/// The workspace in the recovery copy.
fn copy(data: &std::path::Path) -> sig_studio::model::Workspace {
    let copy = recovery::find(data).expect("a recovery copy");
    recovery::load(&copy).expect("the copy loads")
}

/// Issue 23, item 9: once the copy of the unsaved changes is written, the recovery timer asked
/// for a repaint after zero seconds at every frame, and the window redrew without pause until
/// Save. Now it asks for nothing until the next change, and still writes that one.
#[test]
fn no_repaint_is_asked_once_the_recovery_copy_is_current() {
    let dir = tempdir("idle-recovery");
    let data = sig_studio::ui::tasks::files::AppDirs::under(&dir).data;
    let mut h = Setup {
        dirs: Some(dir),
        ..Setup::new(sample())
    }
    .build();
    let interval = Duration::from_millis(30);
    h.state_mut().set_recovery_interval(interval);
    add_gallery(&mut h, "bench");
    assert!(h.state().doc.is_dirty());
    // The first change starts the clock; the copy is written one interval later.
    let waited = repaint_delay(&h);
    assert!(waited <= interval, "the copy is due in {waited:?}");
    std::thread::sleep(interval * 2);
    h.step();
    h.state().wait_for_file_work();
    assert!(copy(&data).gallery("bench").is_some());
    // Well past the interval, with the copy current: nothing to do, no frame wanted.
    for _ in 0..3 {
        std::thread::sleep(interval * 2);
        h.step();
        let delay = repaint_delay(&h);
        assert_eq!(
            delay,
            Duration::MAX,
            "a repaint after {delay:?}: {:?}",
            h.ctx.repaint_causes()
        );
    }
    // The next change (a definition in the new gallery, which is selected) is copied too: at
    // once, as the last copy is more than an interval old.
    shortcut(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::N);
    for (field, text) in [
        ("Definition name", "base"),
        ("Publisher", "Contoso"),
        ("Offer", "Ubuntu"),
        ("SKU", "24.04"),
    ] {
        type_into(&mut h, field, text);
    }
    common::click(&mut h, "Create image definition");
    h.state().wait_for_file_work();
    let bench = copy(&data).gallery("bench").cloned().expect("bench");
    assert!(bench.definition("base").is_some());
    h.step();
    assert_eq!(repaint_delay(&h), Duration::MAX);
}

/// Issue 23, item 10: the clock thread woke the window at each of its ticks (ten a second,
/// two frames each) while copies replicated. Now progress is drawn at most twice a second,
/// with every tick that came meanwhile, and nothing is asked once replication settles.
#[test]
fn replication_progress_is_drawn_at_most_twice_a_second() {
    let mut h = common::harness_with(sample());
    h.state_mut().enable_simulation_clock();
    h.step();
    assert!(
        sig_studio::replication::has_work(h.state().doc.ws()),
        "the sample has copies to make"
    );
    assert_eq!(repaint_delay(&h), PROGRESS_FRAME_INTERVAL);
    std::thread::sleep(Duration::from_millis(150));
    // The first progress marks the work unsaved: the title changes, which asks for a frame.
    h.run_steps(3);
    let before = h.state().doc.generation();
    // Several of the clock's ticks (100 ms apart) come in before the next frame.
    std::thread::sleep(Duration::from_millis(350));
    h.step();
    assert!(
        h.state().doc.generation() > before,
        "the frame took the clock's ticks"
    );
    let delay = repaint_delay(&h);
    assert_eq!(
        delay,
        PROGRESS_FRAME_INTERVAL,
        "the next progress frame: {:?}",
        h.ctx.repaint_causes()
    );
    // Settled: no frame is wanted.
    let report = h.state_mut().advance_simulation(30.0 * 24.0 * 3600.0);
    assert!(!report.is_running());
    h.run_steps(3);
    assert_eq!(repaint_delay(&h), Duration::MAX);
}
