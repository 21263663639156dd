//! Every decimal number a file holds must be finite: `1e309` parses as infinity and `NaN` is
//! valid RON, but neither means anything here, and either would spread through sums and
//! timings (a cost of "inf USD", a simulation that never ends). The engine's own progress
//! figures must also be 0 or more. Other ranges (an occupied size within the disks, prices of 0
//! or more, a failure rate between 0 and 1) are validation problems (`model::validate`), so a
//! file that breaks them still opens for repair.

use super::LoadError;
use crate::model::{ResourcePath, Workspace};

/// A number out of range: where (a resource path and field) and why.
fn bad(at: String, field: &str, value: f64, need: &str) -> LoadError {
    LoadError::Invalid {
        path: None,
        at,
        message: format!("{field} is {value}, but it must be {need}"),
    }
}

fn finite(at: impl Fn() -> String, field: &str, value: f64) -> Result<(), LoadError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(bad(at(), field, value, "a finite number"))
    }
}

fn progress(at: impl Fn() -> String, field: &str, value: f64) -> Result<(), LoadError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(bad(at(), field, value, "a finite number of 0 or more"))
    }
}

/// The first number in `ws` that no workspace may hold, if any.
pub fn check(ws: &Workspace) -> Result<(), LoadError> {
    let settings = || ResourcePath::Settings.to_string();
    let prices = &ws.settings.prices;
    let storage = &prices.storage_usd_per_gb_month;
    for (field, value) in [
        (
            "storage_usd_per_gb_month.standard_lrs",
            storage.standard_lrs,
        ),
        (
            "storage_usd_per_gb_month.standard_zrs",
            storage.standard_zrs,
        ),
        ("storage_usd_per_gb_month.premium_lrs", storage.premium_lrs),
        (
            "transfer_within_continent_usd_per_gb",
            prices.transfer_within_continent_usd_per_gb,
        ),
        (
            "transfer_between_continents_usd_per_gb",
            prices.transfer_between_continents_usd_per_gb,
        ),
    ] {
        finite(settings, &format!("prices.{field}"), value)?;
    }
    for o in &prices.transfer_overrides {
        finite(
            settings,
            &format!("the transfer price from {} to {}", o.from, o.to),
            o.usd_per_gb,
        )?;
    }
    let t = &ws.settings.time_model;
    for (field, value) in [
        ("time_model.queue_secs", t.queue_secs),
        ("time_model.local_mb_per_sec", t.local_mb_per_sec),
        (
            "time_model.same_geography_mb_per_sec",
            t.same_geography_mb_per_sec,
        ),
        (
            "time_model.same_continent_mb_per_sec",
            t.same_continent_mb_per_sec,
        ),
        (
            "time_model.cross_continent_mb_per_sec",
            t.cross_continent_mb_per_sec,
        ),
        (
            "time_model.source_outbound_mb_per_sec",
            t.source_outbound_mb_per_sec,
        ),
        ("time_model.shallow_secs", t.shallow_secs),
        ("time_model.failure_rate", t.failure_rate),
    ] {
        finite(settings, field, value)?;
    }
    for image in &ws.managed_images {
        finite(
            || ResourcePath::managed_image(&image.name).to_string(),
            "occupied_gb",
            image.occupied_gb,
        )?;
    }
    for (g, d, v) in ws.versions() {
        for target in &v.target_regions {
            let at = || {
                format!(
                    "{}: {}",
                    ResourcePath::version(&g.name, &d.name, &v.name),
                    target.region.display_name()
                )
            };
            let s = &target.status;
            progress(at, "copied_gb", s.copied_gb)?;
            progress(at, "local_copied_gb", s.local_copied_gb)?;
            progress(at, "elapsed_secs", s.elapsed_secs)?;
        }
    }
    progress(
        || "simulation".to_owned(),
        "clock_secs",
        ws.simulation.clock_secs,
    )
}
