//! The one place that reads the wall clock. The core never does: the app and the command line
//! read "now" and "today" here and hand them down. `clippy.toml` refuses every other reader.

use std::time::{Instant, SystemTime};

use crate::model::Date;

/// Today's date in the local time zone.
#[expect(clippy::disallowed_methods, reason = "the one reader of the calendar")]
pub fn today() -> Date {
    jiff::Zoned::now().date()
}

/// The monotonic clock, for timers, notices and the simulation's clock thread.
#[expect(
    clippy::disallowed_methods,
    reason = "the one reader of the monotonic clock"
)]
pub fn now() -> Instant {
    Instant::now()
}

/// The wall clock, for file ages.
#[expect(
    clippy::disallowed_methods,
    reason = "the one reader of the wall clock"
)]
pub fn system_now() -> SystemTime {
    SystemTime::now()
}

/// The wall clock as a timestamp, for what the core records with a time (when Azure was read)
/// and for token expiry.
#[expect(
    clippy::disallowed_methods,
    reason = "the one reader of the wall clock"
)]
pub fn timestamp() -> jiff::Timestamp {
    jiff::Timestamp::now()
}
