//! The app's live, read-only connection to Azure: one [`AzureConnection`] in the app, holding
//! how az is reached ([`AzureSetup`]), the subscription connected to ([`Link`]: its client
//! holds the token, in memory only), the read under way ([`ReadTask`]: a connect or a
//! refresh) and the replication poll ([`Poller`]). Every call to az or ARM runs on a named
//! background thread; the app polls the tasks before each frame (`app/azure_work.rs`), so a
//! frame never waits on the network.
//!
//! For another feature that talks to ARM (e.g. applying a plan): take the connection's client
//! with [`Link::client`] (its own progress counters and cancel flag, the connection's token and
//! endpoint), run on a thread as [`ReadTask`] does, and leave the workspace to the UI thread.
//! The token never leaves the client: no accessor returns it, and it is never written to the
//! workspace, a recovery copy, a log or an error message.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use poll_promise::Promise;

use crate::azure::ids::{Endpoint, GalleryRef};
use crate::azure::poll::Poll;
use crate::azure::{
    AzCli, AzTokens, AzureError, Client, Clock, Cloud, Hooks, Limits, Pulled, Refresh, Subscription,
};
use crate::model::{AzureSeen, ResourcePath, Workspace};

/// Between two polls of the versions Azure has replicating (the issue asks for 30–60 s).
pub const POLL_INTERVAL: Duration = Duration::from_secs(45);

/// How the app reaches the Azure CLI and ARM. The desktop app uses `az` on `PATH` and the wall
/// clock; tests put a fake az and a fixed clock here.
#[derive(Clone)]
pub struct AzureSetup {
    /// The Azure CLI's program: `az` (found on `PATH`), or a path.
    pub az: PathBuf,
    /// Between two replication polls.
    pub poll_interval: Duration,
    /// "Now" for what the core records with a time (when Azure was read) and token expiry.
    pub clock: Clock,
    pub limits: Limits,
}

impl Default for AzureSetup {
    fn default() -> Self {
        Self {
            az: PathBuf::from("az"),
            poll_interval: POLL_INTERVAL,
            clock: Arc::new(crate::clock::timestamp),
            limits: Limits::default(),
        }
    }
}

/// Signed in to a cloud: a client for its ARM endpoint (holding ARM's token, in memory) and
/// the subscriptions the account sees.
pub struct SignedIn {
    pub client: Arc<Client>,
    pub cloud: Cloud,
    pub subscriptions: Vec<Subscription>,
    /// How the tokens were asked for, to ask for the picked subscription's (its tenant's);
    /// `None`: an example that holds no token.
    tokens: Option<Box<(AzCli, AzureSetup)>>,
}

impl SignedIn {
    /// A client for `subscription`: az is asked for tokens with `--subscription`, so a
    /// subscription of another tenant than the account's default gets its tenant's token.
    fn client_for(&self, subscription: &str) -> Arc<Client> {
        let Some((az, setup)) = self.tokens.as_deref() else {
            return Arc::clone(&self.client);
        };
        let tokens = AzTokens {
            az: AzCli {
                subscription: Some(subscription.to_owned()),
                ..az.clone()
            },
            clock: Arc::clone(&setup.clock),
        };
        Arc::new(Client::new(
            self.client.arm.clone(),
            self.client.graph.clone(),
            Arc::new(tokens),
            Arc::clone(&setup.clock),
            setup.limits.clone(),
            Hooks::default(),
        ))
    }
}

impl SignedIn {
    /// A fixed example for screenshots: `subscriptions` as a sign-in would list them, at the
    /// public cloud's endpoint, with a client that holds no token and gets none (nothing is
    /// ever sent with it).
    pub fn example(subscriptions: Vec<Subscription>) -> Result<Self, AzureError> {
        let cloud = Cloud {
            name: "AzureCloud".to_owned(),
            resource_manager: "https://management.azure.com/".to_owned(),
            graph: None,
        };
        let setup = AzureSetup::default();
        let client = Client::new(
            Endpoint::parse(&cloud.resource_manager)?,
            None,
            Arc::new(NoToken),
            setup.clock,
            setup.limits,
            Hooks::default(),
        );
        Ok(Self {
            client: Arc::new(client),
            cloud,
            subscriptions,
            tokens: None,
        })
    }
}

