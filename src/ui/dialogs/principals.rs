//! "Principals…": create, rename and delete users, service principals and groups, and edit
//! group members. Each change is one edit (one undo step); membership cycles show as warnings.

use egui::{RichText, Ui};

use crate::access::AccessIndex;
use crate::memo::Memo;
use crate::model::{Edit, Principal, PrincipalKind, Workspace};
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::ui::widgets::form::{self, FirstFocus};

#[derive(Default)]
pub struct PrincipalsDialog {
    pub search: String,
    pub selected: Option<String>,
    pub rename: String,
    pub new_name: String,
    pub new_kind: PrincipalKind,
    pub new_tenant: String,
    pub member_search: String,
    /// The principal whose deletion waits for a confirmation.
    pub confirm_delete: Option<String>,
    /// Cycle warnings, by workspace generation.
    cycles: Memo<u64, Vec<String>>,
    focus: FirstFocus,
}

impl OpenDialog for PrincipalsDialog {
    type Request = ();

    fn open((): (), _cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        Some(Self::default())
    }
}

impl PrincipalsDialog {
    /// Draws the dialog.
    fn draw(&mut self, ui: &mut Ui, ws: &Workspace, generation: u64, out: &mut Vec<Intent>) {
        ui.heading("Principals");
        let cycles = self.cycles.get(generation, |_| {
            let index = AccessIndex::new(ws);
            index.cycles().iter().map(|c| c.text()).collect()
        });
        for cycle in cycles.iter() {
            ui.label(RichText::new(format!("⚠ {cycle}")).color(ui.visuals().warn_fg_color));
        }
        let needle = form::principal_search(ui, &mut self.search, None, &mut self.focus);
        // A fixed height: filtering never moves what lies below the list.
        egui::ScrollArea::vertical()
            .id_salt("principals-list")
            .max_height(200.0)
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for p in ws
                    .principals
                    .iter()
                    .filter(|p| needle.is_empty() || p.name.to_lowercase().contains(&needle))
                {
                    ui.horizontal(|ui| {
                        let selected = self.selected.as_deref() == Some(p.name.as_str());
                        if ui.selectable_label(selected, p.name.as_str()).clicked() {
                            self.selected = Some(p.name.clone());
                            self.rename.clone_from(&p.name);
                        }
                        ui.weak(format!("{} · {}", p.kind.label(), p.tenant));
                    });
                }
            });
        ui.separator();
        let selected = self
            .selected
            .as_ref()
            .and_then(|name| ws.principals.iter().find(|p| p.name == *name));
        if let Some(principal) = selected {
            self.selected_ui(ui, ws, principal, out);
            ui.separator();
        }
        self.create_ui(ui, ws, out);
        if ui.button("Close").clicked() {
            ui.close();
        }
    }

    fn selected_ui(
        &mut self,
        ui: &mut Ui,
        ws: &Workspace,
        principal: &Principal,
        out: &mut Vec<Intent>,
    ) {
        let name = principal.name.clone();
        ui.label(
            RichText::new(format!(
                "{} ({}, tenant {})",
                name,
                principal.kind.label(),
                principal.tenant
            ))
            .strong(),
        );
        ui.horizontal(|ui| {
            let label = ui.label("Principal name");
            ui.add(egui::TextEdit::singleline(&mut self.rename).desired_width(240.0))
                .labelled_by(label.id);
            let new_name = self.rename.trim().to_owned();
            let valid = !new_name.is_empty()
                && new_name != name
                && !ws.principals.iter().any(|p| p.name == new_name);
            if ui.add_enabled(valid, egui::Button::new("Rename")).clicked() {
                out.push(Intent::Edit {
                    edit: Edit::UpdatePrincipal {
                        name: name.clone(),
                        principal: Principal {
                            name: new_name.clone(),
                            ..principal.clone()
                        },
                    },
                    select: None,
                    notice: Some(format!("Renamed {name} to {new_name}")),
                });
                self.selected = Some(new_name);
            }
        });
        let grants = ws.grants.iter().filter(|g| g.principal == name).count();
        let groups = ws
            .principals
            .iter()
            .filter(|p| p.members.contains(&name))
            .count();
        let mut consequence = format!(
            "removes its {grants} grant{} and its membership in {groups} group{}",
            plural(grants),
            plural(groups)
        );
        if principal.kind == PrincipalKind::Group && !principal.members.is_empty() {
            let members = principal.members.len();
            consequence.push_str(&format!(
                "; the access its {members} member{} had through it goes too",
                plural(members)
            ));
        }
        if self.confirm_delete.as_deref() == Some(name.as_str()) {
            ui.label(
                RichText::new(format!("Delete {name}? This {consequence}."))
                    .color(ui.visuals().warn_fg_color),
            );
            ui.horizontal(|ui| {
                if ui.button("Delete").clicked() {
                    out.push(Intent::Edit {
                        edit: Edit::DeletePrincipal { name: name.clone() },
                        select: None,
                        notice: Some(format!(
                            "Deleted principal {name}: removed {grants} grant{} and {groups} membership{}",
                            plural(grants),
                            plural(groups)
                        )),
                    });
                    self.selected = None;
                    self.confirm_delete = None;
                }
                if ui.button("Keep").clicked() {
                    self.confirm_delete = None;
                }
            });
        } else if ui
            .button(format!("Delete principal {name}…"))
            .on_hover_text(format!(
                "Asks first; also {consequence} (Edit, Undo restores them)"
            ))
            .clicked()
        {
            self.confirm_delete = Some(name.clone());
        }
        if principal.kind == PrincipalKind::Group {
            self.members_ui(ui, ws, principal, out);
        }
    }

    /// A group's members, each with Remove, and a search to add one.
    fn members_ui(
        &mut self,
        ui: &mut Ui,
        ws: &Workspace,
        principal: &Principal,
        out: &mut Vec<Intent>,
    ) {
        let name = principal.name.clone();
        ui.label(RichText::new("Members").strong());
        if principal.members.is_empty() {
            ui.weak("None");
        }
        for member in &principal.members {
            ui.horizontal(|ui| {
                ui.label(member.as_str());
                if ui.button(format!("Remove member {member}")).clicked() {
                    let mut updated = principal.clone();
                    updated.members.retain(|m| m != member);
                    out.push(Intent::Edit {
                        edit: Edit::UpdatePrincipal {
                            name: name.clone(),
                            principal: updated,
                        },
                        select: None,
                        notice: Some(format!("Removed {member} from {name}")),
                    });
                }
            });
        }
        let label = ui.label("Find a member to add");
        ui.add(egui::TextEdit::singleline(&mut self.member_search).desired_width(240.0))
            .labelled_by(label.id);
        let needle = self.member_search.trim().to_lowercase();
        if needle.is_empty() {
            return;
        }
        for candidate in ws
            .principals
            .iter()
            .filter(|p| p.name != name && !principal.members.contains(&p.name))
            .filter(|p| p.name.to_lowercase().contains(&needle))
            .take(20)
        {
            if ui
                .button(format!("Add member {}", candidate.name))
                .clicked()
            {
                let mut updated = principal.clone();
                updated.members.push(candidate.name.clone());
                out.push(Intent::Edit {
                    edit: Edit::UpdatePrincipal {
                        name: name.clone(),
                        principal: updated,
                    },
                    select: None,
                    notice: Some(format!("Added {} to {name}", candidate.name)),
                });
            }
        }
    }

    fn create_ui(&mut self, ui: &mut Ui, ws: &Workspace, out: &mut Vec<Intent>) {
        ui.label(RichText::new("New principal").strong());
        let label = ui.label("New principal name");
        ui.add(egui::TextEdit::singleline(&mut self.new_name).desired_width(240.0))
            .labelled_by(label.id);
        ui.horizontal(|ui| {
            for kind in PrincipalKind::ALL {
                ui.radio_value(&mut self.new_kind, kind, kind.label());
            }
        });
        if self.new_tenant.is_empty()
            && let Some(first) = ws.tenants.first()
        {
            self.new_tenant.clone_from(&first.name);
        }
        ui.horizontal(|ui| {
            ui.label("Tenant");
            for tenant in &ws.tenants {
                ui.radio_value(
                    &mut self.new_tenant,
                    tenant.name.clone(),
                    tenant.name.as_str(),
                );
            }
        });
        let name = self.new_name.trim().to_owned();
        let taken = ws.principals.iter().any(|p| p.name == name);
        if taken {
            ui.label(
                RichText::new(format!("There is already a principal named {name}"))
                    .color(ui.visuals().error_fg_color),
            );
        }
        let ready = !name.is_empty() && !taken && !self.new_tenant.is_empty();
        if ui
            .add_enabled(ready, egui::Button::new("Create principal"))
            .clicked()
        {
            out.push(Intent::Edit {
                edit: Edit::AddPrincipal {
                    index: None,
                    principal: Principal {
                        name: name.clone(),
                        kind: self.new_kind,
                        tenant: self.new_tenant.clone(),
                        members: Vec::new(),
                    },
                },
                select: None,
                notice: Some(format!("Created {} {name}", self.new_kind.label())),
            });
            self.selected = Some(name.clone());
            self.rename = name;
            self.new_name.clear();
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl Dialog for PrincipalsDialog {
    fn size(&self) -> Option<egui::Vec2> {
        Some(egui::vec2(620.0, 660.0))
    }

    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        self.draw(ui, cx.ws, cx.edit_generation, out)
    }
}
