//! "Duplicate with a new name…": ARM cannot rename a gallery, definition or version that exists
//! in Azure (a rename is a delete plus a create), so the app offers a copy under a new name,
//! planned in the workspace, with the original left as it is.

use egui::{RichText, Ui};

use crate::model::edit::rename_refusal;
use crate::model::latest::latest;
use crate::model::rules::{check_definition_name, check_gallery_name, check_version_name};
use crate::model::{
    Edit, Gallery, ImageDefinition, ImageVersion, ReplicaStatus, Resource, ResourcePath, Workspace,
};
use crate::ui::dialogs::add_version::next_version;
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::words::count;

pub struct DuplicateDialog {
    pub path: ResourcePath,
    pub name: String,
    focus: bool,
}

impl OpenDialog for DuplicateDialog {
    /// The gallery, definition or version to copy.
    type Request = ResourcePath;

    fn open(path: ResourcePath, cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        Some(Self {
            name: proposed_name(cx.ws, &path),
            path,
            focus: true,
        })
    }
}

/// A name the copy can take as it is: a version's next number (after the highest of its
/// definition), else the name with the first free `-2`, `-3`… (`_2`… for a gallery, whose names
/// take no hyphen). Never `1.0.12-copy`, which no version may be called.
pub fn proposed_name(ws: &Workspace, path: &ResourcePath) -> String {
    let free = |name: &str| duplicate_edit(ws, path, name).is_ok();
    if let Some(Resource::Version(_, definition, _)) = ws.resolve(path) {
        let next = next_version(Some(definition));
        if free(&next) {
            return next;
        }
    }
    let joint = if matches!(path, ResourcePath::Gallery(_)) {
        '_'
    } else {
        '-'
    };
    (2..1000)
        .map(|n| format!("{}{joint}{n}", path.name()))
        .find(|name| free(name))
        .unwrap_or_else(|| path.name().to_owned())
}

/// What renaming the resource in Azure would delete there (a rename is a delete plus a
/// create), said before anything happens: its definitions and versions, and the version
/// "latest" resolves to.
pub fn rename_would_delete(ws: &Workspace, path: &ResourcePath) -> Option<String> {
    let latest_of = |definition: &ImageDefinition| latest(definition, None).map(|v| v.name.clone());
    match path {
        ResourcePath::Gallery(g) => {
            let gallery = ws.gallery(g)?;
            let versions: usize = gallery.definitions.iter().map(|d| d.versions.len()).sum();
            Some(format!(
                "A rename would delete the gallery {g} in Azure with its {} and {}.",
                count(gallery.definitions.len(), "definition", "definitions"),
                count(versions, "version", "versions"),
            ))
        }
        ResourcePath::Definition(_, d) => {
            let definition = ws.resolve(path)?.definition()?;
            if definition.versions.is_empty() {
                return Some(format!(
                    "A rename would delete the definition {d} in Azure."
                ));
            }
            let names: Vec<&str> = definition
                .versions
                .iter()
                .map(|v| v.name.as_str())
                .collect();
            let latest = latest_of(definition)
                .map(|v| format!(", including {v}, which \"latest\" resolves to"))
                .unwrap_or_default();
            Some(format!(
                "A rename would delete the definition {d} in Azure with its {} ({}){latest}.",
                count(names.len(), "version", "versions"),
                names.join(", "),
            ))
        }
        ResourcePath::Version(.., v) => {
            let Resource::Version(_, definition, version) = ws.resolve(path)? else {
                return None;
            };
            let latest = if latest_of(definition).as_deref() == Some(v.as_str()) {
                ", the one \"latest\" resolves to,"
            } else {
                ""
            };
            Some(format!(
                "A rename would delete the version {v}{latest} in Azure with its replicas in {}.",
                count(version.target_regions.len(), "region", "regions"),
            ))
        }
        _ => None,
    }
}

