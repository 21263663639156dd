//! One step carried out: its requests in order, each long-running operation followed to its
//! end, a 409 "nested resources" right after a child's delete retried with backoff.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use serde_json::{Value, json};

use super::lookup::Lookups;
use super::prepare::{
    Op, PrincipalRef, SourceImage, assignment_body, assignment_name, assignment_url,
};
use super::{ApplyLimits, ApplyLog, Control, Failure, Prepared, StepState};
use crate::azure::http::{Answer, Method};
use crate::azure::{AzureError, Client};
use crate::model::Role;

/// What a run's steps share.
pub(super) struct Cx<'a> {
    pub(super) client: &'a Client,
    pub(super) limits: &'a ApplyLimits,
    pub(super) log: &'a ApplyLog,
    control: &'a Control,
    lookups: Lookups,
    /// Lower-case ids of resources a child of which this run deleted.
    emptied: Mutex<HashSet<String>>,
}

/// A failure from what the client returned.
pub(super) fn failure_of(method: Method, url: &str, err: AzureError) -> Failure {
    let (status, code, message) = match err {
        AzureError::Network { reason, .. } => (None, String::new(), reason),
        AzureError::Status {
            status,
            code,
            message,
            ..
        } => (Some(status), code, message),
        other => (None, String::new(), other.to_string()),
    };
    Failure {
        method: method.as_str().to_owned(),
        url: url.to_owned(),
        status,
        code,
        message,
    }
}

/// A failure from ARM's answer.
pub(super) fn refused(method: Method, url: &str, answer: &Answer) -> Failure {
    let (code, message) = answer.error();
    Failure {
        method: method.as_str().to_owned(),
        url: url.to_owned(),
        status: Some(answer.status),
        code,
        message: if message.is_empty() {
            "no error message".to_owned()
        } else {
            message
        },
    }
}

/// An id in lower case, without the query and the endpoint.
fn id_of(url: &str) -> String {
    let path = url.split('?').next().unwrap_or_default();
    let path = path.find("/subscriptions/").map_or(path, |at| &path[at..]);
    path.trim_end_matches('/').to_ascii_lowercase()
}

/// The parent of a definition or version id (`…/images/d` of `…/images/d/versions/v`).
fn parent_id(id: &str) -> Option<String> {
    let mut parts: Vec<&str> = id.split('/').collect();
    let kind = parts.get(parts.len().wrapping_sub(2)).copied()?;
    (kind == "images" || kind == "versions").then(|| {
        parts.truncate(parts.len() - 2);
        parts.join("/")
    })
}

fn nested(answer: &Answer) -> bool {
    let (code, message) = answer.error();
    answer.status == 409
        && (message.to_ascii_lowercase().contains("nested resources")
            || code.eq_ignore_ascii_case("NestedResourcesExist"))
}

impl<'a> Cx<'a> {
    pub(super) fn new(
        client: &'a Client,
        limits: &'a ApplyLimits,
        log: &'a ApplyLog,
        control: &'a Control,
    ) -> Self {
        Self {
            client,
            limits,
            log,
            control,
            lookups: Lookups::default(),
            emptied: Mutex::new(HashSet::new()),
        }
    }

    fn detail(&self, index: usize, text: String) {
        self.control.set(index, |s| s.detail = text);
    }

    /// Carries out one step; `false` when it failed.
    pub(super) fn step(&self, step: &Prepared) -> bool {
        let i = step.index;
        self.control.set(i, |s| {
            s.state = StepState::Running;
            s.detail = "sending".to_owned();
        });
        self.log.event(Some(i), "started");
        let mut assignment = None;
        for op in &step.ops {
            match self.op(i, op) {
                Ok(written) => assignment = written.or(assignment),
                Err(failure) => {
                    self.log.event(Some(i), &format!("failed: {failure}"));
                    self.control.set(i, |s| {
                        s.state = StepState::Failed;
                        s.detail = failure.to_string();
                        s.failure = Some(failure);
                    });
                    return false;
                }
            }
        }
        self.log.event(Some(i), "done");
        self.control.set(i, |s| {
            s.state = StepState::Done;
            s.detail = "done".to_owned();
            s.assignment = assignment;
        });
        true
    }

