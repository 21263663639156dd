//! The "Acting as" banner, and what the acting principal may do with the selection: the
//! [`Permissions`] every panel reads, computed once per edit generation and selection through
//! [`crate::access::authorize`] (the rule the app applies when a command arrives).

use egui::{RichText, Ui};

use crate::access::{AccessIndex, Action, authorize, authorize_action, role_label};
use crate::model::{
    Edit, Gallery, Grant, ImageDefinition, ImageVersion, ResourcePath, Role, Workspace,
};
use crate::ui::command::{Command, Permissions};

/// The banner's state: the permissions and what they were computed for.
#[derive(Default)]
pub struct ActingBanner {
    permissions: Permissions,
    built_for: Option<(u64, Option<ResourcePath>)>,
}

impl ActingBanner {
    /// Recomputes the permissions when the workspace (edits, whom the app acts as) or the
    /// selection changed.
    pub fn refresh(
        &mut self,
        ws: &Workspace,
        edit_generation: u64,
        selection: Option<&ResourcePath>,
    ) {
        // Compared without copying the selection: this runs every frame.
        let current = self
            .built_for
            .as_ref()
            .is_some_and(|(g, s)| *g == edit_generation && s.as_ref() == selection);
        if !current {
            self.permissions = permissions(ws, selection);
            self.built_for = Some((edit_generation, selection.cloned()));
        }
    }

    pub fn permissions(&self) -> &Permissions {
        &self.permissions
    }

    /// Whether there is a banner to show (the app acts as someone other than the owner).
    pub fn shown(&self) -> bool {
        self.permissions.banner.is_some()
    }

    /// Draws the banner: who the app acts as, their role on the selection, and a way back.
    pub fn ui(&self, ui: &mut Ui, out: &mut Vec<Command>) {
        let Some(text) = &self.permissions.banner else {
            return;
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(text)
                    .strong()
                    .color(ui.visuals().warn_fg_color),
            );
            if ui
                .button("Act as the workspace owner")
                .on_hover_text("Stop acting as this principal: every change is allowed again")
                .clicked()
            {
                out.push(Command::SetActingAs(None));
            }
        });
    }
}

/// A placeholder name for a resource about to be created: only its parent matters to the rule.
const NEW: &str = "(new)";

/// What `actor` may do with `selection`, asked of [`authorize`] with the edits the controls make.
fn permissions(ws: &Workspace, selection: Option<&ResourcePath>) -> Permissions {
    let Some(actor) = ws.settings.acting_as.clone() else {
        return Permissions::default();
    };
    let refused = |edit: Edit| authorize(ws, Some(&actor), &edit).err().map(|r| r.message);
    let add_gallery = refused(Edit::AddGallery {
        index: None,
        gallery: Gallery {
            name: NEW.to_owned(),
            ..Gallery::default()
        },
    });
    let mut p = Permissions {
        actor: Some(actor.clone()),
        banner: Some(banner(ws, &actor, selection)),
        unseen: unseen(ws, &actor),
        add_image: refused(Edit::AddImage {
            index: None,
            image: crate::model::ManagedImage {
                name: NEW.to_owned(),
                ..crate::model::ManagedImage::default()
            },
        }),
        import: refused(Edit::ReplaceResources {
            label: String::new(),
            resources: Box::default(),
        }),
        add_child: add_gallery.clone(),
        add_gallery,
        ..Permissions::default()
    };
    let Some(path) = selection else {
        return p;
    };
    let (edit, delete, add_child) = match path {
        ResourcePath::Gallery(g) => (
            Edit::UpdateGallery {
                name: g.clone(),
                gallery: Gallery::default(),
            },
            Edit::DeleteGallery {
                name: g.clone(),
                cascade: false,
            },
            Some(add_definition(g)),
        ),
        ResourcePath::Definition(g, d) => (
            Edit::UpdateDefinition {
                gallery: g.clone(),
                name: d.clone(),
                definition: ImageDefinition::default(),
            },
            Edit::DeleteDefinition {
                gallery: g.clone(),
                name: d.clone(),
                cascade: false,
            },
            Some(add_version(g, d)),
        ),
        ResourcePath::Version(g, d, v) => (
            Edit::UpdateVersion {
                gallery: g.clone(),
                definition: d.clone(),
                name: v.clone(),
                version: ImageVersion::default(),
            },
            Edit::DeleteVersion {
                gallery: g.clone(),
                definition: d.clone(),
                name: v.clone(),
            },
            Some(add_version(g, d)),
        ),
        ResourcePath::ManagedImage(name) => (
            Edit::UpdateImage {
                name: name.clone(),
                image: crate::model::ManagedImage::default(),
            },
            Edit::DeleteImage { name: name.clone() },
            Some(Edit::AddImage {
                index: None,
                image: crate::model::ManagedImage {
                    name: NEW.to_owned(),
                    ..crate::model::ManagedImage::default()
                },
            }),
        ),
        ResourcePath::Tenant(name) => (
            Edit::DeleteTenant { name: name.clone() },
            Edit::DeleteTenant { name: name.clone() },
            None,
        ),
        ResourcePath::Principal(name) => (
            Edit::DeletePrincipal { name: name.clone() },
            Edit::DeletePrincipal { name: name.clone() },
            None,
        ),
        ResourcePath::Settings => return p,
    };
    p.edit = refused(edit);
    p.delete = refused(delete);
    if let Some(add) = add_child {
        p.add_child = refused(add);
    }
    access_permissions(ws, &actor, path, &mut p);
    p
}

/// Deploying from the selection, and adding or removing a grant on it.
fn access_permissions(ws: &Workspace, actor: &str, path: &ResourcePath, p: &mut Permissions) {
    let refused = |edit: Edit| authorize(ws, Some(actor), &edit).err().map(|r| r.message);
    if matches!(
        path,
        ResourcePath::Version(..) | ResourcePath::Definition(..)
    ) {
        p.deploy = authorize_action(ws, Some(actor), Action::Deploy, path)
            .err()
            .map(|r| r.message);
    }
    if path.gallery_name().is_some() {
        let scope = path.to_string();
        p.grant = refused(Edit::AddGrant {
            index: None,
            grant: Grant {
                principal: actor.to_owned(),
                role: Role::Reader,
                scope: scope.clone(),
            },
        });
        p.revoke = ws
            .grants
            .iter()
            .position(|g| g.scope == scope)
            .and_then(|index| refused(Edit::DeleteGrant { index }));
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

/// "Acting as bob@contoso.com: Reader on 2026.9.0".
fn banner(ws: &Workspace, actor: &str, selection: Option<&ResourcePath>) -> String {
    let index = AccessIndex::new(ws);
    let Ok(access) = index.principal_access(actor) else {
        return format!(
            "Acting as {actor}, who is not a principal of this workspace: no change is allowed"
        );
    };
    match selection {
        Some(path) if path.gallery_name().is_some() => {
            let roles = access.roles_on(path).roles();
            if roles.is_empty() {
                format!("Acting as {actor}: no role on {}", path.name())
            } else {
                let labels: Vec<&str> = roles.into_iter().map(role_label).collect();
                format!(
                    "Acting as {actor}: {} on {}",
                    labels.join(" and "),
                    path.name()
                )
            }
        }
        _ => format!("Acting as {actor}"),
    }
}

/// The galleries, definitions and versions `actor` cannot see.
fn unseen(ws: &Workspace, actor: &str) -> std::collections::HashSet<ResourcePath> {
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
