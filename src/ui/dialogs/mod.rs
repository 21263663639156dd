//! Every dialog of the app, one struct per file, all of the one [`Dialog`] shape: drawn with
//! the [`ViewCx`] every view reads, answering with [`Intent`]s, closing itself with
//! `ui.close()`. Views ask for a dialog with a [`DialogRequest`] (data); only the app builds
//! dialogs, from the table below, and keeps them in a stack: one opened over another (an
//! error while a form is open) leaves the one below as it was.
//!
//! Adding a dialog: its own file here (the struct, `impl Dialog`, `impl OpenDialog`), its
//! `pub mod` line, and one line in the `dialogs!` table, which is its request variant.

pub mod about;
pub mod add_definition;
pub mod add_gallery;
pub mod add_grant;
pub mod add_image;
pub mod add_regions;
pub mod add_version;
pub mod apply_to_azure;
pub mod azure_changes;
pub mod changed_on_disk;
pub mod check_access;
pub mod confirm_delete;
pub mod connect;
pub mod deploy;
pub mod duplicate;
pub mod export;
pub mod handoff;
pub mod import;
pub mod matrix;
pub mod message;
pub mod open_path;
pub mod planner;
pub mod principals;
pub mod recovery;
pub mod retention;
pub mod review;
pub mod save_path;
pub mod shortcuts;
pub mod unsaved;

use std::any::Any;

use crate::ui::widgets::WhyDisabled;
use egui::{RichText, Ui};

pub use crate::ui::intent::Intent;
pub use crate::ui::view::ViewCx;

/// A window over the app. It closes itself with `ui.close()` (a button answered it); Escape
/// and a click outside dismiss it, when it allows that.
pub trait Dialog: Any {
    /// Draws the dialog into the modal's `ui`, pushing what the user decided to `out`.
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>);

    /// A stable size for a dialog whose content changes while it is open (a search, a hovered
    /// cell): the window keeps this size, anchored at its top, so a click never lands on
    /// another row. `None`: the dialog fits its content.
    fn size(&self) -> Option<egui::Vec2> {
        None
    }

    /// Whether Escape or a click outside closes it (a question that must be answered: no).
    fn dismissable(&self) -> bool {
        true
    }

    /// It was dismissed (Escape, a click outside): pushes what that means.
    fn dismissed(&mut self, out: &mut Vec<Intent>) {
        let _ = out;
    }
}

impl dyn Dialog {
    /// The dialog as its concrete type (tests, benchmarks and screenshots look inside).
    pub fn downcast_ref<T: Dialog>(&self) -> Option<&T> {
        (self as &dyn Any).downcast_ref()
    }

    /// Whether the dialog is of type `T`.
    pub fn is<T: Dialog>(&self) -> bool {
        (self as &dyn Any).is::<T>()
    }
}

/// How a dialog is built from its request, when the app opens it.
pub trait OpenDialog: Dialog + Sized {
    /// What a view asks with (a path, a note; `()` when there is nothing to say).
    type Request;

