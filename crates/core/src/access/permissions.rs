//! What the principal the app acts as may do with one resource, asked before an operation
//! runs: a front end disables the control and refuses the shortcut with the reason. Each answer
//! is [`authorize`]'s (the rule the edit meets when it arrives), asked of the edit the
//! operation would make, so the two can never disagree.
//!
//! [`Operation`] lists what a user can be refused; the match in [`refusal`] has no fallback, so
//! a new operation must say which edit it stands for.

use std::collections::HashSet;

use crate::model::{
    Edit, Gallery, Grant, ImageDefinition, ImageVersion, ManagedImage, ResourcePath, Role,
    Workspace,
};

use super::roles::Action;
use super::{AccessIndex, authorize, authorize_action};

/// An operation the acting principal may be refused, by what it would change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Change (or rename) the resource.
    Edit,
    Delete,
    /// Create a resource under it: a definition in a gallery, a version beside or below a
    /// definition, a managed image beside one; with no resource (or the settings, a tenant, a
    /// principal), a gallery.
    AddChild,
    AddGallery,
    AddImage,
    /// Add a role assignment on the resource.
    Grant,
    /// Remove the first role assignment on the resource.
    Revoke,
    /// Import from Azure JSON: adds galleries, principals and grants.
    Import,
    /// Create VMs and scale sets from the version (or a definition's latest).
    Deploy,
    /// Carry out the plan in Azure: its result replaces Azure as last seen and the role
    /// assignments' records, as an import does.
    Apply,
}

impl Operation {
    pub const ALL: [Self; 10] = [
        Self::Edit,
        Self::Delete,
        Self::AddChild,
        Self::AddGallery,
        Self::AddImage,
        Self::Grant,
        Self::Revoke,
        Self::Import,
        Self::Deploy,
        Self::Apply,
    ];
}

/// What the acting principal may do with one resource (or with none): every [`Operation`]'s
/// refusal, worked out once. Build it again when the workspace or the resource changes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Permissions {
    actor: Option<String>,
    target: Option<ResourcePath>,
    /// Indexed by `Operation as usize`; `None`: allowed.
    refusals: [Option<String>; Operation::ALL.len()],
}

impl Permissions {
    /// The workspace owner's: everything allowed, about no resource.
    pub const OWNER: Self = Self {
        actor: None,
        target: None,
        refusals: [const { None }; Operation::ALL.len()],
    };

    /// What whoever `ws` acts as (`settings.acting_as`; `None`: the workspace owner, who may do
    /// everything) may do with `target`.
    pub fn new(ws: &Workspace, target: Option<&ResourcePath>) -> Self {
        let actor = ws.settings.acting_as.clone();
        let refusals = match &actor {
            Some(actor) => Operation::ALL.map(|op| refusal(ws, actor, target, op)),
            None => Default::default(),
        };
        Self {
            actor,
            target: target.cloned(),
            refusals,
        }
    }

    /// Why `op` on the target is refused (`None`: it may run).
    pub fn refusal(&self, op: Operation) -> Option<&str> {
        self.refusals[op as usize].as_deref()
    }

    /// The principal the app acts as (`None`: the workspace owner).
    pub fn actor(&self) -> Option<&str> {
        self.actor.as_deref()
    }

    /// The resource the answers are about.
    pub fn target(&self) -> Option<&ResourcePath> {
        self.target.as_ref()
    }
}

/// A placeholder name for a resource about to be created: only its parent matters to the rule.
const NEW: &str = "(new)";

