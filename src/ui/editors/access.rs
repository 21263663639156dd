//! The Access section of the gallery, definition and version editors, and the "Acting as"
//! control. Every grant change goes through an [`Intent::Edit`], so the app authorizes it as
//! the acting principal and records one undo step; the buttons the acting principal may not
//! use are disabled with the reason. Whom the app acts as is a preference
//! ([`Intent::SetActingAs`]), not an undo step.

use egui::{RichText, Ui};

use crate::access::{self, Operation, WhoReport, role_label};
use crate::memo::Memo;
use crate::model::{Edit, Grant, PrincipalKind, ResourcePath, Workspace};
use crate::ui::actions::UserAction;
use crate::ui::intent::{Intent, Target};
use crate::ui::view::ViewCx;
use crate::ui::widgets::WhyDisabled;
use crate::ui::widgets::action::action_button;

/// Who holds a role on the edited resource.
struct SectionView {
    /// Grants on this resource: index in the workspace's grants, and the grant.
    direct: Vec<(usize, Grant)>,
    /// Grants on a resource above this one.
    inherited: Vec<Grant>,
    who: Result<WhoReport, String>,
}

/// The access section, by (edit generation, path).
#[derive(Default)]
pub struct AccessState {
    section: Memo<(u64, ResourcePath), SectionView>,
}

fn ancestors(path: &ResourcePath) -> Vec<String> {
    let mut out = Vec::new();
    let mut parent = path.parent();
    while let Some(p) = parent {
        out.push(p.to_string());
        parent = p.parent();
    }
    out
}

fn build(ws: &Workspace, path: &ResourcePath) -> SectionView {
    let scope = path.to_string();
    let above = ancestors(path);
    let direct = ws
        .grants
        .iter()
        .enumerate()
        .filter(|(_, g)| g.scope == scope)
        .map(|(i, g)| (i, g.clone()))
        .collect();
    let inherited = ws
        .grants
        .iter()
        .filter(|g| above.contains(&g.scope))
        .cloned()
        .collect();
    SectionView {
        direct,
        inherited,
        who: access::who(ws, path).map_err(|e| e.to_string()),
    }
}

fn kind_label(ws: &Workspace, principal: &str) -> &'static str {
    ws.principals
        .iter()
        .find(|p| p.name == principal)
        .map_or("unknown principal", |p| p.kind.label())
}

/// Draws the Access section for the resource at `path` (galleries, definitions, versions).
pub fn access_section_ui(
    ui: &mut Ui,
    state: &mut AccessState,
    cx: &ViewCx<'_>,
    path: &ResourcePath,
    out: &mut Vec<Intent>,
) {
    if path.gallery_name().is_none() {
        return;
    }
    // Grants and principals change only with edits, never with replication progress.
    let (ws, generation) = (cx.ws, cx.edit_generation);
    let view = state.section.get_by(
        |(g, p)| *g == generation && p == path,
        || (generation, path.clone()),
        |_| build(ws, path),
    );
    ui.add_space(16.0);
    ui.separator();
    ui.heading("Access");
    let target = Target::Resource(path.clone());
    ui.horizontal(|ui| {
        action_button(ui, cx, UserAction::AddGrant, &target, out);
        action_button(ui, cx, UserAction::CheckAccess, &target, out);
    });
    let revoke = cx.refusal(Operation::Revoke, &target);
    ui.label(RichText::new("Grants on this resource").strong());
    if view.direct.is_empty() {
        ui.weak("None");
    } else {
        egui::Grid::new("access-direct")
            .num_columns(4)
            .spacing([16.0, 4.0])
            .striped(true)
            .show(ui, |ui| {
                for (index, grant) in &view.direct {
                    ui.label(grant.principal.as_str());
                    ui.weak(kind_label(ws, &grant.principal));
                    ui.label(role_label(grant.role));
                    let label = format!("Remove {} of {}", role_label(grant.role), grant.principal);
                    let button = egui::Button::new(label);
                    if ui
                        .add_enabled(revoke.is_none(), button)
                        .why_disabled(revoke.as_deref().unwrap_or_default())
                        .clicked()
                    {
                        out.push(Intent::Edit {
                            edit: Edit::DeleteGrant { index: *index },
                            select: None,
                            notice: Some(format!(
                                "Removed {} of {} on {path}",
                                role_label(grant.role),
                                grant.principal
                            )),
                        });
                    }
                    ui.end_row();
                }
            });
    }
    ui.label(RichText::new("Inherited grants").strong());
    if view.inherited.is_empty() {
        ui.weak("None");
    } else {
        egui::Grid::new("access-inherited")
            .num_columns(4)
            .spacing([16.0, 4.0])
            .striped(true)
            .show(ui, |ui| {
                for grant in &view.inherited {
                    ui.label(grant.principal.as_str());
                    ui.weak(kind_label(ws, &grant.principal));
                    ui.label(role_label(grant.role));
                    let origin = ResourcePath::parse(&grant.scope).map_or("resource", |p| p.kind());
                    ui.weak(format!("from the {origin} {}", grant.scope));
                    ui.end_row();
                }
            });
    }
    ui.label(RichText::new("Effective access").strong());
    effective_access_ui(ui, &view.who);
}

