//! A small gallery to replicate: one version of a managed image in West Central US, for the
//! replication tests of the core and of the command line.

use sig_studio_core::model::{
    Gallery, ImageDefinition, ImageVersion, ManagedImage, OsType, Region, TargetRegion, Tenant,
    Workspace,
};

pub const G: &str = "gallery";
pub const D: &str = "image";
pub fn r(name: &str) -> Region {
    Region::parse(name).unwrap()
}

pub fn source() -> Region {
    r("westcentralus")
}

/// A workspace with one version of `occupied_gb` replicated from West Central US to `targets`
/// (the source region is added first).
pub fn workspace(occupied_gb: f64, targets: &[Region]) -> Workspace {
    let mut regions = vec![TargetRegion::new(source())];
    regions.extend(targets.iter().map(|t| TargetRegion::new(*t)));
    Workspace {
        tenants: vec![Tenant {
            name: "contoso".into(),
            domain: String::new(),
        }],
        managed_images: vec![ManagedImage {
            name: "img".into(),
            region: source(),
            os_type: OsType::Linux,
            os_disk_gb: 64,
            occupied_gb,
            ..ManagedImage::default()
        }],
        galleries: vec![Gallery {
            name: G.into(),
            region: source(),
            tenant: "contoso".into(),
            definitions: vec![ImageDefinition {
                name: D.into(),
                publisher: "p".into(),
                offer: "o".into(),
                sku: "s".into(),
                versions: vec![ImageVersion {
                    name: "1.0.0".into(),
                    source: "img".into(),
                    target_regions: regions,
                    ..ImageVersion::default()
                }],
                ..ImageDefinition::default()
            }],
            ..Gallery::default()
        }],
        ..Workspace::default()
    }
}

pub fn version<'a>(ws: &'a Workspace, name: &str) -> &'a ImageVersion {
    ws.gallery(G)
        .unwrap()
        .definition(D)
        .unwrap()
        .version(name)
        .unwrap()
}