/// Why `actor` may not take `op` on `target` (`None`: it may). Asks [`authorize`] of the edit
/// the operation makes; every operation decides here which edit that is.
pub fn refusal(
    ws: &Workspace,
    actor: &str,
    target: Option<&ResourcePath>,
    op: Operation,
) -> Option<String> {
    let refused = |edit: Edit| authorize(ws, Some(actor), &edit).err().map(|r| r.message);
    match op {
        Operation::AddGallery => refused(add_gallery()),
        Operation::AddImage => refused(add_image()),
        Operation::Import | Operation::Apply => refused(Edit::ReplaceResources {
            label: String::new(),
            resources: Box::default(),
        }),
        Operation::AddChild => refused(match target {
            Some(ResourcePath::Gallery(g)) => add_definition(g),
            Some(ResourcePath::Definition(g, d) | ResourcePath::Version(g, d, _)) => {
                add_version(g, d)
            }
            Some(ResourcePath::ManagedImage(_)) => add_image(),
            None
            | Some(ResourcePath::Settings | ResourcePath::Tenant(_) | ResourcePath::Principal(_)) => {
                add_gallery()
            }
        }),
        Operation::Edit => refused(update(target?)?),
        Operation::Delete => refused(delete(target?)?),
        Operation::Deploy => match target? {
            path @ (ResourcePath::Version(..) | ResourcePath::Definition(..)) => {
                authorize_action(ws, Some(actor), Action::Deploy, path)
                    .err()
                    .map(|r| r.message)
            }
            _ => None,
        },
        Operation::Grant => {
            let path = target.filter(|p| p.gallery_name().is_some())?;
            refused(Edit::AddGrant {
                index: None,
                grant: Grant {
                    principal: actor.to_owned(),
                    role: Role::Reader,
                    scope: path.to_string(),
                },
            })
        }
        Operation::Revoke => {
            let scope = target.filter(|p| p.gallery_name().is_some())?.to_string();
            let index = ws.grants.iter().position(|g| g.scope == scope)?;
            refused(Edit::DeleteGrant { index })
        }
    }
}

/// The edit that changes the resource at `path` (`None`: the settings, always allowed).
fn update(path: &ResourcePath) -> Option<Edit> {
    Some(match path {
        ResourcePath::Gallery(g) => Edit::UpdateGallery {
            name: g.clone(),
            gallery: Gallery::default(),
        },
        ResourcePath::Definition(g, d) => Edit::UpdateDefinition {
            gallery: g.clone(),
            name: d.clone(),
            definition: ImageDefinition::default(),
        },
        ResourcePath::Version(g, d, v) => Edit::UpdateVersion {
            gallery: g.clone(),
            definition: d.clone(),
            name: v.clone(),
            version: ImageVersion::default(),
        },
        ResourcePath::ManagedImage(name) => Edit::UpdateImage {
            name: name.clone(),
            image: ManagedImage::default(),
        },
        // The directory changes only as the workspace owner: asked as its deletion.
        ResourcePath::Tenant(name) => Edit::DeleteTenant { name: name.clone() },
        ResourcePath::Principal(name) => Edit::DeletePrincipal { name: name.clone() },
        ResourcePath::Settings => return None,
    })
}

/// The edit that deletes the resource at `path` (`None`: the settings, never deleted).
fn delete(path: &ResourcePath) -> Option<Edit> {
    Some(match path {
        ResourcePath::Gallery(g) => Edit::DeleteGallery {
            name: g.clone(),
            cascade: false,
        },
        ResourcePath::Definition(g, d) => Edit::DeleteDefinition {
            gallery: g.clone(),
            name: d.clone(),
            cascade: false,
        },
        ResourcePath::Version(g, d, v) => Edit::DeleteVersion {
            gallery: g.clone(),
            definition: d.clone(),
            name: v.clone(),
        },
        ResourcePath::ManagedImage(name) => Edit::DeleteImage { name: name.clone() },
        ResourcePath::Tenant(name) => Edit::DeleteTenant { name: name.clone() },
        ResourcePath::Principal(name) => Edit::DeletePrincipal { name: name.clone() },
        ResourcePath::Settings => return None,
    })
}

fn add_gallery() -> Edit {
    Edit::AddGallery {
        index: None,
        gallery: Gallery {
            name: NEW.to_owned(),
            ..Gallery::default()
        },
    }
}

fn add_image() -> Edit {
    Edit::AddImage {
        index: None,
        image: ManagedImage {
            name: NEW.to_owned(),
            ..ManagedImage::default()
        },
    }
}

fn add_definition(gallery: &str) -> Edit {
    Edit::AddDefinition {
        gallery: gallery.to_owned(),
        index: None,
        definition: ImageDefinition {
            name: NEW.to_owned(),
            ..ImageDefinition::default()
        },
    }
}

fn add_version(gallery: &str, definition: &str) -> Edit {
    Edit::AddVersion {
        gallery: gallery.to_owned(),
        definition: definition.to_owned(),
        index: None,
        version: ImageVersion {
            name: NEW.to_owned(),
            ..ImageVersion::default()
        },
    }
}

