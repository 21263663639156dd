//! The mock's answers to writes, as ARM documents them (and as the az oracle's fake ARM in
//! `tests/oracle/az_oracle.py` models them):
//!
//! - PUT of a gallery, definition or version creates (201) or replaces (200) it as a
//!   long-running operation (`Azure-AsyncOperation`, [`Config::operation_polls`] polls), its
//!   parent must exist (404 `ParentResourceNotFound`), and a property fixed at creation
//!   (`model::fixed::ARM_PATHS`) cannot change (409 `PropertyChangeNotAllowed`). A version's
//!   new regions start replicating; the regions it keeps keep their state.
//! - DELETE is accepted (202, `Location`) unless children exist (409 "Can not delete resource
//!   before nested resources are deleted."), also for [`Config::delete_lag`] more tries after
//!   the last child went; the resource goes when the operation ends. A resource that is not
//!   there answers 204.
//! - `POST …/galleries/{g}/share` with `operationType` Add, Remove, Reset or EnableCommunity.
//! - Role assignments: PUT (201; 409 `RoleAssignmentExists` when the principal holds the role
//!   at the scope under another name) and DELETE (200, or 204 when absent).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::store::{Effect, Operation, Replica, Store, Stored, key};
use super::{Config, Fault, Reply, SUBSCRIPTION, State, error};
use sig_studio_core::model::fixed::ARM_PATHS;

const NESTED: &str = "Can not delete resource before nested resources are deleted.";

/// The fault this request triggers, if it is the chosen one.
pub(super) fn fault(state: &State, config: &Config, method: &str, target: &str) -> Option<Fault> {
    let mut counts = state.fault_counts.lock().unwrap();
    counts.resize(config.faults.len(), 0);
    for (i, f) in config.faults.iter().enumerate() {
        if f.method.eq_ignore_ascii_case(method) && target.contains(f.target.as_str()) {
            counts[i] += 1;
            if counts[i] == f.nth {
                return Some(f.clone());
            }
        }
    }
    None
}

fn kind_of(parts: &[&str]) -> Option<(&'static str, &'static str)> {
    match parts.len() {
        8 => Some(("Microsoft.Compute/galleries", "gallery")),
        10 if parts[8] == "images" => {
            Some(("Microsoft.Compute/galleries/images", "image definition"))
        }
        12 if parts[8] == "images" && parts[10] == "versions" => Some((
            "Microsoft.Compute/galleries/images/versions",
            "image version",
        )),
        _ => None,
    }
}

fn location_of(body: &Value) -> String {
    body["location"]
        .as_str()
        .unwrap_or("westus")
        .replace(' ', "")
        .to_ascii_lowercase()
}

/// A long-running operation for `effect`, and the headers that announce it.
fn operation(
    store: &mut Store,
    config: &Config,
    base: &str,
    location: &str,
    is_async: bool,
    effect: Effect,
    fault: Option<Fault>,
) -> Vec<(&'static str, String)> {
    let n = store.next_id();
    let id = format!("op-{n}");
    store.operations.insert(
        id.clone(),
        Operation {
            polls_left: config.operation_polls.max(1),
            is_async,
            fails: fault.map(|f| (f.code, f.message)),
            effect,
        },
    );
    let (header, kind) = if is_async {
        ("Azure-AsyncOperation", "operations")
    } else {
        ("Location", "operationResults")
    };
    vec![
        (
            header,
            format!(
                "{base}subscriptions/{SUBSCRIPTION}/providers/Microsoft.Compute/locations/{location}/{kind}/{id}?api-version=2025-03-03"
            ),
        ),
        ("Retry-After", config.retry_after.to_string()),
    ]
}

