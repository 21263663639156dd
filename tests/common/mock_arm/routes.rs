//! The mock's answers: ARM's paths and bodies, built from the REST examples.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::{Value, json};

use super::{
    Config, ListFault, MockDefinition, MockGallery, MockVersion, Reply, SUBSCRIPTION, State,
    TENANT, TOKEN_PREFIX, error, split,
};

pub(super) fn answer(
    state: &State,
    base: &str,
    method: &str,
    target: &str,
    auth: Option<&str>,
) -> Reply {
    if method != "GET" {
        return error(405, "MethodNotAllowed", "the mock answers GET only");
    }
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
    let (path, params) = split(target);
    if let Some(id) = path.strip_prefix("/graph/v1.0/directoryObjects/") {
        return match config.graph.get(id) {
            Some((name, kind)) => {
                let field = if kind.ends_with("user") {
                    "userPrincipalName"
                } else {
                    "displayName"
                };
                Reply::Json(
                    200,
                    json!({"id": id, "@odata.type": kind, field: name}),
                    Vec::new(),
                )
            }
            None => error(404, "Request_ResourceNotFound", "no such object"),
        };
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
    route(state, &config, base, path, &params)
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

fn gallery_path(g: &MockGallery) -> String {
    format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/{}/providers/Microsoft.Compute/galleries/{}",
        g.resource_group, g.name
    )
}

fn gallery_body(state: &State, g: &MockGallery) -> Value {
    let mut body = state.templates[0].clone();
    body["id"] = Value::String(gallery_path(g));
    body["name"] = Value::String(g.name.clone());
    body["properties"]["description"] = Value::String(g.description.clone());
    body["properties"]["identifier"]["uniqueName"] =
        Value::String(format!("{SUBSCRIPTION}-{}", g.name.to_uppercase()));
    body
}

fn definition_body(state: &State, g: &MockGallery, d: &MockDefinition) -> Value {
    let mut body = state.templates[1].clone();
    body["id"] = Value::String(format!("{}/images/{}", gallery_path(g), d.name));
    body["name"] = Value::String(d.name.clone());
    body["properties"]["description"] = Value::String(d.description.clone());
    body["properties"]["identifier"]["sku"] = Value::String(d.name.clone());
    body
}

fn version_body(
    state: &State,
    g: &MockGallery,
    d: &MockDefinition,
    v: &MockVersion,
    expand: bool,
) -> Value {
    let mut body = state.templates[2].clone();
    body["id"] = Value::String(format!(
        "{}/images/{}/versions/{}",
        gallery_path(g),
        d.name,
        v.name
    ));
    body["name"] = Value::String(v.name.clone());
    let props = &mut body["properties"];
    props["storageProfile"]["source"]["id"] = Value::String(format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/{}/providers/Microsoft.Compute/images/{}-{}",
        g.resource_group, d.name, v.name
    ));
    props["publishingProfile"]["targetRegions"] = Value::Array(
        v.regions
            .iter()
            .map(|(r, _, _)| json!({"name": r, "regionalReplicaCount": 1, "storageAccountType": "Standard_LRS", "excludeFromLatest": false}))
            .collect(),
    );
    let Some(map) = props.as_object_mut() else {
        return body;
    };
    if !expand {
        map.remove("replicationStatus");
        return body;
    }
    let grown = |progress: u8| {
        if !v.growing {
            return progress;
        }
        let key = format!("{}/{}/{}", g.name, d.name, v.name);
        let mut reads = state.reads.lock().unwrap();
        let n = reads.entry(key).or_default();
        *n = n.saturating_add(1);
        progress.saturating_add(20 * (*n - 1)).min(100)
    };
    let summary: Vec<Value> = v
        .regions
        .iter()
        .map(|(r, s, p)| {
            let p = if s == "Replicating" { grown(*p) } else { *p };
            let s = if p == 100 { "Completed" } else { s.as_str() };
            json!({"region": r, "state": s, "details": "", "progress": p})
        })
        .collect();
    let all_done = summary.iter().all(|s| s["state"] == "Completed");
    map.insert(
        "replicationStatus".to_owned(),
        json!({"aggregatedState": if all_done { "Completed" } else { "InProgress" }, "summary": summary}),
    );
    body
}