/// The galleries, definitions and versions `actor` cannot see (all of them when it is not a
/// principal of the workspace).
pub fn unseen(ws: &Workspace, actor: &str) -> HashSet<ResourcePath> {
    let index = AccessIndex::new(ws);
    let Ok(access) = index.principal_access(actor) else {
        return index
            .resource_ids()
            .filter_map(|id| index.path(id))
            .collect();
    };
    index
        .resource_ids()
        .filter(|id| !access.roles_at(*id).allows(Action::See))
        .filter_map(|id| index.path(id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Principal, PrincipalKind};

    fn acting_as(actor: &str, role: Option<(Role, &str)>) -> Workspace {
        let mut ws = crate::sample::sample();
        let tenant = ws.galleries[0].tenant.clone();
        ws.principals.push(Principal {
            name: actor.to_owned(),
            kind: PrincipalKind::User,
            tenant,
            ..Principal::default()
        });
        if let Some((role, scope)) = role {
            ws.grants.push(Grant {
                principal: actor.to_owned(),
                role,
                scope: scope.to_owned(),
            });
        }
        ws.settings.acting_as = Some(actor.to_owned());
        ws
    }

    #[test]
    fn the_workspace_owner_may_do_everything() {
        let ws = crate::sample::sample();
        let gallery = ResourcePath::gallery(&ws.galleries[0].name);
        let p = Permissions::new(&ws, Some(&gallery));
        assert_eq!(p.actor(), None);
        for op in Operation::ALL {
            assert_eq!(p.refusal(op), None, "{op:?}");
        }
    }

    #[test]
    fn a_reader_may_deploy_but_not_change_and_the_reason_is_the_edits() {
        let ws = crate::sample::sample();
        let g = ws.galleries[0].name.clone();
        let definition = &ws.galleries[0].definitions[0];
        let version = ResourcePath::version(&g, &definition.name, &definition.versions[0].name);
        let ws = acting_as("reader@example.com", Some((Role::Reader, &g)));
        let p = Permissions::new(&ws, Some(&version));
        assert_eq!(p.target(), Some(&version));
        assert_eq!(p.refusal(Operation::Deploy), None);
        let delete = delete(&version).unwrap();
        let expected = authorize(&ws, Some("reader@example.com"), &delete)
            .unwrap_err()
            .message;
        assert_eq!(p.refusal(Operation::Delete), Some(expected.as_str()));
        assert!(p.refusal(Operation::Edit).is_some());
        assert!(p.refusal(Operation::AddChild).is_some());
        // Galleries, managed images, imports and applying the plan need the workspace owner.
        for op in [
            Operation::AddGallery,
            Operation::AddImage,
            Operation::Import,
            Operation::Apply,
        ] {
            assert!(
                p.refusal(op).is_some_and(|r| r.contains("workspace owner")),
                "{op:?}"
            );
        }
    }

    #[test]
    fn a_contributor_may_add_below_but_not_grant() {
        let ws = crate::sample::sample();
        let g = ws.galleries[0].name.clone();
        let ws = acting_as("dev@example.com", Some((Role::Contributor, &g)));
        let gallery = ResourcePath::gallery(&g);
        let p = Permissions::new(&ws, Some(&gallery));
        assert_eq!(p.refusal(Operation::AddChild), None);
        assert_eq!(p.refusal(Operation::Edit), None);
        assert!(p.refusal(Operation::Grant).is_some());
        // Nothing selected: adding means adding a gallery.
        let none = Permissions::new(&ws, None);
        assert_eq!(
            none.refusal(Operation::AddChild),
            none.refusal(Operation::AddGallery)
        );
        assert_eq!(none.refusal(Operation::Edit), None);
    }

    #[test]
    fn someone_outside_the_workspace_sees_nothing() {
        let mut ws = crate::sample::sample();
        ws.settings.acting_as = Some("stranger@example.com".to_owned());
        let all = unseen(&ws, "stranger@example.com");
        let first = ResourcePath::gallery(&ws.galleries[0].name);
        assert!(all.contains(&first));
        assert!(all.len() > ws.version_count());
        let p = Permissions::new(&ws, None);
        assert!(p.refusal(Operation::AddGallery).is_some());
    }
}
