//! What only Azure knows, looked up when a step needs it (each answer kept for the run): a
//! principal's object id (Microsoft Graph: a user by its user principal name, a group or service
//! principal by its display name), a workspace managed image's ARM id (the subscription's images
//! listed), and the role assignments at a scope (`$filter=atScope()`).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use serde_json::Value;

use super::exec::{Cx, failure_of, refused};
use super::prepare::{PrincipalRef, SourceImage};
use super::{Failure, assignment_url};
use crate::azure::http::{Method, Service};
use crate::azure::ids::encode_segment;
use crate::model::{PrincipalKind, Role};

/// API version of Microsoft.Compute's managed images.
pub const IMAGES_API: &str = "2024-07-01";

/// A managed image: name, ARM id, location.
type Image = (String, String, String);

/// The answers of a run's lookups.
#[derive(Default)]
pub(super) struct Lookups {
    /// Principal name (lower case) → object id.
    principals: Mutex<HashMap<String, String>>,
    /// Subscription (lower case) → its managed images: (name, id, location).
    images: Mutex<HashMap<String, Vec<Image>>>,
}

fn not_found(url: &str, message: String) -> Failure {
    Failure {
        method: "GET".to_owned(),
        url: url.to_owned(),
        status: None,
        code: "NotFound".to_owned(),
        message,
    }
}

/// Every item of a list (ARM's `nextLink`, Graph's `@odata.nextLink`).
fn list(cx: &Cx<'_>, i: usize, service: Service, first: &str) -> Result<Vec<Value>, Failure> {
    let mut url = first.to_owned();
    let mut out = Vec::new();
    loop {
        let answer = cx
            .client
            .send_to(service, Method::Get, &url, None, &|exchange| {
                cx.log.request(Some(i), exchange);
            })
            .map_err(|e| failure_of(Method::Get, &url, e))?;
        if answer.status != 200 {
            return Err(refused(Method::Get, &url, &answer));
        }
        if let Some(Value::Array(items)) = answer.body.get("value") {
            out.extend(items.iter().cloned());
        }
        let next = answer
            .body
            .get("nextLink")
            .or_else(|| answer.body.get("@odata.nextLink"))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty());
        match next {
            Some(next) => url = next.to_owned(),
            None => return Ok(out),
        }
    }
}

/// An OData string literal, URL-encoded.
fn odata(text: &str) -> String {
    encode_segment(&format!("'{}'", text.replace('\'', "''")))
}

