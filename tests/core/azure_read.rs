//! Reading Azure from the mock ARM server (issue 20, part 2): everything a subscription holds,
//! GET only and every request with the token; paging, throttling, one token refresh, a 403 on
//! one gallery, bad answers refused with the URL and nothing returned.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use sig_studio_core::azure::ids::Endpoint;
use sig_studio_core::azure::{
    AzCli, AzTokens, AzureError, Client, Clock, Hooks, Limits, ReadOptions, read, subscriptions,
};
use sig_studio_core::model::{Presence, RegionState, Role, Workspace};

use crate::common::mock_arm::{self, ListFault, MockArm, SUBSCRIPTION, TOKEN_PREFIX};
use crate::common::tempdir;

pub fn clock() -> Clock {
    Arc::new(|| "2026-11-26T10:00:00Z".parse().unwrap())
}

/// A client of `mock` with a fake az in `dir`; quick retries for the tests.
pub fn client_for(mock: &MockArm, dir: &Path) -> Client {
    let az = mock_arm::fake_az(dir, &mock.url, &mock.graph_url());
    client_with(mock, az, Hooks::default())
}

pub fn client_with(mock: &MockArm, az: PathBuf, hooks: Hooks) -> Client {
    let tokens = AzTokens {
        az: AzCli {
            program: az,
            ..AzCli::default()
        },
        clock: clock(),
    };
    let limits = Limits {
        backoff: std::time::Duration::from_millis(10),
        ..Limits::default()
    };
    Client::new(
        Endpoint::parse(&mock.url).unwrap(),
        Some(Endpoint::parse(&mock.graph_url()).unwrap()),
        Arc::new(tokens),
        clock(),
        limits,
        hooks,
    )
}

pub fn options() -> ReadOptions {
    ReadOptions {
        subscription: SUBSCRIPTION.to_owned(),
        tenant: Some(mock_arm::TENANT.to_owned()),
        ..ReadOptions::default()
    }
}

/// Every request was a GET with one of the fake az's tokens.
pub fn only_gets_with_the_token(mock: &MockArm) {
    let requests = mock.requests();
    assert!(!requests.is_empty());
    for r in &requests {
        assert_eq!(r.method, "GET", "{r:?}");
        let auth = r.authorization.as_deref().unwrap_or_default();
        assert!(auth.starts_with(&format!("Bearer {TOKEN_PREFIX}")), "{r:?}");
    }
}

fn count(ws: &Workspace) -> (usize, usize, usize) {
    let d = ws.galleries.iter().map(|g| g.definitions.len()).sum();
    (ws.galleries.len(), d, ws.version_count())
}

#[test]
fn a_subscription_is_read_whole() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("azure-read-whole");
    let client = client_for(&mock, &dir);
    let pulled = read(&client, &options()).expect("reads");
    let ws = &pulled.ws;
    assert!(pulled.warnings.is_empty(), "{:?}", pulled.warnings);
    assert_eq!(count(ws), (2, 3, 5));
    let g = ws.gallery("contosoGallery").unwrap();
    assert_eq!(g.subscription, SUBSCRIPTION);
    assert_eq!(g.resource_group, "rg-images");
    assert_eq!(g.description, "Golden images");
    assert_eq!(g.tenant, mock_arm::TENANT);
    let v = g
        .definition("ubuntu-base")
        .unwrap()
        .version("1.1.0")
        .unwrap();
    let east = v
        .target_regions
        .iter()
        .find(|t| t.region.name() == "eastus")
        .unwrap();
    assert_eq!(
        (east.status.state, east.status.progress),
        (RegionState::Replicating, 40)
    );
    // Principal names from Graph; the assignment's role from its definition id.
    let alice = ws
        .grants
        .iter()
        .find(|x| x.principal == "alice@contoso.com")
        .unwrap();
    assert_eq!(
        (alice.role, alice.scope.as_str()),
        (Role::Reader, "contosoGallery")
    );
    assert!(
        ws.grants
            .iter()
            .any(|x| x.principal == "image-builders" && x.role == Role::Contributor)
    );
    // Azure as last seen: what was read, from where and when.
    let seen = ws.azure.as_ref().unwrap();
    assert_eq!(seen.origin.subscription, SUBSCRIPTION);
    assert_eq!(seen.origin.endpoint, mock.url);
    assert_eq!(
        seen.origin.read_at,
        Some("2026-11-26T10:00:00Z".parse().unwrap())
    );
    assert_eq!(
        seen.galleries(),
        &ws.galleries[..],
        "planned = Azure after a pull"
    );
    assert_eq!(
        ws.presence_of("contosoGallery", Some("win2022"), Some("2026.1.0")),
        Presence::InAzure
    );
    only_gets_with_the_token(&mock);
    // The replication status: one $expand GET per version (nothing was seen before).
    let expands = mock
        .requests()
        .iter()
        .filter(|r| r.target.contains("$expand=ReplicationStatus"))
        .count();
    assert_eq!(expands, 5);
    assert!(client.hooks.progress.describe().contains("5 versions"));
}

