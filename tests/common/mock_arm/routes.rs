//! The mock's answers to reads: ARM's paths and bodies from the store, paged lists, a
//! version's replication status on the single GET with `$expand=ReplicationStatus`, role
//! assignments at a scope, managed images, Microsoft Graph's principals, and the polls of
//! long-running operations. Writes are in `writes`.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::{Value, json};

use super::store::{Store, with_status};
use super::writes;
use super::{Config, ListFault, Reply, SUBSCRIPTION, State, TENANT, TOKEN_PREFIX, error, split};

pub(super) fn answer(
    state: &State,
    base: &str,
    method: &str,
    target: &str,
    auth: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let token_ok = auth.is_some_and(|a| a.starts_with(&format!("Bearer {TOKEN_PREFIX}")));
    if !token_ok {
        return error(401, "InvalidAuthenticationToken", "no valid token");
    }
    let config = Arc::clone(&state.config.lock().unwrap());
    if let Some(held) = &config.hold
        && target.contains(held.as_str())
    {
        while !state.released.load(Ordering::Relaxed) && !state.stop.load(Ordering::Relaxed) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
    if let Some(uses) = config.token_uses {
        let mut counts = state.token_uses.lock().unwrap();
        let n = counts
            .entry(auth.unwrap_or_default().to_owned())
            .or_default();
        *n += 1;
        if *n > uses {
            return error(
                401,
                "ExpiredAuthenticationToken",
                "The access token expiry UTC time is earlier than current UTC time.",
            );
        }
    }
    let (path, params) = split(target);
    if let Some(rest) = path.strip_prefix("/graph/v1.0/") {
        return graph(&config, rest, &params);
    }
    if config.unauthorized_once && !state.refused.swap(true, Ordering::Relaxed) {
        return error(
            401,
            "ExpiredAuthenticationToken",
            "The access token expiry UTC time is earlier than current UTC time.",
        );
    }
    if let Some(needle) = &config.throttle_once
        && target.contains(needle.as_str())
        && !state.throttled.swap(true, Ordering::Relaxed)
    {
        return Reply::Json(
            429,
            json!({"error": {"code": "TooManyRequests", "message": "throttled"}}),
            vec![("Retry-After", "1".to_owned())],
        );
    }
    let fault = writes::fault(state, &config, method, target);
    if let Some(f) = &fault
        && !f.in_operation
    {
        return error(f.status, &f.code, &f.message);
    }
    let mut store = state.store.lock().unwrap();
    if method != "GET" {
        return writes::write(
            &mut store, &config, base, method, path, &params, body, fault,
        );
    }
    route(state, &mut store, &config, base, path, &params)
}

/// Microsoft Graph: a directory object by id, a user by user principal name, groups and
/// service principals by `$filter=displayName eq '…'`.
fn graph(config: &Config, rest: &str, params: &HashMap<String, String>) -> Reply {
    let object = |id: &str, name: &str, kind: &str| {
        let field = if kind.ends_with("user") {
            "userPrincipalName"
        } else {
            "displayName"
        };
        json!({"id": id, "@odata.type": kind, field: name})
    };
    if let Some(id) = rest.strip_prefix("directoryObjects/") {
        return match config.graph.get(id) {
            Some((name, kind)) => Reply::Json(200, object(id, name, kind), Vec::new()),
            None => error(404, "Request_ResourceNotFound", "no such object"),
        };
    }
    if let Some(upn) = rest.strip_prefix("users/") {
        let upn = decode(upn);
        return match config
            .graph
            .iter()
            .find(|(_, (n, k))| k.ends_with("user") && n.eq_ignore_ascii_case(&upn))
        {
            Some((id, (name, kind))) => Reply::Json(200, object(id, name, kind), Vec::new()),
            None => error(404, "Request_ResourceNotFound", "no such user"),
        };
    }
    let kind = match rest {
        "groups" => "#microsoft.graph.group",
        "servicePrincipals" => "#microsoft.graph.servicePrincipal",
        _ => return error(404, "Request_ResourceNotFound", "unknown Graph path"),
    };
    let filter = decode(
        params
            .get("$filter")
            .map(String::as_str)
            .unwrap_or_default(),
    );
    let Some(wanted) = filter
        .strip_prefix("displayName eq '")
        .and_then(|f| f.strip_suffix('\''))
        .map(|n| n.replace("''", "'"))
    else {
        return error(
            400,
            "Request_BadRequest",
            "the mock expects $filter=displayName eq '…'",
        );
    };
    let found: Vec<Value> = config
        .graph
        .iter()
        .filter(|(_, (n, k))| k == kind && *n == wanted)
        .map(|(id, (name, kind))| object(id, name, kind))
        .collect();
    Reply::Json(200, json!({"value": found}), Vec::new())
}

/// Percent-decoding.
pub(super) fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn page(
    base: &str,
    path: &str,
    params: &HashMap<String, String>,
    items: Vec<Value>,
    size: usize,
) -> Reply {
    let skip: usize = params
        .get("$skiptoken")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let end = (skip + size.max(1)).min(items.len());
    let slice = items.get(skip..end).unwrap_or_default().to_vec();
    let mut body = json!({"value": slice});
    if end < items.len() {
        let mut query: Vec<String> = params
            .iter()
            .filter(|(k, _)| *k != "$skiptoken")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        query.sort();
        query.push(format!("$skiptoken={end}"));
        body["nextLink"] = Value::String(format!(
            "{}{}?{}",
            base,
            path.trim_start_matches('/'),
            query.join("&")
        ));
    }
    Reply::Json(200, body, Vec::new())
}

fn route(
    state: &State,
    store: &mut Store,
    config: &Config,
    base: &str,
    path: &str,
    params: &HashMap<String, String>,
) -> Reply {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let api = params
        .get("api-version")
        .map(String::as_str)
        .unwrap_or_default();
    let size = config.page_size;
    match parts.as_slice() {
        ["subscriptions"] => page(
            base,
            path,
            params,
            vec![
                json!({"subscriptionId": SUBSCRIPTION, "displayName": "Contoso production", "state": "Enabled", "tenantId": TENANT}),
            ],
            size,
        ),
        ["subscriptions", s, ..] if !s.eq_ignore_ascii_case(SUBSCRIPTION) => {
            error(404, "SubscriptionNotFound", "no such subscription")
        }
        [
            "subscriptions",
            _,
            "providers",
            "Microsoft.Compute",
            "locations",
            _,
            kind,
            id,
        ] if matches!(*kind, "operations" | "operationResults") => {
            writes::poll(store, config, base, kind, id)
        }
        [
            "subscriptions",
            _,
            "providers",
            "Microsoft.Compute",
            "images",
        ] => {
            let subscription = format!("/subscriptions/{SUBSCRIPTION}/images");
            let items = store
                .children(&subscription)
                .into_iter()
                .map(|s| s.body.clone())
                .collect();
            page(base, path, params, items, size)
        }
        [
            "subscriptions",
            _,
            "providers",
            "Microsoft.Compute",
            "galleries",
        ]
        | [
            "subscriptions",
            _,
            "resourceGroups",
            _,
            "providers",
            "Microsoft.Compute",
            "galleries",
        ] => {
            if api != "2025-03-03" {
                return error(400, "InvalidApiVersionParameter", "api-version");
            }
            let rg = (parts.len() == 7).then(|| parts[3]);
            galleries_list(store, config, base, path, params, rg)
        }
        [
            "subscriptions",
            _,
            "resourceGroups",
            rg,
            "providers",
            "Microsoft.Compute",
            "galleries",
            g,
            rest @ ..,
        ] => {
            let gallery_id = format!(
                "/subscriptions/{SUBSCRIPTION}/resourceGroups/{rg}/providers/Microsoft.Compute/galleries/{g}"
            );
            if store.get(&gallery_id).is_none() {
                return error(404, "ResourceNotFound", "no such gallery");
            }
            let forbidden = config.galleries.iter().any(|x| {
                x.forbidden
                    && x.name.eq_ignore_ascii_case(g)
                    && x.resource_group.eq_ignore_ascii_case(rg)
            });
            if forbidden {
                return error(
                    403,
                    "AuthorizationFailed",
                    "The client does not have authorization to perform action 'Microsoft.Compute/galleries/images/read'.",
                );
            }
            let _ = state;
            below_gallery(store, &gallery_id, base, path, params, rest, size)
        }
        _ => error(404, "NotFound", "unknown path"),
    }
}

fn galleries_list(
    store: &Store,
    config: &Config,
    base: &str,
    path: &str,
    params: &HashMap<String, String>,
    rg: Option<&str>,
) -> Reply {
    let mut items: Vec<Value> = store
        .children(&format!("/subscriptions/{SUBSCRIPTION}"))
        .into_iter()
        .map(|s| s.body.clone())
        .filter(|b| {
            let id = b["id"].as_str().unwrap_or_default().to_ascii_lowercase();
            rg.is_none_or(|rg| {
                id.contains(&format!("/resourcegroups/{}/", rg.to_ascii_lowercase()))
            })
        })
        .collect();
    let first = !params.contains_key("$skiptoken");
    match (&config.galleries_list, first) {
        (ListFault::ForeignNextLink, true) => {
            return Reply::Json(
                200,
                json!({"value": items, "nextLink": format!("https://attacker.example/{}?api-version=2025-03-03&$skiptoken=1", path.trim_start_matches('/'))}),
                Vec::new(),
            );
        }
        (ListFault::Truncated, true) => {
            return Reply::Truncated(serde_json::to_vec(&json!({"value": items})).unwrap());
        }
        (ListFault::Huge, true) => return Reply::Huge,
        (ListFault::DotDotId, true) => {
            if let Some(first) = items.first_mut() {
                first["id"] = Value::String(format!(
                    "/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/../../../providers/Microsoft.Authorization/roleAssignments"
                ));
            }
        }
        _ => {}
    }
    page(base, path, params, items, config.page_size)
}

fn below_gallery(
    store: &mut Store,
    gallery_id: &str,
    base: &str,
    path: &str,
    params: &HashMap<String, String>,
    rest: &[&str],
    size: usize,
) -> Reply {
    let bodies = |store: &Store, id: &str| -> Vec<Value> {
        store
            .children(id)
            .into_iter()
            .map(|s| s.body.clone())
            .collect()
    };
    match rest {
        ["images"] => page(base, path, params, bodies(store, gallery_id), size),
        ["images", d] => match store.get(&format!("{gallery_id}/images/{d}")) {
            Some(s) => Reply::Json(200, s.body.clone(), Vec::new()),
            None => error(404, "ResourceNotFound", "no such definition"),
        },
        ["images", d, "versions"] => {
            let id = format!("{gallery_id}/images/{d}");
            if store.get(&id).is_none() {
                return error(404, "ResourceNotFound", "no such definition");
            }
            page(base, path, params, bodies(store, &id), size)
        }
        ["images", d, "versions", v] => {
            if store.get(&format!("{gallery_id}/images/{d}")).is_none() {
                return error(404, "ResourceNotFound", "no such definition");
            }
            let expand = params
                .get("$expand")
                .is_some_and(|e| e == "ReplicationStatus");
            match store.get_mut(&format!("{gallery_id}/images/{d}/versions/{v}")) {
                Some(stored) if expand => Reply::Json(200, with_status(stored), Vec::new()),
                Some(stored) => Reply::Json(200, stored.body.clone(), Vec::new()),
                None => error(404, "ResourceNotFound", "no such version"),
            }
        }
        [] => match store.get(gallery_id) {
            Some(s) => Reply::Json(200, s.body.clone(), Vec::new()),
            None => error(404, "ResourceNotFound", "no such gallery"),
        },
        [
            ..,
            "providers",
            "Microsoft.Authorization",
            "roleAssignments",
        ] => {
            if params.get("$filter").map(String::as_str) != Some("atScope()") {
                return error(400, "BadRequest", "the mock expects $filter=atScope()");
            }
            let scope = path
                .split("/providers/Microsoft.Authorization/")
                .next()
                .unwrap_or_default();
            let items = store
                .assignments_at(scope)
                .into_iter()
                .map(|s| s.body.clone())
                .collect();
            page(base, path, params, items, size)
        }
        _ => error(404, "NotFound", "unknown path"),
    }
}
