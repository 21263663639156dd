//! "Hand off to build…": one version handed to an image build, exactly as
//! `sig-studio export --format packer|image-builder` and `sig-studio preflight` give it
//! (`export::handoff::prepare`): the Packer HCL and the Image Builder JSON, each with its notes
//! and the pre-flight findings for that tool, to copy or to save. Files are written by the
//! intent the dialog pushes, after the frame, with the safe write exports use.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use crate::export::handoff::{self, Handoff, NoteKind, Prepared, Tool};
use crate::memo::Memo;
use crate::model::{HyperVGeneration, ResourcePath, Severity};
use crate::preflight::{Preflight, Verdict};
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::ui::widgets::WhyDisabled;
use crate::ui::widgets::form::{FolderCheck, severity_color, severity_icon};
use crate::words::count;

pub struct HandoffDialog {
    /// The version (`gallery/definition/version`).
    pub version: ResourcePath,
    /// The tool whose text, notes and pre-flight are shown.
    pub tool: Tool,
    /// The base image's Hyper-V generation, when the user gives it (the pre-flight checks it).
    pub generation: Option<HyperVGeneration>,
    /// Where each tool's text is saved.
    pub packer_path: String,
    pub image_builder_path: String,
    /// The texts and findings, by the edit generation and the base generation they are for.
    prepared: Memo<(u64, Option<HyperVGeneration>), Result<Prepared, String>>,
    /// The tool whose text was just copied (the dialog says so).
    copied: Option<Tool>,
    folder: FolderCheck,
}

/// The two tools, in the order their tabs show.
const TOOLS: [Tool; 2] = [Tool::Packer, Tool::ImageBuilder];

impl OpenDialog for HandoffDialog {
    /// A version.
    type Request = ResourcePath;

    /// The texts are saved beside the workspace's file by default.
    fn open(version: ResourcePath, cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        let ResourcePath::Version(_, d, v) = &version else {
            return None;
        };
        let folder = cx
            .doc
            .path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_owned)
            .unwrap_or_default();
        let stem = file_stem(&format!("{d}-{v}"));
        let beside = |name: String| folder.join(name).display().to_string();
        Some(Self {
            tool: Tool::Packer,
            generation: None,
            packer_path: beside(format!("{stem}.pkr.hcl")),
            image_builder_path: beside(format!("{stem}.image-builder.json")),
            prepared: Memo::default(),
            copied: None,
            folder: FolderCheck::default(),
            version,
        })
    }
}

impl HandoffDialog {
    /// What the dialog shows (tests and screenshots look inside).
    pub fn prepared(&self) -> Option<&Prepared> {
        self.prepared.last().and_then(|p| p.as_ref().ok())
    }

    /// The shown tool's pre-flight, notes and text, with Copy and Save.
    fn tool_ui(&mut self, ui: &mut Ui, prepared: &Prepared, out: &mut Vec<Intent>) {
        let (handoff, preflight, what) = match self.tool {
            Tool::Packer => (&prepared.packer, &prepared.packer_preflight, "Packer HCL"),
            Tool::ImageBuilder => (
                &prepared.image_builder,
                &prepared.image_builder_preflight,
                "Image Builder JSON",
            ),
        };
        preflight_ui(ui, preflight);
        ui.separator();
        notes_ui(ui, handoff);
        let mut text = handoff.text.as_str();
        let label = ui.label(RichText::new(what).strong());
        egui::ScrollArea::vertical()
            .id_salt(what)
            .max_height((ui.available_height() - 96.0).max(120.0))
            .show(ui, |ui| {
                ui.add(
                    egui::TextEdit::multiline(&mut text)
                        .code_editor()
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            });
        ui.horizontal(|ui| {
            if ui
                .button("Copy")
                .on_hover_text(format!("Copy the {what} to the clipboard"))
                .clicked()
            {
                ui.ctx().copy_text(handoff.text.clone());
                self.copied = Some(self.tool);
            }
            if self.copied == Some(self.tool) {
                ui.weak(format!("The {what} is on the clipboard"));
            }
        });
        self.save_ui(ui, handoff, what, out);
    }

    /// The path field and Save button of the shown tool.
    fn save_ui(&mut self, ui: &mut Ui, handoff: &Handoff, what: &str, out: &mut Vec<Intent>) {
        let path = match self.tool {
            Tool::Packer => &mut self.packer_path,
            Tool::ImageBuilder => &mut self.image_builder_path,
        };
        let folder_ok = self.folder.exists(path);
        let empty = path.trim().is_empty();
        ui.horizontal(|ui| {
            let label = ui.label("Save to path");
            ui.add(egui::TextEdit::singleline(path).desired_width(520.0))
                .labelled_by(label.id);
            if ui
                .add_enabled(folder_ok && !empty, egui::Button::new("Save"))
                .why_disabled("Type a path in a folder that exists")
                .clicked()
            {
                out.push(Intent::SaveHandoff {
                    path: PathBuf::from(path.trim()),
                    text: handoff.text.clone(),
                    what: what.to_owned(),
                });
            }
        });
        if !empty && !folder_ok {
            ui.label(
                RichText::new("That folder does not exist").color(ui.visuals().error_fg_color),
            );
        }
    }
}

impl Dialog for HandoffDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let path = self.version.to_string();
        let options = handoff::Options {
            build: handoff::BuildSource {
                generation: self.generation,
                ..Default::default()
            },
            ..Default::default()
        };
        // Out of `self` while drawn, so that the tool's part can change the dialog's fields.
        let mut memo = std::mem::take(&mut self.prepared);
        let prepared = memo.get((cx.edit_generation, self.generation), |_| {
            handoff::prepare(cx.ws, &path, &options, cx.today).map_err(|e| e.to_string())
        });
        ui.heading("Hand off to build");
        ui.label(RichText::new(&path).monospace());
        ui.label("What Packer's azure-arm builder or Azure Image Builder needs to publish this version, with a timeout from the predicted replication time, and every reason the publish would fail at the end of the build.");
        generation_ui(ui, &mut self.generation);
        ui.horizontal(|ui| {
            for tool in TOOLS {
                ui.selectable_value(&mut self.tool, tool, tool.label());
            }
        });
        ui.separator();
        match prepared {
            Ok(prepared) => self.tool_ui(ui, prepared, out),
            Err(err) => {
                ui.label(RichText::new(err.as_str()).color(ui.visuals().error_fg_color));
            }
        }
        self.prepared = memo;
        ui.separator();
        if ui.button("Close").clicked() {
            ui.close();
        }
    }

    fn size(&self) -> Option<egui::Vec2> {
        Some(egui::vec2(900.0, 720.0))
    }
}