#[test]
fn one_resource_group_and_the_subscriptions_list() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("azure-read-rg");
    let client = client_for(&mock, &dir);
    let subs = subscriptions(&client).unwrap();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].id, SUBSCRIPTION);
    assert_eq!(subs[0].name, "Contoso production");
    let options = ReadOptions {
        resource_group: Some("rg-lab".into()),
        ..options()
    };
    let pulled = read(&client, &options).unwrap();
    assert_eq!(count(&pulled.ws), (1, 1, 1));
    assert_eq!(
        pulled.ws.azure.as_ref().unwrap().origin.resource_group,
        "rg-lab"
    );
}

#[test]
fn pages_of_one_and_of_a_thousand_read_the_same() {
    let dir = tempdir("azure-read-pages");
    let mut results = Vec::new();
    for size in [1, 1000] {
        let mock = MockArm::start(mock_arm::Config {
            page_size: size,
            ..mock_arm::small()
        });
        let client = client_for(&mock, &dir);
        let pulled = read(&client, &options()).unwrap();
        let pages = mock
            .requests()
            .iter()
            .filter(|r| r.target.contains("$skiptoken="))
            .count();
        if size == 1 {
            assert!(pages >= 5, "nextLink followed: {pages}");
        } else {
            assert_eq!(pages, 0);
        }
        results.push(pulled.ws);
    }
    let strip = |ws: &Workspace| Workspace {
        azure: None,
        ..ws.clone()
    };
    let (a, b) = (strip(&results[0]), strip(&results[1]));
    assert_eq!(a.galleries, b.galleries);
    assert_eq!(a.grants, b.grants);
    assert_eq!(a.principals, b.principals);
    assert_eq!(a, b);
}

