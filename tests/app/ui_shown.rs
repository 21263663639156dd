//! What Azure keeps about a version that the workspace holds verbatim, shown where the user
//! looks (issue 24 item 3, issue 22 item 17): the "flagged" badge in the tree and the reason in
//! the editor; each region's disk encryption sets in the region table.

use crate::common;

use common::{H, Setup};
use egui_kittest::kittest::Queryable;
use serde_json::json;
use sig_studio::model::{ResourcePath, Workspace};
use sig_studio::sample::sample;

const G: &str = "contoso_images";
const UBUNTU: &str = "ubuntu-2204-base";

/// The sample with 1.0.9 reported for a policy violation and 1.0.12's East US encrypted.
fn flagged_and_encrypted() -> Workspace {
    let mut ws = sample();
    let definition = ws.galleries[0]
        .definitions
        .iter_mut()
        .find(|d| d.name == UBUNTU)
        .unwrap();
    let flagged = definition
        .versions
        .iter_mut()
        .find(|v| v.name == "1.0.9")
        .unwrap();
    flagged.unmodeled.insert(
        "properties",
        json!({"safetyProfile": {"reportedForPolicyViolation": true,
            "policyViolations": [{"category": "ImageFlaggedUnsafe", "details": "malware found"}]}}),
    );
    let encrypted = definition
        .versions
        .iter_mut()
        .find(|v| v.name == "1.0.12")
        .unwrap();
    let east = encrypted
        .target_regions
        .iter_mut()
        .find(|t| t.region.name() == "eastus")
        .unwrap();
    east.unmodeled.insert(
        "encryption",
        json!({"osDiskImage": {"diskEncryptionSetId":
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/des-eastus"}}),
    );
    ws
}

fn hover_label(h: &mut H, label: &str) {
    h.get_by_label(label).hover();
    h.run_steps(40);
}

#[test]
fn a_flagged_version_is_badged_in_the_tree_and_the_editor() {
    let path = ResourcePath::version(G, UBUNTU, "1.0.9");
    let mut h = Setup::new(flagged_and_encrypted()).select(path).build();
    // One badge on 1.0.9's tree row, one beside the editor's replication state; the reason
    // in full among the version's warnings.
    assert_eq!(h.query_all_by_label("flagged").count(), 2);
    let reason = "The service flags this version: reported for a policy violation (ImageFlaggedUnsafe: malware found)";
    assert_eq!(
        h.query_all_by_label_contains(reason).count(),
        2,
        "the editor's warning and the Problems panel's row"
    );
    h.query_all_by_label("flagged").next().unwrap().hover();
    h.run_steps(40);
    h.get_by_label_contains("Azure flags this version: reported for a policy violation");
}

#[test]
fn a_regions_disk_encryption_set_is_marked_and_named_on_hover() {
    let path = ResourcePath::version(G, UBUNTU, "1.0.12");
    let mut h = Setup::new(flagged_and_encrypted()).select(path).build();
    assert_eq!(
        h.query_all_by_label("encrypted").count(),
        1,
        "East US only: the other regions use the platform's keys"
    );
    assert_eq!(
        h.query_all_by_label("flagged").count(),
        1,
        "1.0.9 in the tree"
    );
    hover_label(&mut h, "encrypted");
    h.get_by_label(
        "Replicas in East US are encrypted with customer-managed keys: OS disk: des-eastus",
    );
}

/// Deploy… of a flagged version warns with the service's report (issue 22 item 17).
#[test]
fn deploying_a_flagged_version_warns() {
    let path = ResourcePath::version(G, UBUNTU, "1.0.9");
    let mut h = Setup::new(flagged_and_encrypted())
        .select(path.clone())
        .build();
    h.state_mut()
        .open_dialog(sig_studio::ui::DialogRequest::Deploy(path));
    h.run_steps(6);
    h.get_by_label_contains(
        "The service flags this version: reported for a policy violation (ImageFlaggedUnsafe: malware found). Read the report before deploying it",
    );
}
