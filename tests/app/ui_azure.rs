//! The window's live, read-only connection to Azure (issue 20), driven through the labels a
//! screen reader uses against the mock ARM server and a fake az: connect through the dialog,
//! the gallery in the tree, a bar moving on refresh and on a poll, edit, save, reopen and
//! *Review changes*; no az; Cancel mid-read; a conflict resolved both ways; the token in no file.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use crate::common;

use common::{H, click, click_button, finish_file_work, tempdir};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use sig_studio::model::{RegionState, ResourcePath, Workspace};
use sig_studio::ui::dialogs::connect::ConnectDialog;
use sig_studio::ui::dialogs::review::ReviewDialog;
use sig_studio::ui::tasks::azure::AzureSetup;

use crate::shared::mock_arm::{self, MockArm};

const G: &str = "contosoGallery";
const D: &str = "ubuntu-base";

/// A clock the test moves: seconds after 2026-11-26T10:00:00Z.
#[derive(Clone, Default)]
pub struct TestClock(Arc<AtomicI64>);

impl TestClock {
    pub fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::Relaxed);
    }

    fn clock(&self) -> sig_studio::azure::Clock {
        let offset = Arc::clone(&self.0);
        Arc::new(move || {
            let start: jiff::Timestamp = "2026-11-26T10:00:00Z".parse().unwrap();
            start
                .checked_add(jiff::SignedDuration::from_secs(
                    offset.load(Ordering::Relaxed),
                ))
                .unwrap()
        })
    }
}

/// How the app reaches az in these tests: `az` (a fake, or nothing), the test's clock, an
/// hour between polls (so no poll happens unless the test drives one), quick retries.
pub fn setup(az: PathBuf, clock: &TestClock) -> AzureSetup {
    AzureSetup {
        az,
        poll_interval: Duration::from_secs(3600),
        clock: clock.clock(),
        limits: sig_studio::azure::Limits {
            backoff: Duration::from_millis(10),
            ..Default::default()
        },
    }
}

/// The app with an empty workspace saved in `dir/ws.ron`, its recovery copies in `dir/app`,
/// reaching the mock through a fake az.
pub fn empty_app(mock: &MockArm, dir: &Path, clock: &TestClock) -> H {
    let file = dir.join("ws.ron");
    sig_studio::workspace::save(&file, &Workspace::default()).unwrap();
    let mut h = common::open_file(&file);
    let az = mock_arm::fake_az(dir, &mock.url, &mock.graph_url());
    h.state_mut().set_azure_setup(setup(az, clock));
    h
}

/// Lets the app's background Azure work (sign-in, read, poll) finish, waiting on the tasks.
pub fn finish_azure(h: &mut H) {
    h.run_steps(2);
    h.state().wait_for_azure();
    h.run_steps(6);
}

/// Offline, the status bar's Connect to Azure… (File, Connect to Azure… is the same action),
/// signed in: the dialog lists the mock's subscription.
pub fn open_connect(h: &mut H) {
    click_button(h, "Connect to Azure…");
    assert!(h.state().dialog().is_some_and(|d| d.is::<ConnectDialog>()));
    finish_azure(h);
}

/// Connects through the dialog to the mock's one subscription and reads it.
pub fn connect(h: &mut H) {
    open_connect(h);
    let dialog = h
        .state()
        .dialog()
        .and_then(|d| d.downcast_ref::<ConnectDialog>());
    let dialog = dialog.expect("the connect dialog");
    let names: Vec<&str> = dialog
        .subscriptions()
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["Contoso production"], "{:?}", dialog.error());
    click_button(h, "Connect");
    finish_azure(h);
    assert!(
        h.state().dialog().is_none(),
        "the read ended: the dialog closed"
    );
}

fn east_us(h: &H) -> (RegionState, u8) {
    let ws = h.state().doc.ws();
    let v = ws
        .gallery(G)
        .and_then(|g| g.definition(D))
        .and_then(|d| d.version("1.1.0"))
        .unwrap();
    let t = v
        .target(sig_studio::model::Region::parse("eastus").unwrap())
        .unwrap();
    (t.status.state, t.status.progress)
}

