//! The merging side of a read: each page and body checked and merged through the import as it
//! arrives, the follow-up requests queued, role assignments merged last with the principal
//! names found.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::mpsc::Receiver;

use serde_json::Value;

use super::http::Client;
use super::ids::{GalleryRef, IdKind, check_id};
use super::jobs::{Job, List, Msg, Queue};
use super::read::ReadOptions;
use super::{AUTHORIZATION_API, AzureError, COMPUTE_API};
use crate::import::stream::Stream;
use crate::model::{AggregateState, AzureSeen, Workspace};

/// The merging side of a read.
pub(super) struct Reader<'a, 'w> {
    client: &'a Client,
    options: &'a ReadOptions,
    queue: &'a Queue,
    stream: Stream<'w>,
    outstanding: usize,
    pub(super) warnings: Vec<String>,
    /// Role assignments by id: the same subscription-wide one comes with every gallery.
    assignments: HashMap<String, Value>,
    principal_ids: HashSet<String>,
    names: HashMap<String, (String, String)>,
    graph_warned: bool,
    /// Versions whose status comes from the previous read: (gallery, definition, version).
    settled: Vec<(String, String, String)>,
    /// Versions listed, then gone when their status was read (removed at the end: the
    /// import's index of the workspace must not shift while it merges).
    gone: Vec<String>,
    /// The previous read's versions by lower-case path: completed everywhere, and how many
    /// regions.
    previous: HashMap<String, (bool, usize)>,
}

fn version_key(g: &str, d: &str, v: &str) -> String {
    format!("{g}/{d}/{v}").to_lowercase()
}

