//! The HTTP client: each request to the ARM endpoint with ARM's token (or to Microsoft Graph with
//! Graph's), at most [`Limits::in_flight`] at once. Throttling (429) waits `Retry-After`; 401
//! asks for a new token once; network errors and 5xx retry a GET with backoff and then fail with
//! the URL and the reason; a body over the limit is refused. Reads use [`Client::get`]; the
//! apply's writes and polls use [`Client::send`], which never resends a write ARM may have
//! processed (only a 401 or a 429, which ARM did not act on).

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;

use super::ids::Endpoint;
use super::token::{AccessToken, TokenSource};
use super::{AzureError, Clock, Hooks, Limits};

mod send;

pub use send::{Answer, Exchange, Method};

/// A token is asked for again this long before it expires.
const REFRESH_BEFORE: jiff::SignedDuration = jiff::SignedDuration::from_secs(300);

/// Which service a request goes to (and so which token it carries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    Arm,
    Graph,
}

/// The client shared by a read's worker threads.
pub struct Client {
    agent: ureq::Agent,
    pub arm: Endpoint,
    pub graph: Option<Endpoint>,
    tokens: Arc<dyn TokenSource>,
    /// Tokens by resource, shared with the clients [`Client::with_hooks`] makes.
    cache: Arc<Mutex<HashMap<String, AccessToken>>>,
    clock: Clock,
    pub limits: Limits,
    pub hooks: Hooks,
    gate: (Mutex<usize>, Condvar),
    /// Set when a read failed: its other requests stop at their next step.
    abort: std::sync::atomic::AtomicBool,
}

/// Counts a request in flight while it lives.
struct Slot<'c>(&'c Client);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let (lock, wake) = &self.0.gate;
        let mut n = lock.lock().unwrap_or_else(PoisonError::into_inner);
        *n = n.saturating_sub(1);
        self.0
            .hooks
            .progress
            .in_flight
            .fetch_sub(1, Ordering::Relaxed);
        wake.notify_one();
    }
}

pub(super) fn retry_after(headers: &ureq::http::HeaderMap) -> Option<Duration> {
    let text = headers.get("retry-after")?.to_str().ok()?.trim();
    text.parse::<u64>().ok().map(Duration::from_secs)
}