fn progress_labels(h: &H) -> Vec<String> {
    h.query_all_by_role(Role::ProgressIndicator)
        .filter_map(|node| node.accesskit_node().label())
        .collect()
}

#[test]
fn connect_see_the_gallery_refresh_moves_the_bar_and_a_saved_edit_stays_to_review() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("azure-connect");
    let clock = TestClock::default();
    let mut h = empty_app(&mock, &dir, &clock);
    h.get_by_label("Offline");
    connect(&mut h);
    // The empty workspace took Azure as it is, as one undo step.
    // In the tree (and the first gallery, selected, in the editor).
    assert!(h.query_all_by_label(G).count() >= 1);
    h.get_by_label("labGallery");
    assert_eq!(h.state().doc.ws().version_count(), 5);
    assert_eq!(h.state().doc.undo_depth(), 1);
    let seen = h
        .state()
        .doc
        .ws()
        .azure
        .clone()
        .expect("Azure as last seen");
    assert_eq!(seen.origin.subscription, mock_arm::SUBSCRIPTION);
    h.get_by_label_contains("Azure: Contoso production · refreshed just now");

    // The replicating version: Azure's 40 %, said to be Azure's, no Retry or Cancel.
    h.state_mut()
        .select_path(ResourcePath::version(G, D, "1.1.0"));
    h.run_steps(4);
    assert_eq!(progress_labels(&h), vec!["40 %".to_owned()]);
    assert_eq!(h.query_all_by_label("Azure, just now").count(), 2);
    assert!(h.query_by_label("Cancel East US").is_none());

    // The simulation never moves Azure's regions.
    h.state_mut().advance_simulation(3600.0);
    h.run_steps(2);
    assert_eq!(east_us(&h), (RegionState::Replicating, 40));

    // F5 two minutes later: the bar moves with Azure's numbers (no question: only replication
    // moved), one more undo step.
    clock.advance(120);
    common::shortcut(&mut h, egui::Modifiers::NONE, egui::Key::F5);
    finish_azure(&mut h);
    assert!(h.state().dialog().is_none());
    assert_eq!(progress_labels(&h), vec!["60 %".to_owned()]);
    assert_eq!(east_us(&h), (RegionState::Replicating, 60));
    h.get_by_label_contains("refreshed just now");

    // Edit: delete a version Azure has; save; reopen; Review changes still shows it.
    h.state_mut()
        .select_path(ResourcePath::version(G, D, "1.0.0"));
    h.run_steps(3);
    common::shortcut(&mut h, egui::Modifiers::NONE, egui::Key::Delete);
    click(&mut h, "Delete");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    finish_file_work(&mut h);
    assert!(!h.state().doc.is_dirty());
    let mut h = common::open_file(&dir.join("ws.ron"));
    click(&mut h, "File");
    click(&mut h, "Review changes…");
    let plan = h
        .state()
        .dialog()
        .and_then(|d| d.downcast_ref::<ReviewDialog>())
        .and_then(|d| d.plan().cloned())
        .expect("a plan");
    assert_eq!(plan.steps.len(), 1, "{plan:?}");
    h.get_by_label_contains("1. delete image version contosoGallery/ubuntu-base/1.0.0");
    crate::ui_azure_more::no_token_in(&dir);
}

