//! The "Acting as" banner: whom the app acts as, their role on the selection, and a way back
//! to acting as the workspace owner. What that principal may do is the app's
//! ([`crate::access::Permissions`], lent in the view context).

use egui::{RichText, Ui};

use crate::access::{AccessIndex, role_label};
use crate::memo::Memo;
use crate::model::{ResourcePath, Workspace};
use crate::ui::intent::Intent;
use crate::ui::view::ViewCx;
use crate::ui::widgets::form::cut_label;

/// The banner's text, by (edit generation, selection).
#[derive(Default)]
pub struct ActingBanner {
    text: Memo<(u64, Option<ResourcePath>), String>,
}

impl ActingBanner {
    /// Draws the banner (the app shows it only while it acts as someone other than the owner).
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let Some(actor) = cx.permissions().actor() else {
            return;
        };
        let (generation, selection) = (cx.edit_generation, cx.selection);
        let text = self.text.get_by(
            |(g, s)| *g == generation && s.as_ref() == selection,
            || (generation, selection.cloned()),
            |_| banner(cx.ws, actor, selection),
        );
        // One line, whatever the selection: the banner's height never changes under the
        // pointer (a long name is cut, whole on hover).
        ui.horizontal(|ui| {
            let button = "Act as the workspace owner";
            let button_width = crate::ui::widgets::text_width(ui, button) + 24.0;
            let room = (ui.available_width() - button_width).max(60.0);
            ui.allocate_ui(egui::vec2(room, ui.spacing().interact_size.y), |ui| {
                let rich = RichText::new(text.as_str())
                    .strong()
                    .color(ui.visuals().warn_fg_color);
                cut_label(ui, rich, text);
            });
            if ui
                .button(button)
                .on_hover_text("Stop acting as this principal: every change is allowed again")
                .clicked()
            {
                out.push(Intent::SetActingAs(None));
            }
        });
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