/// A poll of an operation: in progress until its last poll, which applies its effect.
pub(super) fn poll(store: &mut Store, config: &Config, base: &str, kind: &str, id: &str) -> Reply {
    let _ = base;
    let Some(op) = store.operations.get_mut(id) else {
        return error(404, "OperationNotFound", "no such operation");
    };
    op.polls_left = op.polls_left.saturating_sub(1);
    let retry = vec![("Retry-After", config.retry_after.to_string())];
    if op.polls_left > 0 {
        return if kind == "operations" {
            Reply::Json(200, json!({"name": id, "status": "InProgress"}), retry)
        } else {
            Reply::Json(202, Value::Null, retry)
        };
    }
    let Some(op) = store.operations.remove(id) else {
        return error(404, "OperationNotFound", "no such operation");
    };
    let state = if op.fails.is_some() {
        "Failed"
    } else {
        "Succeeded"
    };
    match &op.effect {
        Effect::Provisioned(target) => {
            if let Some(stored) = store.get_mut(target) {
                stored.body["properties"]["provisioningState"] = json!(state);
            }
        }
        Effect::Deleted(target) if op.fails.is_none() => {
            store.remove(target);
            let parent = parent_of(target);
            if !parent.is_empty() && !store.has_children(&parent) && config.delete_lag > 0 {
                store.lag.insert(key(&parent), config.delete_lag);
            }
        }
        _ => {}
    }
    match (&op.fails, op.is_async) {
        (Some((code, message)), true) => Reply::Json(
            200,
            json!({"name": id, "status": "Failed", "error": {"code": code, "message": message}}),
            Vec::new(),
        ),
        (Some((code, message)), false) => error(500, code, message),
        (None, true) => Reply::Json(200, json!({"name": id, "status": "Succeeded"}), Vec::new()),
        (None, false) => Reply::Json(204, Value::Null, Vec::new()),
    }
}

fn parent_of(id: &str) -> String {
    let parts: Vec<&str> = id.trim_end_matches('/').split('/').collect();
    if parts.len() > 9 {
        parts[..parts.len() - 2].join("/")
    } else {
        String::new()
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn write(
    store: &mut Store,
    config: &Config,
    base: &str,
    method: &str,
    path: &str,
    params: &HashMap<String, String>,
    body: Option<Value>,
    fault: Option<Fault>,
) -> Reply {
    let api = params
        .get("api-version")
        .map(String::as_str)
        .unwrap_or_default();
    if path.contains("/providers/Microsoft.Authorization/roleAssignments/") {
        if api != "2022-04-01" {
            return error(400, "InvalidApiVersionParameter", "api-version");
        }
        return assignment(store, method, path, body);
    }
    if api != "2025-03-03" {
        return error(400, "InvalidApiVersionParameter", "api-version");
    }
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    if parts.len() < 8
        || parts[0] != "subscriptions"
        || !parts[1].eq_ignore_ascii_case(SUBSCRIPTION)
        || parts[2] != "resourceGroups"
        || parts[4..7] != ["providers", "Microsoft.Compute", "galleries"]
    {
        return error(404, "NotFound", "the mock writes gallery resources only");
    }
    match (method, parts.last().copied()) {
        ("POST", Some("share")) if parts.len() == 9 => share(
            store,
            config,
            base,
            &path[..path.len() - "/share".len()],
            body,
            fault,
        ),
        ("PUT", _) => put(store, config, base, path, &parts, body, fault),
        ("DELETE", _) => delete(store, config, base, path, fault),
        _ => error(405, "MethodNotAllowed", "the mock does not answer this"),
    }
}

/// Strings compared as ARM compares ids, enum values and locations: ignoring case (and the
/// spaces of a display name: `West US` is `westus`).
fn norm(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace(' ', "").to_ascii_lowercase()),
        Value::Array(items) => Value::Array(items.iter().map(norm).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), norm(v))).collect())
        }
        other => other.clone(),
    }
}

