//! The plan (issue 10): exactly the expected steps for an edited sample, the service's refusals
//! with its reasons, the ordering rules over random edit sequences, the az script run against a
//! recording `az` (hostile text included) and shellcheck, and the CLI's exit codes, `diff` and
//! git's external diff driver.

use crate::common;

use common::cli::{recorded_and_intended, run};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::rng::Rng;
use sig_studio_core::model::{
    Date, Gallery, Grant, ImageDefinition, ImageVersion, OsType, Region, Role, StorageType,
    TargetRegion, Workspace,
};
use sig_studio_core::plan::{self, Action, Cost, Kind, Plan};
use sig_studio_core::sample::sample;

const HOSTILE: &str = "it's \"quoted\" $(touch CANARY) `touch CANARY`; touch CANARY\nsecond line $HOME \\ & | > CANARY '' end";

fn today() -> Date {
    "2026-11-29".parse().unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sig-studio-plan-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn region(name: &str) -> Region {
    name.parse().unwrap()
}

fn gallery<'a>(ws: &'a mut Workspace, name: &str) -> &'a mut Gallery {
    ws.galleries.iter_mut().find(|g| g.name == name).unwrap()
}

fn definition<'a>(ws: &'a mut Workspace, g: &str, d: &str) -> &'a mut ImageDefinition {
    gallery(ws, g)
        .definitions
        .iter_mut()
        .find(|x| x.name == d)
        .unwrap()
}

fn version<'a>(ws: &'a mut Workspace, g: &str, d: &str, v: &str) -> &'a mut ImageVersion {
    definition(ws, g, d)
        .versions
        .iter_mut()
        .find(|x| x.name == v)
        .unwrap()
}

fn steps(plan: &Plan) -> Vec<(Action, Kind, String)> {
    plan.steps
        .iter()
        .map(|s| (s.action, s.kind, s.path.clone()))
        .collect()
}

const G: &str = "contoso_images";
const WIN: &str = "win2022-datacenter";
const UBU: &str = "ubuntu-2204-base";

/// The sample after a day's work: a description, a new region, a region removed, a version
/// deleted, a new definition with a version, a grant added and one revoked.
pub(crate) fn edited_sample() -> Workspace {
    let mut ws = sample();
    gallery(&mut ws, G).description = "Golden images, built weekly".into();
    version(&mut ws, G, WIN, "2026.10.0")
        .target_regions
        .push(TargetRegion {
            replicas: Some(2),
            ..TargetRegion::new(region("northeurope"))
        });
    version(&mut ws, G, WIN, "2026.9.0")
        .target_regions
        .retain(|t| t.region != region("westeurope"));
    definition(&mut ws, G, UBU)
        .versions
        .retain(|v| v.name != "1.0.8");
    let mut new_def = definition(&mut ws, G, UBU).clone();
    new_def.name = "ubuntu-2404-base".into();
    new_def.sku = "24.04-lts-gen2".into();
    new_def.versions.truncate(1);
    new_def.versions[0].name = "1.0.0".into();
    gallery(&mut ws, G).definitions.push(new_def);
    ws.grants.retain(|g| g.principal != "bob@contoso.com");
    ws.grants.push(Grant {
        principal: "carol@contoso.com".into(),
        role: Role::Reader,
        scope: format!("{G}/ubuntu-2404-base"),
    });
    ws
}

