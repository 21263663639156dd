//! What the mock's Azure holds: resources by id (ARM ids compare ignoring case), their children
//! in the order they came, each version's regions and their replication, and the long-running
//! operations under way. Seeded from a [`Config`]; the writes change it; the tests read it.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::{Config, MockDefinition, MockGallery, MockVersion, SUBSCRIPTION};

/// A region of a version and its replication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replica {
    /// As it was written (`West US`, `eastus2`).
    pub region: String,
    pub state: String,
    pub progress: u8,
    /// Whether each read of the replication status moves it on by `step`.
    pub growing: bool,
    pub step: u8,
}

/// One resource: its body as served (without `replicationStatus`), and a version's regions.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    pub body: Value,
    pub replicas: Vec<Replica>,
}

/// How a long-running operation ends, and what it does to the store when it does.
#[derive(Clone, Debug)]
pub struct Operation {
    pub polls_left: u8,
    /// Polled through `Azure-AsyncOperation` (else `Location`).
    pub is_async: bool,
    /// `Some((code, message))`: it ends Failed.
    pub fails: Option<(String, String)>,
    pub effect: Effect,
}

#[derive(Clone, Debug)]
pub enum Effect {
    /// The resource's provisioningState becomes Succeeded (or Failed).
    Provisioned(String),
    /// The resource is removed.
    Deleted(String),
    Nothing,
}

/// The store (see the module's documentation).
#[derive(Default)]
pub struct Store {
    resources: HashMap<String, Stored>,
    /// Parent id → children ids, in the order they came. Galleries' parent is the
    /// subscription, managed images' `{subscription}/images`; role assignments are listed by
    /// scope in `assignments` and are nobody's children.
    children: HashMap<String, Vec<String>>,
    assignments: HashMap<String, Vec<String>>,
    pub operations: HashMap<String, Operation>,
    /// Parent id → DELETEs still refused after its last child went.
    pub lag: HashMap<String, u32>,
    pub next: u64,
}

pub fn key(id: &str) -> String {
    id.trim_end_matches('/').to_ascii_lowercase()
}

/// The parent of an id for the children index, and whether it is a role assignment.
fn parent(id: &str) -> (String, bool) {
    let k = key(id);
    if let Some((scope, _)) = k.split_once("/providers/microsoft.authorization/roleassignments/") {
        return (scope.to_owned(), true);
    }
    let parts: Vec<&str> = k.split('/').collect();
    let n = parts.len();
    if n >= 2 && matches!(parts[n - 2], "images" | "versions") && n > 9 {
        return (parts[..n - 2].join("/"), false);
    }
    if n >= 2 && parts[n - 2] == "images" {
        return (format!("/subscriptions/{}/images", parts[2]), false);
    }
    (
        format!("/subscriptions/{}", parts.get(2).unwrap_or(&"")),
        false,
    )
}