    /// The dialog for `request`, reading what it starts from in `cx` (`None`: what it is about
    /// is gone, nothing opens). `ctx` wakes the window for work the dialog starts on a thread.
    fn open(request: Self::Request, cx: &ViewCx<'_>, ctx: &egui::Context) -> Option<Self>;
}

/// Declares [`DialogRequest`] from the table of dialogs: one variant per dialog, carrying its
/// [`OpenDialog::Request`], and the one place dialogs are built.
macro_rules! dialogs {
    ($($(#[$doc:meta])* $variant:ident => $module:ident::$dialog:ident,)*) => {
        /// A dialog to open, as data: views ask with it, the app builds the dialog.
        pub enum DialogRequest {
            $($(#[$doc])* $variant(<$module::$dialog as OpenDialog>::Request),)*
        }

        impl DialogRequest {
            /// Builds the dialog (`None`: what it is about no longer exists).
            pub(in crate::ui) fn open(
                self,
                cx: &ViewCx<'_>,
                ctx: &egui::Context,
            ) -> Option<Box<dyn Dialog>> {
                match self {
                    $(Self::$variant(request) => {
                        let dialog = $module::$dialog::open(request, cx, ctx)?;
                        Some(Box::new(dialog))
                    })*
                }
            }
        }
    };
}

dialogs! {
    /// Help, About SIG Studio.
    About => about::AboutDialog,
    /// A definition in the gallery named.
    AddDefinition => add_definition::AddDefinitionDialog,
    AddGallery => add_gallery::AddGalleryDialog,
    /// A role on the resource.
    AddGrant => add_grant::AddGrantDialog,
    AddImage => add_image::AddImageDialog,
    /// Target regions for the version.
    AddRegions => add_regions::AddRegionsDialog,
    /// A version in the (gallery, definition).
    AddVersion => add_version::AddVersionDialog,
    /// Review changes → Apply to Azure: read Azure again, confirm, run, follow replication.
    ApplyToAzure => apply_to_azure::ApplyDialog,
    /// What a refresh found: Azure's changes, the planned edits, the conflicts to resolve.
    AzureChanges => azure_changes::AzureChangesDialog,
    /// The file changed on disk since it was opened or saved: overwrite, save as, or cancel.
    ChangedOnDisk => changed_on_disk::ChangedOnDiskDialog,
    /// (principal, resource), either chosen in the dialog when `None`.
    CheckAccess => check_access::CheckAccessDialog,
    ConfirmDelete => confirm_delete::ConfirmDeleteDialog,
    /// File, Connect to Azure: sign in with az, pick a subscription, read it.
    Connect => connect::ConnectDialog,
    Deploy => deploy::DeployDialog,
    /// A copy of the resource under a new name.
    Duplicate => duplicate::DuplicateDialog,
    Export => export::ExportDialog,
    /// A version handed to Packer or Image Builder, with the pre-flight.
    Handoff => handoff::HandoffDialog,
    Import => import::ImportDialog,
    AccessMatrix => matrix::MatrixView,
    /// (title, text) with an OK button.
    Message => message::MessageDialog,
    /// The path field that stands in for the desktop's Open dialog, with a note why.
    OpenPath => open_path::OpenPathDialog,
    PlanReplicas => planner::PlannerDialog,
    Principals => principals::PrincipalsDialog,
    /// Unsaved work found at start: restore or discard.
    Recovery => recovery::RecoveryDialog,
    RetentionPolicy => retention::RetentionDialog,
    ReviewChanges => review::ReviewDialog,
    /// The path field that stands in for the desktop's Save dialog, with a note why.
    SavePath => save_path::SavePathDialog,
    Shortcuts => shortcuts::ShortcutsDialog,
    /// "Save changes?" before leaving the document.
    Unsaved => unsaved::UnsavedDialog,
}

/// The user's answer to a creation dialog.
enum Decision {
    Create,
    Cancel,
}

/// A labelled text field of a form, its error under it; returns the field's response.
fn labelled_text(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    hint: &str,
    error: Option<String>,
) -> egui::Response {
    let l = ui.label(label);
    let response = ui
        .vertical(|ui| {
            let response = ui
                .add(
                    egui::TextEdit::singleline(value)
                        .hint_text(hint)
                        .desired_width(320.0),
                )
                .labelled_by(l.id);
            if let Some(error) = error {
                ui.label(
                    // Normal size: it says what to fix.
                    RichText::new(error).color(ui.visuals().error_fg_color),
                );
            }
            response
        })
        .inner;
    ui.end_row();
    response
}

fn labelled_choice<T: PartialEq + Copy>(
    ui: &mut Ui,
    label: &str,
    id: &str,
    value: &mut T,
    options: &[(T, &str)],
) {
    let l = ui.label(label);
    let current = options
        .iter()
        .find(|(v, _)| v == value)
        .map_or("", |(_, t)| *t);
    egui::ComboBox::from_id_salt(id)
        .selected_text(current)
        .show_ui(ui, |ui| {
            for (option, text) in options {
                ui.selectable_value(value, *option, *text);
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
}

fn buttons(ui: &mut Ui, create_label: &str, ready: bool) -> Option<Decision> {
    ui.separator();
    let mut decision = None;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(ready, egui::Button::new(create_label))
            .why_disabled("Fix the fields marked in red first")
            .clicked()
        {
            decision = Some(Decision::Create);
        }
        if ui.button("Cancel").clicked() {
            decision = Some(Decision::Cancel);
        }
    });
    if ready && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
        decision = Some(Decision::Create);
    }
    decision
}

fn form(ui: &mut Ui, id: &str, add: impl FnOnce(&mut Ui)) {
    egui::Grid::new(id)
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, add);
}

fn fixed_note(ui: &mut Ui, what: &str) {
    ui.weak(format!(
        "The fields below are fixed once the {what} exists: the service refuses to change them later."
    ));
}

/// A creation dialog's answer: `Create` pushes `create()`; either answer closes the dialog.
fn decide(
    ui: &Ui,
    decision: Option<Decision>,
    out: &mut Vec<Intent>,
    create: impl FnOnce() -> Intent,
) {
    match decision {
        Some(Decision::Create) => {
            out.push(create());
            ui.close();
        }
        Some(Decision::Cancel) => ui.close(),
        None => {}
    }
}