#[test]
fn the_edited_sample_plans_exactly_these_steps() {
    let plan = plan::plan(&sample(), &edited_sample(), today());
    use Action::*;
    use Kind::*;
    let expected = vec![
        (Delete, RoleAssignment, format!("{G}/{WIN}/2026.9.0")),
        (Delete, Version, format!("{G}/{UBU}/1.0.8")),
        (Update, Gallery, G.to_owned()),
        (Create, Definition, format!("{G}/ubuntu-2404-base")),
        (Update, Version, format!("{G}/{WIN}/2026.9.0")),
        (Update, Version, format!("{G}/{WIN}/2026.10.0")),
        (Create, Version, format!("{G}/ubuntu-2404-base/1.0.0")),
        (Create, RoleAssignment, format!("{G}/ubuntu-2404-base")),
    ];
    assert_eq!(steps(&plan), expected, "{}", plan::to_text(&plan, "a", "b"));
    assert_eq!(plan.refused(), 0);
    // What the updates change, by ARM property.
    let gallery_step = &plan.steps[2];
    assert_eq!(gallery_step.changes.len(), 1);
    assert_eq!(gallery_step.changes[0].property, "description");
    let added = &plan.steps[5];
    assert_eq!(added.changes[0].property, "targetRegions[northeurope]");
    assert_eq!(added.changes[0].before, None);
    assert_eq!(
        added.changes[0].after.as_deref(),
        Some("2 replicas on Standard_LRS, excluded from latest")
    );
    // Costs: a removed region saves, an added one costs and transfers, a deleted version saves.
    let monthly = |i: usize| match &plan.steps[i].cost {
        Cost::Priced { monthly_usd, .. } => *monthly_usd,
        other => panic!("step {i} not priced: {other:?}"),
    };
    assert!(monthly(1) < 0.0 && monthly(4) < 0.0);
    assert!(monthly(5) > 0.0);
    assert!(matches!(plan.steps[5].cost, Cost::Priced { egress_usd, .. } if egress_usd > 0.0));
    assert_eq!(plan.steps[2].cost, Cost::Free);
    // 45.75 GB across the Atlantic at 10 MB/s plus the queue and a local second replica.
    let secs = plan.steps[5].replication_secs.unwrap();
    assert!((4_800.0..5_600.0).contains(&secs), "{secs}");
    assert!(plan.steps[4].replication_secs.is_none());
    assert!(plan.replication_secs.unwrap() >= secs);
}

#[test]
fn the_same_workspace_plans_nothing() {
    let ws = edited_sample();
    assert!(plan::plan(&ws, &ws, today()).is_empty());
    // Replication progress is the service's business, not a change to deploy.
    let mut later = ws.clone();
    for g in &mut later.galleries {
        for d in &mut g.definitions {
            for v in &mut d.versions {
                for t in &mut v.target_regions {
                    t.status.progress = 100;
                }
            }
        }
    }
    assert!(plan::plan(&ws, &later, today()).is_empty());
}

#[test]
fn refused_changes_carry_the_services_reason() {
    let before = {
        let mut ws = sample();
        let v = version(&mut ws, G, WIN, "2026.10.0");
        v.block_deletion_before_end_of_life = true;
        let v = version(&mut ws, G, WIN, "2026.9.0");
        v.allow_deletion_of_replicated_locations = false;
        ws
    };
    let mut after = before.clone();
    definition(&mut after, G, UBU).os_type = OsType::Windows;
    version(&mut after, G, UBU, "1.0.12").storage_type = StorageType::Premium_LRS;
    definition(&mut after, G, WIN)
        .versions
        .retain(|v| v.name != "2026.10.0");
    version(&mut after, G, WIN, "2026.9.0")
        .target_regions
        .retain(|t| t.region != region("westeurope"));
    let plan = plan::plan(&before, &after, today());
    let reason = |path: &str| {
        plan.steps
            .iter()
            .find(|s| s.path == path)
            .and_then(|s| s.refused.clone())
            .unwrap_or_else(|| panic!("{path} not refused: {plan:#?}"))
    };
    assert!(reason(&format!("{G}/{UBU}")).contains("Changing property 'osType' is not allowed"));
    assert!(reason(&format!("{G}/{UBU}/1.0.12")).contains("'storageAccountType'"));
    assert!(reason(&format!("{G}/{WIN}/2026.10.0")).contains("end-of-life date 2027-04-30"));
    assert!(reason(&format!("{G}/{WIN}/2026.9.0")).contains("allowDeletionOfReplicatedLocations"));
    assert_eq!(plan.refused(), 4);
    // Refused steps cost nothing: the plan's total leaves them out.
    assert_eq!(plan.monthly_usd, 0.0);
    // Once the end of life has passed, the deletion goes through.
    let later = plan::plan(&before, &after, "2027-05-01".parse().unwrap());
    assert!(
        later
            .steps
            .iter()
            .any(|s| s.path == format!("{G}/{WIN}/2026.10.0") && s.refused.is_none())
    );
}

