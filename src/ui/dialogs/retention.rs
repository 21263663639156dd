//! The retention policy dialog (Edit, Retention policy…), for a definition or as a gallery's
//! default: edit the policy, preview what happens to every version and the monthly saving, then
//! apply it as one undoable `Edit::Batch`, or save it as the policy of the definition or gallery.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::cost::retention::{Outcome, RetentionPreview, VersionOutcome};
use crate::cost::{format_usd, preview_retention};
use crate::memo::Memo;
use crate::model::retention::{PolicySource, effective};
use crate::model::{Date, Edit, ResourcePath, RetentionPolicy, Workspace};
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::ui::widgets::WhyDisabled;

/// What the policy is for.
#[derive(Clone, Debug, PartialEq)]
pub enum RetentionScope {
    Definition {
        gallery: String,
        definition: String,
    },
    /// The gallery's default, previewed on its definitions without a policy of their own.
    Gallery {
        gallery: String,
    },
}

impl RetentionScope {
    pub fn path(&self) -> ResourcePath {
        match self {
            Self::Definition {
                gallery,
                definition,
            } => ResourcePath::definition(gallery, definition),
            Self::Gallery { gallery } => ResourcePath::gallery(gallery),
        }
    }
}

/// The dialog's state: the policy being edited and the cached preview.
pub struct RetentionDialog {
    pub scope: RetentionScope,
    pub policy: RetentionPolicy,
    /// The date offered when "delete published before" is switched on.
    today: Date,
    /// The previews, or why there are none, by (generation, policy).
    previews: Memo<(u64, RetentionPolicy), Result<Vec<RetentionPreview>, String>>,
}

/// Text for an outcome: what happens, and the details.
pub fn outcome_text(item: &VersionOutcome) -> (&'static str, String) {
    let (what, mut details) = match &item.outcome {
        Outcome::Keep => ("Keep", String::new()),
        Outcome::Shrink { removed } => (
            "Shrink to the source region",
            format!(
                "removes {} ({})",
                removed
                    .iter()
                    .map(|r| r.display_name())
                    .collect::<Vec<_>>()
                    .join(", "),
                removed.len()
            ),
        ),
        Outcome::Delete { why } => ("Delete", why.clone()),
        Outcome::Protected { why } => ("Protected", why.clone()),
        Outcome::Blocked { why } => ("⛔ Blocked", why.clone()),
    };
    if !item.grants_removed.is_empty() {
        details.push_str(&format!(
            "; removes {} with it",
            crate::words::count(item.grants_removed.len(), "grant", "grants")
        ));
    }
    for warning in &item.warnings {
        details.push_str(&format!("; ⚠ {warning}"));
    }
    (what, details)
}

impl OpenDialog for RetentionDialog {
    /// A definition (a version stands for its definition) or a gallery.
    type Request = ResourcePath;

    /// Starts from the policy in force (else the seed's pattern, keep the latest one).
    fn open(path: ResourcePath, cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        let ws = cx.ws;
        let (scope, policy) = match &path {
            ResourcePath::Gallery(g) => {
                let gallery = ws.gallery(g)?;
                (
                    RetentionScope::Gallery { gallery: g.clone() },
                    gallery.default_retention.clone(),
                )
            }
            ResourcePath::Definition(g, d) | ResourcePath::Version(g, d, _) => {
                let gallery = ws.gallery(g)?;
                let definition = gallery.definition(d)?;
                (
                    RetentionScope::Definition {
                        gallery: g.clone(),
                        definition: d.clone(),
                    },
                    effective(gallery, definition).map(|(p, _)| p.clone()),
                )
            }
            _ => return None,
        };
        Some(Self {
            scope,
            policy: policy.unwrap_or_default(),
            today: cx.today,
            previews: Memo::default(),
        })
    }
}

impl RetentionDialog {
    /// Previews of the definitions the policy would govern.
    fn previews(
        &mut self,
        ws: &Workspace,
        generation: u64,
    ) -> &Result<Vec<RetentionPreview>, String> {
        let (scope, policy) = (&self.scope, &self.policy);
        self.previews.get_by(
            |(g, p)| *g == generation && p == policy,
            || (generation, policy.clone()),
            |_| compute_previews(ws, scope, policy),
        )
    }