fn put(
    store: &mut Store,
    config: &Config,
    base: &str,
    path: &str,
    parts: &[&str],
    body: Option<Value>,
    fault: Option<Fault>,
) -> Reply {
    let Some((kind, label)) = kind_of(parts) else {
        return error(
            404,
            "NotFound",
            "not a gallery, image definition or version",
        );
    };
    let Some(mut body) = body.filter(Value::is_object) else {
        return error(
            400,
            "InvalidRequestContent",
            "the request body is not a JSON object",
        );
    };
    if !body["location"].is_string() || !body["properties"].is_object() {
        return error(
            400,
            "InvalidRequestContent",
            "a resource needs location and properties",
        );
    }
    let parent = parent_of(path);
    if !parent.is_empty() && store.get(&parent).is_none() {
        return error(
            404,
            "ParentResourceNotFound",
            &format!(
                "Can not perform requested operation on nested resource. Parent resource '{parent}' not found."
            ),
        );
    }
    let old = store.get(path).cloned();
    if let Some(old) = &old {
        for (k, property, pointer) in ARM_PATHS {
            let (Some(a), Some(b)) = (old.body.pointer(pointer), body.pointer(pointer)) else {
                continue;
            };
            if k == label && norm(a) != norm(b) {
                return error(
                    409,
                    "PropertyChangeNotAllowed",
                    &format!("Changing property '{property}' is not allowed."),
                );
            }
        }
    }
    let name = parts.last().copied().unwrap_or_default();
    body["id"] = json!(path);
    body["name"] = json!(name);
    body["type"] = json!(kind);
    let props = &mut body["properties"];
    props["provisioningState"] = json!(if old.is_some() {
        "Updating"
    } else {
        "Creating"
    });
    let old_props = old.as_ref().map(|o| &o.body["properties"]);
    match label {
        "gallery" => {
            props["identifier"] =
                json!({"uniqueName": format!("{SUBSCRIPTION}-{}", name.to_uppercase())});
            if let Some(groups) = old_props.and_then(|p| p.pointer("/sharingProfile/groups")) {
                props["sharingProfile"]["groups"] = groups.clone();
            }
        }
        "image version" => {
            let published = old_props
                .and_then(|p| p.pointer("/publishingProfile/publishedDate").cloned())
                .unwrap_or(json!("2026-11-26T10:00:00Z"));
            props["publishingProfile"]["publishedDate"] = published;
            if props.pointer("/storageProfile/source").is_none()
                && let Some(source) = old_props.and_then(|p| p.pointer("/storageProfile/source"))
            {
                props["storageProfile"]["source"] = source.clone();
            }
        }
        _ => {}
    }
    let replicas = regions(config, &body, old.as_ref());
    let location = location_of(&body);
    let created = old.is_none();
    store.put(
        path,
        Stored {
            body: body.clone(),
            replicas,
        },
    );
    let in_operation = fault.filter(|f| f.in_operation);
    let headers = operation(
        store,
        config,
        base,
        &location,
        true,
        Effect::Provisioned(path.to_owned()),
        in_operation,
    );
    Reply::Json(if created { 201 } else { 200 }, body, headers)
}

