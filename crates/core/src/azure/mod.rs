//! Azure live: Azure Resource Manager (ARM) with a token from the Azure CLI; read, and written
//! only by [`apply`] (a reviewed plan carried out).
//!
//! - [`token`]: tokens (`az account get-access-token`) and the cloud's endpoints (`az cloud
//!   show`); a token is never written anywhere and never shown.
//! - [`http`]: a blocking HTTP client (ureq with rustls) that reads with GET (and sends the
//!   apply's writes), only to the ARM endpoint's host (and Graph's, with Graph's token):
//!   paging, throttling (429 and `Retry-After`), one token refresh on 401, retries with backoff
//!   on network errors, a body size limit, at most 8 requests in flight, progress counters and
//!   a cancel flag.
//! - [`ids`]: ARM ids and names checked before they become URLs.
//! - [`read`]: galleries, definitions, versions (API 2025-03-03), replication status, role
//!   assignments and principal names, into a workspace and Azure as last seen.
//! - [`refresh`]: reads again and merges three ways (Azure's changes, the user's edits,
//!   conflicts).
//! - [`poll`]: live replication progress of the versions Azure has replicating.
//! - [`apply`]: a plan's steps as ARM requests (PUT, DELETE, the share action), long-running
//!   operations followed, every request in an apply log, Azure as last seen updated with what
//!   succeeded.
//!
//! Built for a background thread: every call blocks, [`Hooks`] carries the progress counters,
//! a repaint callback and the cancel flag, and the core reads no clock: "now" comes from the
//! caller's [`Clock`].

pub mod apply;
pub mod http;
pub mod ids;
mod jobs;
mod merge;
pub mod poll;
pub mod read;
mod reader;
pub mod refresh;
pub mod token;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

pub use http::Client;
pub use read::{Pulled, ReadOptions, Subscription, pull, read, subscriptions};
pub use refresh::{Conflict, Refresh, Resolution};
pub use token::{AccessToken, AzCli, AzTokens, Cloud, TokenSource};

/// API version of Microsoft.Compute's gallery resources.
pub const COMPUTE_API: &str = "2025-03-03";
/// API version of role assignments.
pub const AUTHORIZATION_API: &str = "2022-04-01";
/// API version of the subscriptions list.
pub const SUBSCRIPTIONS_API: &str = "2022-12-01";

/// The caller's wall clock ("now"); the core reads none.
pub type Clock = Arc<dyn Fn() -> jiff::Timestamp + Send + Sync>;

/// Why Azure could not be read. No variant ever holds a token.
#[derive(Debug, thiserror::Error)]
pub enum AzureError {
    #[error(
        "The Azure CLI (az) was not found on PATH: install it (https://aka.ms/installazurecli), then run `az login`"
    )]
    NoAzCli,
    #[error(
        "The Azure CLI is not signed in: run `az login` (for another tenant `az login --tenant TENANT`; for a sovereign cloud `az cloud set --name NAME` first). az said: {detail}"
    )]
    NotSignedIn { detail: String },
    #[error("`{command}` failed: {detail}")]
    AzFailed { command: String, detail: String },
    #[error("{endpoint}: {why}")]
    BadEndpoint { endpoint: String, why: String },
    #[error("GET {url}: {reason}")]
    Network { url: String, reason: String },
    #[error("GET {url}: HTTP {status}{}: {message}", code_suffix(code))]
    Status {
        url: String,
        status: u16,
        code: String,
        message: String,
    },
    #[error(
        "GET {url}: the response is larger than {limit_mb} MB, more than any ARM page holds: refused"
    )]
    TooLarge { url: String, limit_mb: u64 },
    #[error("GET {url}: the response is not complete JSON ({detail})")]
    BadJson { url: String, detail: String },
    #[error(
        "GET {url}: its nextLink points to {found}, not to the ARM endpoint's host {expected}: refused (the token is sent to the ARM endpoint only)"
    )]
    ForeignHost {
        url: String,
        found: String,
        expected: String,
    },
    #[error("GET {url}: {id:?} is not the ARM id of a {kind} ({why}): refused")]
    BadId {
        url: String,
        id: String,
        kind: &'static str,
        why: String,
    },
    #[error("The read was cancelled: nothing was changed")]
    Cancelled,
}

