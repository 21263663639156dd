//! A logger for tests: each test thread sees the records logged on it, so tests running side by
//! side in one process never see each other's.

use std::cell::RefCell;

/// One record: its level and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logged {
    pub level: log::Level,
    pub target: String,
    pub text: String,
}

thread_local! {
    static RECORDS: RefCell<Vec<Logged>> = const { RefCell::new(Vec::new()) };
}

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        RECORDS.with(|records| {
            records.borrow_mut().push(Logged {
                level: record.level(),
                target: record.target().to_owned(),
                text: record.args().to_string(),
            });
        });
    }

    fn flush(&self) {}
}

static CAPTURE: Capture = Capture;

/// Runs `f` and returns what it logged on this thread.
pub fn logged<R>(f: impl FnOnce() -> R) -> (R, Vec<Logged>) {
    // The first test to ask installs the logger; for the others it is there already.
    if log::set_logger(&CAPTURE).is_ok() {
        log::set_max_level(log::LevelFilter::Trace);
    }
    RECORDS.with(|records| records.borrow_mut().clear());
    let result = f();
    (result, RECORDS.with(|records| records.take()))
}