/// A version's regions after a PUT: the ones it had keep their state, new ones start.
fn regions(config: &Config, body: &Value, old: Option<&Stored>) -> Vec<Replica> {
    let squash = |r: &str| r.replace(' ', "").to_ascii_lowercase();
    body.pointer("/properties/publishingProfile/targetRegions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str())
        .map(|name| {
            old.and_then(|o| {
                o.replicas
                    .iter()
                    .find(|r| squash(&r.region) == squash(name))
            })
            .cloned()
            .unwrap_or(Replica {
                region: name.to_owned(),
                state: "Replicating".to_owned(),
                progress: 0,
                growing: true,
                step: config.replication_step.max(1),
            })
        })
        .collect()
}

fn delete(
    store: &mut Store,
    config: &Config,
    base: &str,
    path: &str,
    fault: Option<Fault>,
) -> Reply {
    let Some(stored) = store.get(path) else {
        return Reply::Json(204, Value::Null, Vec::new());
    };
    let location = location_of(&stored.body);
    if store.has_children(path) {
        return error(409, "Conflict", NESTED);
    }
    if let Some(left) = store.lag.get_mut(&key(path))
        && *left > 0
    {
        *left -= 1;
        return error(409, "Conflict", NESTED);
    }
    let in_operation = fault.filter(|f| f.in_operation);
    let headers = operation(
        store,
        config,
        base,
        &location,
        false,
        Effect::Deleted(path.to_owned()),
        in_operation,
    );
    Reply::Json(202, Value::Null, headers)
}

/// The share action (`tests/oracle/az_oracle.py`'s `share`, as a long-running operation).
fn share(
    store: &mut Store,
    config: &Config,
    base: &str,
    gallery: &str,
    body: Option<Value>,
    fault: Option<Fault>,
) -> Reply {
    let body = body.unwrap_or(Value::Null);
    let operation_type = body["operationType"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let Some(stored) = store.get_mut(gallery) else {
        return error(404, "ResourceNotFound", "no such gallery");
    };
    let location = location_of(&stored.body);
    let props = &mut stored.body["properties"];
    let profile = props["sharingProfile"].take();
    let mut groups: Vec<(String, Vec<String>)> = profile["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|g| {
            let ids = g["ids"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            (g["type"].as_str().unwrap_or_default().to_owned(), ids)
        })
        .collect();
    for group in body["groups"].as_array().into_iter().flatten() {
        let kind = group["type"].as_str().unwrap_or_default().to_owned();
        let at = match groups.iter().position(|(k, _)| *k == kind) {
            Some(at) => at,
            None => {
                groups.push((kind, Vec::new()));
                groups.len() - 1
            }
        };
        let ids = &mut groups[at].1;
        for id in group["ids"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            let has = ids.iter().any(|x| x.eq_ignore_ascii_case(id));
            match operation_type.as_str() {
                "Add" if !has => ids.push(id.to_owned()),
                "Remove" => ids.retain(|x| !x.eq_ignore_ascii_case(id)),
                _ => {}
            }
        }
    }
    let mut profile = if profile.is_object() {
        profile
    } else {
        json!({})
    };
    match operation_type.as_str() {
        "Reset" => profile = json!({"permissions": "Private"}),
        "EnableCommunity" => {
            profile["permissions"] = json!("Community");
            profile["communityGalleryInfo"]["communityGalleryEnabled"] = json!(true);
        }
        "Add" | "Remove" => {
            let kept: Vec<Value> = groups
                .iter()
                .filter(|(_, ids)| !ids.is_empty())
                .map(|(k, ids)| json!({"type": k, "ids": ids}))
                .collect();
            profile["groups"] = json!(kept);
            if operation_type == "Add" {
                profile["permissions"] = json!("Groups");
            }
        }
        other => {
            props["sharingProfile"] = profile;
            return error(400, "BadRequest", &format!("operationType {other:?}"));
        }
    }
    props["sharingProfile"] = profile;
    let in_operation = fault.filter(|f| f.in_operation);
    let headers = operation(
        store,
        config,
        base,
        &location,
        false,
        Effect::Nothing,
        in_operation,
    );
    Reply::Json(202, Value::Null, headers)
}

fn assignment(store: &mut Store, method: &str, path: &str, body: Option<Value>) -> Reply {
    let Some((scope, name)) =
        path.split_once("/providers/Microsoft.Authorization/roleAssignments/")
    else {
        return error(404, "NotFound", "not a role assignment");
    };
    match method {
        "DELETE" => match store.remove(path) {
            Some(stored) => Reply::Json(200, stored.body, Vec::new()),
            None => Reply::Json(204, Value::Null, Vec::new()),
        },
        "PUT" => {
            let Some(body) = body else {
                return error(400, "InvalidRequestContent", "no body");
            };
            let principal = body
                .pointer("/properties/principalId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let role = body
                .pointer("/properties/roleDefinitionId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if principal.is_empty() || role.is_empty() {
                return error(
                    400,
                    "InvalidRoleAssignmentRequest",
                    "principalId and roleDefinitionId are required",
                );
            }
            let scope_known = scope.matches('/').count() <= 4 || store.get(scope).is_some();
            if !scope_known {
                return error(
                    404,
                    "ResourceNotFound",
                    &format!("the scope {scope} does not exist"),
                );
            }
            let last = |id: &str| {
                id.rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase()
            };
            let exists = store.assignments_at(scope).into_iter().any(|a| {
                let p = &a.body["properties"];
                key(p["scope"].as_str().unwrap_or_default()) == key(scope)
                    && p["principalId"]
                        .as_str()
                        .unwrap_or_default()
                        .eq_ignore_ascii_case(&principal)
                    && last(p["roleDefinitionId"].as_str().unwrap_or_default()) == last(&role)
                    && !a.body["name"]
                        .as_str()
                        .unwrap_or_default()
                        .eq_ignore_ascii_case(name)
            });
            if exists {
                return error(
                    409,
                    "RoleAssignmentExists",
                    "The role assignment already exists.",
                );
            }
            let created = store.get(path).is_none();
            let mut stored = body;
            stored["id"] = json!(path);
            stored["name"] = json!(name);
            stored["type"] = json!("Microsoft.Authorization/roleAssignments");
            stored["properties"]["scope"] = json!(scope);
            store.put(
                path,
                Stored {
                    body: stored.clone(),
                    replicas: Vec::new(),
                },
            );
            Reply::Json(if created { 201 } else { 200 }, stored, Vec::new())
        }
        _ => error(405, "MethodNotAllowed", "the mock does not answer this"),
    }
}