#[test]
fn a_rename_is_a_delete_plus_a_create_and_a_blocked_one_deletes_nothing() {
    let before = sample();
    let mut after = before.clone();
    definition(&mut after, G, UBU).name = "ubuntu-base".into();
    for grant in &mut after.grants {
        grant.scope = grant.scope.replace(UBU, "ubuntu-base");
    }
    let plan = plan::plan(&before, &after, today());
    let del = plan
        .steps
        .iter()
        .position(|s| {
            s.action == Action::Delete
                && s.kind == Kind::Definition
                && s.path == format!("{G}/{UBU}")
        })
        .unwrap();
    let create = plan
        .steps
        .iter()
        .position(|s| s.action == Action::Create && s.path == format!("{G}/ubuntu-base"))
        .unwrap();
    assert!(del < create);
    assert!(
        plan.steps[del]
            .note
            .as_deref()
            .unwrap()
            .contains("rename of")
    );
    assert_eq!(plan.refused(), 0);
    // Blocked: one version may not be deleted yet, so nothing of the definition is deleted,
    // and the new definition cannot take the identifier that stays.
    let mut before = before;
    let v = version(&mut before, G, UBU, "1.0.12");
    v.block_deletion_before_end_of_life = true;
    v.end_of_life = Some("2027-06-01".parse().unwrap());
    let mut after = before.clone();
    definition(&mut after, G, UBU).name = "ubuntu-base".into();
    let plan = plan::plan(&before, &after, today());
    assert!(
        plan.steps
            .iter()
            .filter(|s| s.path.contains(UBU) || s.path.contains("ubuntu-base"))
            .all(|s| s.refused.is_some()),
        "{}",
        plan::to_text(&plan, "a", "b")
    );
}

// ---- ordering rules over random edit sequences ----

fn new_version(rng: &mut Rng, name: String, source: &str) -> ImageVersion {
    let regions = [
        "westcentralus",
        "eastus",
        "westeurope",
        "southeastasia",
        "eastus2",
    ];
    let mut v = ImageVersion {
        name,
        source: source.to_owned(),
        ..ImageVersion::default()
    };
    v.target_regions
        .push(TargetRegion::new(region("westcentralus")));
    for r in regions.iter().skip(1) {
        if rng.chance(40) {
            v.target_regions.push(TargetRegion {
                replicas: Some(1 + rng.below(3) as u32),
                ..TargetRegion::new(region(r))
            });
        }
    }
    v
}