    /// Draws the dialog.
    fn draw(&mut self, ui: &mut Ui, ws: &Workspace, generation: u64, out: &mut Vec<Intent>) {
        let path = self.scope.path();
        ui.set_max_width(860.0);
        ui.set_min_width(760.0);
        match &self.scope {
            RetentionScope::Definition { .. } => ui.heading("Retention policy"),
            RetentionScope::Gallery { .. } => ui.heading("Default retention policy"),
        };
        ui.label(RichText::new(path.to_string()).monospace());
        ui.label(saved_policy_text(ws, &self.scope));
        ui.add_space(4.0);
        self.policy_form_ui(ui);
        if let Err(err) = self.policy.check() {
            ui.label(RichText::new(format!("⛔ {err}")).color(ui.visuals().error_fg_color));
        }
        ui.add_space(6.0);
        let scope = self.scope.clone();
        let policy = self.policy.clone();
        let previews = match self.previews(ws, generation) {
            Ok(previews) => previews.clone(),
            Err(err) => {
                ui.label(RichText::new(format!("⛔ {err}")).color(ui.visuals().error_fg_color));
                Vec::new()
            }
        };
        let gallery_wide = matches!(scope, RetentionScope::Gallery { .. });
        if gallery_wide && previews.is_empty() {
            ui.weak("Every image definition of the gallery has its own policy: the default governs none");
        }
        preview_table_ui(ui, &previews, gallery_wide);
        let changes: usize = previews.iter().map(|p| p.changes().count()).sum();
        let blocked: usize = previews.iter().map(|p| p.blocked().count()).sum();
        let saving: f64 = previews.iter().map(|p| p.monthly_saving_usd).sum();
        ui.label(
            RichText::new(format!(
                "{} {}, saving {}/month",
                crate::words::count(changes, "version", "versions"),
                if changes == 1 { "changes" } else { "change" },
                format_usd(saving)
            ))
            .strong(),
        );
        if blocked > 0 {
            ui.label(
                RichText::new(format!(
                    "⚠ {} blocked and left unchanged",
                    if blocked == 1 {
                        "1 version is".to_owned()
                    } else {
                        format!("{blocked} versions are")
                    }
                ))
                .color(ui.visuals().warn_fg_color),
            );
        }
        let edit = combined_edit(&scope, &previews);
        ui.separator();
        ui.horizontal(|ui| {
            let apply = ui
                .add_enabled(edit.is_some(), egui::Button::new("Apply"))
                .on_hover_text("Make these changes now, as one step you can undo")
                .why_disabled("Nothing would change");
            if apply.clicked()
                && let Some(edit) = edit.clone()
            {
                out.push(Intent::Edit {
                    edit,
                    select: None,
                    notice: Some(format!(
                        "Applied retention to {path}: {} changed, saving {}/month",
                        crate::words::count(changes, "version", "versions"),
                        format_usd(saving)
                    )),
                });
                ui.close();
            }
            let save_label = match &scope {
                RetentionScope::Definition { .. } => "Save as the definition's policy",
                RetentionScope::Gallery { .. } => "Save as the gallery's default policy",
            };
            let valid = policy.check().is_ok();
            if ui
                .add_enabled(valid, egui::Button::new(save_label))
                .on_hover_text("Store the policy in the workspace without changing any version")
                .clicked()
                && let Some(edit) = save_policy_edit(ws, &scope, Some(policy.clone()))
            {
                out.push(Intent::Edit {
                    edit,
                    select: None,
                    notice: Some(format!("Saved the retention policy of {path}")),
                });
            }
            if has_own_policy(ws, &scope)
                && ui.button("Remove the saved policy").clicked()
                && let Some(edit) = save_policy_edit(ws, &scope, None)
            {
                out.push(Intent::Edit {
                    edit,
                    select: None,
                    notice: Some(format!("Removed the retention policy of {path}")),
                });
            }
            if ui.button("Close").clicked() {
                ui.close();
            }
        });
    }

