//! A mock Azure Resource Manager (and Microsoft Graph) for the tests and the pull benchmark:
//! plain HTTP/1.1 on 127.0.0.1, a port the system picks, serving the REST example bodies of
//! `tests/fixtures/arm` as ARM documents them (lists paged with `nextLink`, a version's
//! `replicationStatus` only on the single GET with `$expand=ReplicationStatus`, role assignments
//! at a gallery's scope with `$filter=atScope()`). It records every request (method, target,
//! `Authorization`), answers at most `max_requests` and stops by itself after `lifetime`, or
//! when dropped. Standard library and serde_json only.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/arm");

/// The subscription the mock serves.
pub const SUBSCRIPTION: &str = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
pub const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
/// Every token the fake az hands out starts with this; the mock refuses any other.
pub const TOKEN_PREFIX: &str = "mock-secret-token-";

fn example(file: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{file}")).expect("fixture");
    let doc: Value = serde_json::from_str(&text).expect("fixture JSON");
    doc["responses"]["200"]["body"].clone()
}

/// One version of the mock: its regions' state, and whether its progress grows on each read.
#[derive(Clone, Debug)]
pub struct MockVersion {
    pub name: String,
    /// (display name, state, progress)
    pub regions: Vec<(String, String, u8)>,
    pub growing: bool,
}

#[derive(Clone, Debug)]
pub struct MockDefinition {
    pub name: String,
    pub description: String,
    pub versions: Vec<MockVersion>,
}

#[derive(Clone, Debug)]
pub struct MockGallery {
    pub name: String,
    pub resource_group: String,
    pub description: String,
    pub definitions: Vec<MockDefinition>,
    /// (principal object id, principal type, role definition GUID)
    pub assignments: Vec<(String, String, String)>,
    /// Every read below the gallery answers 403.
    pub forbidden: bool,
}

/// What the mock serves and how it misbehaves.
#[derive(Clone, Debug)]
pub struct Config {
    pub galleries: Vec<MockGallery>,
    pub page_size: usize,
    /// Answer 429 with `Retry-After: 1` to the first request whose target contains this.
    pub throttle_once: Option<String>,
    /// Answer 401 to the first ARM request.
    pub unauthorized_once: bool,
    /// Principal names Graph knows: object id → (name, @odata.type).
    pub graph: HashMap<String, (String, String)>,
    /// Misbehaviours of the galleries list.
    pub galleries_list: ListFault,
    pub max_requests: usize,
    pub lifetime: Duration,
}

/// A fault of the first page of the galleries list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListFault {
    None,
    /// Its nextLink points to another host.
    ForeignNextLink,
    /// The body stops half way (the connection closes).
    Truncated,
    /// A 50 MB body.
    Huge,
    /// A gallery id with `..` in it.
    DotDotId,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            galleries: Vec::new(),
            page_size: 1000,
            throttle_once: None,
            unauthorized_once: false,
            graph: HashMap::new(),
            galleries_list: ListFault::None,
            max_requests: 100_000,
            lifetime: Duration::from_secs(120),
        }
    }
}

pub const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
pub const CONTRIBUTOR: &str = "b24988ac-6180-42a0-ab88-20f7382dd24c";

fn completed(regions: &[&str]) -> Vec<(String, String, u8)> {
    regions
        .iter()
        .map(|r| (r.to_string(), "Completed".to_owned(), 100))
        .collect()
}

/// A small subscription: two galleries in two resource groups, three definitions, versions
/// completed and one replicating, and role assignments with names Graph knows.
pub fn small() -> Config {
    let v = |name: &str, regions: Vec<(String, String, u8)>| MockVersion {
        name: name.to_owned(),
        regions,
        growing: false,
    };
    let mut graph = HashMap::new();
    graph.insert(
        "11111111-0000-0000-0000-000000000001".to_owned(),
        (
            "alice@contoso.com".to_owned(),
            "#microsoft.graph.user".to_owned(),
        ),
    );
    graph.insert(
        "11111111-0000-0000-0000-000000000002".to_owned(),
        (
            "image-builders".to_owned(),
            "#microsoft.graph.group".to_owned(),
        ),
    );
    Config {
        galleries: vec![
            MockGallery {
                name: "contosoGallery".into(),
                resource_group: "rg-images".into(),
                description: "Golden images".into(),
                definitions: vec![
                    MockDefinition {
                        name: "ubuntu-base".into(),
                        description: "Ubuntu".into(),
                        versions: vec![
                            v("1.0.0", completed(&["West US", "East US"])),
                            v("1.0.1", completed(&["West US", "East US"])),
                            MockVersion {
                                name: "1.1.0".into(),
                                regions: vec![
                                    ("West US".into(), "Completed".into(), 100),
                                    ("East US".into(), "Replicating".into(), 40),
                                ],
                                growing: true,
                            },
                        ],
                    },
                    MockDefinition {
                        name: "win2022".into(),
                        description: "Windows".into(),
                        versions: vec![v("2026.1.0", completed(&["West US", "East US"]))],
                    },
                ],
                assignments: vec![
                    (
                        "11111111-0000-0000-0000-000000000001".into(),
                        "User".into(),
                        READER.into(),
                    ),
                    (
                        "11111111-0000-0000-0000-000000000002".into(),
                        "Group".into(),
                        CONTRIBUTOR.into(),
                    ),
                ],
                forbidden: false,
            },
            MockGallery {
                name: "labGallery".into(),
                resource_group: "rg-lab".into(),
                description: "Lab".into(),
                definitions: vec![MockDefinition {
                    name: "centos-lab".into(),
                    description: "CentOS".into(),
                    versions: vec![v("0.9.0", completed(&["West US", "East US"]))],
                }],
                assignments: Vec::new(),
                forbidden: false,
            },
        ],
        graph,
        ..Config::default()
    }
}

