//! What the service reports against a version and the workspace keeps verbatim: policy
//! violations (`safetyProfile.reportedForPolicyViolation`, `policyViolations`) and validation
//! results (`validationsProfile`, e.g. a failed security baseline). Such a version is *flagged*:
//! the tree and editor show it, Deploy warns, and validate and the plan mention it.

use serde_json::Value;

use super::{ImageVersion, TargetRegion};

impl ImageVersion {
    /// Why the service flags this version, in words; `None` when it reports nothing against it.
    pub fn flagged(&self) -> Option<String> {
        let props = self.unmodeled.get("properties")?;
        let mut reasons = Vec::new();
        let safety = props.get("safetyProfile");
        let reported = safety
            .and_then(|s| s.get("reportedForPolicyViolation"))
            .and_then(Value::as_bool)
            == Some(true);
        let violations: Vec<String> = safety
            .and_then(|s| s.get("policyViolations"))
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .map(|v| {
                        let category = v.get("category").and_then(Value::as_str).unwrap_or("Other");
                        match v.get("details").and_then(Value::as_str) {
                            Some(details) if !details.is_empty() => {
                                format!("{category}: {details}")
                            }
                            _ => category.to_owned(),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        if reported || !violations.is_empty() {
            let mut text = "reported for a policy violation".to_owned();
            if !violations.is_empty() {
                text.push_str(&format!(" ({})", violations.join("; ")));
            }
            reasons.push(text);
        }
        if let Some(failed) = failed_validations(props.get("validationsProfile")) {
            reasons.push(failed);
        }
        (!reasons.is_empty()).then(|| reasons.join("; "))
    }
}

impl TargetRegion {
    /// The disk encryption sets this region's replicas are encrypted with (the ARM region's
    /// `encryption`, kept verbatim), as "OS disk: des-eastus" and "data disk LUN 1:
    /// des-eastus-data" (the set's name, the last part of its id); empty when the region uses
    /// the platform's keys.
    pub fn disk_encryption_sets(&self) -> Vec<String> {
        let Some(encryption) = self.unmodeled.get("encryption") else {
            return Vec::new();
        };
        let set_name = |disk: &Value| {
            disk.get("diskEncryptionSetId")
                .and_then(Value::as_str)
                .map(|id| {
                    id.trim_end_matches('/')
                        .rsplit('/')
                        .next()
                        .unwrap_or(id)
                        .to_owned()
                })
        };
        let mut sets = Vec::new();
        if let Some(name) = encryption.get("osDiskImage").and_then(set_name) {
            sets.push(format!("OS disk: {name}"));
        }
        for disk in encryption
            .get("dataDiskImages")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = set_name(disk) {
                let lun = disk.get("lun").and_then(Value::as_i64).unwrap_or_default();
                sets.push(format!("data disk LUN {lun}: {name}"));
            }
        }
        sets
    }
}

/// The validations that failed (`executedValidations[]` whose `status` is Failed; Unknown is
/// not a result), in words.
fn failed_validations(profile: Option<&Value>) -> Option<String> {
    let executed = profile?.get("executedValidations")?.as_array()?;
    let failed: Vec<String> = executed
        .iter()
        .filter(|v| {
            v.get("status")
                .and_then(Value::as_str)
                .is_some_and(|s| s.eq_ignore_ascii_case("Failed"))
        })
        .map(|v| {
            let kind = v
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("validation");
            kind.to_owned()
        })
        .collect();
    (!failed.is_empty()).then(|| format!("validation failed: {}", failed.join(", ")))
}
