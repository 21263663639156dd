//! "Check access…": pick a principal and a resource (and a region for "can deploy now"), get the
//! answer and the reasoning.

use egui::{RichText, Ui};

use crate::access::{AccessIndex, role_label};
use crate::memo::Memo;
use crate::model::{Region, Resource, ResourcePath, Workspace};
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::ui::widgets::form::{self, FirstFocus};

/// The answer for one question, in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub headline: String,
    pub allowed: bool,
    pub why: Vec<String>,
}

/// What the dialog asks: principal, resource path text, optional region.
type Question = (String, String, Option<Region>);

pub struct CheckAccessDialog {
    pub search: String,
    pub principal: Option<String>,
    pub resource: String,
    pub deploy: bool,
    pub region: Region,
    /// The answer, by (generation, question).
    answer: Memo<(u64, Question), Answer>,
    /// Resource paths matching the typed text, by (generation, text).
    suggestions: Memo<(u64, String), Vec<String>>,
    focus: FirstFocus,
}

/// Whether `path` names an existing gallery, definition or version (the scopes of grants).
fn shareable(ws: &Workspace, path: &ResourcePath) -> bool {
    matches!(
        ws.resolve(path),
        Some(Resource::Gallery(_) | Resource::Definition(..) | Resource::Version(..))
    )
}

/// How many matching resources are offered under the path field.
const SUGGESTIONS: usize = 8;

/// Paths of galleries, definitions and versions containing `needle` (case-insensitive), in tree
/// order, at most `limit`. An empty needle matches nothing.
pub fn matching_resources(ws: &Workspace, needle: &str, limit: usize) -> Vec<String> {
    let needle = needle.trim().to_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut offer = |path: String| {
        if found.len() < limit && path.to_lowercase().contains(&needle) {
            found.push(path);
        }
        found.len() < limit
    };
    for g in &ws.galleries {
        if !offer(g.name.clone()) {
            return found;
        }
        for d in &g.definitions {
            if !offer(format!("{}/{}", g.name, d.name)) {
                return found;
            }
            for v in &d.versions {
                if !offer(format!("{}/{}/{}", g.name, d.name, v.name)) {
                    return found;
                }
            }
        }
    }
    found
}

/// Answers "what can `principal` do on `path`" (and "can it deploy there in `region` now").
pub fn answer(ws: &Workspace, principal: &str, path_text: &str, region: Option<Region>) -> Answer {
    let Some(path) = ResourcePath::parse(path_text.trim()) else {
        return Answer {
            headline: format!("{path_text}: not a gallery, definition or version path"),
            allowed: false,
            why: Vec::new(),
        };
    };
    let index = AccessIndex::new(ws);
    let access = match index.principal_access(principal) {
        Ok(access) => access,
        Err(err) => {
            return Answer {
                headline: err.to_string(),
                allowed: false,
                why: Vec::new(),
            };
        }
    };
    if !shareable(ws, &path) || index.resource_id(&path).is_none() {
        return Answer {
            headline: format!(
                "{path}: there is no gallery, image definition or image version here"
            ),
            allowed: false,
            why: Vec::new(),
        };
    }
    let set = access.roles_on(&path);
    let roles = set.roles();
    let actions = set.actions_on(path.kind());
    let resource = path.to_string();
    let mut why: Vec<String> = Vec::new();
    if !roles.is_empty() {
        // What the roles allow here, from the one role table.
        why.push(if actions.is_empty() {
            format!("Allows nothing on this {}", path.kind())
        } else {
            let labels: Vec<&str> = actions.iter().map(|a| a.label()).collect();
            format!("Allows: {}", labels.join(", "))
        });
    }
    why.extend(
        access
            .reasons_on(&path)
            .iter()
            .map(|r| r.text_for(&resource)),
    );
    why.extend(access.ignored().iter().map(|i| i.text()));
    let mut answer = if roles.is_empty() {
        Answer {
            headline: format!("{principal} has no access to {resource}"),
            allowed: false,
            why,
        }
    } else {
        let labels: Vec<&str> = roles.iter().map(|r| role_label(*r)).collect();
        Answer {
            headline: format!("{principal} is {} on {resource}", labels.join(", ")),
            allowed: !actions.is_empty(),
            why,
        }
    };
    if let Some(region) = region {
        match index.can_deploy(principal, &path, region) {
            Ok(deploy) => {
                answer.allowed = deploy.allowed;
                answer.headline = format!(
                    "{} {} deploy {} in {} now",
                    answer.headline,
                    if deploy.allowed {
                        "and can"
                    } else {
                        "but cannot"
                    },
                    deploy.version.as_deref().unwrap_or(&resource),
                    region.display_name()
                );
                // The deploy answer repeats the grants that give the role: each line once.
                for line in &deploy.why {
                    if !answer.why.contains(line) {
                        answer.why.push(line.clone());
                    }
                }
            }
            Err(err) => answer.why.push(err.to_string()),
        }
    }
    answer
}