impl<'a, 'w> Reader<'a, 'w> {
    pub(super) fn new(
        client: &'a Client,
        options: &'a ReadOptions,
        ws: &'w mut Workspace,
        queue: &'a Queue,
    ) -> Self {
        Self {
            client,
            options,
            queue,
            stream: Stream::new(ws, &client.arm.base),
            outstanding: 1,
            warnings: Vec::new(),
            assignments: HashMap::new(),
            principal_ids: HashSet::new(),
            names: HashMap::new(),
            graph_warned: false,
            settled: Vec::new(),
            gone: Vec::new(),
            previous: options
                .previous
                .as_ref()
                .map(|seen| {
                    seen.galleries()
                        .iter()
                        .flat_map(|g| g.definitions.iter().map(move |d| (g, d)))
                        .flat_map(|(g, d)| d.versions.iter().map(move |v| (g, d, v)))
                        .map(|(g, d, v)| {
                            let done = v.aggregate_state() == AggregateState::Completed;
                            (
                                version_key(&g.name, &d.name, &v.name),
                                (done, v.target_regions.len()),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    fn push(&mut self, job: Job) {
        self.outstanding += 1;
        self.queue.push(job);
    }

    pub(super) fn run(&mut self, receive: &Receiver<Msg>) -> Result<(), AzureError> {
        while self.outstanding > 0 {
            let Ok(msg) = receive.recv() else {
                return Err(AzureError::Cancelled);
            };
            if self.client.hooks.cancelled() {
                return Err(AzureError::Cancelled);
            }
            match msg {
                Msg::Done => self.outstanding -= 1,
                Msg::Failed(error) => return Err(error),
                Msg::Page {
                    list,
                    url,
                    parent,
                    items,
                } => {
                    for item in items {
                        self.item(list, &url, parent.as_ref(), item)?;
                    }
                }
                Msg::Status { url, item, body } => self.status(&url, &item, body)?,
                Msg::Principal { id, found } => self.principal(id, found),
                Msg::Unreadable {
                    list,
                    parent,
                    error,
                } => self.unreadable(list, parent.as_ref(), &error),
            }
            self.client.hooks.tell();
        }
        Ok(())
    }

    fn unreadable(&mut self, list: List, parent: Option<&GalleryRef>, error: &AzureError) {
        let what = match (list, parent) {
            (List::Definitions, Some(p)) => {
                format!("the image definitions of gallery {}", p.gallery)
            }
            (List::Versions, Some(p)) => format!(
                "the versions of image definition {}/{}",
                p.gallery,
                p.definition.as_deref().unwrap_or_default()
            ),
            (List::Assignments, Some(p)) => {
                format!("the role assignments of gallery {}", p.gallery)
            }
            _ => "a list".to_owned(),
        };
        self.warnings
            .push(format!("{what} could not be read, the rest was: {error}"));
    }

    /// Checks a listed item's id against what was listed.
    fn check(
        &self,
        url: &str,
        item: &Value,
        kind: IdKind,
        parent: Option<&GalleryRef>,
    ) -> Result<GalleryRef, AzureError> {
        let id = item.get("id").and_then(Value::as_str).unwrap_or_default();
        let bad = |why: String| AzureError::BadId {
            url: url.to_owned(),
            id: id.to_owned(),
            kind: kind.label(),
            why,
        };
        let r = check_id(id, kind).map_err(bad)?;
        if !r
            .subscription
            .eq_ignore_ascii_case(&self.options.subscription)
        {
            return Err(bad(format!(
                "it is in subscription {}, not in {}",
                r.subscription, self.options.subscription
            )));
        }
        if let Some(rg) = &self.options.resource_group
            && !r.resource_group.eq_ignore_ascii_case(rg)
        {
            return Err(bad(format!("it is not in resource group {rg}")));
        }
        if let Some(p) = parent {
            let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                _ => true,
            };
            if !r.gallery.eq_ignore_ascii_case(&p.gallery) || !same(&r.definition, &p.definition) {
                return Err(bad(
                    "it is not below the resource that was listed".to_owned()
                ));
            }
        }
        Ok(r)
    }

    fn item(
        &mut self,
        list: List,
        url: &str,
        parent: Option<&GalleryRef>,
        item: Value,
    ) -> Result<(), AzureError> {
        let progress = &self.client.hooks.progress;
        let arm = &self.client.arm;
        match list {
            List::Galleries => {
                let r = self.check(url, &item, IdKind::Gallery, None)?;
                self.stream.add(url, item);
                progress.galleries.fetch_add(1, Ordering::Relaxed);
                let path = r.path();
                self.push(Job::List {
                    list: List::Definitions,
                    url: arm.url(
                        &format!("{path}/images"),
                        &format!("api-version={COMPUTE_API}"),
                    ),
                    parent: Some(r.clone()),
                });
                self.push(Job::List {
                    list: List::Assignments,
                    url: arm.url(
                        &format!("{path}/providers/Microsoft.Authorization/roleAssignments"),
                        &format!("api-version={AUTHORIZATION_API}&$filter=atScope()"),
                    ),
                    parent: Some(r),
                });
            }
            List::Definitions => {
                let r = self.check(url, &item, IdKind::Definition, parent)?;
                self.stream.add(url, item);
                progress.definitions.fetch_add(1, Ordering::Relaxed);
                self.push(Job::List {
                    list: List::Versions,
                    url: arm.url(
                        &format!("{}/versions", r.path()),
                        &format!("api-version={COMPUTE_API}"),
                    ),
                    parent: Some(r),
                });
            }
            List::Versions => {
                let r = self.check(url, &item, IdKind::Version, parent)?;
                progress.versions.fetch_add(1, Ordering::Relaxed);
                // Merged now, in the list's order; an unsettled version's own GET merges its
                // replication status over it later.
                let settled = self.is_settled(&r, &item);
                self.stream.add(url, item);
                if settled {
                    self.settled.push((
                        r.gallery,
                        r.definition.unwrap_or_default(),
                        r.version.unwrap_or_default(),
                    ));
                } else {
                    progress.statuses_planned.fetch_add(1, Ordering::Relaxed);
                    self.push(Job::Status {
                        url: arm.url(
                            &r.path(),
                            &format!("api-version={COMPUTE_API}&$expand=ReplicationStatus"),
                        ),
                        item: r,
                    });
                }
            }
            List::Assignments => self.assignment(item),
        }
        Ok(())
    }

    /// Whether the previous read saw this version completed everywhere, with the regions the
    /// list gives it now, and the list says it succeeded: its status is not read again.
    fn is_settled(&self, r: &GalleryRef, item: &Value) -> bool {
        let key = version_key(
            &r.gallery,
            r.definition.as_deref().unwrap_or_default(),
            r.version.as_deref().unwrap_or_default(),
        );
        let Some(&(completed, count)) = self.previous.get(&key) else {
            return false;
        };
        let succeeded = item
            .pointer("/properties/provisioningState")
            .and_then(Value::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("Succeeded"));
        let regions = item
            .pointer("/properties/publishingProfile/targetRegions")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        succeeded && completed && count == regions
    }

    fn status(
        &mut self,
        url: &str,
        item: &GalleryRef,
        body: Result<Value, AzureError>,
    ) -> Result<(), AzureError> {
        self.client
            .hooks
            .progress
            .statuses_done
            .fetch_add(1, Ordering::Relaxed);
        let path = format!(
            "{}/{}/{}",
            item.gallery,
            item.definition.as_deref().unwrap_or_default(),
            item.version.as_deref().unwrap_or_default()
        );
        match body {
            Ok(body) => {
                let parent = GalleryRef {
                    version: None,
                    ..item.clone()
                };
                self.check(url, &body, IdKind::Version, Some(&parent))?;
                self.stream.add(url, body);
            }
            Err(error) if error.status() == Some(404) => {
                self.warnings.push(format!(
                    "image version {path} was listed but is gone now (deleted while reading): left out"
                ));
                self.gone.push(version_key(
                    &item.gallery,
                    item.definition.as_deref().unwrap_or_default(),
                    item.version.as_deref().unwrap_or_default(),
                ));
            }
            Err(error) => self.warnings.push(format!(
                "the replication status of image version {path} could not be read ({error}): its regions' state is unknown"
            )),
        }
        Ok(())
    }

    fn assignment(&mut self, item: Value) {
        if !self.options.object_ids_only && self.client.graph.is_none() && !self.graph_warned {
            self.graph_warned = true;
            self.warnings.push(
                "the cloud names no Microsoft Graph endpoint: principals are shown by object id and type"
                    .to_owned(),
            );
        }
        let id = item
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if let Some(principal) = item
            .pointer("/properties/principalId")
            .and_then(Value::as_str)
            && !self.options.object_ids_only
            && self.client.graph.is_some()
            && self.principal_ids.insert(principal.to_owned())
        {
            self.push(Job::Principal {
                id: principal.to_owned(),
            });
        }
        let key = if id.is_empty() {
            format!("#{}", self.assignments.len())
        } else {
            id.to_ascii_lowercase()
        };
        self.assignments.insert(key, item);
    }

    fn principal(&mut self, id: String, found: Result<Value, AzureError>) {
        match found {
            Ok(body) => {
                let field = |k: &str| {
                    body.get(k)
                        .and_then(Value::as_str)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                };
                let kind = body
                    .get("@odata.type")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                if let Some(name) = field("userPrincipalName").or_else(|| field("displayName")) {
                    self.names.insert(id, (name, kind));
                }
            }
            Err(error) if !self.graph_warned => {
                self.graph_warned = true;
                self.warnings.push(format!(
                    "principal names could not be read from Microsoft Graph ({error}): principals are shown by object id and type"
                ));
            }
            Err(_) => {}
        }
    }

    /// Merges the role assignments (with the principal names found), copies the previous
    /// status of settled versions, and ends the import. Nothing is merged after a failure.
    pub(super) fn finish(self, result: &Result<(), AzureError>) -> Vec<String> {
        let Self {
            mut stream,
            assignments,
            names,
            settled,
            options,
            client,
            gone,
            ..
        } = self;
        if result.is_err() {
            return Vec::new();
        }
        let mut taken: HashMap<String, usize> = HashMap::new();
        let mut keys: Vec<String> = assignments.keys().cloned().collect();
        keys.sort();
        let mut assignments = assignments;
        for key in keys {
            let Some(mut item) = assignments.remove(&key) else {
                continue;
            };
            let principal = item
                .pointer("/properties/principalId")
                .and_then(Value::as_str)
                .map(str::to_owned);
            if let Some(id) = principal
                && let Some((name, _)) = names.get(&id)
                && let Some(props) = item.get_mut("properties").and_then(Value::as_object_mut)
            {
                // Two principals with one display name stay apart.
                let uses = taken.entry(name.to_lowercase()).or_default();
                *uses += 1;
                let shown = if *uses > 1 {
                    format!("{name} ({id})")
                } else {
                    name.clone()
                };
                props.insert("principalName".to_owned(), Value::String(shown));
            }
            stream.add(&client.arm.base, item);
        }
        if let Some(previous) = &options.previous {
            copy_statuses(stream.ws_mut(), previous, &settled);
        }
        let gone: HashSet<String> = gone.into_iter().collect();
        if !gone.is_empty() {
            for g in &mut stream.ws_mut().galleries {
                for d in &mut g.definitions {
                    let (gn, dn) = (g.name.clone(), d.name.clone());
                    d.versions
                        .retain(|v| !gone.contains(&version_key(&gn, &dn, &v.name)));
                }
            }
        }
        let summary = stream.finish();
        summary.warnings.iter().map(ToString::to_string).collect()
    }
}

/// Versions not read again keep the replication status the previous read saw.
fn copy_statuses(ws: &mut Workspace, previous: &AzureSeen, settled: &[(String, String, String)]) {
    let wanted: HashSet<String> = settled
        .iter()
        .map(|(g, d, v)| version_key(g, d, v))
        .collect();
    let old: HashMap<String, &crate::model::ImageVersion> = previous
        .galleries()
        .iter()
        .flat_map(|g| g.definitions.iter().map(move |d| (g, d)))
        .flat_map(|(g, d)| d.versions.iter().map(move |v| (g, d, v)))
        .map(|(g, d, v)| (version_key(&g.name, &d.name, &v.name), v))
        .filter(|(k, _)| wanted.contains(k))
        .collect();
    for g in &mut ws.galleries {
        for d in &mut g.definitions {
            for v in &mut d.versions {
                let Some(was) = old.get(&version_key(&g.name, &d.name, &v.name)) else {
                    continue;
                };
                for target in &mut v.target_regions {
                    if let Some(t) = was.target(target.region) {
                        target.status = t.status.clone();
                    }
                }
            }
        }
    }
}
