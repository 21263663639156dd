//! Writes and polls: one request of any method, with the headers ARM's long-running operations
//! answer with, and each HTTP exchange shown to a watcher (the apply log) as it happens.
//!
//! A write is sent again only when ARM certainly did not act on it: a 401 (the token is asked
//! for again, once) or a 429 (`Retry-After` waited out). A network error or a 5xx on a write is
//! returned as it is: ARM may have processed it, and the caller decides. A GET (a poll) retries
//! network errors and 5xx with backoff, as reads do.

use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::Value;

use super::{Client, Service, arm_error, network_reason, retry_after};
use crate::azure::AzureError;
use crate::azure::token::AccessToken;

/// The methods the apply sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Method {
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "PUT")]
    Put,
    #[serde(rename = "POST")]
    Post,
    #[serde(rename = "DELETE")]
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
        }
    }
}

/// One HTTP exchange, as the apply log records it: never a header but ARM's request ids.
#[derive(Clone, Copy, Debug)]
pub struct Exchange<'a> {
    pub method: Method,
    pub url: &'a str,
    pub body: Option<&'a Value>,
    /// `None`: no answer (the network error is in `error`).
    pub status: Option<u16>,
    pub error: Option<&'a str>,
    /// `x-ms-correlation-request-id`.
    pub correlation_id: &'a str,
    /// `x-ms-request-id`.
    pub request_id: &'a str,
    /// What ARM answered in the body: an operation's status, or an error's code and message.
    pub said: Option<&'a str>,
}

/// ARM's answer to [`Client::send`].
#[derive(Clone, Debug, Default)]
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<Duration>,
    /// `Azure-AsyncOperation`: the operation to poll for its status.
    pub async_operation: Option<String>,
    /// `Location`: polled until 200 or 204 when there is no `Azure-AsyncOperation`.
    pub location: Option<String>,
    pub correlation_id: String,
    pub request_id: String,
    /// The body (`Null` when empty or not JSON).
    pub body: Value,
}

impl Answer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// ARM's error code and message (`{"error": {"code", "message"}}`; an operation's body
    /// carries the same `error`).
    pub fn error(&self) -> (String, String) {
        let bytes = serde_json::to_vec(&self.body).unwrap_or_default();
        arm_error(&bytes)
    }

    /// A short account of the body for the log: an operation's status, or the error.
    fn said(&self) -> Option<String> {
        let status = self.body.get("status").and_then(Value::as_str);
        let (code, message) = self.error();
        match (status, code.is_empty() && message.is_empty()) {
            (Some(s), true) => Some(s.to_owned()),
            (Some(s), false) => Some(format!("{s}: {code}: {message}")),
            (None, false) => Some(format!("{code}: {message}")),
            (None, true) => None,
        }
    }
}

fn header(headers: &ureq::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

impl Client {
    /// Sends one request to ARM (see the module's documentation for what is sent again),
    /// telling `watch` of every exchange.
    pub fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&Value>,
        watch: &dyn Fn(&Exchange<'_>),
    ) -> Result<Answer, AzureError> {
        self.send_to(Service::Arm, method, url, body, watch)
    }

    /// [`Self::send`] to ARM or Microsoft Graph, with that service's token.
    pub fn send_to(
        &self,
        service: Service,
        method: Method,
        url: &str,
        body: Option<&Value>,
        watch: &dyn Fn(&Exchange<'_>),
    ) -> Result<Answer, AzureError> {
        self.check_host(service, url)?;
        let bytes = body.map(|b| serde_json::to_vec(b).unwrap_or_default());
        let (mut fresh, mut refreshed, mut throttles, mut failures) = (false, false, 0u32, 0u32);
        loop {
            let token = self.token(service, fresh)?;
            fresh = false;
            let result = {
                let _slot = self.acquire()?;
                self.exchange(method, url, &token, bytes.as_deref())
            };
            self.hooks.tell();
            let answer = match result {
                Ok(answer) => answer,
                Err(reason) => {
                    watch(&Exchange {
                        method,
                        url,
                        body,
                        status: None,
                        error: Some(&reason),
                        correlation_id: "",
                        request_id: "",
                        said: None,
                    });
                    failures += 1;
                    if method != Method::Get || failures >= self.limits.attempts.max(1) {
                        return Err(AzureError::Network {
                            url: url.to_owned(),
                            reason: format!("{reason} (tried {failures} times)"),
                        });
                    }
                    self.hooks.progress.retried.fetch_add(1, Ordering::Relaxed);
                    self.sleep(self.limits.backoff * 2u32.saturating_pow(failures - 1))?;
                    continue;
                }
            };
            let said = answer.said();
            watch(&Exchange {
                method,
                url,
                body,
                status: Some(answer.status),
                error: None,
                correlation_id: &answer.correlation_id,
                request_id: &answer.request_id,
                said: said.as_deref(),
            });
            match answer.status {
                401 if !refreshed => {
                    refreshed = true;
                    fresh = true;
                }
                429 => {
                    throttles += 1;
                    self.hooks
                        .progress
                        .throttled
                        .fetch_add(1, Ordering::Relaxed);
                    let wait = answer.retry_after.unwrap_or(Duration::from_secs(10));
                    if throttles > self.limits.throttle_retries
                        || wait > self.limits.max_retry_after
                    {
                        return Ok(answer);
                    }
                    self.sleep(wait)?;
                }
                500..=599
                    if method == Method::Get && failures + 1 < self.limits.attempts.max(1) =>
                {
                    failures += 1;
                    self.hooks.progress.retried.fetch_add(1, Ordering::Relaxed);
                    let backoff = self.limits.backoff * 2u32.saturating_pow(failures - 1);
                    self.sleep(answer.retry_after.unwrap_or_default().max(backoff))?;
                }
                _ => return Ok(answer),
            }
        }
    }

    /// One request; `Err` holds the network error in words.
    fn exchange(
        &self,
        method: Method,
        url: &str,
        token: &AccessToken,
        body: Option<&[u8]>,
    ) -> Result<Answer, String> {
        let response = match method {
            Method::Get => self
                .agent
                .get(url)
                .header("Authorization", token.bearer())
                .call(),
            Method::Delete => self
                .agent
                .delete(url)
                .header("Authorization", token.bearer())
                .call(),
            Method::Put | Method::Post => {
                let builder = if method == Method::Put {
                    self.agent.put(url)
                } else {
                    self.agent.post(url)
                };
                builder
                    .header("Authorization", token.bearer())
                    .header("Content-Type", "application/json")
                    .send(body.unwrap_or(b"{}"))
            }
        };
        self.hooks.progress.requests.fetch_add(1, Ordering::Relaxed);
        let mut response = response.map_err(|e| network_reason(&e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(self.limits.max_body_bytes)
            .read_to_vec()
            .unwrap_or_default();
        Ok(Answer {
            status,
            retry_after: retry_after(&headers),
            async_operation: header(&headers, "azure-asyncoperation"),
            location: header(&headers, "location"),
            correlation_id: header(&headers, "x-ms-correlation-request-id").unwrap_or_default(),
            request_id: header(&headers, "x-ms-request-id").unwrap_or_default(),
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        })
    }
}
