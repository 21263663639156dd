//! The replication simulation: a deterministic, event-driven engine advanced by a clock it is
//! given.
//!
//! There is no job table: a job is a target region whose status says work is left, so the
//! jobs follow the workspace by themselves. A region in state Unknown (a new version, an added
//! region, a duplicated version) starts a job; a Completed region whose replica count was raised
//! adds local copies, and one whose count was lowered drops replicas at once; a removed region
//! or a deleted version simply has no job any more. A version or region with validation errors
//! (what the service would refuse) is not created: its regions wait, marked [`NOT_CREATED`],
//! until the errors are fixed. The time model is documented in
//! `docs/replication.md`; all state lives in the workspace, so saving mid-replication and
//! reopening continues from the progress.
//!
//! Threads only drive time (the app's clock thread); tests advance time directly.

mod control;
pub mod deploy;
mod engine;
mod rng;
mod speed;
pub use control::{cancel, retry, set_outage};
pub use engine::{
    Blocked, Engine, JobCounts, JobKey, JobRow, NOT_CREATED, StepReport, has_work, jobs,
};
pub use speed::Speed;

use crate::model::{ManagedImage, Region};

/// Where copies made from a managed image come from, and how many GB each copies.
pub fn source_of(image: &ManagedImage) -> (Region, f64) {
    (image.region, image.occupied_gb.max(0.0))
}

/// Formats a duration for people: `45 s`, `12 min`, `2 h 05 min`, `3 d 04 h`.
pub fn format_duration(secs: f64) -> String {
    if !secs.is_finite() || secs < 0.0 {
        return "unknown".to_owned();
    }
    let secs = secs.round() as u64;
    if secs < 60 {
        format!("{secs} s")
    } else if secs < 3600 {
        format!("{} min", secs.div_ceil(60))
    } else if secs < 86_400 {
        let minutes = secs.div_ceil(60);
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    } else {
        let hours = secs.div_ceil(3600);
        format!("{} d {:02} h", hours / 24, hours % 24)
    }
}

#[cfg(test)]
mod tests {
    use super::format_duration;

    #[test]
    fn durations_for_people() {
        assert_eq!(format_duration(44.6), "45 s");
        assert_eq!(format_duration(61.0), "2 min");
        assert_eq!(format_duration(1200.0), "20 min");
        assert_eq!(format_duration(7500.0), "2 h 05 min");
        assert_eq!(format_duration(86_400.0), "1 d 00 h");
        assert_eq!(format_duration(30.0 * 86_400.0 + 3601.0), "30 d 02 h");
        assert_eq!(format_duration(f64::NAN), "unknown");
    }
}
