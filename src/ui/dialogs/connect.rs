//! *File → Connect to Azure…*: signs in with the Azure CLI on a background thread (`az cloud
//! show` for the endpoints, `az account get-access-token` for a token, then the subscriptions
//! ARM lists), lets the user pick a subscription and optionally one resource group, and asks
//! the app to connect. The read then shows here with its counts and Cancel; the app closes the
//! dialog when the read ends. Without az, or not signed in, it says exactly what to run.

use egui::{RichText, Ui};

use crate::azure::Subscription;
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::ui::intent::AzureRequest;
use crate::ui::tasks::azure::{Link, SignInTask, SignedIn};
use crate::ui::widgets::form;

enum Stage {
    SigningIn(SignInTask),
    Failed(String),
    Ready(Box<SignedIn>),
    /// Connect was chosen: the app reads Azure.
    Reading,
}

pub struct ConnectDialog {
    /// The ARM endpoint typed (empty: the cloud's, from `az cloud show`).
    pub endpoint: String,
    /// The one resource group to read (empty: the whole subscription).
    pub resource_group: String,
    stage: Stage,
    /// The subscription picked, by id.
    picked: String,
}

impl OpenDialog for ConnectDialog {
    /// `None`: sign in with az now; `Some`: signed in already (screenshots).
    type Request = Option<Box<SignedIn>>;

    /// Starts signing in at once; the endpoint and subscription of the connection (or of
    /// Azure as last seen) come first.
    fn open(signed_in: Self::Request, cx: &ViewCx<'_>, ctx: &egui::Context) -> Option<Self> {
        let endpoint = cx
            .azure
            .link
            .as_ref()
            .filter(|l| l.endpoint() != l.cloud.resource_manager)
            .map(|l| l.endpoint().to_owned())
            .unwrap_or_default();
        let origin = cx.ws.azure.as_ref().map(|s| &s.origin);
        let picked = cx.azure.link.as_ref().map_or_else(
            || origin.map(|o| o.subscription.clone()).unwrap_or_default(),
            |l| l.subscription.id.clone(),
        );
        let resource_group = cx.azure.link.as_ref().map_or_else(
            || origin.map(|o| o.resource_group.clone()).unwrap_or_default(),
            |l| l.resource_group.clone().unwrap_or_default(),
        );
        let stage = match signed_in {
            Some(signed_in) => Stage::Ready(signed_in),
            None => Stage::SigningIn(SignInTask::spawn(
                &cx.azure.setup,
                endpoint_of(&endpoint),
                ctx,
            )),
        };
        Some(Self {
            endpoint,
            resource_group,
            stage,
            picked,
        })
    }
}

fn endpoint_of(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

impl ConnectDialog {
    /// Blocks until signing in has finished (tests wait on the task, never on a clock).
    pub fn wait(&self) {
        if let Stage::SigningIn(task) = &self.stage {
            task.wait();
        }
    }

    /// Why signing in failed, if it did.
    pub fn error(&self) -> Option<&str> {
        match &self.stage {
            Stage::Failed(message) => Some(message),
            _ => None,
        }
    }

    /// The subscriptions to pick from, once signed in.
    pub fn subscriptions(&self) -> &[Subscription] {
        match &self.stage {
            Stage::Ready(signed_in) => &signed_in.subscriptions,
            _ => &[],
        }
    }

    fn endpoint_ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>) {
        let signing_in = matches!(self.stage, Stage::SigningIn(_) | Stage::Reading);
        // Failed, Try again below does the same.
        let again = matches!(self.stage, Stage::Ready(_) | Stage::Reading);
        ui.horizontal(|ui| {
            let label = ui.label("ARM endpoint");
            ui.add_enabled(
                !signing_in,
                egui::TextEdit::singleline(&mut self.endpoint)
                    .hint_text("the cloud's, from az cloud show")
                    .desired_width(300.0),
            )
            .labelled_by(label.id)
            .on_hover_text("Another cloud's Resource Manager (sovereign clouds), or a test server on this machine; https:// only, http:// only to this machine");
            if again
                && ui
                    .add_enabled(!signing_in, egui::Button::new("Sign in again"))
                    .on_hover_text("Ask the Azure CLI again, with this endpoint")
                    .clicked()
            {
                let endpoint = endpoint_of(&self.endpoint);
                self.stage = Stage::SigningIn(SignInTask::spawn(&cx.azure.setup, endpoint, ui.ctx()));
            }
        });
    }

    /// The subscriptions, the resource group, what connecting will do, and Connect.
    fn pick_ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let Stage::Ready(signed_in) = &self.stage else {
            return;
        };
        let list = &signed_in.subscriptions;
        if list.is_empty() {
            ui.label(RichText::new("Your account sees no subscription: sign in with another account (az login), or ask for access to one.").color(ui.visuals().error_fg_color));
        }
        if !list.iter().any(|s| s.id.eq_ignore_ascii_case(&self.picked))
            && let Some(first) = list.first()
        {
            self.picked = first.id.clone();
        }
        let shown = |s: &Subscription| format!("{} ({})", s.name, s.id);
        let current = list
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(&self.picked));
        egui::Grid::new("connect-form")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label("Subscription");
                egui::ComboBox::from_id_salt("connect-subscription")
                    .selected_text(current.map(shown).unwrap_or_default())
                    .width(420.0)
                    .show_ui(ui, |ui| {
                        for s in list {
                            ui.selectable_value(&mut self.picked, s.id.clone(), shown(s));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Resource group (optional)");
                ui.add(
                    egui::TextEdit::singleline(&mut self.resource_group)
                        .hint_text("every resource group")
                        .desired_width(300.0),
                )
                .labelled_by(label.id);
                ui.end_row();
            });
        let rg = self.resource_group.trim();
        let rg_error = (!rg.is_empty())
            .then(|| crate::azure::ids::check_segment(rg).err())
            .flatten();
        if let Some(why) = &rg_error {
            ui.label(
                RichText::new(format!("Resource group: {why}")).color(ui.visuals().error_fg_color),
            );
        }
        what_happens_ui(ui, cx, current);
        ui.separator();
        let ready = current.is_some() && rg_error.is_none();
        let connect = ui
            .horizontal(|ui| {
                let connect = ui
                    .add_enabled(ready, egui::Button::new("Connect"))
                    .on_hover_text("Read the subscription (read only)")
                    .clicked();
                if ui.button("Cancel").clicked() {
                    ui.close();
                }
                connect || (ready && form::enter_pressed(ui))
            })
            .inner;
        if connect && let Some(subscription) = current.cloned() {
            let resource_group = Some(rg.to_owned()).filter(|r| !r.is_empty());
            let link = Link::new(signed_in, subscription, resource_group);
            out.push(Intent::Azure(AzureRequest::Connect(Box::new(link))));
            self.stage = Stage::Reading;
        }
    }
}