/// `galleries` × `definitions` × `versions` versions, one in ten replicating.
pub fn large(galleries: usize, definitions: usize, versions: usize) -> Config {
    let regions = ["West US", "East US", "West Europe", "North Europe"];
    let galleries = (0..galleries)
        .map(|g| MockGallery {
            name: format!("gallery{g}"),
            resource_group: "rg-scale".into(),
            description: String::new(),
            definitions: (0..definitions)
                .map(|d| MockDefinition {
                    name: format!("image-{d}"),
                    description: String::new(),
                    versions: (0..versions)
                        .map(|v| MockVersion {
                            name: format!("1.{d}.{v}"),
                            regions: regions
                                .iter()
                                .enumerate()
                                .map(|(i, r)| {
                                    if v % 10 == 0 && i == 3 {
                                        (r.to_string(), "Replicating".to_owned(), 50)
                                    } else {
                                        (r.to_string(), "Completed".to_owned(), 100)
                                    }
                                })
                                .collect(),
                            growing: false,
                        })
                        .collect(),
                })
                .collect(),
            assignments: vec![(
                "11111111-0000-0000-0000-000000000001".into(),
                "User".into(),
                READER.into(),
            )],
            forbidden: false,
        })
        .collect();
    Config {
        galleries,
        ..Config::default()
    }
}

/// One request as the mock received it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub authorization: Option<String>,
}

struct State {
    config: Mutex<Arc<Config>>,
    log: Mutex<Vec<Request>>,
    reads: Mutex<HashMap<String, u8>>,
    throttled: AtomicBool,
    refused: AtomicBool,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    answered: AtomicUsize,
    stop: AtomicBool,
    templates: [Value; 4],
}

/// A running mock; stops when dropped.
pub struct MockArm {
    /// `http://127.0.0.1:PORT/`
    pub url: String,
    state: Arc<State>,
    acceptor: Option<std::thread::JoinHandle<()>>,
}

impl MockArm {
    pub fn start(config: Config) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
        listener.set_nonblocking(true).expect("nonblocking");
        let url = format!("http://{}/", listener.local_addr().expect("address"));
        let lifetime = config.lifetime;
        let state = Arc::new(State {
            config: Mutex::new(Arc::new(config)),
            log: Mutex::new(Vec::new()),
            reads: Mutex::new(HashMap::new()),
            throttled: AtomicBool::new(false),
            refused: AtomicBool::new(false),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            answered: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            templates: [
                example("Gallery_Get.json"),
                example("GalleryImage_Get.json"),
                example("GalleryImageVersion_Get_WithReplicationStatus.json"),
                example("roleAssignment.json"),
            ],
        });
        let shared = Arc::clone(&state);
        let base = url.clone();
        let acceptor = std::thread::spawn(move || {
            let mut waited = Duration::ZERO;
            while !shared.stop.load(Ordering::Relaxed) && waited < lifetime {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let state = Arc::clone(&shared);
                        let base = base.clone();
                        std::thread::spawn(move || serve(stream, &state, &base));
                    }
                    Err(_) => {
                        std::thread::sleep(Duration::from_millis(2));
                        waited += Duration::from_millis(2);
                    }
                }
            }
            shared.stop.store(true, Ordering::Relaxed);
        });
        Self {
            url,
            state,
            acceptor: Some(acceptor),
        }
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.log.lock().unwrap().clone()
    }

    /// The most requests that were ever being answered at once.
    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::Relaxed)
    }

    /// Changes what the mock serves from now on.
    pub fn change(&self, change: impl FnOnce(&mut Config)) {
        change(Arc::make_mut(&mut self.state.config.lock().unwrap()));
    }

    /// The Graph endpoint (the same server, under `/graph/`).
    pub fn graph_url(&self) -> String {
        format!("{}graph/", self.url)
    }
}

