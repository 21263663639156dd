//! What the service reports against a version and the workspace keeps verbatim: policy
//! violations (`safetyProfile.reportedForPolicyViolation`, `policyViolations`) and validation
//! results (`validationsProfile`, e.g. a failed security baseline). Such a version is *flagged*:
//! the tree and editor show it, Deploy warns, and validate and the plan mention it.

use serde_json::Value;

use super::ImageVersion;

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
