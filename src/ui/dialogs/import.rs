//! "Import from Azure JSON": the files (picked in the desktop's dialog, or typed where there is
//! none) are read and merged into a copy of the workspace on a background thread, with the step
//! it is at; then the summary (counts, placeholders, every warning with its JSON path) is read
//! before anything changes. *Import* applies it all as one undo step, through the intent it
//! pushes; *Cancel*, a failure or closing the dialog leave the workspace as it was.

use std::path::PathBuf;
use std::sync::Arc;

use egui::{RichText, Ui};

use crate::import::Summary;
use crate::memo::Memo;
use crate::ui::actions::UserAction;
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::ui::intent::{AcceptedImport, Target};
use crate::ui::tasks::import::{ImportTask, Imported, file_name};
use crate::ui::widgets::WhyDisabled;

/// Where the dialog is.
enum Stage {
    /// Typing the files' paths (no desktop file dialog).
    Choose,
    Running(Box<ImportTask>),
    Done(Box<Imported>),
    Failed(String),
}

pub struct ImportDialog {
    /// The paths typed, one per line.
    pub text: String,
    note: Option<String>,
    stage: Stage,
    /// The document's generation the import started from.
    generation: u64,
    /// The files were typed (else picked in the desktop's dialog, which *Choose other files*
    /// opens again).
    typed: bool,
    /// The paths the text names that are no file, by the text: the disk is asked when the
    /// text changes, not on every frame.
    missing: Memo<String, Vec<PathBuf>>,
    focus: bool,
}

/// How an import starts.
pub enum ImportRequest {
    /// The path field, with why it stands in for the desktop's dialog (if it does).
    Choose(Option<String>),
    /// Import these files (picked in the desktop's dialog) into a copy of the workspace.
    Files(Vec<PathBuf>),
    /// Show the progress of this task, started at this generation of the document, then its
    /// summary.
    Running(Box<ImportTask>, u64),
}

impl OpenDialog for ImportDialog {
    type Request = ImportRequest;

    fn open(request: ImportRequest, cx: &ViewCx<'_>, ctx: &egui::Context) -> Option<Self> {
        Some(match request {
            ImportRequest::Choose(note) => Self::choose(note),
            ImportRequest::Files(files) => {
                let task = ImportTask::spawn(files, Arc::clone(cx.doc.shared()), ctx);
                Self::running(Box::new(task), cx.generation)
            }
            ImportRequest::Running(task, generation) => Self::running(task, generation),
        })
    }
}

impl ImportDialog {
    fn choose(note: Option<String>) -> Self {
        Self {
            text: String::new(),
            note,
            stage: Stage::Choose,
            generation: 0,
            typed: true,
            missing: Memo::default(),
            focus: true,
        }
    }

    fn running(task: Box<ImportTask>, generation: u64) -> Self {
        Self {
            stage: Stage::Running(task),
            generation,
            typed: false,
            ..Self::choose(None)
        }
    }

    /// Blocks until a running import has finished (tests wait on the task, never on a clock).
    pub fn wait(&self) {
        if let Stage::Running(task) = &self.stage {
            task.wait();
        }
    }

    /// The summary, once the import has finished.
    pub fn summary(&self) -> Option<&Summary> {
        match &self.stage {
            Stage::Done(imported) => Some(&imported.summary),
            _ => None,
        }
    }

    /// The error that stopped the import, if one did.
    pub fn error(&self) -> Option<&str> {
        match &self.stage {
            Stage::Failed(message) => Some(message),
            _ => None,
        }
    }

    fn paths(&self) -> Vec<PathBuf> {
        self.text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(PathBuf::from)
            .collect()
    }

    /// The path field.
    fn choose_ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>) {
        if let Some(note) = &self.note {
            ui.label(note.as_str());
        }
        let label = ui.label("JSON files to import, one path per line");
        let response = ui
            .add(
                egui::TextEdit::multiline(&mut self.text)
                    .hint_text("/home/me/galleries.json\n/home/me/versions.json")
                    .desired_rows(4)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if std::mem::take(&mut self.focus) {
            response.request_focus();
        }
        let paths = self.paths();
        let text = &self.text;
        let missing = self.missing.get_by(
            |checked| checked == text,
            || text.clone(),
            |_| paths.iter().filter(|p| !p.is_file()).cloned().collect(),
        );
        for path in missing.iter() {
            let text = format!("No file at {}", path.display());
            ui.label(RichText::new(text).color(ui.visuals().error_fg_color));
        }
        ui.weak("az CLI output (az sig … list/show, az role assignment list), REST responses, examples of the REST spec and ARM templates: the kind is read from each file's content.");
        ui.separator();
        ui.horizontal(|ui| {
            let ready = !paths.is_empty() && missing.is_empty();
            if ui
                .add_enabled(ready, egui::Button::new("Read files"))
                .clicked()
            {
                let task = ImportTask::spawn(paths, Arc::clone(cx.doc.shared()), ui.ctx());
                self.generation = cx.generation;
                self.stage = Stage::Running(Box::new(task));
            }
            if ui.button("Cancel").clicked() {
                ui.close();
            }
        });
    }

    /// The progress of a running import.
    fn running_ui(ui: &mut Ui, task: &ImportTask) {
        let status = task.status();
        ui.label(&status.text);
        ui.horizontal(|ui| {
            ui.spinner();
            ui.add(
                egui::ProgressBar::new(status.fraction)
                    .desired_width(480.0)
                    .show_percentage(),
            );
        });
        ui.weak(
            "The open workspace changes only once you have read the summary and chosen Import.",
        );
        ui.separator();
        if ui.button("Cancel").clicked() {
            ui.close();
        }
    }
}