/// The token source of [`SignedIn::example`]: never signed in.
struct NoToken;

impl crate::azure::TokenSource for NoToken {
    fn token(&self, _resource: &str) -> Result<crate::azure::AccessToken, AzureError> {
        Err(AzureError::NotSignedIn {
            detail: "an example connection holds no token".to_owned(),
        })
    }
}

/// Signing in on a thread: `az cloud show` (the endpoints), a token, the subscriptions.
pub struct SignInTask {
    promise: Promise<Result<SignedIn, AzureError>>,
}

impl SignInTask {
    /// Starts signing in with `setup`'s az; `endpoint` overrides the cloud's ARM endpoint
    /// (sovereign clouds, a test server on this machine).
    pub fn spawn(setup: &AzureSetup, endpoint: Option<String>, ctx: &egui::Context) -> Self {
        let setup = setup.clone();
        let ctx = ctx.clone();
        let promise = Promise::spawn_thread("azure-sign-in", move || {
            let result = sign_in(&setup, endpoint.as_deref());
            ctx.request_repaint();
            result
        });
        Self { promise }
    }

    /// The outcome once az and ARM answered; afterwards the task is spent.
    pub fn poll(&mut self) -> Option<Result<SignedIn, AzureError>> {
        take(&mut self.promise)
    }

    /// Blocks until done (tests wait on the task, never on a clock).
    pub fn wait(&self) {
        self.promise.block_until_ready();
    }
}

fn sign_in(setup: &AzureSetup, endpoint: Option<&str>) -> Result<SignedIn, AzureError> {
    let az = AzCli {
        program: setup.az.clone(),
        ..AzCli::default()
    };
    let cloud = az.cloud()?;
    let arm = Endpoint::parse(endpoint.unwrap_or(&cloud.resource_manager))?;
    let graph = cloud.graph.as_deref().and_then(|g| Endpoint::parse(g).ok());
    let tokens = AzTokens {
        az: az.clone(),
        clock: Arc::clone(&setup.clock),
    };
    let client = Client::new(
        arm,
        graph,
        Arc::new(tokens),
        Arc::clone(&setup.clock),
        setup.limits.clone(),
        Hooks::default(),
    );
    client.sign_in()?;
    let subscriptions = crate::azure::subscriptions(&client)?;
    Ok(SignedIn {
        client: Arc::new(client),
        cloud,
        subscriptions,
        tokens: Some(Box::new((az, setup.clone()))),
    })
}

/// Takes a finished promise's value, leaving a spent one.
fn take<T: Send + 'static>(
    promise: &mut Promise<Result<T, AzureError>>,
) -> Option<Result<T, AzureError>> {
    let spent = Promise::from_ready(Err(AzureError::Cancelled));
    match std::mem::replace(promise, spent).try_take() {
        Ok(result) => Some(result),
        Err(running) => {
            *promise = running;
            None
        }
    }
}

/// The subscription (and resource group) the app is connected to.
pub struct Link {
    client: Arc<Client>,
    pub cloud: Cloud,
    pub subscription: Subscription,
    /// Only this resource group is read (else the whole subscription).
    pub resource_group: Option<String>,
    /// When this connection last read Azure whole (the connect, then each refresh).
    pub refreshed: Option<jiff::Timestamp>,
}

impl Link {
    pub fn new(
        signed_in: &SignedIn,
        subscription: Subscription,
        resource_group: Option<String>,
    ) -> Self {
        Self {
            client: signed_in.client_for(&subscription.id),
            cloud: signed_in.cloud.clone(),
            subscription,
            resource_group,
            refreshed: None,
        }
    }

    /// A client for one read, poll or write of this connection: the connection's endpoint and
    /// token (asked of az again before it expires), `hooks` for its progress, cancel flag and
    /// repaint callback.
    pub fn client(&self, hooks: Hooks) -> Client {
        self.client.with_hooks(hooks)
    }

    /// The ARM endpoint (`https://management.azure.com/`).
    pub fn endpoint(&self) -> &str {
        &self.client.arm.base
    }

