//! What the mock serves (the subscriptions of the tests and the benchmarks) and how it
//! misbehaves.

use std::collections::HashMap;
use std::time::Duration;

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

/// A managed image of the subscription (`/subscriptions/{s}/providers/Microsoft.Compute/images`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockImage {
    pub resource_group: String,
    pub name: String,
    pub location: String,
}

/// One chosen request answered with an error: the `nth` (1-based) request whose method is
/// `method` and whose target contains `target`.
#[derive(Clone, Debug)]
pub struct Fault {
    pub method: String,
    pub target: String,
    pub nth: usize,
    pub status: u16,
    pub code: String,
    pub message: String,
    /// Accept the request, and let its long-running operation end Failed with this error.
    pub in_operation: bool,
}

impl Fault {
    /// The first `method` request whose target contains `target` fails with a 500.
    pub fn server_error(method: &str, target: &str) -> Self {
        Self {
            method: method.to_owned(),
            target: target.to_owned(),
            nth: 1,
            status: 500,
            code: "InternalServerError".to_owned(),
            message: "An internal server error occurred (injected by the test).".to_owned(),
            in_operation: false,
        }
    }
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
    /// Requests whose target contains this are held (no answer) until [`super::MockArm::release`]
    /// (a read stopped half way, deterministically).
    pub hold: Option<String>,
    pub max_requests: usize,
    pub lifetime: Duration,
    /// Chosen requests that fail (each once).
    pub faults: Vec<Fault>,
    /// A token is refused as expired (401) after this many requests with it.
    pub token_uses: Option<usize>,
    /// `Retry-After` (seconds) on long-running operations' answers.
    pub retry_after: u64,
    /// Polls a long-running operation takes (the last one sees it end).
    pub operation_polls: u8,
    /// DELETEs of a parent refused with 409 "nested resources" after its last child went
    /// (Azure's eventual consistency).
    pub delete_lag: u32,
    /// Progress a region written by a PUT makes on each read of its replication status.
    pub replication_step: u8,
    pub images: Vec<MockImage>,
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
            hold: None,
            max_requests: 100_000,
            lifetime: Duration::from_secs(120),
            faults: Vec::new(),
            token_uses: None,
            retry_after: 0,
            operation_polls: 2,
            delete_lag: 0,
            replication_step: 50,
            images: Vec::new(),
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