fn code_suffix(code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        format!(" {code}")
    }
}

impl AzureError {
    /// The HTTP status when ARM answered with an error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Bounds of a read.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Requests in flight at once.
    pub in_flight: usize,
    /// A response body larger than this is refused.
    pub max_body_bytes: u64,
    /// Attempts for a request that fails on the network or with HTTP 5xx.
    pub attempts: u32,
    /// The first wait before a retry; doubled each time.
    pub backoff: Duration,
    /// Answers 429 waited out before giving up.
    pub throttle_retries: u32,
    /// A `Retry-After` longer than this is not waited out: the read fails saying so.
    pub max_retry_after: Duration,
    /// One request, from connecting to the last byte.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            in_flight: 8,
            max_body_bytes: 32 * 1024 * 1024,
            attempts: 4,
            backoff: Duration::from_millis(500),
            throttle_retries: 6,
            max_retry_after: Duration::from_secs(300),
            timeout: Duration::from_secs(60),
        }
    }
}

/// How far a read is, for a progress bar: counters any thread may read at any time.
#[derive(Debug, Default)]
pub struct Progress {
    /// Requests answered (any status).
    pub requests: AtomicU64,
    /// Requests in flight now.
    pub in_flight: AtomicU64,
    /// Answers 429 waited out.
    pub throttled: AtomicU64,
    /// Requests retried after a network error or HTTP 5xx.
    pub retried: AtomicU64,
    pub galleries: AtomicU64,
    pub definitions: AtomicU64,
    pub versions: AtomicU64,
    /// Replication status reads planned and done (the bar's denominator and numerator once
    /// the lists are read).
    pub statuses_planned: AtomicU64,
    pub statuses_done: AtomicU64,
    /// The lowest `x-ms-ratelimit-remaining-subscription-reads` seen; -1 when none was.
    pub remaining_reads: AtomicI64,
}

impl Progress {
    pub fn new() -> Self {
        let progress = Self::default();
        progress.remaining_reads.store(-1, Ordering::Relaxed);
        progress
    }

    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    /// A line for a status bar: "12 requests; 3 galleries, 40 definitions, 1,200 versions;
    /// replication 300 of 1,000".
    pub fn describe(&self) -> String {
        let g = Self::get;
        let mut text = format!(
            "{}; {}, {}, {}",
            crate::words::count(g(&self.requests) as usize, "request", "requests"),
            crate::words::count(g(&self.galleries) as usize, "gallery", "galleries"),
            crate::words::count(g(&self.definitions) as usize, "definition", "definitions"),
            crate::words::count(g(&self.versions) as usize, "version", "versions"),
        );
        let planned = g(&self.statuses_planned);
        if planned > 0 {
            text.push_str(&format!(
                "; replication status {} of {planned}",
                g(&self.statuses_done)
            ));
        }
        let throttled = g(&self.throttled);
        if throttled > 0 {
            text.push_str(&format!("; throttled {throttled}×"));
        }
        text
    }
}

/// What a background read shares with whoever started it.
#[derive(Clone)]
pub struct Hooks {
    pub progress: Arc<Progress>,
    /// Set to stop the read: it ends with [`AzureError::Cancelled`] and changes nothing.
    pub cancel: Arc<AtomicBool>,
    /// Called after each answer (e.g. to ask the window for a repaint).
    pub notify: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl Default for Hooks {
    fn default() -> Self {
        Self {
            progress: Arc::new(Progress::new()),
            cancel: Arc::new(AtomicBool::new(false)),
            notify: None,
        }
    }
}

impl Hooks {
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    pub(crate) fn tell(&self) {
        if let Some(notify) = &self.notify {
            notify();
        }
    }
}
