//! Access answers that stay in proportion to the workspace (issue 23, points 5 and 6): `who`
//! found from the grants down through the groups gives exactly what each principal's own
//! answer gives; a chain thousands of groups deep is said by its ends; a principal granted on
//! thousands of galleries gets its reasons per resource without a scan of them all.

use sig_studio_core::access::{self, AccessIndex, CHAIN_ENDS, chain_text};
use sig_studio_core::model::{
    Gallery, Grant, ImageDefinition, ImageVersion, Principal, PrincipalKind, ResourcePath, Role,
    Tenant, Workspace,
};

use crate::common::rng::Rng;

const ROLES: [Role; 4] = [
    Role::Reader,
    Role::Contributor,
    Role::Owner,
    Role::ComputeGallerySharingAdmin,
];

/// Galleries in two tenants, each with definitions and versions; principals in both tenants,
/// groups listing members at random (cycles, diamonds, self-membership, unknown names), and
/// grants at every level, some to unknown principals or scopes.
fn random_workspace(rng: &mut Rng) -> Workspace {
    let tenants = ["contoso", "fabrikam"];
    let mut ws = Workspace {
        tenants: tenants
            .iter()
            .map(|t| Tenant {
                name: (*t).to_owned(),
                domain: format!("{t}.example"),
            })
            .collect(),
        ..Workspace::default()
    };
    for g in 0..1 + rng.below(4) {
        let mut gallery = Gallery {
            name: format!("g{g}"),
            tenant: tenants[rng.below(2)].to_owned(),
            ..Gallery::default()
        };
        for d in 0..rng.below(3) {
            let mut definition = ImageDefinition {
                name: format!("d{d}"),
                ..ImageDefinition::default()
            };
            for v in 0..rng.below(3) {
                definition.versions.push(ImageVersion {
                    name: format!("1.0.{v}"),
                    ..ImageVersion::default()
                });
            }
            gallery.definitions.push(definition);
        }
        ws.galleries.push(gallery);
    }
    let count = 2 + rng.below(14);
    let name = |i: usize| format!("p{i}");
    for i in 0..count {
        let group = rng.chance(60);
        let mut members = Vec::new();
        if group {
            for _ in 0..rng.below(4) {
                members.push(if rng.chance(5) {
                    "nobody".to_owned()
                } else {
                    name(rng.below(count))
                });
            }
        }
        ws.principals.push(Principal {
            name: name(i),
            kind: if group {
                PrincipalKind::Group
            } else {
                PrincipalKind::User
            },
            tenant: tenants[usize::from(rng.chance(20))].to_owned(),
            members,
        });
    }
    let scopes: Vec<String> = ws
        .galleries
        .iter()
        .flat_map(|g| {
            std::iter::once(g.name.clone()).chain(g.definitions.iter().flat_map(|d| {
                std::iter::once(format!("{}/{}", g.name, d.name)).chain(
                    d.versions
                        .iter()
                        .map(|v| format!("{}/{}/{}", g.name, d.name, v.name)),
                )
            }))
        })
        .chain(["nowhere".to_owned()])
        .collect();
    for _ in 0..rng.below(12) {
        ws.grants.push(Grant {
            principal: if rng.chance(5) {
                "nobody".to_owned()
            } else {
                name(rng.below(count))
            },
            role: ROLES[rng.below(4)],
            scope: rng.pick(&scopes).unwrap(),
        });
    }
    ws
}

/// Whether a grant on `scope` covers the resource at `path`.
fn covers(scope: &str, path: &str) -> bool {
    path == scope || path.starts_with(&format!("{scope}/"))
}

/// `who` of every resource agrees with every principal's own answer: the same principals, the
/// same reasons (chains included, in the same order), the same ignored grants and cycles.
#[test]
fn who_agrees_with_each_principals_own_answer() {
    for seed in 0..400 {
        let mut rng = Rng(seed);
        let ws = random_workspace(&mut rng);
        let index = AccessIndex::new(&ws);
        let everyone: Vec<_> = index.everyone().collect();
        for id in index.resource_ids().collect::<Vec<_>>() {
            let path = index.path(id).unwrap();
            let text = path.to_string();
            let report = index.who(&path).unwrap();
            let mut holders = Vec::new();
            let mut ignored = Vec::new();
            let mut cycles = Vec::new();
            for access in &everyone {
                ignored.extend(
                    access
                        .ignored()
                        .iter()
                        .filter(|i| covers(&i.scope, &text))
                        .cloned(),
                );
                let reasons = access.reasons_at(id);
                if reasons.is_empty() {
                    continue;
                }
                holders.push((access.name().to_owned(), reasons));
                for cycle in access.cycles() {
                    if !cycles.contains(&cycle) {
                        cycles.push(cycle);
                    }
                }
            }
            let got: Vec<_> = report
                .principals
                .iter()
                .map(|h| (h.principal.clone(), h.reasons.clone()))
                .collect();
            assert_eq!(got, holders, "seed {seed}, {text}");
            assert_eq!(report.ignored, ignored, "seed {seed}, {text}");
            assert_eq!(report.cycles, cycles, "seed {seed}, {text}");
        }
    }
}

