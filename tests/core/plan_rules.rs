//! What the service will not update, and what it lets an existing definition change (issue 22
//! items 14 and 15): the plan refuses the first with the reason and carries out the second.

use serde_json::json;
use sig_studio_core::model::azure::{CommunityInfo, ImageFeature, SharingPermission};
use sig_studio_core::model::{
    SecurityType, StorageAccountStrategy, StorageType, TargetRegion, Verbatim, Workspace,
};
use sig_studio_core::plan::{self, Action, Plan};
use sig_studio_core::sample::sample;

fn plan_of(before: &Workspace, after: &Workspace) -> Plan {
    plan::plan(before, after, crate::common::today())
}

fn refusal(plan: &Plan) -> Option<String> {
    plan.steps.iter().find_map(|s| s.refused.clone())
}

fn encryption() -> Verbatim {
    let mut v = Verbatim::default();
    v.insert(
        "encryption",
        json!({"osDiskImage": {"diskEncryptionSetId": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/diskEncryptionSets/des"}}),
    );
    v
}

#[test]
fn what_an_existing_version_cannot_change_is_refused() {
    let before = sample();
    type Change = fn(&mut Workspace);
    let cases: [(&str, Change); 4] = [
        ("targetRegions[].storageAccountType", |ws| {
            ws.galleries[0].definitions[0].versions[2].target_regions[1].storage_type =
                Some(StorageType::Premium_LRS)
        }),
        ("storageAccountStrategy", |ws| {
            ws.galleries[0].definitions[0].versions[2].storage_account_strategy =
                Some(StorageAccountStrategy::PreferStandard_ZRS)
        }),
        ("targetRegions[].encryption", |ws| {
            ws.galleries[0].definitions[0].versions[2].target_regions[1].unmodeled = encryption()
        }),
        ("Changing property 'storageAccountType'", |ws| {
            ws.galleries[0].definitions[0].versions[2].storage_type = StorageType::Standard_ZRS
        }),
    ];
    for (expected, change) in cases {
        let mut after = before.clone();
        change(&mut after);
        let plan = plan_of(&before, &after);
        let reason = refusal(&plan)
            .unwrap_or_else(|| panic!("{expected}: {}", plan::to_text(&plan, "a", "b")));
        assert!(reason.contains(expected), "{expected}: {reason}");
    }
}

#[test]
fn an_unencrypted_region_is_not_added_to_an_encrypted_version() {
    let mut before = sample();
    for t in &mut before.galleries[0].definitions[0].versions[2].target_regions {
        t.unmodeled = encryption();
    }
    let mut after = before.clone();
    let v = &mut after.galleries[0].definitions[0].versions[2];
    v.target_regions.retain(|t| t.region.name() != "westeurope");
    let mut before2 = before.clone();
    before2.galleries[0].definitions[0].versions[2]
        .target_regions
        .retain(|t| t.region.name() != "westeurope");
    let mut after2 = before2.clone();
    after2.galleries[0].definitions[0].versions[2]
        .target_regions
        .push(TargetRegion::new(
            sig_studio_core::model::Region::parse("westeurope").unwrap(),
        ));
    let reason = refusal(&plan_of(&before2, &after2)).expect("refused");
    assert!(
        reason.contains("westeurope") || reason.contains("West Europe"),
        "{reason}"
    );
    // With its encryption, the region is a valid addition.
    after2.galleries[0].definitions[0].versions[2]
        .target_regions
        .last_mut()
        .unwrap()
        .unmodeled = encryption();
    assert_eq!(refusal(&plan_of(&before2, &after2)), None);
}

#[test]
fn features_change_with_allow_update_image_and_starts_at_version_only() {
    let before = sample();
    let mut after = before.clone();
    let d = &mut after.galleries[0].definitions[0];
    d.set_security_type(Some(SecurityType::TrustedLaunchSupported));
    let reason = refusal(&plan_of(&before, &after)).expect("refused without allowUpdateImage");
    assert!(reason.contains("allowUpdateImage"), "{reason}");
    let d = &mut after.galleries[0].definitions[0];
    d.allow_update_image = Some(true);
    let reason = refusal(&plan_of(&before, &after)).expect("refused without startsAtVersion");
    assert!(reason.contains("startsAtVersion"), "{reason}");
    let d = &mut after.galleries[0].definitions[0];
    d.features
        .iter_mut()
        .for_each(|f| f.starts_at_version = "2026.11.0".into());
    let plan = plan_of(&before, &after);
    assert_eq!(refusal(&plan), None, "{}", plan::to_text(&plan, "a", "b"));
    assert_eq!(plan.count(Action::Update), 1);
    // A feature the service never lets change stays refused.
    let mut other = before.clone();
    let d = &mut other.galleries[0].definitions[0];
    d.allow_update_image = Some(true);
    d.features.push(ImageFeature {
        name: "IsSecureBootSupported".into(),
        value: "true".into(),
        starts_at_version: "2026.11.0".into(),
    });
    let reason = refusal(&plan_of(&before, &other)).expect("refused");
    assert!(reason.contains("issecurebootsupported"), "{reason}");
}

fn community() -> CommunityInfo {
    CommunityInfo {
        publisher_uri: "https://contoso.com".into(),
        publisher_contact: "images@contoso.com".into(),
        eula: "https://contoso.com/eula".into(),
        public_name_prefix: "contoso".into(),
    }
}

#[test]
fn sharing_follows_the_services_rules() {
    let before = sample();
    // An existing gallery cannot become direct shared.
    let mut groups = before.clone();
    groups.galleries[0].sharing.permission = SharingPermission::Groups;
    groups.galleries[0].sharing.subscriptions = vec!["3f2504e0-4f89-41d3-9a0c-0305e82c3301".into()];
    let reason = refusal(&plan_of(&before, &groups)).expect("refused");
    assert!(reason.contains("direct shared"), "{reason}");
    // Private to community: publisher information set, then enable-community.
    let mut public = before.clone();
    public.galleries[0].sharing.permission = SharingPermission::Community;
    let reason = refusal(&plan_of(&before, &public)).expect("refused without publisher info");
    assert!(reason.contains("publisher"), "{reason}");
    public.galleries[0].sharing.community = Some(community());
    let plan = plan_of(&before, &public);
    assert_eq!(refusal(&plan), None, "{}", plan::to_text(&plan, "a", "b"));
    let script = plan::to_script(&plan, &before, &public);
    assert!(script.contains("az sig share enable-community"), "{script}");
    // A community gallery is reset before it is deleted.
    let gone = Workspace {
        galleries: Vec::new(),
        grants: Vec::new(),
        ..public.clone()
    };
    let plan = plan_of(&public, &gone);
    let script = plan::to_script(&plan, &public, &gone);
    let reset = script.find("az sig share reset").expect("reset");
    let delete = script.find("az sig delete").expect("delete");
    assert!(reset < delete, "{script}");
}

#[test]
fn sharing_limits_are_rules() {
    let mut ws = sample();
    let g = &mut ws.galleries[0];
    g.sharing.permission = SharingPermission::Groups;
    g.sharing.subscriptions = (0..31)
        .map(|i| format!("3f2504e0-4f89-41d3-9a0c-{i:012}"))
        .collect();
    g.sharing.tenants = (0..6)
        .map(|i| format!("4f2504e0-4f89-41d3-9a0c-{i:012}"))
        .collect();
    g.definitions[0].versions[0].target_regions[0].unmodeled = encryption();
    let problems = sig_studio_core::validate(&ws, crate::common::today());
    let text: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    for expected in ["30 subscriptions", "5 tenants", "customer-managed keys"] {
        assert!(
            text.iter().any(|t| t.contains(expected)),
            "{expected}: {text:?}"
        );
    }
}

#[test]
fn the_script_on_stdout_is_the_script_out_writes() {
    let dir = crate::common::tempdir("plan-stdout");
    let before = sample();
    let mut after = before.clone();
    after.galleries[0].description = "line one\nline two \u{1b}[31m \u{202e} it's [x]".into();
    after.galleries[0]
        .tags
        .insert("--managed-image".into(), "@/etc/passwd".into());
    let save = |name: &str, ws: &Workspace| {
        let path = dir.join(name);
        std::fs::write(&path, sig_studio_core::workspace::to_ron_string(ws)).unwrap();
        path.display().to_string()
    };
    let (a, b) = (save("a.ron", &before), save("b.ron", &after));
    let out = dir.join("plan.sh");
    let (code, stdout, _) = crate::common::cli::run(&["plan", &a, &b, "--format", "az"]);
    assert_eq!(code, 1);
    let (code, _, _) = crate::common::cli::run(&[
        "plan",
        &a,
        &b,
        "--format",
        "az",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(stdout, written);
    assert!(
        !written.chars().any(|c| c.is_control() && c != '\n'),
        "{written}"
    );
    // The right-to-left override is a byte escape, and the text arrives as written (not
    // ARM-escaped).
    assert!(written.contains(r"\xe2\x80\xae"), "{written}");
    assert!(
        written.contains(r"it\'s [x]") && !written.contains("[[x]"),
        "{written}"
    );
}
