//! "latest": which version a deployment that asks for `latest` gets.
//!
//! The highest Major, then Minor, then Patch among versions that are not excluded from latest
//! (a region's own flag overrides the version's) and, for a deployment region, that have a
//! completed replica there.

use super::{ImageDefinition, ImageVersion, Region, RegionState};

/// The version "latest" resolves to: globally (`region` is `None`, replication state ignored)
/// or for a deployment in `region`.
pub fn latest(definition: &ImageDefinition, region: Option<Region>) -> Option<&ImageVersion> {
    definition
        .versions
        .iter()
        .filter(|v| eligible(v, region).is_ok())
        .filter_map(|v| v.number().map(|n| (n, v)))
        .max_by_key(|(n, _)| *n)
        .map(|(_, v)| v)
}

/// Whether a version is included in "latest" in at least one of its regions (a region's own flag
/// overrides the version's); a version without regions counts by its own flag.
pub fn included_anywhere(version: &ImageVersion) -> bool {
    if version.number().is_none() {
        return false;
    }
    if version.target_regions.is_empty() {
        return !version.exclude_from_latest;
    }
    version
        .target_regions
        .iter()
        .any(|t| !version.excluded_from_latest_in(t))
}

/// The service's answer when a definition has no version included in "latest" at all (none, or
/// every one excluded), for the definition at `path`: "There is no latest image version exists
/// for …", its wording kept as it is. `None` when some version is included somewhere.
pub fn no_latest_exists(definition: &ImageDefinition, path: &str) -> Option<String> {
    if definition.versions.iter().any(included_anywhere) {
        return None;
    }
    let why = if definition.versions.is_empty() {
        "the definition has no versions".to_owned()
    } else {
        let mut names: Vec<&str> = definition
            .versions
            .iter()
            .map(|v| v.name.as_str())
            .collect();
        names.sort_by_key(|n| std::cmp::Reverse(super::VersionNumber::parse(n)));
        format!(
            "every version is excluded from latest: {}",
            names.join(", ")
        )
    };
    Some(format!(
        "There is no latest image version exists for \"{path}\" ({why})"
    ))
}

/// Why a version is not a candidate for "latest" in `region`, or `Ok` when it is.
pub fn eligible(version: &ImageVersion, region: Option<Region>) -> Result<(), String> {
    if version.number().is_none() {
        return Err("its name is not Major.Minor.Patch".to_owned());
    }
    let Some(region) = region else {
        return if version.exclude_from_latest {
            Err("it is excluded from latest".to_owned())
        } else {
            Ok(())
        };
    };
    let Some(target) = version.target(region) else {
        return Err(format!("it is not replicated to {region}"));
    };
    if version.excluded_from_latest_in(target) {
        return Err(if target.exclude_from_latest.is_some() {
            format!("it is excluded from latest in {region}")
        } else {
            "it is excluded from latest".to_owned()
        });
    }
    if target.status.state != RegionState::Completed {
        return Err(format!(
            "its replication to {region} is {} ({} %), not completed",
            target.status.state.label().to_lowercase(),
            target.status.progress
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ReplicaStatus, TargetRegion};

    fn version(name: &str, regions: &[(&str, bool)]) -> ImageVersion {
        ImageVersion {
            name: name.to_owned(),
            target_regions: regions
                .iter()
                .map(|(r, done)| TargetRegion {
                    status: if *done {
                        ReplicaStatus::completed()
                    } else {
                        ReplicaStatus::default()
                    },
                    ..TargetRegion::new(Region::parse(r).unwrap())
                })
                .collect(),
            ..ImageVersion::default()
        }
    }

    #[test]
    fn numeric_not_textual() {
        let definition = ImageDefinition {
            versions: vec![
                version("1.0.12", &[]),
                version("1.0.9", &[]),
                version("1.0.10", &[]),
            ],
            ..ImageDefinition::default()
        };
        assert_eq!(latest(&definition, None).unwrap().name, "1.0.12");
    }

    #[test]
    fn exclusions_and_regional_overrides() {
        let east = Region::parse("eastus").unwrap();
        let mut newest = version("2.0.0", &[("westcentralus", true), ("eastus", true)]);
        newest.exclude_from_latest = true;
        let older = version("1.5.0", &[("westcentralus", true), ("eastus", true)]);
        let mut definition = ImageDefinition {
            versions: vec![older, newest],
            ..ImageDefinition::default()
        };
        assert_eq!(latest(&definition, None).unwrap().name, "1.5.0");
        assert_eq!(latest(&definition, Some(east)).unwrap().name, "1.5.0");
        // The region's own flag overrides the version's.
        definition.versions[1].target_regions[1].exclude_from_latest = Some(false);
        assert_eq!(latest(&definition, Some(east)).unwrap().name, "2.0.0");
        assert_eq!(latest(&definition, None).unwrap().name, "1.5.0");
        // And the other way round.
        definition.versions[0].target_regions[1].exclude_from_latest = Some(true);
        definition.versions[1].target_regions[1].exclude_from_latest = None;
        assert!(latest(&definition, Some(east)).is_none());
    }

    #[test]
    fn no_latest_exists_when_every_version_is_excluded() {
        // Microsoft's troubleshooting table: "There is no latest image version exists for
        // \"<imageDefinitionResourceID>\"" when no version has 'Exclude from latest' false.
        let mut a = version("1.0.9", &[("westcentralus", true), ("eastus", true)]);
        let mut b = version("1.0.12", &[("westcentralus", true)]);
        a.exclude_from_latest = true;
        b.exclude_from_latest = true;
        let mut definition = ImageDefinition {
            versions: vec![a, b],
            ..ImageDefinition::default()
        };
        assert_eq!(
            no_latest_exists(&definition, "g/d").as_deref(),
            Some(
                "There is no latest image version exists for \"g/d\" (every version is excluded from latest: 1.0.12, 1.0.9)"
            )
        );
        // A region that includes a version again: a latest exists (in that region).
        definition.versions[0].target_regions[1].exclude_from_latest = Some(false);
        assert_eq!(no_latest_exists(&definition, "g/d"), None);
        definition.versions.clear();
        assert!(
            no_latest_exists(&definition, "g/d")
                .unwrap()
                .ends_with("(the definition has no versions)")
        );
    }

    #[test]
    fn only_completed_replicas_count_in_a_region() {
        let east = Region::parse("eastus").unwrap();
        let definition = ImageDefinition {
            versions: vec![
                version("1.0.0", &[("westcentralus", true), ("eastus", true)]),
                version("1.1.0", &[("westcentralus", true), ("eastus", false)]),
                version("1.2.0", &[("westcentralus", true)]),
            ],
            ..ImageDefinition::default()
        };
        assert_eq!(latest(&definition, None).unwrap().name, "1.2.0");
        assert_eq!(latest(&definition, Some(east)).unwrap().name, "1.0.0");
        let why = eligible(&definition.versions[1], Some(east)).unwrap_err();
        assert!(why.contains("not completed"), "{why}");
        assert!(
            eligible(&definition.versions[2], Some(east))
                .unwrap_err()
                .contains("not replicated")
        );
    }
}