impl Store {
    pub fn get(&self, id: &str) -> Option<&Stored> {
        self.resources.get(&key(id))
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Stored> {
        self.resources.get_mut(&key(id))
    }

    /// Inserts or replaces a resource (a new one goes last among its siblings).
    pub fn put(&mut self, id: &str, stored: Stored) {
        let k = key(id);
        if self.resources.insert(k.clone(), stored).is_none() {
            let (parent, assignment) = parent(&k);
            let index = if assignment {
                &mut self.assignments
            } else {
                &mut self.children
            };
            index.entry(parent).or_default().push(k);
        }
    }

    pub fn remove(&mut self, id: &str) -> Option<Stored> {
        let k = key(id);
        let removed = self.resources.remove(&k)?;
        let (parent, assignment) = parent(&k);
        let index = if assignment {
            &mut self.assignments
        } else {
            &mut self.children
        };
        if let Some(list) = index.get_mut(&parent) {
            list.retain(|c| c != &k);
        }
        Some(removed)
    }

    /// The children of `id` that exist, in order.
    pub fn children(&self, id: &str) -> Vec<&Stored> {
        self.children
            .get(&key(id))
            .map(|list| list.iter().filter_map(|k| self.resources.get(k)).collect())
            .unwrap_or_default()
    }

    /// Galleries, definitions or versions below `id` (never role assignments).
    pub fn has_children(&self, id: &str) -> bool {
        self.children.get(&key(id)).is_some_and(|l| !l.is_empty())
    }

    /// Role assignments whose scope is `scope` or above it.
    pub fn assignments_at(&self, scope: &str) -> Vec<&Stored> {
        let scope = key(scope);
        let mut out = Vec::new();
        for (at, list) in &self.assignments {
            if scope == *at || scope.starts_with(&format!("{at}/")) {
                out.extend(list.iter().filter_map(|k| self.resources.get(k)));
            }
        }
        out
    }

    /// Every resource, by id (lower case), for the tests.
    pub fn all(&self) -> Vec<(String, Value)> {
        let mut out: Vec<(String, Value)> = self
            .resources
            .iter()
            .map(|(k, v)| (k.clone(), v.body.clone()))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// A fresh id for an operation or a request.
    pub fn next_id(&mut self) -> u64 {
        self.next += 1;
        self.next
    }
}

/// A version's body with its replication status (the single GET with `$expand`), moving each
/// growing region on by its step after it is read.
pub fn with_status(stored: &mut Stored) -> Value {
    let mut body = stored.body.clone();
    let summary: Vec<Value> = stored
        .replicas
        .iter()
        .map(|r| json!({"region": r.region, "state": r.state, "details": "", "progress": r.progress}))
        .collect();
    let done = stored.replicas.iter().all(|r| r.state == "Completed");
    body["properties"]["replicationStatus"] = json!({
        "aggregatedState": if done { "Completed" } else { "InProgress" },
        "summary": summary,
    });
    for r in &mut stored.replicas {
        if r.growing && r.state == "Replicating" {
            r.progress = r.progress.saturating_add(r.step).min(100);
            if r.progress == 100 {
                r.state = "Completed".to_owned();
            }
        }
    }
    body
}

pub fn gallery_path(g: &MockGallery) -> String {
    format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/{}/providers/Microsoft.Compute/galleries/{}",
        g.resource_group, g.name
    )
}

fn gallery_body(templates: &[Value; 4], g: &MockGallery) -> Value {
    let mut body = templates[0].clone();
    body["id"] = Value::String(gallery_path(g));
    body["name"] = Value::String(g.name.clone());
    body["type"] = json!("Microsoft.Compute/galleries");
    body["properties"]["description"] = Value::String(g.description.clone());
    body["properties"]["identifier"]["uniqueName"] =
        Value::String(format!("{SUBSCRIPTION}-{}", g.name.to_uppercase()));
    body
}

fn definition_body(templates: &[Value; 4], g: &MockGallery, d: &MockDefinition) -> Value {
    let mut body = templates[1].clone();
    body["id"] = Value::String(format!("{}/images/{}", gallery_path(g), d.name));
    body["name"] = Value::String(d.name.clone());
    body["type"] = json!("Microsoft.Compute/galleries/images");
    body["properties"]["description"] = Value::String(d.description.clone());
    body["properties"]["identifier"]["sku"] = Value::String(d.name.clone());
    body
}

fn version_body(
    templates: &[Value; 4],
    g: &MockGallery,
    d: &MockDefinition,
    v: &MockVersion,
) -> Stored {
    let mut body = templates[2].clone();
    body["id"] = Value::String(format!(
        "{}/images/{}/versions/{}",
        gallery_path(g),
        d.name,
        v.name
    ));
    body["name"] = Value::String(v.name.clone());
    body["type"] = json!("Microsoft.Compute/galleries/images/versions");
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
    if let Some(map) = props.as_object_mut() {
        map.remove("replicationStatus");
    }
    Stored {
        body,
        replicas: v
            .regions
            .iter()
            .map(|(r, s, p)| Replica {
                region: r.clone(),
                state: if *p == 100 {
                    "Completed".into()
                } else {
                    s.clone()
                },
                progress: *p,
                growing: v.growing,
                step: 20,
            })
            .collect(),
    }
}

/// Everything a config holds, in its order.
pub fn seed(config: &Config, templates: &[Value; 4]) -> Vec<(String, Stored)> {
    let plain = |body: Value| Stored {
        body,
        replicas: Vec::new(),
    };
    let mut out = Vec::new();
    for g in &config.galleries {
        out.push((gallery_path(g), plain(gallery_body(templates, g))));
        for d in &g.definitions {
            let body = definition_body(templates, g, d);
            out.push((body["id"].as_str().unwrap().to_owned(), plain(body)));
            for v in &d.versions {
                let stored = version_body(templates, g, d, v);
                out.push((stored.body["id"].as_str().unwrap().to_owned(), stored));
            }
        }
        for (i, (principal, kind, role)) in g.assignments.iter().enumerate() {
            let mut body = templates[3].clone();
            let name = format!("00000000-0000-0000-0000-{:012}", i + 1);
            let id = format!(
                "{}/providers/Microsoft.Authorization/roleAssignments/{name}",
                gallery_path(g)
            );
            body["id"] = Value::String(id.clone());
            body["name"] = Value::String(name);
            let p = &mut body["properties"];
            p["principalId"] = Value::String(principal.clone());
            p["principalType"] = Value::String(kind.clone());
            p["roleDefinitionId"] = Value::String(format!(
                "/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/{role}"
            ));
            p["scope"] = Value::String(gallery_path(g));
            out.push((id, plain(body)));
        }
    }
    for image in &config.images {
        let id = format!(
            "/subscriptions/{SUBSCRIPTION}/resourceGroups/{}/providers/Microsoft.Compute/images/{}",
            image.resource_group, image.name
        );
        let body = json!({"id": id, "name": image.name, "type": "Microsoft.Compute/images", "location": image.location, "properties": {"provisioningState": "Succeeded"}});
        out.push((id, plain(body)));
    }
    out
}

/// Applies a change of config: what the new config holds differently from the old one is put
/// in place (or removed); everything else stays as the store has it, writes included.
pub fn reseed(store: &mut Store, old: &[(String, Stored)], new: &[(String, Stored)]) {
    let before: HashMap<String, &Stored> = old.iter().map(|(k, v)| (key(k), v)).collect();
    let after: HashMap<String, &Stored> = new.iter().map(|(k, v)| (key(k), v)).collect();
    for (k, _) in old {
        if !after.contains_key(&key(k)) {
            store.remove(k);
        }
    }
    for (k, v) in new {
        if before.get(&key(k)) != Some(&v) {
            store.put(k, v.clone());
        }
    }
}