/// ARM's error body: `{"error": {"code", "message"}}`.
pub(super) fn arm_error(bytes: &[u8]) -> (String, String) {
    let value: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
    let field = |k: &str| {
        value
            .pointer(&format!("/error/{k}"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .chars()
            .take(400)
            .collect::<String>()
    };
    (field("code"), field("message"))
}

enum Attempt {
    Done(Value),
    /// Retry after this long; the reason names what happened.
    Retry(Duration, String),
    Throttled(Duration),
    Unauthorized,
}

impl Client {
    pub fn new(
        arm: Endpoint,
        graph: Option<Endpoint>,
        tokens: Arc<dyn TokenSource>,
        clock: Clock,
        limits: Limits,
        hooks: Hooks,
    ) -> Self {
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .https_only(!(arm.is_loopback() && graph.as_ref().is_none_or(Endpoint::is_loopback)))
            .timeout_global(Some(limits.timeout))
            .timeout_connect(Some(Duration::from_secs(15)))
            .user_agent(concat!("sig-studio/", env!("CARGO_PKG_VERSION")))
            .max_idle_connections_per_host(limits.in_flight.max(1));
        if arm.is_loopback() {
            // A test server on this machine: never through a proxy.
            config = config.proxy(None);
        }
        Self {
            agent: config.build().new_agent(),
            arm,
            graph,
            tokens,
            cache: Arc::new(Mutex::new(HashMap::new())),
            clock,
            limits,
            hooks,
            gate: (Mutex::new(0), Condvar::new()),
            abort: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// A client for another read of the same connection: the same endpoints, token source,
    /// tokens held (in memory) and connection pool, with its own progress counters, cancel
    /// flag and notify callback. A window keeps one client per connection and makes one of
    /// these for each read or poll, so az is not asked for a token each time.
    pub fn with_hooks(&self, hooks: Hooks) -> Self {
        Self {
            agent: self.agent.clone(),
            arm: self.arm.clone(),
            graph: self.graph.clone(),
            tokens: Arc::clone(&self.tokens),
            cache: Arc::clone(&self.cache),
            clock: Arc::clone(&self.clock),
            limits: self.limits.clone(),
            hooks,
            gate: (Mutex::new(0), Condvar::new()),
            abort: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Asks the token source for ARM's token now (the first sign-in: whether az is there and
    /// signed in), keeping it for the requests that follow.
    pub fn sign_in(&self) -> Result<(), AzureError> {
        self.token(Service::Arm, false).map(|_| ())
    }

    /// "Now", by the caller's clock.
    pub fn now(&self) -> jiff::Timestamp {
        (self.clock)()
    }

    /// Stops (or lets go on) every request of the read under way.
    pub(crate) fn abort(&self, stop: bool) {
        self.abort.store(stop, Ordering::Relaxed);
    }

    /// Whether the caller cancelled the read, or it failed.
    fn stopped(&self) -> bool {
        self.hooks.cancelled() || self.abort.load(Ordering::Relaxed)
    }

    /// Sleeps in short steps, stopping early when [`Self::stopped`].
    fn sleep(&self, duration: Duration) -> Result<(), AzureError> {
        let step = Duration::from_millis(50);
        let mut left = duration;
        loop {
            if self.stopped() {
                return Err(AzureError::Cancelled);
            }
            if left.is_zero() {
                return Ok(());
            }
            let now = left.min(step);
            std::thread::sleep(now);
            left -= now;
        }
    }

    fn endpoint(&self, service: Service) -> Option<&Endpoint> {
        match service {
            Service::Arm => Some(&self.arm),
            Service::Graph => self.graph.as_ref(),
        }
    }

    /// Refuses a `url` that is not on `service`'s endpoint: the token is never sent anywhere else.
    fn check_host(&self, service: Service, url: &str) -> Result<(), AzureError> {
        let endpoint = self.endpoint(service).ok_or_else(|| AzureError::Network {
            url: url.to_owned(),
            reason: "no endpoint for Microsoft Graph".to_owned(),
        })?;
        if !endpoint.owns(url) {
            return Err(AzureError::ForeignHost {
                url: url.to_owned(),
                found: endpoint.host_of(url).unwrap_or_else(|why| why),
                expected: endpoint.authority(),
            });
        }
        Ok(())
    }

    /// A token for `service`, from the cache unless it expires within five minutes.
    fn token(&self, service: Service, fresh: bool) -> Result<AccessToken, AzureError> {
        let resource = match service {
            Service::Arm => self.arm.base.clone(),
            Service::Graph => self
                .graph
                .as_ref()
                .map(|g| g.base.clone())
                .unwrap_or_default(),
        };
        let now = (self.clock)();
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if !fresh
            && let Some(token) = cache.get(&resource)
            && token.expires_on.duration_since(now) > REFRESH_BEFORE
        {
            return Ok(token.clone());
        }
        let token = self.tokens.token(&resource)?;
        cache.insert(resource, token.clone());
        Ok(token)
    }

    fn acquire(&self) -> Result<Slot<'_>, AzureError> {
        let (lock, wake) = &self.gate;
        let mut n = lock.lock().unwrap_or_else(PoisonError::into_inner);
        while *n >= self.limits.in_flight.max(1) {
            if self.stopped() {
                return Err(AzureError::Cancelled);
            }
            n = wake
                .wait_timeout(n, Duration::from_millis(50))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        *n += 1;
        self.hooks
            .progress
            .in_flight
            .fetch_add(1, Ordering::Relaxed);
        Ok(Slot(self))
    }

    /// GETs `url` from `service` and parses the JSON body, retrying as the module says.
    pub fn get(&self, service: Service, url: &str) -> Result<Value, AzureError> {
        self.check_host(service, url)?;
        let (mut failures, mut throttles, mut refreshed) = (0u32, 0u32, false);
        let mut fresh = false;
        loop {
            if self.stopped() {
                return Err(AzureError::Cancelled);
            }
            let token = self.token(service, fresh)?;
            fresh = false;
            let attempt = {
                let _slot = self.acquire()?;
                self.attempt(url, &token)
            };
            self.hooks.tell();
            match attempt? {
                Attempt::Done(value) => return Ok(value),
                Attempt::Unauthorized if !refreshed => {
                    refreshed = true;
                    fresh = true;
                }
                Attempt::Unauthorized => {
                    return Err(AzureError::Status {
                        url: url.to_owned(),
                        status: 401,
                        code: String::new(),
                        message: "the token was refused twice: run `az login` again".to_owned(),
                    });
                }
                Attempt::Throttled(wait) => {
                    throttles += 1;
                    self.hooks
                        .progress
                        .throttled
                        .fetch_add(1, Ordering::Relaxed);
                    if throttles > self.limits.throttle_retries
                        || wait > self.limits.max_retry_after
                    {
                        return Err(AzureError::Status {
                            url: url.to_owned(),
                            status: 429,
                            code: String::new(),
                            message: format!(
                                "ARM throttled the read (Retry-After {} s, {throttles} times): try again later",
                                wait.as_secs()
                            ),
                        });
                    }
                    self.sleep(wait)?;
                }
                Attempt::Retry(wait, reason) => {
                    failures += 1;
                    if failures >= self.limits.attempts.max(1) {
                        return Err(AzureError::Network {
                            url: url.to_owned(),
                            reason: format!("{reason} (tried {failures} times)"),
                        });
                    }
                    self.hooks.progress.retried.fetch_add(1, Ordering::Relaxed);
                    let backoff = self.limits.backoff * 2u32.saturating_pow(failures - 1);
                    self.sleep(wait.max(backoff))?;
                }
            }
        }
    }

    /// One request.
    fn attempt(&self, url: &str, token: &AccessToken) -> Result<Attempt, AzureError> {
        let response = self
            .agent
            .get(url)
            .header("Authorization", token.bearer())
            .header("Accept", "application/json")
            .call();
        self.hooks.progress.requests.fetch_add(1, Ordering::Relaxed);
        let mut response = match response {
            Ok(r) => r,
            Err(err) => return Ok(Attempt::Retry(Duration::ZERO, network_reason(&err))),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        if let Some(left) = headers
            .get("x-ms-ratelimit-remaining-subscription-reads")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<i64>().ok())
        {
            let lowest = &self.hooks.progress.remaining_reads;
            let mut seen = lowest.load(Ordering::Relaxed);
            while seen < 0 || left < seen {
                match lowest.compare_exchange(seen, left, Ordering::Relaxed, Ordering::Relaxed) {
                    Ok(_) => break,
                    Err(now) => seen = now,
                }
            }
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(self.limits.max_body_bytes)
            .read_to_vec();
        let bytes = match body {
            Ok(bytes) => bytes,
            Err(ureq::Error::BodyExceedsLimit(_)) => {
                return Err(AzureError::TooLarge {
                    url: url.to_owned(),
                    limit_mb: self.limits.max_body_bytes / (1024 * 1024),
                });
            }
            Err(err) if status == 200 => {
                return Err(AzureError::BadJson {
                    url: url.to_owned(),
                    detail: format!("the body ended early: {}", network_reason(&err)),
                });
            }
            Err(_) => Vec::new(),
        };
        match status {
            200 => serde_json::from_slice(&bytes)
                .map(Attempt::Done)
                .map_err(|e| AzureError::BadJson {
                    url: url.to_owned(),
                    detail: e.to_string(),
                }),
            401 => Ok(Attempt::Unauthorized),
            429 => Ok(Attempt::Throttled(
                retry_after(&headers).unwrap_or(Duration::from_secs(10)),
            )),
            500..=599 => Ok(Attempt::Retry(
                retry_after(&headers).unwrap_or_default(),
                format!("HTTP {status}"),
            )),
            _ => {
                let (code, message) = arm_error(&bytes);
                Err(AzureError::Status {
                    url: url.to_owned(),
                    status,
                    code,
                    message: if message.is_empty() {
                        "no error message".to_owned()
                    } else {
                        message
                    },
                })
            }
        }
    }
}

/// A network error in words (never with a header in it).
pub(super) fn network_reason(err: &ureq::Error) -> String {
    match err {
        ureq::Error::Timeout(t) => format!("no answer in time ({t})"),
        ureq::Error::HostNotFound => "the host was not found (DNS)".to_owned(),
        ureq::Error::ConnectionFailed => "the connection failed".to_owned(),
        ureq::Error::Io(e) => e.to_string(),
        other => other.to_string(),
    }
}