/// Draws what an import would do, scrolling in the room left above the buttons.
fn summary_ui(ui: &mut Ui, summary: &Summary) {
    let room = (ui.available_height() - 44.0).max(80.0);
    egui::ScrollArea::vertical()
        .max_height(room)
        .auto_shrink([false, false])
        .show(ui, |ui| summary_body(ui, summary));
}

fn summary_body(ui: &mut Ui, summary: &Summary) {
    let files = summary.files.len();
    ui.label(RichText::new(format!("Read {}", count(files, "file"))).strong());
    for file in &summary.files {
        ui.label(format!(
            "{}: {}, {} read",
            file_name(&file.file),
            file.kind,
            count(file.read, "item")
        ))
        .on_hover_text(&file.file);
    }
    ui.add_space(4.0);
    ui.label(RichText::new("Merged into the open workspace (nothing is deleted)").strong());
    for line in summary.count_lines() {
        ui.label(line);
    }
    if !summary.imported_anything() {
        let text = "Nothing in these files could be imported: no gallery, image definition, image version or role assignment was found.";
        ui.label(RichText::new(text).color(ui.visuals().error_fg_color));
    }
    if !summary.known_only_by_reference.is_empty() {
        ui.add_space(4.0);
        ui.label(
            RichText::new("Known only by reference, until their own payload is imported").strong(),
        );
        ui.label(summary.known_only_by_reference.join(", "));
    }
    ui.add_space(4.0);
    if summary.warnings.is_empty() {
        ui.label("No warnings: every value was understood.");
        return;
    }
    ui.label(
        RichText::new(format!(
            "{}: values not understood are kept verbatim, the rest of each resource is imported",
            count(summary.warnings.len(), "warning")
        ))
        .strong(),
    );
    for w in &summary.warnings {
        let text = if w.path.is_empty() {
            format!("{}: {}", file_name(&w.file), w.message)
        } else {
            format!("{}: {}: {}", file_name(&w.file), w.path, w.message)
        };
        ui.label(RichText::new(text).color(ui.visuals().warn_fg_color))
            .on_hover_text(&w.file);
    }
}

/// "1 file", "3 files".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The undo step's name and the notice once applied.
fn label_and_notice(summary: &Summary) -> (String, String) {
    let kinds = [
        &summary.galleries,
        &summary.definitions,
        &summary.versions,
        &summary.principals,
        &summary.grants,
    ];
    let added: usize = kinds.iter().map(|c| c.added).sum();
    let updated: usize = kinds.iter().map(|c| c.updated).sum();
    let files = count(summary.files.len(), "file");
    (
        format!("Import from Azure JSON ({files})"),
        format!("Imported {files}: {added} added, {updated} updated"),
    )
}

impl Dialog for ImportDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        ui.heading("Import from Azure JSON");
        if let Stage::Running(task) = &mut self.stage {
            match task.poll() {
                Some(Ok(imported)) => self.stage = Stage::Done(Box::new(imported)),
                Some(Err(err)) => self.stage = Stage::Failed(err.to_string()),
                None => {}
            }
        }
        match &mut self.stage {
            Stage::Choose => self.choose_ui(ui, cx),
            Stage::Running(task) => Self::running_ui(ui, task),
            Stage::Failed(message) => {
                ui.label(RichText::new(message.as_str()).color(ui.visuals().error_fg_color));
                ui.label("Nothing was imported: the workspace is unchanged.");
                ui.separator();
                ui.horizontal(|ui| {
                    if ui.button("Choose other files").clicked() {
                        if self.typed {
                            // Back to the paths as typed, to correct them.
                            self.stage = Stage::Choose;
                            self.focus = true;
                        } else {
                            out.push(Intent::run(UserAction::Import, Target::Workspace));
                            ui.close();
                        }
                    }
                    if ui.button("Close").clicked() {
                        ui.close();
                    }
                });
            }
            Stage::Done(imported) => {
                summary_ui(ui, &imported.summary);
                ui.separator();
                let mut accept = false;
                ui.horizontal(|ui| {
                    let importable = imported.summary.imported_anything();
                    accept = ui
                        .add_enabled(importable, egui::Button::new("Import"))
                        .on_hover_text("Apply the whole import as one step (Undo takes it back)")
                        .why_disabled("Nothing in these files could be imported")
                        .clicked();
                    if ui.button("Cancel").clicked() {
                        ui.close();
                    }
                    if importable {
                        ui.weak("Import applies all of it as one step: Undo takes it back.");
                    }
                });
                if accept {
                    let Stage::Done(imported) = std::mem::replace(&mut self.stage, Stage::Choose)
                    else {
                        return;
                    };
                    let (label, notice) = label_and_notice(&imported.summary);
                    out.push(Intent::AcceptImport(Box::new(AcceptedImport {
                        imported: imported.ws,
                        generation: self.generation,
                        inputs: imported.inputs,
                        label,
                        notice,
                    })));
                    ui.close();
                }
            }
        }
    }

    /// The summary has a fixed size, its warnings scrolling inside; choosing files and the
    /// progress fit their content.
    fn size(&self) -> Option<egui::Vec2> {
        matches!(self.stage, Stage::Done(_)).then(|| egui::vec2(780.0, 640.0))
    }
}