impl OpenDialog for CheckAccessDialog {
    /// The principal and the resource, each chosen in the dialog when `None`.
    type Request = (Option<String>, Option<ResourcePath>);

    fn open(
        (principal, resource): Self::Request,
        _cx: &ViewCx<'_>,
        _ctx: &egui::Context,
    ) -> Option<Self> {
        Some(Self {
            search: String::new(),
            principal,
            resource: resource.map(|p| p.to_string()).unwrap_or_default(),
            deploy: false,
            region: Region::default(),
            answer: Memo::default(),
            suggestions: Memo::default(),
            focus: FirstFocus::default(),
        })
    }
}

impl CheckAccessDialog {
    /// Draws the dialog.
    fn draw(&mut self, ui: &mut Ui, ws: &Workspace, generation: u64) {
        ui.heading("Check access");
        let needle = form::principal_search(ui, &mut self.search, None, &mut self.focus);
        egui::ScrollArea::vertical()
            .id_salt("check-access-principals")
            .max_height(180.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                for principal in ws
                    .principals
                    .iter()
                    .filter(|p| needle.is_empty() || p.name.to_lowercase().contains(&needle))
                {
                    let selected = self.principal.as_deref() == Some(principal.name.as_str());
                    ui.horizontal(|ui| {
                        if ui
                            .selectable_label(selected, principal.name.as_str())
                            .clicked()
                        {
                            self.principal = Some(principal.name.clone());
                        }
                        ui.weak(format!("{} · {}", principal.kind.label(), principal.tenant));
                    });
                }
            });
        let label = ui.label("Resource path");
        ui.add(
            egui::TextEdit::singleline(&mut self.resource)
                .hint_text("type part of a name, e.g. ubuntu or 1.0.9")
                .desired_width(360.0),
        )
        .labelled_by(label.id);
        let exact = ResourcePath::parse(self.resource.trim()).is_some_and(|p| shareable(ws, &p));
        if !exact {
            let text = &self.resource;
            let found = self.suggestions.get_by(
                |(g, t)| *g == generation && t == text,
                || (generation, text.clone()),
                |(_, text)| matching_resources(ws, text, SUGGESTIONS),
            );
            let mut picked = None;
            ui.horizontal_wrapped(|ui| {
                for path in found.iter() {
                    if ui
                        .link(path.as_str())
                        .on_hover_text("Check access to this resource")
                        .clicked()
                    {
                        picked = Some(path.clone());
                    }
                }
            });
            if let Some(path) = picked {
                self.resource = path;
            }
        }
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.deploy, "Can deploy now in");
            ui.add_enabled_ui(self.deploy, |ui| {
                crate::ui::widgets::form::region_combo(ui, "check-access-region", &mut self.region);
            });
        });
        ui.separator();
        match &self.principal {
            None => {
                ui.weak("Pick a principal");
            }
            Some(principal) => {
                let question = (
                    principal.clone(),
                    self.resource.clone(),
                    self.deploy.then_some(self.region),
                );
                let a = self
                    .answer
                    .get((generation, question), |(_, (p, r, region))| {
                        answer(ws, p, r, *region)
                    });
                let color = if a.allowed {
                    ui.visuals().text_color()
                } else {
                    ui.visuals().warn_fg_color
                };
                let mark = if a.allowed { "✔" } else { "✖" };
                ui.label(RichText::new(format!("{mark} {}", a.headline)).color(color));
                for why in &a.why {
                    ui.weak(why);
                }
            }
        }
        if ui.button("Close").clicked() {
            ui.close();
        }
    }
}

impl Dialog for CheckAccessDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, _out: &mut Vec<Intent>) {
        self.draw(ui, cx.ws, cx.generation);
    }
}