/// One random edit of the kinds a user makes: add, delete, rename, change.
fn random_edit(ws: &mut Workspace, rng: &mut Rng, n: usize) {
    let source = ws.managed_images[rng.below(ws.managed_images.len())]
        .name
        .clone();
    let gi = rng.below(ws.galleries.len() + 1);
    if gi == ws.galleries.len() {
        if rng.chance(50) || ws.galleries.is_empty() {
            let mut g = ws.galleries.first().cloned().unwrap_or_default();
            g.name = format!("gallery{n}");
            g.region = region("westcentralus");
            g.definitions.clear();
            ws.galleries.push(g);
        }
        return;
    }
    let g = &mut ws.galleries[gi];
    match rng.below(9) {
        0 => {
            // Delete the gallery with everything in it.
            let name = ws.galleries.remove(gi).name;
            ws.grants
                .retain(|x| x.scope.split('/').next() != Some(name.as_str()));
        }
        1 => g.description = format!("edit {n}"),
        2 => g.name = format!("{}_r{n}", g.name),
        _ if g.definitions.is_empty() => {
            let mut d = sample().galleries[0].definitions[1].clone();
            d.name = format!("def{n}");
            d.sku = format!("sku{n}");
            d.versions.clear();
            g.definitions.push(d);
        }
        3 => {
            let di = rng.below(g.definitions.len());
            g.definitions.remove(di);
        }
        4 => {
            let di = rng.below(g.definitions.len());
            let d = &mut g.definitions[di];
            d.name = format!("{}-r{n}", d.name);
        }
        5 => {
            let di = rng.below(g.definitions.len());
            g.definitions[di].description = format!("edit {n}");
        }
        _ => {
            let di = rng.below(g.definitions.len());
            let d = &mut g.definitions[di];
            if d.versions.is_empty() || rng.chance(40) {
                let name = format!("9.{n}.{}", rng.below(5));
                d.versions.push(new_version(rng, name, &source));
                return;
            }
            let vi = rng.below(d.versions.len());
            match rng.below(4) {
                0 => {
                    d.versions.remove(vi);
                }
                1 => d.versions[vi].name = format!("8.{n}.0"),
                2 => {
                    let v = &mut d.versions[vi];
                    *v = ImageVersion {
                        name: v.name.clone(),
                        ..new_version(rng, String::new(), &source)
                    };
                }
                _ => d.versions[vi].end_of_life = Some("2030-01-01".parse().unwrap()),
            }
        }
    }
    // Now and then a grant comes or goes.
    if rng.chance(30) && !ws.grants.is_empty() {
        let i = rng.below(ws.grants.len());
        ws.grants.remove(i);
    } else if rng.chance(30) && !ws.galleries.is_empty() {
        let g = &ws.galleries[rng.below(ws.galleries.len())];
        ws.grants.push(Grant {
            principal: "carol@contoso.com".into(),
            role: Role::Reader,
            scope: g.name.clone(),
        });
    }
}

/// Every resource's plan path, lowercase, and every grant.
fn identities(ws: &Workspace) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for g in &ws.galleries {
        out.insert(g.name.to_ascii_lowercase());
        for d in &g.definitions {
            out.insert(format!("{}/{}", g.name, d.name).to_ascii_lowercase());
            for v in &d.versions {
                out.insert(format!("{}/{}/{}", g.name, d.name, v.name).to_ascii_lowercase());
            }
        }
    }
    for grant in &ws.grants {
        out.insert(format!(
            "grant {:?} {} {}",
            grant.role,
            grant.principal.to_ascii_lowercase(),
            grant.scope.to_ascii_lowercase()
        ));
    }
    out
}

fn key(step: &plan::Step) -> String {
    match &step.grant {
        Some(grant) => format!(
            "grant {:?} {} {}",
            grant.role,
            grant.principal.to_ascii_lowercase(),
            grant.scope.to_ascii_lowercase()
        ),
        None => step.path.to_ascii_lowercase(),
    }
}

fn parent(path: &str) -> Option<&str> {
    path.rsplit_once('/').map(|(p, _)| p)
}