impl Lookups {
    /// The principal's object id: known, found before in this run, or looked up in Graph.
    pub(super) fn principal(
        &self,
        cx: &Cx<'_>,
        i: usize,
        principal: &PrincipalRef,
    ) -> Result<String, Failure> {
        if let Some(id) = &principal.object_id {
            return Ok(id.clone());
        }
        let key = principal.name.to_lowercase();
        if let Some(id) = self
            .principals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return Ok(id.clone());
        }
        let Some(graph) = &cx.client.graph else {
            return Err(not_found(
                "",
                format!(
                    "the object id of {} is not known and the cloud names no Microsoft Graph endpoint to look it up: assign it by object id",
                    principal.name
                ),
            ));
        };
        let name = &principal.name;
        let kind = principal.kind.unwrap_or(if name.contains('@') {
            PrincipalKind::User
        } else {
            PrincipalKind::Group
        });
        let url = match kind {
            PrincipalKind::User => graph.url(
                &format!("/v1.0/users/{}", encode_segment(name)),
                "$select=id",
            ),
            PrincipalKind::Group => graph.url(
                "/v1.0/groups",
                &format!("$filter=displayName%20eq%20{}&$select=id", odata(name)),
            ),
            PrincipalKind::ServicePrincipal => graph.url(
                "/v1.0/servicePrincipals",
                &format!("$filter=displayName%20eq%20{}&$select=id", odata(name)),
            ),
        };
        let ids: Vec<String> = if kind == PrincipalKind::User {
            let answer = cx
                .client
                .send_to(Service::Graph, Method::Get, &url, None, &|exchange| {
                    cx.log.request(Some(i), exchange);
                })
                .map_err(|e| failure_of(Method::Get, &url, e))?;
            match answer.status {
                200 => answer
                    .body
                    .get("id")
                    .and_then(Value::as_str)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
                404 => Vec::new(),
                _ => return Err(refused(Method::Get, &url, &answer)),
            }
        } else {
            list(cx, i, Service::Graph, &url)?
                .iter()
                .filter_map(|v| v.get("id").and_then(Value::as_str).map(str::to_owned))
                .collect()
        };
        let label = kind.label().to_lowercase();
        match ids.as_slice() {
            [id] => {
                self.principals
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(key, id.clone());
                Ok(id.clone())
            }
            [] => Err(not_found(
                &url,
                format!("Microsoft Graph knows no {label} named {name}"),
            )),
            _ => Err(not_found(
                &url,
                format!(
                    "Microsoft Graph knows {} {label}s named {name}: assign it by object id",
                    ids.len()
                ),
            )),
        }
    }

    /// The ARM id of a workspace managed image, by name (in the version's region when the
    /// subscription has several of that name).
    pub(super) fn image(
        &self,
        cx: &Cx<'_>,
        i: usize,
        source: &SourceImage,
    ) -> Result<String, Failure> {
        let key = source.subscription.to_lowercase();
        let url = cx.client.arm.url(
            &format!(
                "/subscriptions/{}/providers/Microsoft.Compute/images",
                encode_segment(&source.subscription)
            ),
            &format!("api-version={IMAGES_API}"),
        );
        let cached = self
            .images
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .cloned();
        let images = match cached {
            Some(images) => images,
            None => {
                let field = |v: &Value, k: &str| {
                    v.get(k)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                let images: Vec<Image> = list(cx, i, Service::Arm, &url)?
                    .iter()
                    .map(|v| (field(v, "name"), field(v, "id"), field(v, "location")))
                    .collect();
                self.images
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(key, images.clone());
                images
            }
        };
        let named: Vec<&Image> = images
            .iter()
            .filter(|(name, _, _)| name.eq_ignore_ascii_case(&source.name))
            .collect();
        let region = source.region.name();
        let here: Vec<&Image> = named
            .iter()
            .copied()
            .filter(|(_, _, location)| location.replace(' ', "").eq_ignore_ascii_case(region))
            .collect();
        match (named.as_slice(), here.as_slice()) {
            ([one], _) | (_, [one]) => Ok(one.1.clone()),
            ([], _) => Err(not_found(
                &url,
                format!(
                    "subscription {} has no managed image named {}: create it, or set the version's source",
                    source.subscription, source.name
                ),
            )),
            _ => Err(not_found(
                &url,
                format!(
                    "subscription {} has {} managed images named {} and none or several in {region}",
                    source.subscription,
                    named.len(),
                    source.name
                ),
            )),
        }
    }

    /// The names of the role assignments at exactly `scope` of this principal and role.
    pub(super) fn assignments_at(
        &self,
        cx: &Cx<'_>,
        i: usize,
        scope: &str,
        object_id: &str,
        role: Role,
    ) -> Result<Vec<String>, Failure> {
        let probe = assignment_url(&cx.client.arm, scope, "x");
        let url = probe
            .rsplit_once("/x?")
            .map(|(base, query)| format!("{base}?{query}&$filter=atScope()"))
            .unwrap_or(probe);
        let role_id = crate::access::roles::role_definition_id(role);
        let same_scope = |s: &str| {
            s.trim_end_matches('/')
                .eq_ignore_ascii_case(scope.trim_end_matches('/'))
        };
        Ok(list(cx, i, Service::Arm, &url)?
            .iter()
            .filter(|a| {
                let p = |k: &str| {
                    a.pointer(&format!("/properties/{k}"))
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                };
                p("principalId").eq_ignore_ascii_case(object_id)
                    && p("roleDefinitionId")
                        .to_ascii_lowercase()
                        .ends_with(&role_id.to_ascii_lowercase())
                    && same_scope(p("scope"))
            })
            .filter_map(|a| a.get("name").and_then(Value::as_str).map(str::to_owned))
            .collect())
    }
}