#[test]
fn a_poll_moves_the_bar_with_azures_numbers_as_the_services_change() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("azure-poll");
    let clock = TestClock::default();
    let mut h = empty_app(&mock, &dir, &clock);
    connect(&mut h);
    h.state_mut()
        .select_path(ResourcePath::version(G, D, "1.1.0"));
    h.run_steps(4);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    finish_file_work(&mut h);
    let undo = h.state().doc.undo_depth();
    let before = mock.requests().len();
    clock.advance(180);
    let ctx = h.ctx.clone();
    assert!(h.state_mut().poll_azure_now(&ctx));
    finish_azure(&mut h);
    // One GET, of the one replicating version, with its replication status.
    let asked: Vec<String> = mock.requests()[before..]
        .iter()
        .map(|r| r.target.clone())
        .collect();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(
        asked[0].contains("/versions/1.1.0?") && asked[0].contains("$expand=ReplicationStatus")
    );
    assert_eq!(progress_labels(&h), vec!["60 %".to_owned()]);
    assert_eq!(h.state().doc.undo_depth(), undo, "a poll is no undo step");
    assert!(h.state().doc.is_dirty() && !h.state().doc.has_user_changes());
    // Shown with the poll's time; West US, not polled again, with the read's.
    clock.advance(120);
    h.state_mut()
        .select_path(ResourcePath::version(G, D, "1.0.1"));
    h.run_steps(2);
    h.state_mut()
        .select_path(ResourcePath::version(G, D, "1.1.0"));
    h.run_steps(4);
    assert_eq!(h.query_all_by_label("Azure, 2 min ago").count(), 2);
    // Two more polls complete it; then nothing replicates and nothing is polled.
    for _ in 0..2 {
        let ctx = h.ctx.clone();
        assert!(h.state_mut().poll_azure_now(&ctx));
        finish_azure(&mut h);
    }
    assert_eq!(east_us(&h), (RegionState::Completed, 100));
    let ctx = h.ctx.clone();
    assert!(!h.state_mut().poll_azure_now(&ctx), "nothing replicates");
}

#[test]
fn without_az_the_dialog_says_what_to_install_and_run() {
    let dir = tempdir("azure-no-az");
    let clock = TestClock::default();
    let mut h = common::harness_with(Workspace::default());
    h.state_mut()
        .set_azure_setup(setup(dir.join("no-such-az"), &clock));
    open_connect(&mut h);
    h.get_by_label_contains("The Azure CLI (az) was not found on PATH: install it");
    h.get_by_label_contains("then run `az login`");
    click_button(&mut h, "Close");
    assert_eq!(*h.state().doc.ws(), Workspace::default());
    h.get_by_label("Offline");
}

#[test]
fn signed_out_the_dialog_says_to_run_az_login() {
    let dir = tempdir("azure-signed-out");
    let clock = TestClock::default();
    let az = mock_arm::signed_out_az(&dir);
    let mut h = common::harness_with(Workspace::default());
    h.state_mut().set_azure_setup(setup(az, &clock));
    open_connect(&mut h);
    h.get_by_label_contains("The Azure CLI is not signed in: run `az login`");
    // Signed in meanwhile: Try again lists the subscriptions.
    let mock = MockArm::start(mock_arm::small());
    mock_arm::fake_az(&dir, &mock.url, &mock.graph_url());
    click_button(&mut h, "Try again");
    finish_azure(&mut h);
    let dialog = h
        .state()
        .dialog()
        .and_then(|d| d.downcast_ref::<ConnectDialog>());
    assert_eq!(dialog.unwrap().subscriptions().len(), 1);
    h.get_by_role_and_label(Role::Button, "Connect");
}

#[test]
fn cancel_mid_read_leaves_the_workspace_unchanged() {
    let held = "/galleries/contosoGallery/images?";
    let mock = MockArm::start(mock_arm::Config {
        hold: Some(held.to_owned()),
        ..mock_arm::small()
    });
    let dir = tempdir("azure-cancel");
    let clock = TestClock::default();
    let mut h = empty_app(&mock, &dir, &clock);
    open_connect(&mut h);
    click_button(&mut h, "Connect");
    // The read is under way, stopped at the held request: its progress shows with Cancel.
    let mut waited = 0;
    while !mock.requests().iter().any(|r| r.target.contains(held)) {
        assert!(waited < 2000, "the read never reached the held request");
        std::thread::sleep(Duration::from_millis(5));
        waited += 1;
    }
    h.run_steps(4);
    assert!(h.state().azure().reading());
    h.get_by_label_contains("Reading Azure: ");
    click_button(&mut h, "Cancel");
    assert!(!h.state().azure().reading());
    assert!(h.state().dialog().is_none());
    // The held request is answered now: nothing of it is applied.
    mock.release();
    h.run_steps(12);
    let file = sig_studio::workspace::load(&dir.join("ws.ron")).unwrap();
    assert_eq!(*h.state().doc.ws(), file);
    assert!(h.state().doc.ws().azure.is_none());
    assert!(!h.state().doc.is_dirty());
    assert_eq!(h.state().doc.undo_depth(), 0);
}