    /// One request of a step (with what it looks up first); a role assignment written gives
    /// its name and the principal's object id.
    fn op(&self, i: usize, op: &Op) -> Result<Option<(String, String)>, Failure> {
        match op {
            Op::Put { url, body, source } => self.put(i, url, body, source.as_ref()).map(|()| None),
            Op::Delete { url } => self.delete(i, url).map(|()| None),
            Op::Share { url, body } => {
                let answer = self.send(i, Method::Post, url, Some(body))?;
                if !matches!(answer.status, 200 | 202) {
                    return Err(refused(Method::Post, url, &answer));
                }
                self.follow(i, Method::Post, url, answer).map(|()| None)
            }
            Op::AssignmentPut {
                scope,
                name,
                role,
                principal,
            } => self
                .assignment_put(i, scope, name.as_deref(), *role, principal)
                .map(Some),
            Op::AssignmentDelete {
                scope,
                name,
                role,
                principal,
            } => self
                .assignment_delete(i, scope, name.as_deref(), *role, principal)
                .map(|()| None),
        }
    }

    pub(super) fn send(
        &self,
        i: usize,
        method: Method,
        url: &str,
        body: Option<&Value>,
    ) -> Result<Answer, Failure> {
        self.client
            .send(method, url, body, &|exchange| {
                self.log.request(Some(i), exchange);
            })
            .map_err(|e| failure_of(method, url, e))
    }

    fn put(
        &self,
        i: usize,
        url: &str,
        body: &Value,
        source: Option<&SourceImage>,
    ) -> Result<(), Failure> {
        let mut body = body.clone();
        if let Some(source) = source {
            let id = self.lookups.image(self, i, source)?;
            body["properties"]["storageProfile"]["source"] = json!({ "id": id });
        }
        let answer = self.send(i, Method::Put, url, Some(&body))?;
        if !(200..=202).contains(&answer.status) {
            return Err(refused(Method::Put, url, &answer));
        }
        self.follow(i, Method::Put, url, answer)
    }

    fn delete(&self, i: usize, url: &str) -> Result<(), Failure> {
        let id = id_of(url);
        let mut retries = 0;
        loop {
            let answer = self.send(i, Method::Delete, url, None)?;
            match answer.status {
                200 | 202 | 204 => {
                    self.follow(i, Method::Delete, url, answer)?;
                    break;
                }
                404 => {
                    self.log
                        .event(Some(i), "not found in Azure: already deleted");
                    break;
                }
                409 if nested(&answer)
                    && retries < self.limits.nested_retries
                    && self
                        .emptied
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .contains(&id) =>
                {
                    retries += 1;
                    let wait = self.limits.nested_backoff * 2u32.saturating_pow(retries - 1);
                    let text = format!(
                        "Azure still counts the children deleted a moment ago: retry {retries} of {} in {}",
                        self.limits.nested_retries,
                        crate::replication::format_duration(wait.as_secs_f64())
                    );
                    self.log.event(Some(i), &text);
                    self.detail(i, text);
                    std::thread::sleep(wait);
                }
                _ => return Err(refused(Method::Delete, url, &answer)),
            }
        }
        if let Some(parent) = parent_id(&id) {
            self.emptied
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(parent);
        }
        Ok(())
    }