impl Drop for MockArm {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::Relaxed);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

/// Answers the requests of one connection (HTTP/1.1 keep-alive) until it closes.
fn serve(stream: TcpStream, state: &State, base: &str) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut writer = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || state.stop.load(Ordering::Relaxed) {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let target = parts.next().unwrap_or_default().to_owned();
        let mut authorization = None;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((k, v)) = header.split_once(':')
                && k.eq_ignore_ascii_case("authorization")
            {
                authorization = Some(v.trim().to_owned());
            }
        }
        let max = state.config.lock().unwrap().max_requests;
        if state.answered.fetch_add(1, Ordering::Relaxed) >= max {
            return;
        }
        let now = state.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        state.max_in_flight.fetch_max(now, Ordering::Relaxed);
        state.log.lock().unwrap().push(Request {
            method: method.clone(),
            target: target.clone(),
            authorization: authorization.clone(),
        });
        let reply = answer(state, base, &method, &target, authorization.as_deref());
        state.in_flight.fetch_sub(1, Ordering::Relaxed);
        if !write_reply(&mut writer, reply) {
            return;
        }
    }
}

enum Reply {
    Json(u16, Value, Vec<(&'static str, String)>),
    Truncated(Vec<u8>),
    Huge,
}

fn write_reply(w: &mut TcpStream, reply: Reply) -> bool {
    match reply {
        Reply::Json(status, body, headers) => {
            let body = serde_json::to_vec(&body).unwrap();
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nx-ms-ratelimit-remaining-subscription-reads: 11999\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            w.write_all(head.as_bytes()).is_ok() && w.write_all(&body).is_ok()
        }
        Reply::Truncated(body) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            let _ = w.write_all(head.as_bytes());
            let _ = w.write_all(&body[..body.len() / 2]);
            let _ = w.shutdown(std::net::Shutdown::Both);
            false
        }
        Reply::Huge => {
            let size = 50 * 1024 * 1024;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
            );
            let _ = w.write_all(head.as_bytes());
            let _ = w.write_all(b"{\"value\": [");
            let chunk = vec![b' '; 64 * 1024];
            let mut sent = 11;
            while sent + chunk.len() < size - 2 {
                if w.write_all(&chunk).is_err() {
                    return false;
                }
                sent += chunk.len();
            }
            let _ = w.write_all(&vec![b' '; size - 2 - sent]);
            let _ = w.write_all(b"]}");
            false
        }
    }
}

fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::Json(
        status,
        json!({"error": {"code": code, "message": message}}),
        Vec::new(),
    )
}

/// Splits `path?query` and reads the query's parameters.
fn split(target: &str) -> (&str, HashMap<String, String>) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let params = query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    (path, params)
}

fn answer(state: &State, base: &str, method: &str, target: &str, auth: Option<&str>) -> Reply {
    if method != "GET" {
        return error(405, "MethodNotAllowed", "the mock answers GET only");
    }
    let token_ok = auth.is_some_and(|a| a.starts_with(&format!("Bearer {TOKEN_PREFIX}")));
    if !token_ok {
        return error(401, "InvalidAuthenticationToken", "no valid token");
    }
    let config = Arc::clone(&state.config.lock().unwrap());
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

/// A fake `az` in `dir` that hands out tokens (`mock-secret-token-N`, counting its calls in
/// `dir/az-calls`) and says the cloud's endpoints are the mock's. Returns its path.
pub fn fake_az(dir: &std::path::Path, arm: &str, graph: &str) -> std::path::PathBuf {
    let script = format!(
        r#"#!/bin/sh
# A fake Azure CLI for the tests: tokens and the cloud, nothing else.
calls="{dir}/az-calls"
n=$(( $(cat "$calls" 2>/dev/null || echo 0) + 1 ))
echo "$n" > "$calls"
case "$1 $2" in
  "account get-access-token")
    printf '{{"accessToken": "{TOKEN_PREFIX}%s", "expires_on": 4102444800, "subscription": "{SUBSCRIPTION}", "tenant": "{TENANT}", "tokenType": "Bearer"}}\n' "$n"
    ;;
  "cloud show")
    printf '{{"name": "AzureCloud", "endpoints": {{"resourceManager": "{arm}", "microsoftGraphResourceId": "{graph}"}}}}\n'
    ;;
  *)
    echo "ERROR: the fake az does not know: $*" >&2
    exit 2
    ;;
esac
"#,
        dir = dir.display()
    );
    let path = dir.join("az");
    std::fs::write(&path, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

/// A fake `az` that is not signed in.
pub fn signed_out_az(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("az");
    std::fs::write(
        &path,
        "#!/bin/sh\necho \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}
