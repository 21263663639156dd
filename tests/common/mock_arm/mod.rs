//! A mock Azure Resource Manager (and Microsoft Graph) for the tests and the benchmarks: plain
//! HTTP/1.1 on 127.0.0.1, a port the system picks, holding resources built from the REST
//! example bodies of `tests/fixtures/arm` and serving them as ARM documents it (lists paged with
//! `nextLink`, a version's `replicationStatus` only on the single GET with
//! `$expand=ReplicationStatus`, role assignments at a scope with `$filter=atScope()`), and
//! taking writes (`writes`: PUT, DELETE, the share action, role assignments; long-running
//! operations; 409s for nested resources and fixed properties; chosen faults). It records every
//! request (method, target, `Authorization`, body), answers at most `max_requests` and stops by
//! itself after `lifetime`, or when dropped. Its store is readable by the tests. Standard
//! library, serde_json and the core's list of fixed properties only.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

/// `tests/fixtures/arm`, from the project root (the tests) or the core crate (its benchmark).
fn fixtures() -> std::path::PathBuf {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here.join("tests/fixtures/arm");
    if root.is_dir() {
        root
    } else {
        here.join("../../tests/fixtures/arm")
    }
}

/// The subscription the mock serves.
pub const SUBSCRIPTION: &str = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
pub const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
/// Every token the fake az hands out starts with this; the mock refuses any other.
pub const TOKEN_PREFIX: &str = "mock-secret-token-";

pub(super) fn example(file: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(file)).expect("fixture");
    let doc: Value = serde_json::from_str(&text).expect("fixture JSON");
    doc["responses"]["200"]["body"].clone()
}

mod config;
mod routes;
mod store;
mod writes;

pub use config::*;
use routes::answer;
pub use store::Replica;
use store::Store;

/// One request as the mock received it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub authorization: Option<String>,
    /// The JSON body, when one came.
    pub body: Option<Value>,
}

pub(super) struct State {
    pub(super) config: Mutex<Arc<Config>>,
    pub(super) log: Mutex<Vec<Request>>,
    pub(super) store: Mutex<Store>,
    /// What the config seeded, to apply a change of config as a difference.
    pub(super) seeded: Mutex<Vec<(String, store::Stored)>>,
    pub(super) fault_counts: Mutex<Vec<usize>>,
    pub(super) token_uses: Mutex<HashMap<String, usize>>,
    pub(super) throttled: AtomicBool,
    pub(super) released: AtomicBool,
    pub(super) refused: AtomicBool,
    pub(super) in_flight: AtomicUsize,
    pub(super) max_in_flight: AtomicUsize,
    pub(super) answered: AtomicUsize,
    pub(super) stop: AtomicBool,
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
        let templates = [
            example("Gallery_Get.json"),
            example("GalleryImage_Get.json"),
            example("GalleryImageVersion_Get_WithReplicationStatus.json"),
            example("roleAssignment.json"),
        ];
        let seeded = store::seed(&config, &templates);
        let mut store = Store::default();
        for (id, stored) in &seeded {
            store.put(id, stored.clone());
        }
        let state = Arc::new(State {
            config: Mutex::new(Arc::new(config)),
            log: Mutex::new(Vec::new()),
            store: Mutex::new(store),
            seeded: Mutex::new(seeded),
            fault_counts: Mutex::new(Vec::new()),
            token_uses: Mutex::new(HashMap::new()),
            throttled: AtomicBool::new(false),
            released: AtomicBool::new(false),
            refused: AtomicBool::new(false),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            answered: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            templates,
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

    /// Changes what the mock serves from now on: what the new config holds differently
    /// from the old one replaces what the store has (Azure changed it); everything else, the
    /// writes included, stays.
    pub fn change(&self, change: impl FnOnce(&mut Config)) {
        let mut config = self.state.config.lock().unwrap();
        change(Arc::make_mut(&mut config));
        let new = store::seed(&config, &self.state.templates);
        let mut seeded = self.state.seeded.lock().unwrap();
        store::reseed(&mut self.state.store.lock().unwrap(), &seeded, &new);
        *seeded = new;
    }

    /// Every resource Azure holds now (ids in lower case, bodies as served, without
    /// replication status), sorted by id.
    pub fn resources(&self) -> Vec<(String, Value)> {
        self.state.store.lock().unwrap().all()
    }

    /// A version's regions and their replication as the mock holds them.
    pub fn replicas(&self, id: &str) -> Vec<Replica> {
        self.state
            .store
            .lock()
            .unwrap()
            .get(id)
            .map(|s| s.replicas.clone())
            .unwrap_or_default()
    }

    /// Long-running operations not yet polled to their end.
    pub fn operations_running(&self) -> usize {
        self.state.store.lock().unwrap().operations.len()
    }

    /// Answers the requests [`Config::hold`] holds, and every later one.
    pub fn release(&self) {
        self.state.released.store(true, Ordering::Relaxed);
    }

    /// Requests being answered (or held) now.
    pub fn in_flight(&self) -> usize {
        self.state.in_flight.load(Ordering::Relaxed)
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
    let _ = stream.set_nodelay(true);
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
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((k, v)) = header.split_once(':') {
                if k.eq_ignore_ascii_case("authorization") {
                    authorization = Some(v.trim().to_owned());
                } else if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut bytes = vec![0u8; length.min(16 * 1024 * 1024)];
        if reader.read_exact(&mut bytes).is_err() {
            return;
        }
        let body: Option<Value> = serde_json::from_slice(&bytes).ok();
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
            body: body.clone(),
        });
        let n = state.answered.load(Ordering::Relaxed);
        let reply = answer(
            state,
            base,
            &method,
            &target,
            authorization.as_deref(),
            body,
        );
        state.in_flight.fetch_sub(1, Ordering::Relaxed);
        if !write_reply(&mut writer, reply, n) {
            return;
        }
    }
}

pub(super) enum Reply {
    Json(u16, Value, Vec<(&'static str, String)>),
    Truncated(Vec<u8>),
    Huge,
}

fn write_reply(w: &mut TcpStream, reply: Reply, n: usize) -> bool {
    match reply {
        Reply::Json(status, body, headers) => {
            let body = if body.is_null() {
                Vec::new()
            } else {
                serde_json::to_vec(&body).unwrap()
            };
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nx-ms-ratelimit-remaining-subscription-reads: 11999\r\nx-ms-request-id: 00000000-0000-4000-8000-{n:012}\r\nx-ms-correlation-request-id: 00000000-0000-4000-9000-{n:012}\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            // One write: a head and a body written apart wait on delayed ACKs.
            let mut reply = head.into_bytes();
            reply.extend_from_slice(&body);
            w.write_all(&reply).is_ok()
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

pub(super) fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::Json(
        status,
        json!({"error": {"code": code, "message": message}}),
        Vec::new(),
    )
}

/// Splits `path?query` and reads the query's parameters.
pub(super) fn split(target: &str) -> (&str, HashMap<String, String>) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let params = query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    (path, params)
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
