//! Reading a subscription (or one resource group) from ARM: galleries, their image definitions
//! and versions (API 2025-03-03), each unsettled version's replication status (the single GET
//! with `$expand=ReplicationStatus`: lists never carry it), the role assignments at each
//! gallery's scope (`atScope()`), and principal names from Microsoft Graph where readable.
//!
//! Lists are followed page by page (`nextLink`, verbatim); the requests run on worker threads
//! (at most [`super::Limits::in_flight`] at once) while this thread merges each body into a new
//! workspace through the import as it arrives. A 403 or 404 on one gallery, definition or
//! version is a warning naming it; anything else that fails fails the whole read, which then
//! changes nothing.

use std::collections::VecDeque;
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Condvar, Mutex};

use serde_json::Value;

use super::http::{Client, Service};
use super::ids::{check_segment, encode_segment};
use super::jobs::{Job, List, Msg, Queue, work};
use super::reader::Reader;
use super::{AzureError, COMPUTE_API, SUBSCRIPTIONS_API};
use crate::model::{AzureSeen, Origin, Tenant, Workspace};

/// What to read.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// The subscription id.
    pub subscription: String,
    /// Only this resource group (else the whole subscription).
    pub resource_group: Option<String>,
    /// Azure as last seen before: versions it saw completed everywhere, and still listed as
    /// succeeded with the same regions, keep its replication status instead of a GET each.
    pub previous: Option<Arc<AzureSeen>>,
    /// Show principals by object id without asking Microsoft Graph for their names.
    pub object_ids_only: bool,
    /// The tenant the galleries belong to (the token's), for the workspace's directory.
    pub tenant: Option<String>,
}

/// What a read found: a workspace whose planned state is Azure's, with Azure as last seen
/// set, and what could not be read.
#[derive(Debug)]
pub struct Pulled {
    pub ws: Workspace,
    /// Resources that could not be read (403, 404) and values the import did not understand.
    pub warnings: Vec<String>,
}

/// A subscription the signed-in account can see.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Subscription {
    pub id: String,
    pub name: String,
    pub state: String,
    pub tenant: String,
}

/// Lists the subscriptions the token can see (`/subscriptions`), every page.
pub fn subscriptions(client: &Client) -> Result<Vec<Subscription>, AzureError> {
    let mut url = client.arm.url(
        "/subscriptions",
        &format!("api-version={SUBSCRIPTIONS_API}"),
    );
    let mut out = Vec::new();
    loop {
        let page = client.get(Service::Arm, &url)?;
        let (items, next) = page_parts(&url, page)?;
        for item in items {
            let field = |k: &str| {
                item.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            out.push(Subscription {
                id: field("subscriptionId"),
                name: field("displayName"),
                state: field("state"),
                tenant: field("tenantId"),
            });
        }
        match next {
            Some(next) => url = next,
            None => return Ok(out),
        }
    }
}

/// A list page's `value` items and `nextLink`.
pub(super) fn page_parts(
    url: &str,
    page: Value,
) -> Result<(Vec<Value>, Option<String>), AzureError> {
    let Value::Object(mut map) = page else {
        return Err(AzureError::BadJson {
            url: url.to_owned(),
            detail: "a list page is a JSON object".to_owned(),
        });
    };
    let next = match map.remove("nextLink") {
        Some(Value::String(s)) if !s.is_empty() => Some(s),
        None | Some(Value::Null) | Some(Value::String(_)) => None,
        Some(_) => {
            return Err(AzureError::BadJson {
                url: url.to_owned(),
                detail: "nextLink is not a string".to_owned(),
            });
        }
    };
    match map.remove("value") {
        Some(Value::Array(items)) => Ok((items, next)),
        _ => Err(AzureError::BadJson {
            url: url.to_owned(),
            detail: "a list page has no \"value\" array".to_owned(),
        }),
    }
}

/// Reads the subscription (or resource group) into a new workspace: planned = Azure, and
/// Azure as last seen with its origin (endpoint, subscription, the client's "now").
pub fn read(client: &Client, options: &ReadOptions) -> Result<Pulled, AzureError> {
    let (mut ws, seen, warnings) = read_parts(client, options)?;
    ws.galleries = seen.galleries().to_vec();
    ws.grants = seen.grants().to_vec();
    ws.azure = Some(Arc::new(seen));
    Ok(Pulled { ws, warnings })
}

/// Azure as read, without a planned copy of it (what a refresh compares), and the warnings.
pub fn read_seen(
    client: &Client,
    options: &ReadOptions,
) -> Result<(AzureSeen, Vec<String>), AzureError> {
    read_parts(client, options).map(|(_, seen, warnings)| (seen, warnings))
}

/// The read: the directory (tenants, principals) and Azure as last seen, the galleries and
/// grants moved into it.
fn read_parts(
    client: &Client,
    options: &ReadOptions,
) -> Result<(Workspace, AzureSeen, Vec<String>), AzureError> {
    check_segment(&options.subscription).map_err(|why| AzureError::BadId {
        url: String::new(),
        id: options.subscription.clone(),
        kind: "subscription",
        why,
    })?;
    let mut path = format!("/subscriptions/{}", encode_segment(&options.subscription));
    if let Some(rg) = &options.resource_group {
        check_segment(rg).map_err(|why| AzureError::BadId {
            url: String::new(),
            id: rg.clone(),
            kind: "resource group",
            why,
        })?;
        path.push_str(&format!("/resourceGroups/{}", encode_segment(rg)));
    }
    path.push_str("/providers/Microsoft.Compute/galleries");
    let first = Job::List {
        list: List::Galleries,
        url: client.arm.url(&path, &format!("api-version={COMPUTE_API}")),
        parent: None,
    };
    let mut ws = Workspace::default();
    if let Some(tenant) = &options.tenant {
        ws.tenants.push(Tenant {
            name: tenant.clone(),
            domain: String::new(),
        });
    }
    let queue = Queue {
        jobs: Mutex::new(Some(VecDeque::from([first]))),
        wake: Condvar::new(),
    };
    let (send, receive) = sync_channel::<Msg>(64);
    let outcome = std::thread::scope(|scope| {
        for _ in 0..client.limits.in_flight.max(1) {
            let send = send.clone();
            let queue = &queue;
            scope.spawn(move || {
                while let Some(job) = queue.pop() {
                    let ok = work(client, job, &send);
                    if send.send(Msg::Done).is_err() || !ok {
                        break;
                    }
                }
            });
        }
        drop(send);
        client.abort(false);
        let mut reader = Reader::new(client, options, &mut ws, &queue);
        let result = reader.run(&receive);
        if result.is_err() {
            // Workers still waiting on ARM stop at their next step.
            client.abort(true);
        }
        let warnings = std::mem::take(&mut reader.warnings);
        let stream = reader.finish(&result);
        queue.close();
        // Let blocked workers finish their sends.
        while receive.recv().is_ok() {}
        result.map(|()| (warnings, stream))
    });
    let (mut warnings, import_warnings) = outcome?;
    warnings.extend(import_warnings);
    let origin = Origin {
        subscription: options.subscription.clone(),
        resource_group: options.resource_group.clone().unwrap_or_default(),
        endpoint: client.arm.base.clone(),
        read_at: Some(client.now()),
        ..Origin::default()
    };
    let seen = AzureSeen::moved_from(&mut ws, origin);
    Ok((ws, seen, warnings))
}

/// [`read`] for a new workspace: what `sig-studio pull` writes.
pub fn pull(client: &Client, options: &ReadOptions) -> Result<Pulled, AzureError> {
    read(client, options)
}