    fn policy_form_ui(&mut self, ui: &mut Ui) {
        egui::Grid::new("retention-policy")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label("Keep latest");
                ui.horizontal(|ui| {
                    ui.add(egui::DragValue::new(&mut self.policy.keep_latest).range(1..=1000))
                        .labelled_by(label.id);
                    ui.weak(
                        "newest versions keep all their target regions; older ones shrink to \
                         the source region",
                    );
                });
                ui.end_row();

                let label = ui.label("Delete beyond");
                ui.horizontal(|ui| {
                    let mut on = self.policy.delete_beyond.is_some();
                    if ui.checkbox(&mut on, "").labelled_by(label.id).changed() {
                        self.policy.delete_beyond = on.then_some(self.policy.keep_latest.max(3));
                    }
                    match &mut self.policy.delete_beyond {
                        Some(m) => {
                            ui.add(egui::DragValue::new(m).range(1..=1000))
                                .labelled_by(label.id);
                            ui.weak("newest versions stay; older ones are deleted");
                        }
                        None => {
                            ui.weak("not set: no version is deleted by rank");
                        }
                    }
                });
                ui.end_row();

                let label = ui.label("Delete published before");
                ui.horizontal(|ui| {
                    let mut on = self.policy.delete_published_before.is_some();
                    if ui.checkbox(&mut on, "").labelled_by(label.id).changed() {
                        self.policy.delete_published_before = on.then_some(self.today);
                    }
                    match &mut self.policy.delete_published_before {
                        Some(date) => {
                            ui.add(
                                egui_extras::DatePickerButton::new(date)
                                    .id_salt("retention-before")
                                    .calendar_week(false),
                            );
                            ui.weak("older than the kept ones");
                        }
                        None => {
                            ui.weak("not set: no version is deleted by date");
                        }
                    }
                });
                ui.end_row();
            });
        ui.weak(
            "Never shrunk or deleted: the newest completed version, the version \"latest\" \
             resolves to, and versions marked \"Never remove this version in retention\".",
        );
    }
}

fn compute_previews(
    ws: &Workspace,
    scope: &RetentionScope,
    policy: &RetentionPolicy,
) -> Result<Vec<RetentionPreview>, String> {
    match scope {
        RetentionScope::Definition {
            gallery,
            definition,
        } => preview_retention(ws, gallery, definition, policy)
            .map(|p| vec![p])
            .map_err(|e| e.to_string()),
        RetentionScope::Gallery { gallery } => {
            let Some(g) = ws.gallery(gallery) else {
                return Err(format!("{gallery}: the gallery was not found"));
            };
            g.definitions
                .iter()
                .filter(|d| d.retention.is_none())
                .map(|d| preview_retention(ws, gallery, &d.name, policy).map_err(|e| e.to_string()))
                .collect()
        }
    }
}

/// Every preview's changes as one edit (one undo step).
fn combined_edit(scope: &RetentionScope, previews: &[RetentionPreview]) -> Option<Edit> {
    match scope {
        RetentionScope::Definition { .. } => previews.first().and_then(RetentionPreview::edit),
        RetentionScope::Gallery { gallery } => {
            let edits: Vec<Edit> = previews.iter().filter_map(RetentionPreview::edit).collect();
            (!edits.is_empty()).then(|| Edit::Batch {
                label: format!("Apply the default retention policy of gallery {gallery}"),
                edits,
            })
        }
    }
}

fn has_own_policy(ws: &Workspace, scope: &RetentionScope) -> bool {
    match scope {
        RetentionScope::Definition {
            gallery,
            definition,
        } => ws
            .gallery(gallery)
            .and_then(|g| g.definition(definition))
            .is_some_and(|d| d.retention.is_some()),
        RetentionScope::Gallery { gallery } => ws
            .gallery(gallery)
            .is_some_and(|g| g.default_retention.is_some()),
    }
}