#[test]
fn throttling_waits_retry_after_and_401_asks_for_a_new_token_once() {
    let mock = MockArm::start(mock_arm::Config {
        throttle_once: Some("/images?".into()),
        unauthorized_once: true,
        ..mock_arm::small()
    });
    let dir = tempdir("azure-read-throttle");
    let client = client_for(&mock, &dir);
    let pulled = read(&client, &options()).expect("reads after the 429 and the 401");
    assert_eq!(count(&pulled.ws), (2, 3, 5));
    assert_eq!(client.hooks.progress.throttled.load(Ordering::Relaxed), 1);
    let calls: u32 = std::fs::read_to_string(dir.join("az-calls"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // ARM's token, Graph's, and ARM's again after the 401.
    assert_eq!(calls, 3, "one refresh after the 401");
    let first = &mock.requests()[0];
    assert!(first.authorization.as_deref().unwrap().ends_with("-1"));
    assert!(
        mock.requests()[1]
            .authorization
            .as_deref()
            .unwrap()
            .ends_with("-2")
    );
}

#[test]
fn a_forbidden_gallery_is_a_warning_and_the_rest_loads() {
    let mut config = mock_arm::small();
    config.galleries[1].forbidden = true;
    let mock = MockArm::start(config);
    let dir = tempdir("azure-read-403");
    let client = client_for(&mock, &dir);
    let pulled = read(&client, &options()).expect("the rest loads");
    assert_eq!(
        count(&pulled.ws),
        (2, 2, 4),
        "the gallery itself was listed"
    );
    let text = pulled.warnings.join("\n");
    assert!(
        text.contains("the image definitions of gallery labGallery could not be read"),
        "{text}"
    );
    assert!(text.contains("HTTP 403 AuthorizationFailed"), "{text}");
}

#[test]
fn a_settled_version_keeps_its_status_and_a_replicating_one_is_read_again() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("azure-read-again");
    let client = client_for(&mock, &dir);
    let first = read(&client, &options()).unwrap();
    let before = mock.requests().len();
    let again = ReadOptions {
        previous: first.ws.azure.clone(),
        ..options()
    };
    let second = read(&client, &again).unwrap();
    let expands: Vec<String> = mock.requests()[before..]
        .iter()
        .filter(|r| r.target.contains("$expand"))
        .map(|r| r.target.clone())
        .collect();
    assert_eq!(
        expands.len(),
        1,
        "only the replicating version: {expands:?}"
    );
    assert!(expands[0].contains("/versions/1.1.0?"));
    let v = |ws: &Workspace, name: &str| {
        ws.gallery("contosoGallery")
            .unwrap()
            .definition("ubuntu-base")
            .unwrap()
            .version(name)
            .unwrap()
            .clone()
    };
    let east = |ws: &Workspace| v(ws, "1.1.0").target_regions[1].status.progress;
    assert_eq!(
        (east(&first.ws), east(&second.ws)),
        (40, 60),
        "progress grew"
    );
    assert_eq!(
        v(&second.ws, "1.0.0"),
        v(&first.ws, "1.0.0"),
        "settled: status kept"
    );
}

fn read_error(fault: ListFault) -> String {
    let mock = MockArm::start(mock_arm::Config {
        galleries_list: fault,
        ..mock_arm::small()
    });
    let dir = tempdir("azure-read-bad");
    let client = client_for(&mock, &dir);
    let err = read(&client, &options()).expect_err("refused");
    let text = err.to_string();
    assert!(
        text.contains(mock.url.trim_end_matches('/')),
        "names the URL: {text}"
    );
    assert!(!text.contains(TOKEN_PREFIX), "{text}");
    text
}

#[test]
fn bad_answers_are_refused_with_the_url() {
    let foreign = read_error(ListFault::ForeignNextLink);
    assert!(
        foreign.contains("attacker.example")
            && foreign.contains("refused (the token is sent to the ARM endpoint only)"),
        "{foreign}"
    );
    let truncated = read_error(ListFault::Truncated);
    assert!(truncated.contains("not complete JSON"), "{truncated}");
    let huge = read_error(ListFault::Huge);
    assert!(huge.contains("larger than 32 MB"), "{huge}");
    let dots = read_error(ListFault::DotDotId);
    assert!(
        dots.contains("steps outside the resource") && dots.contains("refused"),
        "{dots}"
    );
}

#[test]
fn without_az_or_signed_out_the_error_says_what_to_run() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("azure-read-no-az");
    let missing = client_with(&mock, dir.join("no-such-az"), Hooks::default());
    let err = read(&missing, &options()).unwrap_err();
    assert!(matches!(err, AzureError::NoAzCli));
    assert!(err.to_string().contains("install it") && err.to_string().contains("az login"));
    let out = mock_arm::signed_out_az(&dir);
    let signed_out = client_with(&mock, out, Hooks::default());
    let err = read(&signed_out, &options()).unwrap_err();
    assert!(matches!(err, AzureError::NotSignedIn { .. }), "{err}");
    assert!(err.to_string().contains("run `az login`"), "{err}");
    assert!(
        mock.requests().is_empty(),
        "nothing was sent without a token"
    );
}

#[test]
fn a_cancelled_read_stops_and_returns_nothing() {
    let mock = MockArm::start(mock_arm::large(1, 2, 50));
    let dir = tempdir("azure-read-cancel");
    let az = mock_arm::fake_az(&dir, &mock.url, &mock.graph_url());
    let hooks = Hooks::default();
    let cancel = Arc::clone(&hooks.cancel);
    let seen = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    let hooks = Hooks {
        notify: Some(Arc::new(move || {
            if counter.fetch_add(1, Ordering::Relaxed) == 5 {
                cancel.store(true, Ordering::Relaxed);
            }
        })),
        ..hooks
    };
    let client = client_with(&mock, az, hooks);
    let err = read(&client, &options()).unwrap_err();
    assert!(matches!(err, AzureError::Cancelled), "{err}");
    assert!(
        mock.requests().len() < 100,
        "stopped early: {}",
        mock.requests().len()
    );
}

