//! The real az CLI as a test oracle (`tests/oracle/az_oracle.py`, described in docs/export.md):
//! a script's az calls, recorded by bash, run through azure-cli's own parser and request builder
//! with the network cut, and what Azure would hold afterwards compared with the ARM template of
//! the same workspace.
//!
//! azure-cli lives in a virtual environment that `.ci/run` creates
//! (`${SIG_STUDIO_PYENV:-$HOME/.cache/sig-studio/pyenv}`, from `tests/python-requirements.txt`).
//! Without it the oracle's tests fail and say how to create it; only
//! `SIG_STUDIO_SKIP_AZ_ORACLE=1` skips them, for a machine that cannot reach PyPI.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use sig_studio_core::export::az::{Script, Subject};

/// The subscription the oracle's az profile uses when a workspace names none.
pub const SUBSCRIPTION: &str = "11111111-1111-4111-8111-111111111111";
/// The resource group the script and the template deploy to when a workspace names none.
pub const RESOURCE_GROUP: &str = "rg-oracle";

/// The virtual environment's Python, able to import azure-cli (made on first use by
/// [`super::pyenv::python`], as `.ci/run` makes it); `None` only when the skip variable is set
/// and the environment is missing. Panics, saying how to create it, when it cannot be made.
pub fn python() -> Option<PathBuf> {
    let imports = |python: &Path| {
        Command::new(python)
            .args(["-c", "import azure.cli.core"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let root = super::pyenv::dir();
    if std::env::var("SIG_STUDIO_SKIP_AZ_ORACLE").as_deref() == Ok("1")
        && !imports(&root.join("bin/python"))
    {
        eprintln!(
            "SKIPPED: the az CLI oracle (no azure-cli in {}; SIG_STUDIO_SKIP_AZ_ORACLE=1)",
            root.display()
        );
        return None;
    }
    let python = super::pyenv::python();
    assert!(
        imports(&python),
        "the az CLI oracle needs azure-cli in the virtual environment {} and it is not there. \
         `.ci/run` creates it from tests/python-requirements.txt (it needs PyPI); by hand: \
         python3 -m venv {0} && {0}/bin/pip install -r tests/python-requirements.txt. \
         To skip these tests on a machine without PyPI, set SIG_STUDIO_SKIP_AZ_ORACLE=1.",
        root.display()
    );
    Some(python)
}

/// What the oracle found.
#[derive(Debug)]
pub struct Report {
    pub mismatches: Vec<String>,
    pub calls: usize,
    pub seconds: f64,
    pub raw: Value,
}

/// A value for each variable a script requires, standing for the same thing as the template's
/// parameter of the same subject: a managed image's ARM id, a principal's object id.
pub fn value_of(subject: &Subject) -> String {
    match subject {
        Subject::ManagedImage(name) => format!(
            "/subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/images/providers/Microsoft.Compute/images/{}",
            sanitize(name)
        ),
        Subject::Principal(name) => object_id(name),
        Subject::Subscription => SUBSCRIPTION.to_owned(),
        Subject::ResourceGroup => RESOURCE_GROUP.to_owned(),
    }
}

fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// A GUID that depends only on the name.
pub fn object_id(name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let hex = format!("{h:016x}{:016x}", h.rotate_left(17) ^ 0x5555_5555_5555_5555);
    format!(
        "{}-{}-4{}-8{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// The environment a script runs with: each required variable set to its subject's value.
pub fn script_vars(script: &Script) -> BTreeMap<String, String> {
    script
        .required
        .iter()
        .map(|r| (r.name.clone(), value_of(&r.subject)))
        .collect()
}

/// A template's parameters' values, by what their metadata says they stand for.
pub fn template_parameters(template: &Value) -> Value {
    use sig_studio_core::export::arm::{METADATA_MANAGED_IMAGE, METADATA_PRINCIPAL};
    let mut out = serde_json::Map::new();
    for (name, param) in template["parameters"].as_object().into_iter().flatten() {
        let metadata = &param["metadata"];
        let subject = if let Some(image) = metadata[METADATA_MANAGED_IMAGE].as_str() {
            Subject::ManagedImage(unescape(image))
        } else if let Some(principal) = metadata[METADATA_PRINCIPAL].as_str() {
            Subject::Principal(unescape(principal))
        } else {
            continue;
        };
        out.insert(name.clone(), json!(value_of(&subject)));
    }
    Value::Object(out)
}

fn unescape(text: &str) -> String {
    match text.strip_prefix("[[") {
        Some(rest) => format!("[{rest}"),
        None => text.to_owned(),
    }
}

/// A deployment of `template` as the oracle reads it.
pub fn deployment(template: &Value, subscription: &str, resource_group: &str) -> Value {
    json!({
        "template": template,
        "parameters": template_parameters(template),
        "subscription": subscription,
        "resourceGroup": resource_group,
    })
}

/// Runs the oracle on a job (see `tests/oracle/az_oracle.py` for its fields).
pub fn run(python: &Path, job: &Value, dir: &Path) -> Report {
    let job_path = dir.join("oracle-job.json");
    let report_path = dir.join("oracle-report.json");
    std::fs::write(&job_path, serde_json::to_vec(job).unwrap()).unwrap();
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/az_oracle.py");
    let out = Command::new(python)
        .arg(&harness)
        .arg(&job_path)
        .arg(&report_path)
        .output()
        .expect("the oracle runs");
    assert!(
        out.status.success(),
        "the oracle itself failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let raw: Value = serde_json::from_slice(&std::fs::read(&report_path).unwrap()).unwrap();
    Report {
        mismatches: raw["mismatches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap_or_default().to_owned())
            .collect(),
        calls: raw["calls"].as_array().map_or(0, Vec::len),
        seconds: raw["seconds"].as_f64().unwrap_or_default(),
        raw,
    }
}