/// Who holds which role on the resource, and why; grants that give nothing, with a warning.
fn effective_access_ui(ui: &mut Ui, who: &Result<WhoReport, String>) {
    match who {
        Err(message) => {
            ui.label(RichText::new(message).color(ui.visuals().error_fg_color));
        }
        Ok(report) => {
            if report.principals.is_empty() {
                ui.weak("Nobody but the workspace owner");
            }
            for holder in &report.principals {
                let roles: Vec<&str> = holder.roles.iter().map(|r| role_label(*r)).collect();
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(holder.principal.as_str()).strong());
                    ui.label(roles.join(", "));
                });
                for why in &holder.why {
                    ui.weak(format!("    {why}"));
                }
            }
            for ignored in &report.ignored {
                ui.label(
                    RichText::new(format!("⚠ {}", ignored.text()))
                        .color(ui.visuals().warn_fg_color),
                );
            }
        }
    }
}

/// The principals the app can act as: users and service principals (groups do not sign in).
fn can_act(kind: PrincipalKind) -> bool {
    kind != PrincipalKind::Group
}

/// "Acting as": whom the app acts as when it checks an edit; stored in the settings.
pub fn acting_as_ui(ui: &mut Ui, ws: &Workspace, out: &mut Vec<Intent>) {
    const OWNER: &str = "Workspace owner";
    let current = ws.settings.acting_as.clone();
    // Laid out from the right (the status bar), the label goes in after the combo so that it
    // still reads "Acting as [principal]".
    let from_right = ui.layout().prefer_right_to_left();
    let label = (!from_right).then(|| ui.label("Acting as"));
    let mut chosen: Option<Option<String>> = None;
    let combo = egui::ComboBox::from_id_salt("acting-as")
        .selected_text(current.as_deref().unwrap_or(OWNER))
        .height(320.0)
        .show_ui(ui, |ui| {
            if ui.selectable_label(current.is_none(), OWNER).clicked() {
                chosen = Some(None);
            }
            for principal in ws.principals.iter().filter(|p| can_act(p.kind)) {
                let selected = current.as_deref() == Some(principal.name.as_str());
                if ui
                    .selectable_label(selected, principal.name.as_str())
                    .clicked()
                {
                    chosen = Some(Some(principal.name.clone()));
                }
            }
        })
        .response;
    let label = label.unwrap_or_else(|| ui.label("Acting as"));
    combo
        .labelled_by(label.id)
        .on_hover_text("The principal whose roles every change is checked against");
    if let Some(acting_as) = chosen
        && acting_as != current
    {
        out.push(Intent::SetActingAs(acting_as));
    }
}