    /// Follows a long-running operation (`Azure-AsyncOperation`, else `Location`) to its end;
    /// an answer with neither is the end itself.
    fn follow(&self, i: usize, method: Method, url: &str, first: Answer) -> Result<(), Failure> {
        let (poll, is_async) = match (&first.async_operation, &first.location) {
            (Some(op), _) => (op.clone(), true),
            (None, Some(location)) => (location.clone(), false),
            (None, None) => return Ok(()),
        };
        let mut wait = first.retry_after;
        let (mut polls, mut waited) = (0u32, Duration::ZERO);
        loop {
            let pause = wait
                .unwrap_or(self.limits.poll_interval)
                .min(self.limits.max_poll_interval);
            if waited + pause > self.limits.operation_timeout {
                return Err(Failure {
                    method: method.as_str().to_owned(),
                    url: url.to_owned(),
                    status: None,
                    code: "OperationTimeout".to_owned(),
                    message: format!(
                        "the operation was still running after {}: it goes on in Azure; refresh later to see how it ended",
                        crate::replication::format_duration(waited.as_secs_f64())
                    ),
                });
            }
            if wait.is_some_and(|w| !w.is_zero()) {
                self.log.event(
                    Some(i),
                    &format!("waiting {} s (Retry-After)", pause.as_secs_f64()),
                );
            }
            std::thread::sleep(pause);
            waited += pause;
            let answer = self.send(i, Method::Get, &poll, None)?;
            polls += 1;
            wait = answer.retry_after;
            if is_async {
                if answer.status != 200 {
                    return Err(refused(Method::Get, &poll, &answer));
                }
                let status = answer
                    .body
                    .get("status")
                    .and_then(Value::as_str)
                    .unwrap_or("InProgress")
                    .to_owned();
                match status.to_ascii_lowercase().as_str() {
                    "succeeded" => return Ok(()),
                    "failed" | "canceled" | "cancelled" => {
                        let (code, message) = answer.error();
                        return Err(Failure {
                            method: method.as_str().to_owned(),
                            url: url.to_owned(),
                            status: None,
                            code,
                            message: format!(
                                "the operation ended {status}{}",
                                if message.is_empty() {
                                    String::new()
                                } else {
                                    format!(": {message}")
                                }
                            ),
                        });
                    }
                    _ => self.detail(i, format!("waiting for Azure: {status}, {polls} polls")),
                }
            } else {
                match answer.status {
                    202 => self.detail(i, format!("waiting for Azure: accepted, {polls} polls")),
                    200 | 201 | 204 => return Ok(()),
                    _ => return Err(refused(Method::Get, &poll, &answer)),
                }
            }
        }
    }

    fn assignment_put(
        &self,
        i: usize,
        scope: &str,
        name: Option<&str>,
        role: Role,
        principal: &PrincipalRef,
    ) -> Result<(String, String), Failure> {
        let object_id = self.lookups.principal(self, i, principal)?;
        let name = name.map_or_else(|| assignment_name(scope, &object_id, role), str::to_owned);
        let url = assignment_url(&self.client.arm, scope, &name);
        let body = assignment_body(scope, role, &object_id, principal.kind);
        let answer = self.send(i, Method::Put, &url, Some(&body))?;
        match answer.status {
            200 | 201 => Ok((name, object_id)),
            409 if answer.error().0 == "RoleAssignmentExists" => {
                // Azure holds it already, under another name: that one is recorded.
                let found = self
                    .lookups
                    .assignments_at(self, i, scope, &object_id, role)?;
                match found.into_iter().next() {
                    Some(existing) => {
                        self.log.event(
                            Some(i),
                            &format!("already in Azure as role assignment {existing}"),
                        );
                        Ok((existing, object_id))
                    }
                    None => Err(refused(Method::Put, &url, &answer)),
                }
            }
            _ => Err(refused(Method::Put, &url, &answer)),
        }
    }

    fn assignment_delete(
        &self,
        i: usize,
        scope: &str,
        name: Option<&str>,
        role: Role,
        principal: &PrincipalRef,
    ) -> Result<(), Failure> {
        let names = match name {
            Some(name) => vec![name.to_owned()],
            None => {
                let object_id = self.lookups.principal(self, i, principal)?;
                self.lookups
                    .assignments_at(self, i, scope, &object_id, role)?
            }
        };
        if names.is_empty() {
            self.log
                .event(Some(i), "not found in Azure: already removed");
        }
        for name in names {
            let url = assignment_url(&self.client.arm, scope, &name);
            let answer = self.send(i, Method::Delete, &url, None)?;
            if !matches!(answer.status, 200 | 204 | 404) {
                return Err(refused(Method::Delete, &url, &answer));
            }
        }
        Ok(())
    }
}