    /// The subscription's name (at most 28 characters), else its id's first 8: the status
    /// bar's.
    pub fn short_name(&self) -> String {
        let name = &self.subscription.name;
        if name.is_empty() {
            let id: String = self.subscription.id.chars().take(8).collect();
            return format!("{id}…");
        }
        if name.chars().count() > 28 {
            let cut: String = name.chars().take(27).collect();
            format!("{cut}…")
        } else {
            name.clone()
        }
    }

    fn options(&self) -> crate::azure::ReadOptions {
        crate::azure::ReadOptions {
            subscription: self.subscription.id.clone(),
            resource_group: self.resource_group.clone(),
            tenant: Some(self.subscription.tenant.clone()).filter(|t| !t.is_empty()),
            ..crate::azure::ReadOptions::default()
        }
    }
}

/// What a read does with the open workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadKind {
    /// An empty workspace: planned = Azure (as `sig-studio pull`).
    Pull,
    /// Azure read again and compared three ways with Azure as last seen and the plan.
    Refresh,
}

/// What a read found.
pub enum ReadResult {
    Pulled(Box<Pulled>),
    Refreshed(Box<Refresh>),
}

/// A read of the connected subscription running on a thread.
pub struct ReadTask {
    pub kind: ReadKind,
    /// Its progress counters and cancel flag.
    pub hooks: Hooks,
    /// The document generation it started from.
    pub generation: u64,
    promise: Promise<Result<ReadResult, AzureError>>,
}

impl ReadTask {
    /// Reads `link`'s subscription: into a new workspace (`Pull`) or compared with `mine`.
    pub fn spawn(
        link: &Link,
        kind: ReadKind,
        mine: Arc<Workspace>,
        generation: u64,
        ctx: &egui::Context,
    ) -> Self {
        let wake = ctx.clone();
        // The counters move with every answer; the window shows them at most twice a second.
        let frame = crate::ui::tasks::simulation::PROGRESS_FRAME_INTERVAL;
        let hooks = Hooks {
            notify: Some(Arc::new(move || wake.request_repaint_after(frame))),
            ..Hooks::default()
        };
        let client = link.client(hooks.clone());
        let options = link.options();
        let ctx = ctx.clone();
        let promise = Promise::spawn_thread("azure-read", move || {
            let result = match kind {
                ReadKind::Pull => crate::azure::read(&client, &options)
                    .map(|pulled| ReadResult::Pulled(Box::new(pulled))),
                ReadKind::Refresh => Refresh::read(&client, &mine, &options)
                    .map(|refresh| ReadResult::Refreshed(Box::new(refresh))),
            };
            ctx.request_repaint();
            result
        });
        Self {
            kind,
            hooks,
            generation,
            promise,
        }
    }

    /// "40 requests; 2 galleries, 3 definitions, 5 versions; replication status 3 of 5".
    pub fn describe(&self) -> String {
        self.hooks.progress.describe()
    }

    /// How far the read is, roughly (0–0.95 until it ends): the replication statuses read of
    /// those planned so far. Lists still being read add more, so it never says 100 % before
    /// the end; the counts ([`Self::describe`]) say what is known.
    pub fn fraction(&self) -> f32 {
        let p = &self.hooks.progress;
        let planned = p.statuses_planned.load(Ordering::Relaxed);
        let done = p.statuses_done.load(Ordering::Relaxed);
        if planned == 0 {
            0.05
        } else {
            (0.05 + 0.9 * done as f32 / planned as f32).min(0.95)
        }
    }

    /// Stops the read: its thread ends at its next step, and its result is never applied.
    pub fn cancel(&self) {
        self.hooks.cancel.store(true, Ordering::Relaxed);
    }

    pub fn poll(&mut self) -> Option<Result<ReadResult, AzureError>> {
        take(&mut self.promise)
    }

    /// Blocks until done (tests).
    pub fn wait(&self) {
        self.promise.block_until_ready();
    }
}

/// A replication poll running on a thread.
pub struct PollTask {
    /// The versions it reads.
    pub versions: Vec<GalleryRef>,
    /// When it started (the time Azure's numbers are shown with).
    pub at: jiff::Timestamp,
    promise: Promise<Result<Poll, AzureError>>,
}

