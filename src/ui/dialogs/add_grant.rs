//! "Add grant…": a principal of the gallery's tenant, picked with a search, and a role (each
//! with what it allows, from the one role table). Refusals show before the click.

use egui::{RichText, Ui};

use crate::access::{self, role_label, roles::ROLES, tenant_refusal};
use crate::model::{Edit, Grant, ResourcePath, Role, Workspace};
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::ui::widgets::form::{self, FirstFocus, enter_pressed};

/// "Add grant…": a principal picker with search, and a role.
pub struct AddGrantDialog {
    pub scope: ResourcePath,
    pub search: String,
    pub principal: Option<String>,
    pub role: Role,
    focus: FirstFocus,
}

impl OpenDialog for AddGrantDialog {
    /// The gallery, definition or version the role is on.
    type Request = ResourcePath;

    fn open(scope: ResourcePath, _cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        Some(Self {
            scope,
            search: String::new(),
            principal: None,
            role: Role::Reader,
            focus: FirstFocus::default(),
        })
    }
}

impl AddGrantDialog {
    /// Draws the dialog.
    fn draw(&mut self, ui: &mut Ui, ws: &Workspace, out: &mut Vec<Intent>) {
        let gallery_name = self.scope.gallery_name().unwrap_or_default().to_owned();
        let gallery_tenant = ws
            .gallery(&gallery_name)
            .map(|g| g.tenant.clone())
            .unwrap_or_default();
        ui.heading("Add grant");
        ui.label(format!("On {} {}", self.scope.kind(), self.scope));
        let needle = form::principal_search(
            ui,
            &mut self.search,
            Some("name, kind or tenant"),
            &mut self.focus,
        );
        egui::ScrollArea::vertical()
            .max_height(240.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                for principal in &ws.principals {
                    if !needle.is_empty()
                        && !principal.name.to_lowercase().contains(&needle)
                        && !principal.kind.label().to_lowercase().contains(&needle)
                        && !principal.tenant.to_lowercase().contains(&needle)
                    {
                        continue;
                    }
                    let refusal = tenant_refusal(&principal.tenant, &gallery_name, &gallery_tenant);
                    ui.horizontal(|ui| {
                        let selected = self.principal.as_deref() == Some(principal.name.as_str());
                        let response = ui.add_enabled(
                            refusal.is_none(),
                            egui::Button::selectable(selected, principal.name.as_str()),
                        );
                        if response.clicked() {
                            self.principal = Some(principal.name.clone());
                        }
                        ui.weak(principal.kind.label());
                        if let Some(why) = &refusal {
                            ui.weak(why);
                        }
                    });
                }
            });
        ui.label(RichText::new("Role").strong());
        ui.horizontal_wrapped(|ui| {
            for role in ROLES {
                let allows: Vec<&str> = access::roles::actions_of(role)
                    .iter()
                    .map(|a| a.label())
                    .collect();
                ui.radio_value(&mut self.role, role, role_label(role))
                    .on_hover_text(format!("Allows: {}", allows.join(", ")));
            }
        });
        let grant = self.principal.as_ref().map(|name| Grant {
            principal: name.clone(),
            role: self.role,
            scope: self.scope.to_string(),
        });
        let problem = grant
            .as_ref()
            .and_then(|grant| refusal(ws, grant, &gallery_name, &gallery_tenant));
        if let Some(grant) = &grant {
            ui.label(format!(
                "Grant {} on {} to {}",
                role_label(grant.role),
                grant.scope,
                grant.principal
            ));
        } else {
            ui.weak("Pick a principal");
        }
        if let Some(problem) = &problem {
            ui.label(RichText::new(format!("⛔ {problem}")).color(ui.visuals().error_fg_color));
        }
        ui.horizontal(|ui| {
            let ready = grant.is_some() && problem.is_none();
            let confirm = ui
                .add_enabled(ready, egui::Button::new("Add grant"))
                .clicked()
                || (ready && enter_pressed(ui));
            if confirm && let Some(grant) = grant.clone() {
                out.push(Intent::Edit {
                    notice: Some(format!(
                        "Granted {} on {} to {}",
                        role_label(grant.role),
                        grant.scope,
                        grant.principal
                    )),
                    edit: Edit::AddGrant { index: None, grant },
                    select: None,
                });
                ui.close();
            }
            if ui.button("Cancel").clicked() {
                ui.close();
            }
        });
    }
}

impl Dialog for AddGrantDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        self.draw(ui, cx.ws, out);
    }
}

/// Why `grant` cannot be added, if it cannot: another tenant, already held, or the acting
/// principal may not grant.
fn refusal(ws: &Workspace, grant: &Grant, gallery: &str, gallery_tenant: &str) -> Option<String> {
    if let Some(p) = ws.principals.iter().find(|p| p.name == grant.principal)
        && let Some(why) = tenant_refusal(&p.tenant, gallery, gallery_tenant)
    {
        return Some(format!("{} is {why}", p.name));
    }
    if ws.grants.contains(grant) {
        return Some(format!(
            "{} already holds {} on {}",
            grant.principal,
            role_label(grant.role),
            grant.scope
        ));
    }
    let edit = Edit::AddGrant {
        index: None,
        grant: grant.clone(),
    };
    access::authorize(ws, ws.settings.acting_as.as_deref(), &edit)
        .err()
        .map(|refusal| refusal.message)
}