/// Groups nested `depth` deep: g0 lists the user, g1 lists g0, …; the outermost one is Reader
/// on the gallery.
fn chain(depth: usize) -> Workspace {
    let mut ws = Workspace {
        tenants: vec![Tenant {
            name: "contoso".to_owned(),
            domain: "contoso.example".to_owned(),
        }],
        galleries: vec![Gallery {
            name: "g".to_owned(),
            tenant: "contoso".to_owned(),
            ..Gallery::default()
        }],
        ..Workspace::default()
    };
    let principal = |name: String, kind, members: Vec<String>| Principal {
        name,
        kind,
        tenant: "contoso".to_owned(),
        members,
    };
    ws.principals
        .push(principal("u".to_owned(), PrincipalKind::User, Vec::new()));
    for i in 0..depth {
        let member = if i == 0 {
            "u".to_owned()
        } else {
            format!("g{}", i - 1)
        };
        ws.principals.push(principal(
            format!("g{i}"),
            PrincipalKind::Group,
            vec![member],
        ));
    }
    ws.grants.push(Grant {
        principal: format!("g{}", depth - 1),
        role: Role::Reader,
        scope: "g".to_owned(),
    });
    ws
}

#[test]
fn a_chain_thousands_of_groups_deep_is_said_by_its_ends() {
    let depth = 3_000;
    let ws = chain(depth);
    let report = access::principal_access(&ws, "u").unwrap();
    let last = report.member_of.last().unwrap();
    assert_eq!(last.group, "g2999");
    assert_eq!(last.chain.len(), 1 + 2 * CHAIN_ENDS);
    assert_eq!(last.skipped, depth - 2 * CHAIN_ENDS);
    assert_eq!(
        last.chain_text(),
        "u ← g0 ← g1 ← g2 ← g3 ← … 2992 more groups … ← g2996 ← g2997 ← g2998 ← g2999"
    );
    let reason = &report.resources[0].reasons[0];
    assert_eq!(reason.holder(), "g2999");
    assert_eq!(chain_text(&reason.chain, reason.skipped), last.chain_text());
    // A short chain is whole.
    let short = &report.member_of[2 * CHAIN_ENDS - 1];
    assert_eq!((short.chain.len(), short.skipped), (1 + 2 * CHAIN_ENDS, 0));
    // Both answers grow with the chain, not with its square: about a line per group.
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.len() < 200 * depth, "access: {} bytes", json.len());
    let who = access::who(&ws, &ResourcePath::gallery("g")).unwrap();
    assert_eq!(who.principals.len(), depth + 1);
    let user = who.principals.iter().find(|h| h.principal == "u").unwrap();
    assert_eq!(user.reasons, report.resources[0].reasons);
    let json = serde_json::to_string(&who).unwrap();
    assert!(json.len() < 600 * depth, "who: {} bytes", json.len());
}

#[test]
fn one_principal_on_many_galleries_gets_each_reason_once() {
    let mut ws = chain(1);
    ws.galleries = (0..5_000)
        .map(|i| Gallery {
            name: format!("g{i}"),
            tenant: "contoso".to_owned(),
            ..Gallery::default()
        })
        .collect();
    ws.grants = (0..5_000)
        .map(|i| Grant {
            principal: "u".to_owned(),
            role: ROLES[i % 4],
            scope: format!("g{i}"),
        })
        .collect();
    let report = access::principal_access(&ws, "u").unwrap();
    assert_eq!(report.resources.len(), 5_000);
    for (i, resource) in report.resources.iter().enumerate() {
        assert_eq!(resource.reasons.len(), 1);
        assert_eq!(resource.reasons[0].grant, i);
    }
}