/// Carries out the plan's steps on BEFORE's identities, checking at each step what the
/// service checks; the identities at the end.
fn apply(plan: &Plan, before: &Workspace) -> BTreeSet<String> {
    let mut have = identities(before);
    let mut seen_upsert = false;
    for (i, step) in plan.steps.iter().enumerate() {
        let k = key(step);
        match step.action {
            Action::Delete => assert!(!seen_upsert, "step {i}: a delete after a create or update"),
            _ => seen_upsert = true,
        }
        if step.refused.is_some() {
            continue;
        }
        match step.action {
            Action::Delete => {
                if step.grant.is_none() {
                    let prefix = format!("{k}/");
                    assert!(
                        !have.iter().any(|h| h.starts_with(&prefix)),
                        "step {i}: {k} deleted before what it holds"
                    );
                }
                assert!(have.remove(&k), "step {i}: {k} deleted but not there");
            }
            Action::Create => {
                let needs = match &step.grant {
                    Some(_) => Some(step.path.to_ascii_lowercase()),
                    None => parent(&k).map(str::to_owned),
                };
                if let Some(p) = needs {
                    assert!(have.contains(&p), "step {i}: {k} created before {p}");
                }
                assert!(have.insert(k.clone()), "step {i}: {k} created twice");
            }
            Action::Update => assert!(have.contains(&k), "step {i}: {k} updated but not there"),
        }
    }
    have
}

#[test]
fn every_plan_of_random_edits_runs_in_an_order_the_service_accepts() {
    for seed in 0..150u64 {
        let mut rng = Rng(seed);
        let mut before = sample();
        for n in 0..rng.below(4) {
            random_edit(&mut before, &mut rng, 100 + n);
        }
        let mut after = before.clone();
        for n in 0..1 + rng.below(8) {
            random_edit(&mut after, &mut rng, n);
        }
        let plan = plan::plan(&before, &after, today());
        let text = plan::to_text(&plan, "before", "after");
        let result = std::panic::catch_unwind(|| apply(&plan, &before));
        let end = match result {
            Ok(end) => end,
            Err(_) => panic!("seed {seed}:\n{text}"),
        };
        if plan.refused() == 0 {
            assert_eq!(end, identities(&after), "seed {seed}:\n{text}");
        }
        // Kinds run in their phase order.
        let rank = |s: &plan::Step| match (s.action, s.kind) {
            (Action::Delete, Kind::RoleAssignment) => 0,
            (Action::Delete, Kind::Version) => 1,
            (Action::Delete, Kind::Definition) => 2,
            (Action::Delete, Kind::Gallery) => 3,
            (_, Kind::Gallery) => 4,
            (_, Kind::Definition) => 5,
            (_, Kind::Version) => 6,
            (_, Kind::RoleAssignment) => 7,
        };
        assert!(
            plan.steps.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])),
            "seed {seed}:\n{text}"
        );
        assert!(
            plan::plan(&after, &after, today()).is_empty(),
            "seed {seed}"
        );
    }
}

// ---- the az script ----

/// BEFORE and AFTER with hostile texts wherever the service allows any text (descriptions,
/// EULAs, tags, a principal's name): a gallery updated, a definition created with a version, a
/// version deleted, a grant created; and a definition whose hostile name the rules refuse (it
/// appears in the script only as a comment).
fn hostile_pair(canary: &Path) -> (Workspace, Workspace) {
    let text = HOSTILE.replace("CANARY", &canary.display().to_string());
    let mut before = sample();
    let g = gallery(&mut before, G);
    g.resource_group = "rg-images".into();
    g.subscription = "00000000-0000-0000-0000-000000000001".into();
    let mut after = before.clone();
    gallery(&mut after, G).description = text.clone();
    gallery(&mut after, G)
        .tags
        .insert(format!("k'{text}"), text.clone());
    let mut d = definition(&mut after, G, UBU).clone();
    d.name = "hostile-def".into();
    d.description = text.clone();
    d.eula = text.clone();
    d.sku = "hostile".into();
    d.versions.truncate(1);
    d.versions[0].tags.insert("notes".into(), text.clone());
    let mut bad = d.clone();
    bad.name = format!("def{text}");
    bad.sku = "bad".into();
    bad.versions.clear();
    gallery(&mut after, G).definitions.push(d);
    gallery(&mut after, G).definitions.push(bad);
    definition(&mut after, G, UBU)
        .versions
        .retain(|v| v.name != "1.0.8");
    let mut evil = after.principals[0].clone();
    evil.name = format!("evil'{text}");
    after.principals.push(evil.clone());
    after.grants.push(Grant {
        principal: evil.name,
        role: Role::Reader,
        scope: format!("{G}/hostile-def"),
    });
    (before, after)
}