fn route(
    state: &State,
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
        ["subscriptions", s, rest @ ..] if !s.eq_ignore_ascii_case(SUBSCRIPTION) => {
            let _ = rest;
            error(404, "SubscriptionNotFound", "no such subscription")
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
            let rg = if parts.len() == 7 {
                Some(parts[3])
            } else {
                None
            };
            galleries_list(state, config, base, path, params, rg)
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
            let Some(gallery) = config.galleries.iter().find(|x| {
                x.name.eq_ignore_ascii_case(g) && x.resource_group.eq_ignore_ascii_case(rg)
            }) else {
                return error(404, "ResourceNotFound", "no such gallery");
            };
            if gallery.forbidden {
                return error(
                    403,
                    "AuthorizationFailed",
                    "The client does not have authorization to perform action 'Microsoft.Compute/galleries/images/read'.",
                );
            }
            below_gallery(state, gallery, base, path, params, rest, size)
        }
        _ => error(404, "NotFound", "unknown path"),
    }
}

fn galleries_list(
    state: &State,
    config: &Config,
    base: &str,
    path: &str,
    params: &HashMap<String, String>,
    rg: Option<&str>,
) -> Reply {
    let mut items: Vec<Value> = config
        .galleries
        .iter()
        .filter(|g| rg.is_none_or(|rg| g.resource_group.eq_ignore_ascii_case(rg)))
        .map(|g| gallery_body(state, g))
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
    state: &State,
    g: &MockGallery,
    base: &str,
    path: &str,
    params: &HashMap<String, String>,
    rest: &[&str],
    size: usize,
) -> Reply {
    let find = |name: &str| {
        g.definitions
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(name))
    };
    match rest {
        ["images"] => page(
            base,
            path,
            params,
            g.definitions
                .iter()
                .map(|d| definition_body(state, g, d))
                .collect(),
            size,
        ),
        ["images", d, "versions"] => match find(d) {
            Some(d) => page(
                base,
                path,
                params,
                d.versions
                    .iter()
                    .map(|v| version_body(state, g, d, v, false))
                    .collect(),
                size,
            ),
            None => error(404, "ResourceNotFound", "no such definition"),
        },
        ["images", d, "versions", v] => {
            let Some(d) = find(d) else {
                return error(404, "ResourceNotFound", "no such definition");
            };
            match d.versions.iter().find(|x| x.name == *v) {
                Some(version) => {
                    let expand = params
                        .get("$expand")
                        .is_some_and(|e| e == "ReplicationStatus");
                    Reply::Json(200, version_body(state, g, d, version, expand), Vec::new())
                }
                None => error(404, "ResourceNotFound", "no such version"),
            }
        }
        ["providers", "Microsoft.Authorization", "roleAssignments"] => {
            if params.get("$filter").map(String::as_str) != Some("atScope()") {
                return error(400, "BadRequest", "the mock expects $filter=atScope()");
            }
            let items = g
                .assignments
                .iter()
                .enumerate()
                .map(|(i, (principal, kind, role))| {
                    let mut body = state.templates[3].clone();
                    let name = format!("00000000-0000-0000-0000-{:012}", i + 1);
                    body["id"] = Value::String(format!("{}/providers/Microsoft.Authorization/roleAssignments/{name}", gallery_path(g)));
                    body["name"] = Value::String(name);
                    let p = &mut body["properties"];
                    p["principalId"] = Value::String(principal.clone());
                    p["principalType"] = Value::String(kind.clone());
                    p["roleDefinitionId"] = Value::String(format!("/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/{role}"));
                    p["scope"] = Value::String(gallery_path(g));
                    body
                })
                .collect();
            page(base, path, params, items, size)
        }
        _ => error(404, "NotFound", "unknown path"),
    }
}