impl PollTask {
    pub fn spawn(
        link: &Link,
        versions: Vec<GalleryRef>,
        at: jiff::Timestamp,
        ctx: &egui::Context,
    ) -> Self {
        let client = link.client(Hooks::default());
        let ctx = ctx.clone();
        let watched = versions.clone();
        let promise = Promise::spawn_thread("azure-poll", move || {
            let result = crate::azure::poll::poll(&client, &watched);
            ctx.request_repaint();
            result
        });
        Self {
            versions,
            at,
            promise,
        }
    }

    pub fn poll(&mut self) -> Option<Result<Poll, AzureError>> {
        take(&mut self.promise)
    }

    pub fn wait(&self) {
        self.promise.block_until_ready();
    }
}

/// When the versions Azure has replicating are read again.
#[derive(Default)]
pub struct Poller {
    pub(in crate::ui) task: Option<PollTask>,
    /// When the next poll is due; `None`: nothing replicates in Azure (nothing is polled).
    pub(in crate::ui) next: Option<Instant>,
    /// What the schedule was worked out for: the address of Azure as last seen (it is replaced
    /// whole, never edited), so a new one (a refresh, a poll, another file) schedules again.
    pub(in crate::ui) scheduled_for: Option<usize>,
    /// Versions a poll found gone (404), `g/d/v` in lower case: not polled until a refresh.
    pub(in crate::ui) gone: HashSet<String>,
    /// When each version (`g/d/v`, lower case) was last polled.
    pub(in crate::ui) polled_at: std::collections::HashMap<String, jiff::Timestamp>,
    /// Poll as soon as the save under way is done (an apply wrote versions): the file then
    /// records the run before Azure's numbers move the document on.
    pub(in crate::ui) soon: bool,
}

/// The app's connection to Azure (see the module's documentation).
#[derive(Default)]
pub struct AzureConnection {
    pub setup: AzureSetup,
    /// `None`: offline.
    pub link: Option<Link>,
    /// The connect or refresh under way.
    pub read: Option<ReadTask>,
    pub poller: Poller,
    /// The ARM endpoint typed in the connect dialog last (empty: the cloud's).
    pub endpoint_override: String,
    /// The plan being applied, or the last one applied (its outcome).
    pub apply: Option<crate::ui::tasks::apply::ApplyRun>,
}

impl AzureConnection {
    /// "Now", by the connection's clock.
    pub fn now(&self) -> jiff::Timestamp {
        (self.setup.clock)()
    }

    pub fn is_connected(&self) -> bool {
        self.link.is_some()
    }

    /// Whether a read (connect or refresh) is running.
    pub fn reading(&self) -> bool {
        self.read.is_some()
    }

    /// When Azure's state of the version at `path` was last read: its last poll, else when
    /// Azure as last seen was read (`None`: not known, e.g. imported JSON).
    pub fn seen_at(&self, seen: &AzureSeen, path: &ResourcePath) -> Option<jiff::Timestamp> {
        let polled = match path {
            ResourcePath::Version(g, d, v) => {
                self.poller.polled_at.get(&version_key(g, d, v)).copied()
            }
            _ => None,
        };
        match (polled, seen.origin.read_at) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }
}

/// `g/d/v` in lower case.
pub fn version_key(g: &str, d: &str, v: &str) -> String {
    format!("{g}/{d}/{v}").to_ascii_lowercase()
}

/// "just now", "2 min ago", "3 h ago", "4 days ago".
pub fn ago(now: jiff::Timestamp, then: jiff::Timestamp) -> String {
    let secs = now.duration_since(then).as_secs().max(0);
    match secs {
        0..60 => "just now".to_owned(),
        60..3600 => format!("{} min ago", secs / 60),
        3600..86_400 => format!("{} h ago", secs / 3600),
        _ => crate::words::count((secs / 86_400) as usize, "day ago", "days ago"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_in_words() {
        let t = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
        let now = t("2026-11-26T10:00:00Z");
        assert_eq!(ago(now, t("2026-11-26T09:59:30Z")), "just now");
        assert_eq!(ago(now, t("2026-11-26T09:58:00Z")), "2 min ago");
        assert_eq!(ago(now, t("2026-11-26T07:00:00Z")), "3 h ago");
        assert_eq!(ago(now, t("2026-11-25T10:00:00Z")), "1 day ago");
        assert_eq!(ago(now, t("2026-11-27T10:00:00Z")), "just now");
    }
}