#[test]
fn every_argument_reaches_az_unchanged_and_nothing_runs() {
    let dir = temp_dir("az");
    let canary = dir.join("canary");
    let (before, after) = hostile_pair(&canary);
    let plan = plan::plan(&before, &after, today());
    let refused: Vec<&str> = plan
        .steps
        .iter()
        .filter(|s| s.refused.is_some())
        .map(|s| s.path.as_str())
        .collect();
    let text = HOSTILE.replace("CANARY", &canary.display().to_string());
    assert_eq!(
        refused,
        [format!("{G}/def{text}")],
        "{}",
        plan::to_text(&plan, "a", "b")
    );
    let script = plan::script(&plan, &before, &after);
    let source = plan::to_script(&plan, &before, &after);
    let (calls, intended) = recorded_and_intended(&script, &source, &dir);
    assert_eq!(calls, intended);
    assert!(!canary.exists(), "the script ran something from a text");
    // In the plan's order: delete the version, update the gallery (a PUT of its body), create
    // the definition, its version, then the role assignment.
    let id_of = |c: &Vec<String>| {
        c.iter()
            .position(|a| a == "--id")
            .map(|i| c[i + 1].clone())
            .unwrap_or_default()
    };
    let pos = |f: &dyn Fn(&Vec<String>) -> bool| calls.iter().position(f).unwrap();
    let delete = pos(&|c| c[..3] == ["sig", "image-version", "delete"]);
    let gallery = pos(&|c| c[..2] == ["resource", "create"] && id_of(c).ends_with(G));
    let definition = pos(&|c| id_of(c).ends_with("/images/hostile-def"));
    let version = pos(&|c| {
        c[..3] == ["sig", "image-version", "create"]
            || id_of(c).contains("/images/hostile-def/versions/")
    });
    let grant = pos(&|c| c[..3] == ["role", "assignment", "create"]);
    assert!(delete < gallery && gallery < definition && definition < version && version < grant);
    // ...and the hostile texts arrive whole, inside the JSON of the bodies.
    assert!(crate::export::carried(&calls, &text), "{calls:#?}");
    // The refused definition's name is in no call.
    assert!(
        !calls
            .iter()
            .flatten()
            .any(|a| a.contains(&format!("def{text}")))
    );
}

#[test]
fn shellcheck_passes_on_the_plan_script() {
    let dir = temp_dir("shellcheck");
    let (before, after) = hostile_pair(&dir.join("canary"));
    let plan = plan::plan(&before, &after, today());
    let path = dir.join("plan.sh");
    std::fs::write(&path, plan::to_script(&plan, &before, &after)).unwrap();
    common::cli::shellcheck(&path);
}

// ---- the command line ----

fn save(dir: &Path, name: &str, ws: &Workspace) -> String {
    let path = dir.join(name);
    sig_studio_core::workspace::save(&path, ws).unwrap();
    path.display().to_string()
}

