//! Retention policies: which versions of a definition keep all their regions, which shrink to
//! the source region, and which are deleted. The policy is data saved in the workspace; the
//! preview and the edits it makes are computed in `crate::cost::retention`.

use serde::{Deserialize, Serialize};

use super::{Date, Gallery, ImageDefinition};

/// Keep the newest `keep_latest` versions in all their target regions, shrink older ones to
/// their source region, and optionally delete versions beyond `delete_beyond` or published
/// before `delete_published_before`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionPolicy {
    /// How many of the newest versions (numeric order) keep all their target regions; at least 1.
    pub keep_latest: u32,
    /// Versions ranked after this many newest are deleted; at least `keep_latest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_beyond: Option<u32>,
    /// Versions older than the newest `keep_latest` and published before this date are deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_published_before: Option<Date>,
}

impl Default for RetentionPolicy {
    /// The seed's pattern: the latest version in all its regions, older ones in one.
    fn default() -> Self {
        Self {
            keep_latest: 1,
            delete_beyond: None,
            delete_published_before: None,
        }
    }
}

/// A policy whose numbers contradict each other.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("keep latest must be at least 1")]
    KeepNone,
    #[error("delete beyond ({delete_beyond}) must be at least keep latest ({keep_latest})")]
    DeleteBeforeKeep {
        keep_latest: u32,
        delete_beyond: u32,
    },
}

impl RetentionPolicy {
    pub fn check(&self) -> Result<(), PolicyError> {
        if self.keep_latest == 0 {
            return Err(PolicyError::KeepNone);
        }
        if let Some(delete_beyond) = self.delete_beyond
            && delete_beyond < self.keep_latest
        {
            return Err(PolicyError::DeleteBeforeKeep {
                keep_latest: self.keep_latest,
                delete_beyond,
            });
        }
        Ok(())
    }

    /// A one-line description, e.g. `keep latest 2, delete beyond 5`.
    pub fn describe(&self) -> String {
        let mut text = format!("keep latest {}", self.keep_latest);
        if let Some(m) = self.delete_beyond {
            text.push_str(&format!(", delete beyond {m}"));
        }
        if let Some(date) = self.delete_published_before {
            text.push_str(&format!(", delete published before {date}"));
        }
        text
    }
}

/// Where a definition's effective policy comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicySource {
    Definition,
    GalleryDefault,
}

/// The policy that applies to a definition: its own, else its gallery's default.
pub fn effective<'a>(
    gallery: &'a Gallery,
    definition: &'a ImageDefinition,
) -> Option<(&'a RetentionPolicy, PolicySource)> {
    definition
        .retention
        .as_ref()
        .map(|p| (p, PolicySource::Definition))
        .or_else(|| {
            gallery
                .default_retention
                .as_ref()
                .map(|p| (p, PolicySource::GalleryDefault))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contradictions_are_refused() {
        assert!(RetentionPolicy::default().check().is_ok());
        let none = RetentionPolicy {
            keep_latest: 0,
            ..RetentionPolicy::default()
        };
        assert_eq!(none.check(), Err(PolicyError::KeepNone));
        let early = RetentionPolicy {
            keep_latest: 3,
            delete_beyond: Some(2),
            delete_published_before: None,
        };
        assert_eq!(
            early.check().unwrap_err().to_string(),
            "delete beyond (2) must be at least keep latest (3)"
        );
    }

    #[test]
    fn definition_policy_wins_over_gallery_default() {
        let mut gallery = Gallery {
            default_retention: Some(RetentionPolicy::default()),
            ..Gallery::default()
        };
        let mut definition = ImageDefinition::default();
        assert_eq!(
            effective(&gallery, &definition).map(|(_, s)| s),
            Some(PolicySource::GalleryDefault)
        );
        let own = RetentionPolicy {
            keep_latest: 2,
            ..RetentionPolicy::default()
        };
        definition.retention = Some(own.clone());
        assert_eq!(
            effective(&gallery, &definition),
            Some((&own, PolicySource::Definition))
        );
        gallery.default_retention = None;
        definition.retention = None;
        assert_eq!(effective(&gallery, &definition), None);
    }
}
