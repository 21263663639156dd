//! Parameters of the replication time model (see `docs/replication.md`), stored in the workspace
//! so that a simulation is reproducible and the figures can be tuned in the app.
//!
//! Throughputs are in MB/s (1 GB = 1024 MB). The defaults are calibrated to DOMAIN.md §3: a
//! 30 GB image takes about 20 minutes to one region besides its source region, and close to
//! three hours to the 13 regions of the seed's preview.

use serde::{Deserialize, Serialize};

use super::Region;

/// How long replication takes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TimeModel {
    /// Seconds a job waits in Queued before data starts to move.
    pub queue_secs: f64,
    /// Copies inside one region: the first replica in the source region and every extra replica.
    pub local_mb_per_sec: f64,
    /// First copy into a region of the source region's geography (e.g. United States).
    pub same_geography_mb_per_sec: f64,
    /// First copy into another geography of the same continent (e.g. United States → Canada).
    pub same_continent_mb_per_sec: f64,
    /// First copy across continents (e.g. United States → Europe).
    pub cross_continent_mb_per_sec: f64,
    /// Outbound throughput of a source region, shared by all first copies running from it.
    pub source_outbound_mb_per_sec: f64,
    /// Total duration of a Shallow replication (no data is copied).
    pub shallow_secs: f64,
    /// Probability (0–1) that a copy attempt fails part way; reproducible with the seed.
    pub failure_rate: f64,
}

impl Default for TimeModel {
    fn default() -> Self {
        Self {
            queue_secs: 120.0,
            local_mb_per_sec: 100.0,
            same_geography_mb_per_sec: 28.0,
            same_continent_mb_per_sec: 20.0,
            cross_continent_mb_per_sec: 10.0,
            source_outbound_mb_per_sec: 40.0,
            shallow_secs: 15.0,
            failure_rate: 0.0,
        }
    }
}

/// How a first copy travels, which decides its throughput.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Link {
    /// Inside one region (the source region's own replica).
    Local,
    SameGeography,
    SameContinent,
    CrossContinent,
}

impl Link {
    /// The link from a source region to a target region.
    pub fn between(source: Region, target: Region) -> Self {
        if source == target {
            Self::Local
        } else if source.info().geography == target.info().geography {
            Self::SameGeography
        } else if source.continent() == target.continent() {
            Self::SameContinent
        } else {
            Self::CrossContinent
        }
    }

    /// The three links that cross regions and share the source's outbound throughput.
    pub const REMOTE: [Self; 3] = [
        Self::SameGeography,
        Self::SameContinent,
        Self::CrossContinent,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Local => "inside the region",
            Self::SameGeography => "within the geography",
            Self::SameContinent => "within the continent",
            Self::CrossContinent => "across continents",
        }
    }
}

impl TimeModel {
    /// Throughput of one copy over a link when nothing else shares the source (MB/s).
    pub fn link_mb_per_sec(&self, link: Link) -> f64 {
        match link {
            Link::Local => self.local_mb_per_sec,
            Link::SameGeography => self.same_geography_mb_per_sec,
            Link::SameContinent => self.same_continent_mb_per_sec,
            Link::CrossContinent => self.cross_continent_mb_per_sec,
        }
    }

    /// Problems with the parameters, one sentence each (empty when usable).
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (value, name) in [
            (self.local_mb_per_sec, "local copy throughput"),
            (self.same_geography_mb_per_sec, "same-geography throughput"),
            (self.same_continent_mb_per_sec, "same-continent throughput"),
            (
                self.cross_continent_mb_per_sec,
                "cross-continent throughput",
            ),
            (
                self.source_outbound_mb_per_sec,
                "source outbound throughput",
            ),
        ] {
            if !(value.is_finite() && value > 0.0) {
                problems.push(format!("The {name} must be above 0 MB/s"));
            }
        }
        for (value, name) in [
            (self.queue_secs, "queue time"),
            (self.shallow_secs, "shallow replication time"),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                problems.push(format!("The {name} must be 0 s or more"));
            }
        }
        if !(0.0..=1.0).contains(&self.failure_rate) {
            problems.push("The failure rate must be between 0 and 1".to_owned());
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_by_geography_and_continent() {
        let r = |n| Region::parse(n).unwrap();
        assert_eq!(
            Link::between(r("westcentralus"), r("westcentralus")),
            Link::Local
        );
        assert_eq!(
            Link::between(r("westcentralus"), r("eastus")),
            Link::SameGeography
        );
        assert_eq!(
            Link::between(r("westcentralus"), r("canadaeast")),
            Link::SameContinent
        );
        assert_eq!(
            Link::between(r("westcentralus"), r("westeurope")),
            Link::CrossContinent
        );
    }

    #[test]
    fn defaults_are_usable_and_bad_values_named() {
        assert!(TimeModel::default().problems().is_empty());
        let bad = TimeModel {
            local_mb_per_sec: 0.0,
            failure_rate: 1.5,
            ..TimeModel::default()
        };
        let problems = bad.problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("local copy"));
    }
}