#[test]
fn cli_exit_codes_and_nothing_written_on_failure() {
    let dir = temp_dir("cli");
    let before = save(&dir, "before.ron", &sample());
    let after = save(&dir, "after.ron", &edited_sample());
    fn args<'a>(a: &[&'a str]) -> Vec<&'a str> {
        [a, &["--today", "2026-11-29"][..]].concat()
    }
    let (code, out, _) = run(&args(&["plan", &before, &before]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("nothing to do"));
    let (code, out, _) = run(&args(&["plan", &before, &after]));
    assert_eq!(code, 1);
    assert!(
        out.contains("2 to create") || out.contains("to create"),
        "{out}"
    );
    assert!(out.contains("update image version contoso_images/win2022-datacenter/2026.10.0"));
    let (code, out, _) = run(&args(&["plan", &before, &after, "--json"]));
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["steps"].as_array().unwrap().len(), 8);
    let script = dir.join("plan.sh");
    let (code, _, _) = run(&args(&[
        "plan",
        &before,
        &after,
        "--format",
        "az",
        "--out",
        script.to_str().unwrap(),
    ]));
    assert_eq!(code, 1);
    assert!(
        std::fs::read_to_string(&script)
            .unwrap()
            .contains("az sig image-version delete")
    );
    // Refused: exit 3.
    let mut refused = sample();
    definition(&mut refused, G, UBU).os_type = OsType::Windows;
    let refused = save(&dir, "refused.ron", &refused);
    let (code, out, _) = run(&args(&["plan", &before, &refused]));
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("REFUSED update image definition"));
    // Unreadable, not a workspace, another subscription: exit 2, nothing written.
    let broken = dir.join("broken.ron");
    std::fs::write(&broken, "(galleries: [(name: \"g\",").unwrap();
    let missing = dir.join("nothing-here.ron");
    let mut other = sample();
    gallery(&mut other, G).subscription = "11111111-1111-1111-1111-111111111111".into();
    let mut mine = sample();
    gallery(&mut mine, G).subscription = "22222222-2222-2222-2222-222222222222".into();
    let other = save(&dir, "other.ron", &other);
    let mine = save(&dir, "mine.ron", &mine);
    let out_file = dir.join("never.sh");
    for (a, b, says) in [
        (before.as_str(), broken.to_str().unwrap(), "broken.ron:1:"),
        (
            missing.to_str().unwrap(),
            before.as_str(),
            "nothing-here.ron",
        ),
        (mine.as_str(), other.as_str(), "different subscriptions"),
    ] {
        let (code, _, err) = run(&args(&["plan", a, b, "--out", out_file.to_str().unwrap()]));
        assert_eq!(code, 2, "{a} {b}: {err}");
        assert!(err.contains(says), "{err}");
        assert!(!out_file.exists());
    }
}

#[test]
fn diff_prints_the_plan_and_works_as_gits_external_diff_driver() {
    let dir = temp_dir("diff");
    let before = save(&dir, "before.ron", &sample());
    let after = save(&dir, "after.ron", &edited_sample());
    let (code, out, _) = run(&["diff", &before, &after]);
    assert_eq!(code, 0);
    assert!(out.contains("delete image version contoso_images/ubuntu-2204-base/1.0.8"));
    // A file added: git passes /dev/null for the old side.
    let (code, out, _) = run(&[
        "diff",
        "ws.ron",
        "/dev/null",
        ".",
        ".",
        &after,
        "abc",
        "100644",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("create gallery contoso_images"), "{out}");
    assert!(out.contains("a/ws.ron"));
    // The real thing: git calls the driver for a workspace file in a repository.
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&repo)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &dir)
            .output()
    };
    if git(&["init", "-q"]).is_err() {
        eprintln!("skipped: git cannot run");
        return;
    }
    std::fs::write(repo.join(".gitattributes"), "*.ron diff=sig-studio\n").unwrap();
    std::fs::copy(&before, repo.join("ws.ron")).unwrap();
    let ok = |out: std::io::Result<std::process::Output>| -> String {
        let out = out.unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    ok(git(&["add", "."]));
    ok(git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qm",
        "base",
    ]));
    std::fs::copy(&after, repo.join("ws.ron")).unwrap();
    let driver = format!("{} diff", env!("CARGO_BIN_EXE_sig-studio"));
    let out = ok(git(&[
        "-c",
        &format!("diff.sig-studio.command={driver}"),
        "diff",
        "--ext-diff",
    ]));
    assert!(out.contains("sig-studio diff a/ws.ron b/ws.ron"), "{out}");
    assert!(out.contains("delete image version contoso_images/ubuntu-2204-base/1.0.8"));
}