/// The base image's generation: not known (the pre-flight says it did not check it), V1 or V2.
fn generation_ui(ui: &mut Ui, generation: &mut Option<HyperVGeneration>) {
    let shown = |g: Option<HyperVGeneration>| match g {
        None => "Not known",
        Some(HyperVGeneration::V1) => "V1",
        Some(HyperVGeneration::V2) => "V2",
    };
    ui.horizontal(|ui| {
        let label = ui.label("Base image's Hyper-V generation");
        egui::ComboBox::from_id_salt("handoff-generation")
            .selected_text(shown(*generation))
            .show_ui(ui, |ui| {
                for option in [None, Some(HyperVGeneration::V1), Some(HyperVGeneration::V2)] {
                    ui.selectable_value(generation, option, shown(option));
                }
            })
            .response
            .labelled_by(label.id);
    });
}

/// The pre-flight's verdict, then one line per finding, the service's words under it.
fn preflight_ui(ui: &mut Ui, report: &Preflight) {
    let errors = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = report.findings.len() - errors;
    let (verdict, color) = match report.verdict() {
        Verdict::Clean => (
            "Pre-flight: nothing would make the publish fail".to_owned(),
            crate::ui::theme::completed(ui.visuals()),
        ),
        Verdict::Warnings => (
            format!("Pre-flight: {}", count(warnings, "warning", "warnings")),
            ui.visuals().warn_fg_color,
        ),
        Verdict::WouldFail => (
            format!(
                "Pre-flight: the publish would fail ({}, {})",
                count(errors, "error", "errors"),
                count(warnings, "warning", "warnings")
            ),
            ui.visuals().error_fg_color,
        ),
    };
    ui.label(RichText::new(verdict).strong().color(color));
    for finding in &report.findings {
        let region = finding
            .region
            .map_or(String::new(), |r| format!(" ({})", r.display_name()));
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(severity_icon(finding.severity))
                    .color(severity_color(ui, finding.severity)),
            );
            ui.label(format!(
                "{}{region}: {}",
                finding.check.label(),
                finding.message
            ));
        });
        if let Some(quote) = &finding.service_text {
            let source = finding.source.map_or(String::new(), |s| format!(" ({s})"));
            ui.indent(("finding", &finding.message), |ui| {
                ui.weak(format!("The service: “{quote}”{source}"));
            });
        }
    }
    for note in &report.notes {
        ui.weak(note);
    }
}

/// The hand-off's notes: how the timeout was worked out, follow-ups with their command,
/// warnings, and what cannot be handed off.
fn notes_ui(ui: &mut Ui, handoff: &Handoff) {
    if let Some(minutes) = handoff.timeout_minutes {
        let what = match handoff.tool {
            Tool::Packer => "Publish timeout",
            Tool::ImageBuilder => "Build timeout",
        };
        ui.label(format!("{what} written: {minutes} min"));
    }
    let order = [
        NoteKind::Info,
        NoteKind::FollowUp,
        NoteKind::Warning,
        NoteKind::Blocker,
    ];
    for kind in order {
        for note in handoff.notes.iter().filter(|n| n.kind == kind) {
            let color = match kind {
                NoteKind::Blocker => Some(ui.visuals().error_fg_color),
                NoteKind::Warning => Some(ui.visuals().warn_fg_color),
                NoteKind::Info | NoteKind::FollowUp => None,
            };
            let mut text = RichText::new(format!("{}: {}", note.kind.label(), note.text));
            if let Some(color) = color {
                text = text.color(color);
            }
            ui.label(text);
            if let Some(command) = &note.command {
                ui.indent(("command", &note.text), |ui| {
                    ui.label(RichText::new(command).monospace());
                });
            }
        }
    }
}

/// A name as a file name: letters, digits, `.`, `-` and `_`, anything else `-`.
fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect()
}