#[test]
fn at_most_eight_requests_are_in_flight() {
    let mock = MockArm::start(mock_arm::large(2, 4, 40));
    let dir = tempdir("azure-read-flight");
    let client = client_for(&mock, &dir);
    let pulled = read(&client, &options()).unwrap();
    assert_eq!(pulled.ws.version_count(), 320);
    assert!(mock.max_in_flight() <= 8, "{}", mock.max_in_flight());
    assert!(mock.max_in_flight() >= 2, "reads run side by side");
    only_gets_with_the_token(&mock);
}

#[test]
fn the_token_is_in_no_result_error_or_file() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("azure-read-token");
    let client = client_for(&mock, &dir);
    let pulled = read(&client, &options()).unwrap();
    let text = sig_studio_core::workspace::to_ron_string(&pulled.ws);
    let debug = format!("{pulled:?}");
    // The file and the recovery copy the app writes while there are unsaved changes.
    let file = dir.join("pulled.ron");
    sig_studio_core::workspace::save(&file, &pulled.ws).unwrap();
    sig_studio_core::workspace::recovery::write(&dir, &pulled.ws, Some(&file)).unwrap();
    let on_disk: Vec<String> = [
        file,
        sig_studio_core::workspace::recovery::recovery_path(&dir),
    ]
    .iter()
    .map(|p| std::fs::read_to_string(p).unwrap())
    .collect();
    for shown in [&text, &debug].into_iter().chain(&on_disk) {
        assert!(!shown.contains(TOKEN_PREFIX));
    }
    assert!(
        on_disk[1].contains("azure: ("),
        "the recovery copy keeps Azure as last seen"
    );
}

#[test]
fn network_errors_are_retried_then_fail_with_the_url_and_the_reason() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("azure-read-network");
    let az = mock_arm::fake_az(&dir, &mock.url, &mock.graph_url());
    let tokens = AzTokens {
        az: AzCli {
            program: az,
            ..AzCli::default()
        },
        clock: clock(),
    };
    let limits = Limits {
        backoff: std::time::Duration::from_millis(5),
        ..Limits::default()
    };
    let client = Client::new(
        Endpoint::parse(&format!("http://127.0.0.1:{port}/")).unwrap(),
        None,
        Arc::new(tokens),
        clock(),
        limits,
        Hooks::default(),
    );
    let err = read(&client, &options()).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, AzureError::Network { .. }), "{text}");
    assert!(
        text.contains(&format!("GET http://127.0.0.1:{port}/subscriptions/")),
        "{text}"
    );
    assert!(text.contains("(tried 4 times)"), "{text}");
    assert_eq!(client.hooks.progress.retried.load(Ordering::Relaxed), 3);
}

#[test]
fn a_token_about_to_expire_is_asked_for_again() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("azure-read-expiry");
    let az = mock_arm::fake_az(&dir, &mock.url, &mock.graph_url());
    // The fake az's tokens expire at 4102444800: four minutes before, each is too close.
    let late: Clock = Arc::new(|| jiff::Timestamp::from_second(4_102_444_800 - 240).unwrap());
    let tokens = AzTokens {
        az: AzCli {
            program: az,
            ..AzCli::default()
        },
        clock: Arc::clone(&late),
    };
    let client = Client::new(
        Endpoint::parse(&mock.url).unwrap(),
        None,
        Arc::new(tokens),
        late,
        Limits::default(),
        Hooks::default(),
    );
    let subs = subscriptions(&client).unwrap();
    assert_eq!(subs.len(), 1);
    subscriptions(&client).unwrap();
    let calls: u32 = std::fs::read_to_string(dir.join("az-calls"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(calls, 2, "a new token for each request so close to expiry");
    // An hour before, one token serves both.
    let early: Clock = Arc::new(|| jiff::Timestamp::from_second(4_102_444_800 - 3600).unwrap());
    let dir2 = tempdir("azure-read-expiry-early");
    let az = mock_arm::fake_az(&dir2, &mock.url, &mock.graph_url());
    let client = Client::new(
        Endpoint::parse(&mock.url).unwrap(),
        None,
        Arc::new(AzTokens {
            az: AzCli {
                program: az,
                ..AzCli::default()
            },
            clock: Arc::clone(&early),
        }),
        early,
        Limits::default(),
        Hooks::default(),
    );
    subscriptions(&client).unwrap();
    subscriptions(&client).unwrap();
    let calls: u32 = std::fs::read_to_string(dir2.join("az-calls"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(calls, 1);
}