/// What connecting does to the open workspace.
fn what_happens_ui(ui: &mut Ui, cx: &ViewCx<'_>, picked: Option<&Subscription>) {
    let ws = cx.ws;
    if ws.galleries.is_empty() && ws.azure.is_none() {
        ui.label("The workspace is empty: it takes Azure as it is (one step, Undo takes it back).");
        return;
    }
    ui.label("The workspace has planned work: Azure is read and compared with it. What only Azure changed is taken in, your edits are kept, and what both changed is listed for you to resolve before anything is replaced.");
    let seen = ws.azure.as_ref().map(|s| &s.origin.subscription);
    if let (Some(seen), Some(picked)) = (seen, picked)
        && !seen.is_empty()
        && !seen.eq_ignore_ascii_case(&picked.id)
    {
        ui.label(
            RichText::new(format!(
                "Azure as last seen in this workspace is subscription {seen}: compared with {}, its resources would show as deleted in Azure. To read {} on its own, start a new workspace first (File, New).",
                picked.id, picked.name
            ))
            .color(ui.visuals().warn_fg_color),
        );
    }
}

impl Dialog for ConnectDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        ui.heading("Connect to Azure");
        if let Stage::SigningIn(task) = &mut self.stage {
            match task.poll() {
                Some(Ok(signed_in)) => self.stage = Stage::Ready(Box::new(signed_in)),
                Some(Err(err)) => self.stage = Stage::Failed(err.to_string()),
                None => {}
            }
        }
        ui.label("Reads Azure live and read only, with the token of the Azure CLI you are signed in to (az login). The token stays in memory: it is never written to the workspace, a recovery copy or a log.");
        ui.add_space(4.0);
        self.endpoint_ui(ui, cx);
        ui.add_space(4.0);
        match &self.stage {
            Stage::SigningIn(_) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Asking the Azure CLI for a token and your subscriptions…");
                });
                ui.separator();
                if ui.button("Cancel").clicked() {
                    ui.close();
                }
            }
            Stage::Failed(message) => {
                ui.label(RichText::new(message.as_str()).color(ui.visuals().error_fg_color));
                ui.label("Then choose Try again. Nothing was read; the workspace is unchanged.");
                ui.separator();
                ui.horizontal(|ui| {
                    if ui.button("Try again").clicked() {
                        let endpoint = endpoint_of(&self.endpoint);
                        self.stage = Stage::SigningIn(SignInTask::spawn(
                            &cx.azure.setup,
                            endpoint,
                            ui.ctx(),
                        ));
                    }
                    if ui.button("Close").clicked() {
                        ui.close();
                    }
                });
            }
            Stage::Ready(_) => self.pick_ui(ui, cx, out),
            Stage::Reading => reading_ui(ui, cx, out),
        }
    }

    /// Closing while Azure is read cancels the read.
    fn dismissed(&mut self, out: &mut Vec<Intent>) {
        if matches!(self.stage, Stage::Reading) {
            out.push(Intent::Azure(AzureRequest::CancelRead));
        }
    }
}

/// The read's progress, with Cancel.
pub fn reading_ui(ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
    let Some(read) = &cx.azure.read else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Starting the read…");
        });
        return;
    };
    ui.label(format!("Reading Azure: {}", read.describe()));
    ui.horizontal(|ui| {
        ui.spinner();
        ui.add(egui::ProgressBar::new(read.fraction()).desired_width(420.0));
    });
    ui.weak("The open workspace changes only once everything is read.");
    ui.separator();
    if ui
        .button("Cancel")
        .on_hover_text("Stop reading: nothing changes")
        .clicked()
    {
        out.push(Intent::Azure(AzureRequest::CancelRead));
        ui.close();
    }
}
