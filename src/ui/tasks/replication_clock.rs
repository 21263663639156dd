//! The runner: a named background thread that only drives time. It sends "advance simulated
//! time by dt" ticks over a channel at the chosen speed; the UI applies them with the core's
//! `Engine::step` on its own thread, at the frames it draws. The runner does not wake the UI:
//! the app schedules its frames itself, progress at most
//! [`crate::ui::tasks::simulation::PROGRESS_FRAME_INTERVAL`] apart
//! (progress that moves by less than the screen shows needs no frame), and any frame the user's
//! input causes takes the ticks waiting too. It stops when dropped.
//!
//! Idle means no ticks: while paused, or while the app says there is no work
//! ([`Runner::set_has_work`]), the thread sleeps.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::clock;
use crate::replication::Speed;

/// Advance simulated time by this much.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tick {
    pub dt_secs: f64,
}

/// Wall-clock time between ticks while running.
pub const TICK_INTERVAL: Duration = Duration::from_millis(100);

struct Shared {
    speed: AtomicU8,
    has_work: AtomicBool,
    stop: AtomicBool,
}

/// Drives the simulation clock from a named thread; dropping it stops and joins the thread.
pub struct Runner {
    shared: Arc<Shared>,
    ticks: Receiver<Tick>,
    thread: Option<JoinHandle<()>>,
}

impl Runner {
    /// Starts the thread. The runner starts without work: call [`Runner::set_has_work`] when
    /// jobs exist.
    pub fn start(speed: Speed) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            speed: AtomicU8::new(speed.to_u8()),
            has_work: AtomicBool::new(false),
            stop: AtomicBool::new(false),
        });
        // A small queue: when the UI does not drain it, time accumulates in the thread instead.
        let (sender, ticks) = sync_channel(8);
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("sig-studio-replication-clock".to_owned())
            .spawn(move || run(&thread_shared, &sender))?;
        Ok(Self {
            shared,
            ticks,
            thread: Some(thread),
        })
    }

    #[cfg(test)]
    fn speed(&self) -> Speed {
        Speed::from_u8(self.shared.speed.load(Ordering::Relaxed))
    }

    pub fn set_speed(&self, speed: Speed) {
        self.shared.speed.store(speed.to_u8(), Ordering::Relaxed);
        self.unpark();
    }

    /// Tells the runner whether any job runs (see `replication::has_work` and
    /// `StepReport::is_running`); without work it sends no ticks.
    pub fn set_has_work(&self, has_work: bool) {
        let before = self.shared.has_work.swap(has_work, Ordering::Relaxed);
        if has_work && !before {
            self.unpark();
        }
    }

    /// Ticks received so far, without blocking (the app's way).
    pub fn try_ticks(&self) -> impl Iterator<Item = Tick> + '_ {
        self.ticks.try_iter()
    }

    /// Waits up to `timeout` for the next tick (tests).
    #[cfg(test)]
    fn recv_timeout(&self, timeout: Duration) -> Option<Tick> {
        self.ticks.recv_timeout(timeout).ok()
    }

    fn unpark(&self) {
        if let Some(thread) = &self.thread {
            thread.thread().unpark();
        }
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.unpark();
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            log::error!("the replication clock thread panicked");
        }
    }
}

fn run(shared: &Shared, sender: &SyncSender<Tick>) {
    let mut last = clock::now();
    let mut pending_secs = 0.0;
    loop {
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        let speed = Speed::from_u8(shared.speed.load(Ordering::Relaxed));
        if speed == Speed::Paused || !shared.has_work.load(Ordering::Relaxed) {
            std::thread::park();
            last = clock::now();
            continue;
        }
        std::thread::park_timeout(TICK_INTERVAL);
        let now = clock::now();
        let elapsed = now.duration_since(last);
        if elapsed < TICK_INTERVAL {
            continue; // woken early (speed change): keep the regular rhythm
        }
        last = now;
        pending_secs += elapsed.as_secs_f64() * speed.factor();
        match sender.try_send(Tick {
            dt_secs: pending_secs,
        }) {
            Ok(()) => pending_secs = 0.0,
            Err(TrySendError::Full(_)) => {}
            Err(TrySendError::Disconnected(_)) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_flow_only_with_work_and_a_speed_and_stop_on_drop() {
        let runner = Runner::start(Speed::X60).unwrap();
        // No work: no ticks (a real thread, so this waits a little on the channel).
        assert_eq!(runner.recv_timeout(TICK_INTERVAL * 3), None);
        runner.set_has_work(true);
        let mut simulated = 0.0;
        while simulated < 12.0 {
            let Some(tick) = runner.recv_timeout(Duration::from_secs(5)) else {
                panic!("no tick within 5 s");
            };
            assert!(tick.dt_secs > 0.0);
            simulated += tick.dt_secs;
        }
        runner.set_speed(Speed::Paused);
        assert_eq!(runner.speed(), Speed::Paused);
        let name = runner
            .thread
            .as_ref()
            .and_then(|t| t.thread().name().map(str::to_owned));
        assert_eq!(name.as_deref(), Some("sig-studio-replication-clock"));
        // Dropping stops and joins the thread (a hang here would fail the test by timeout).
        drop(runner);
    }
}