/// What is stored today, for the dialog's header.
fn saved_policy_text(ws: &Workspace, scope: &RetentionScope) -> String {
    match scope {
        RetentionScope::Definition {
            gallery,
            definition,
        } => {
            let found = ws
                .gallery(gallery)
                .and_then(|g| Some((g, g.definition(definition)?)));
            match found.and_then(|(g, d)| effective(g, d)) {
                Some((policy, PolicySource::Definition)) => {
                    format!("Saved policy: {}", policy.describe())
                }
                Some((policy, PolicySource::GalleryDefault)) => format!(
                    "No policy of its own; the gallery's default applies: {}",
                    policy.describe()
                ),
                None => "No saved policy: nothing happens until you apply one".to_owned(),
            }
        }
        RetentionScope::Gallery { gallery } => {
            match ws
                .gallery(gallery)
                .and_then(|g| g.default_retention.as_ref())
            {
                Some(policy) => format!("Saved default: {}", policy.describe()),
                None => "No saved default policy".to_owned(),
            }
        }
    }
}

/// Stores (or removes) the policy on the definition or as the gallery's default.
fn save_policy_edit(
    ws: &Workspace,
    scope: &RetentionScope,
    policy: Option<RetentionPolicy>,
) -> Option<Edit> {
    match scope {
        RetentionScope::Definition {
            gallery,
            definition,
        } => {
            let mut stored = ws
                .gallery(gallery)?
                .definition(definition)?
                .without_versions();
            stored.retention = policy;
            Some(Edit::UpdateDefinition {
                gallery: gallery.clone(),
                name: definition.clone(),
                definition: stored,
            })
        }
        RetentionScope::Gallery { gallery } => {
            let mut stored = ws.gallery(gallery)?.without_definitions();
            stored.default_retention = policy;
            Some(Edit::UpdateGallery {
                name: gallery.clone(),
                gallery: stored,
            })
        }
    }
}

fn preview_table_ui(ui: &mut Ui, previews: &[RetentionPreview], gallery_wide: bool) {
    let rows: Vec<(String, &VersionOutcome)> = previews
        .iter()
        .flat_map(|p| {
            p.versions.iter().map(move |v| {
                let name = if gallery_wide {
                    format!("{}/{}", p.definition, v.name)
                } else {
                    v.name.clone()
                };
                (name, v)
            })
        })
        .collect();
    let row_height = ui.spacing().interact_size.y;
    ui.push_id("retention-preview", |ui| {
        TableBuilder::new(ui)
            .striped(true)
            .vscroll(true)
            .max_scroll_height(320.0)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(28.0))
            .column(Column::auto().at_least(90.0))
            .column(Column::auto().at_least(150.0))
            .column(Column::remainder().at_least(240.0).clip(true))
            .column(Column::auto().at_least(110.0))
            .header(22.0, |mut header| {
                for title in [
                    "#",
                    "Version",
                    "What happens",
                    "Details",
                    "Saving USD/month",
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, rows.len(), |mut row| {
                    let Some((name, item)) = rows.get(row.index()) else {
                        return;
                    };
                    let (what, details) = outcome_text(item);
                    row.col(|ui| {
                        ui.weak(item.rank.map_or_else(|| "-".to_owned(), |r| r.to_string()));
                    });
                    row.col(|ui| {
                        ui.label(name);
                    });
                    row.col(|ui| {
                        let text = RichText::new(what);
                        let text = match item.outcome {
                            Outcome::Delete { .. } | Outcome::Blocked { .. } => {
                                text.color(ui.visuals().error_fg_color)
                            }
                            Outcome::Shrink { .. } => text.color(ui.visuals().warn_fg_color),
                            Outcome::Keep | Outcome::Protected { .. } => text,
                        };
                        ui.label(text);
                    });
                    row.col(|ui| {
                        if details.is_empty() {
                            ui.weak("-");
                        } else {
                            crate::ui::widgets::form::cut_label(ui, details.as_str(), &details);
                        }
                    });
                    row.col(|ui| {
                        ui.label(format_usd(item.monthly_saving_usd));
                    });
                });
            });
    });
}

impl Dialog for RetentionDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        self.draw(ui, cx.ws, cx.generation, out)
    }
}