/// The copy of the resource at `path` under `name`, as a planned resource (not in Azure),
/// without children and (for a version) without replication progress; or why it cannot be.
pub fn duplicate_edit(
    ws: &Workspace,
    path: &ResourcePath,
    name: &str,
) -> Result<(Edit, ResourcePath), String> {
    let taken = |exists: bool, what: &str| {
        if exists {
            Err(format!("A {what} named \"{name}\" already exists"))
        } else {
            Ok(())
        }
    };
    match path {
        ResourcePath::Gallery(g) => {
            check_gallery_name(name).map_or(Ok(()), Err)?;
            taken(
                ws.galleries
                    .iter()
                    .any(|x| x.name.eq_ignore_ascii_case(name)),
                "gallery",
            )?;
            let original = ws.gallery(g).ok_or("The gallery is gone")?;
            let gallery = Gallery {
                name: name.to_owned(),
                definitions: Vec::new(),
                ..original.clone()
            };
            let edit = Edit::AddGallery {
                index: None,
                gallery,
            };
            Ok((edit, ResourcePath::gallery(name)))
        }
        ResourcePath::Definition(g, d) => {
            check_definition_name(name).map_or(Ok(()), Err)?;
            let gallery = ws.gallery(g).ok_or("The gallery is gone")?;
            taken(
                gallery
                    .definitions
                    .iter()
                    .any(|x| x.name.eq_ignore_ascii_case(name)),
                "definition",
            )?;
            let original = gallery.definition(d).ok_or("The definition is gone")?;
            let definition = ImageDefinition {
                name: name.to_owned(),
                versions: Vec::new(),
                ..original.clone()
            };
            let edit = Edit::AddDefinition {
                gallery: g.clone(),
                index: None,
                definition,
            };
            Ok((edit, ResourcePath::definition(g, name)))
        }
        ResourcePath::Version(g, d, v) => {
            check_version_name(name).map_or(Ok(()), Err)?;
            let definition = ws
                .gallery(g)
                .and_then(|x| x.definition(d))
                .ok_or("The definition is gone")?;
            taken(
                definition.versions.iter().any(|x| x.name == name),
                "version",
            )?;
            let original = definition.version(v).ok_or("The version is gone")?;
            let mut version = ImageVersion {
                name: name.to_owned(),
                ..original.clone()
            };
            for target in &mut version.target_regions {
                target.status = ReplicaStatus::default();
            }
            let edit = Edit::AddVersion {
                gallery: g.clone(),
                definition: d.clone(),
                index: None,
                version,
            };
            Ok((edit, ResourcePath::version(g, d, name)))
        }
        _ => Err("Only galleries, definitions and versions are duplicated".to_owned()),
    }
}

impl Dialog for DuplicateDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        ui.heading(format!("Duplicate {} with a new name", self.path.kind()));
        ui.label(RichText::new(self.path.to_string()).monospace());
        ui.label(rename_refusal(&self.path));
        if let Some(deletes) = rename_would_delete(cx.ws, &self.path) {
            ui.label(RichText::new(deletes).color(ui.visuals().warn_fg_color));
        }
        let label = ui.label("New name");
        let response = ui
            .add(egui::TextEdit::singleline(&mut self.name).desired_width(360.0))
            .labelled_by(label.id);
        if std::mem::take(&mut self.focus) {
            response.request_focus();
        }
        let result = duplicate_edit(cx.ws, &self.path, self.name.trim());
        if let Err(why) = &result {
            ui.label(RichText::new(why).color(ui.visuals().error_fg_color));
        }
        ui.horizontal(|ui| {
            let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let create = ui
                .add_enabled(result.is_ok(), egui::Button::new("Duplicate"))
                .clicked();
            if (create || enter)
                && let Ok((edit, select)) = &result
            {
                out.push(Intent::Edit {
                    edit: edit.clone(),
                    select: Some(select.clone()),
                    notice: Some(format!("Duplicated {} as {}", self.path, select)),
                });
                ui.close();
            }
            if ui.button("Cancel").clicked() {
                ui.close();
            }
        });
    }
}
