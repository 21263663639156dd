//! Cost estimates, replica planning and retention policies (DOMAIN.md §4 and §6).
//!
//! Pure functions of a workspace: nothing here changes one. Changes are returned as
//! [`Edit`](crate::model::Edit)s, so applying them is one undoable step.
//!
//! - [`estimate`]: monthly storage and one-time egress of one version, and the what-if of an edit.
//! - [`breakdown`]: totals per region, version, definition, gallery and workspace.
//! - [`planner`]: replica counts from expected concurrent VMs and scale sets.
//! - [`retention`]: preview and apply a retention policy.
//!
//! Money is `f64` USD, rounded only for display ([`format_usd`]).

pub mod breakdown;
pub mod estimate;
pub mod planner;
pub mod retention;

use serde::Serialize;

pub use crate::model::prices::CURRENCY;
pub use breakdown::{BreakdownRow, CostReport, GroupBy, workspace_cost};
pub use estimate::{
    CostChange, CostError, RegionCost, Sources, VersionCost, version_cost, what_if,
};
pub use planner::{PlanError, RegionDemand, ReplicaPlan, plan_replicas, recommend_replicas};
pub use retention::{Outcome, RetentionError, RetentionPreview, preview_retention};

/// An amount for display: two decimals and the currency, e.g. `12.35 USD`.
pub fn format_usd(amount: f64) -> String {
    // Cents, first cleaned of binary noise (30 × 44.25 GB × 0.05 is 66.374999…, shown 66.38).
    let cents = ((amount * 100.0 * 1e6).round() / 1e6).round();
    let rounded = cents / 100.0;
    // Avoid printing "-0.00" for tiny negative amounts.
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    format!("{rounded:.2} {CURRENCY}")
}

/// A signed change for display, e.g. `+3.20 USD` or `-1.00 USD`.
pub fn format_usd_change(amount: f64) -> String {
    let text = format_usd(amount);
    if text.starts_with('-') || text.starts_with("0.00") {
        text
    } else {
        format!("+{text}")
    }
}

/// Sums of storage and egress over some replicas. Totals of a whole are the sums of its parts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Snapshot storage billed each month.
    pub monthly_usd: f64,
    /// Transfer billed once, when the replicas are first copied.
    pub egress_usd: f64,
    /// Snapshot size billed each month: occupied GB × replicas.
    pub snapshot_gb: f64,
    /// Data copied across regions once.
    pub egress_gb: f64,
    pub replicas: u64,
}

impl std::ops::AddAssign for Totals {
    fn add_assign(&mut self, other: Self) {
        self.monthly_usd += other.monthly_usd;
        self.egress_usd += other.egress_usd;
        self.snapshot_gb += other.snapshot_gb;
        self.egress_gb += other.egress_gb;
        self.replicas += other.replicas;
    }
}

impl std::iter::Sum for Totals {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        let mut total = Self::default();
        for item in iter {
            total += item;
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_rounds_to_cents_with_currency() {
        assert_eq!(format_usd(12.345_6), "12.35 USD");
        assert_eq!(format_usd(-0.001), "0.00 USD");
        assert_eq!(format_usd(3.0), "3.00 USD");
        assert_eq!(format_usd(30.0 * 44.25 * 0.05), "66.38 USD");
        assert_eq!(format_usd(0.125), "0.13 USD");
        assert_eq!(format_usd_change(3.2), "+3.20 USD");
        assert_eq!(format_usd_change(-1.0), "-1.00 USD");
        assert_eq!(format_usd_change(0.0), "0.00 USD");
    }
}
