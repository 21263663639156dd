//! The Packer hand-off: an HCL2 `source "azure-arm"` block holding a planned version's gallery
//! settings, for packer-plugin-azure 2.1.0 or later (the first with per-region `replicas` in
//! `target_region`, PR 387).
//!
//! Every key is the plugin's own (builder/azure/arm/config.go): `shared_image_gallery_destination`
//! with its `target_region` blocks, `shared_image_gallery_timeout`,
//! `shared_gallery_image_version_end_of_life_date`, `…_exclude_from_latest`, `security_type`,
//! `secure_boot_enabled` and `vtpm_enabled`. The replica key is `shared_image_gallery_replica_count`
//! (the docs' example spells it `shared_gallery_image_version_replica_count`), but the plugin
//! refuses it beside `target_region` blocks ("`shared_image_gallery_replica_count` can not be
//! defined alongside `target_region`"), so the counts go into each block's `replicas` and the
//! file says so. Packer takes one storage type for every region: regions of another type are
//! left to a follow-up `az sig image-version update`, named in the notes, never guessed.

use std::fmt::Write as _;

use super::az::{self, Word};
use super::handoff::{
    self, BuildSource, Handoff, Note, RegionEncryption, SourceKind, Target, Tool,
};
use crate::model::{Date, OsType, Region, SecurityType, StorageType, TargetRegion, Workspace};
use crate::replication::format_duration;

/// Packer's own `shared_image_gallery_timeout` when none is set: the least the hand-off writes.
pub const PACKER_DEFAULT_TIMEOUT_MINUTES: u32 = 60;
/// The plugin version whose `target_region` blocks take `replicas`.
pub const PLUGIN_VERSION: &str = ">= 2.1.0";
/// The storage types `storage_account_type` accepts.
pub const STORAGE_TYPES: [StorageType; 3] = [
    StorageType::Standard_LRS,
    StorageType::Standard_ZRS,
    StorageType::Premium_LRS,
];
/// The variable the output declares when the workspace does not know the gallery's resource
/// group.
const RG_VARIABLE: &str = "gallery_resource_group";

/// A value as an HCL quoted string: `"`, `\`, control characters and the bidirectional overrides
/// ("Trojan source") escaped, and `${` / `%{` doubled so no text becomes an interpolation or a
/// template directive.
pub fn hcl_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control()
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') =>
            {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An HCL identifier for the source's name: letters, digits, `_` and `-`, starting with a letter.
fn identifier(text: &str) -> String {
    let mut id: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.insert_str(0, "image_");
    }
    id
}

/// HCL text with indentation.
#[derive(Default)]
struct Hcl {
    out: String,
    depth: usize,
}

impl Hcl {
    fn line(&mut self, text: &str) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn attr(&mut self, key: &str, value: &str) {
        self.line(&format!("{key} = {value}"));
    }

    fn string(&mut self, key: &str, value: &str) {
        self.attr(key, &hcl_string(value));
    }

    fn open(&mut self, head: &str) {
        self.line(&format!("{head} {{"));
        self.depth += 1;
    }

    fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.line("}");
    }

    fn comment(&mut self, text: &str) {
        self.line(az::comment(text).trim_end());
    }
}

/// The regions Packer publishes (one storage type for all) and those left to the follow-up.
struct Regions<'w> {
    /// The type Packer writes (the build region's), `None` when Packer has no such type.
    storage: Option<StorageType>,
    /// The build region's own type, whatever Packer takes.
    build_storage: StorageType,
    published: Vec<&'w TargetRegion>,
    deferred: Vec<&'w TargetRegion>,
}

impl<'w> Regions<'w> {
    fn new(t: &Target<'w>, build: Region) -> Self {
        let v = t.version;
        let build_storage = v
            .target(build)
            .map_or(v.storage_type, |r| v.storage_type_in(r));
        let (published, deferred) = v
            .target_regions
            .iter()
            .partition(|r| v.storage_type_in(r) == build_storage);
        Self {
            storage: STORAGE_TYPES
                .contains(&build_storage)
                .then_some(build_storage),
            build_storage,
            published,
            deferred,
        }
    }
}

/// The Packer hand-off of a version.
pub fn write(ws: &Workspace, t: &Target<'_>, today: Date) -> Handoff {
    let build = t.build_region(ws);
    let regions = Regions::new(t, build);
    let predicted = handoff::predict(ws, t, today);
    let timeout = predicted
        .as_ref()
        .ok()
        .map(|secs| handoff::publish_minutes(*secs).max(PACKER_DEFAULT_TIMEOUT_MINUTES));
    let mut notes = timing_notes(ws, t, build, &predicted, timeout);
    notes.extend(region_notes(t, build, &regions));
    notes.extend(security_notes(t));
    notes.extend(handoff::common_follow_ups(t));

    let mut hcl = Hcl::default();
    header(&mut hcl, t, &notes);
    hcl.open("packer");
    hcl.open("required_plugins");
    hcl.open("azure =");
    hcl.string("source", "github.com/hashicorp/azure");
    hcl.string("version", PLUGIN_VERSION);
    hcl.close();
    hcl.close();
    hcl.close();
    if t.gallery.resource_group.is_empty() {
        hcl.line("");
        hcl.open(&format!("variable {}", hcl_string(RG_VARIABLE)));
        hcl.attr("type", "string");
        hcl.string(
            "description",
            &format!(
                "Resource group of gallery {} (the workspace does not know it)",
                t.gallery.name
            ),
        );
        hcl.close();
    }
    hcl.line("");
    source_block(&mut hcl, t, build, &regions, timeout);
    Handoff {
        tool: Tool::Packer,
        text: hcl.out,
        predicted_secs: predicted,
        timeout_minutes: timeout,
        notes,
    }
}

fn header(hcl: &mut Hcl, t: &Target<'_>, notes: &[Note]) {
    hcl.comment(&format!(
        "Written by SIG Studio for {}: the gallery settings of Packer's azure-arm source.",
        t.path()
    ));
    hcl.comment(
        "Add your base image, VM size, communicator and provisioners to the source block, and a build block that uses it.",
    );
    for note in notes {
        hcl.comment("");
        hcl.comment(&format!("{}: {}", note.kind.label(), note.text));
        if let Some(command) = &note.command {
            hcl.comment(&format!("  {command}"));
        }
    }
    hcl.line("");
}

fn resource_group(t: &Target<'_>) -> String {
    if t.gallery.resource_group.is_empty() {
        format!("var.{RG_VARIABLE}")
    } else {
        hcl_string(&t.gallery.resource_group)
    }
}

fn source_block(
    hcl: &mut Hcl,
    t: &Target<'_>,
    build: Region,
    regions: &Regions<'_>,
    timeout: Option<u32>,
) {
    let (d, v) = (t.definition, t.version);
    hcl.open(&format!(
        "source {} {}",
        hcl_string("azure-arm"),
        hcl_string(&identifier(&d.name))
    ));
    hcl.comment("Where the version is created and its first copy starts (its source's region).");
    hcl.string("location", build.name());
    hcl.string(
        "os_type",
        match d.os_type {
            OsType::Linux => "Linux",
            OsType::Windows => "Windows",
        },
    );
    let source = BuildSource::packer(t);
    if source.kind == Some(SourceKind::ManagedImage) {
        hcl.comment(&format!(
            "Captured through a managed image: a {} definition takes no VM source.",
            t.security().name()
        ));
        hcl.string("managed_image_name", &t.artifact_name(80));
        hcl.attr("managed_image_resource_group_name", &resource_group(t));
    }
    destination(hcl, t, regions);
    match timeout {
        Some(minutes) => hcl.string("shared_image_gallery_timeout", &format!("{minutes}m")),
        None => hcl.comment(
            "shared_image_gallery_timeout is not set: the replication time is unknown (see above).",
        ),
    }
    hcl.comment(
        "shared_image_gallery_replica_count is not set: the plugin refuses it beside target_region blocks, whose replicas hold each region's count.",
    );
    if let Some(eol) = v.end_of_life {
        hcl.string(
            "shared_gallery_image_version_end_of_life_date",
            &format!("{eol}T00:00:00Z"),
        );
    }
    hcl.attr(
        "shared_gallery_image_version_exclude_from_latest",
        &v.exclude_from_latest.to_string(),
    );
    security(hcl, source.security);
    if !v.tags.is_empty() {
        hcl.comment("The version's tags (Packer also puts them on the build's own resources).");
        hcl.open("azure_tags =");
        for (key, value) in v.tags.iter() {
            hcl.attr(&hcl_string(key), &hcl_string(value));
        }
        hcl.close();
    }
    hcl.close();
}

fn destination(hcl: &mut Hcl, t: &Target<'_>, regions: &Regions<'_>) {
    let (g, d, v) = (t.gallery, t.definition, t.version);
    hcl.open("shared_image_gallery_destination");
    if g.subscription.is_empty() {
        hcl.comment("subscription is not set: the workspace does not know it (Packer then uses the build's).");
    } else {
        hcl.string("subscription", &g.subscription);
    }
    hcl.attr("resource_group", &resource_group(t));
    hcl.string("gallery_name", &g.name);
    hcl.string("image_name", &d.name);
    hcl.string("image_version", &v.name);
    match regions.storage {
        Some(storage) => hcl.string("storage_account_type", storage.label()),
        None => hcl.comment(&format!(
            "storage_account_type is not set: Packer cannot write {}.",
            regions.build_storage.label()
        )),
    }
    hcl.attr(
        "use_shallow_replication",
        &(v.replication_mode == crate::model::ReplicationMode::Shallow).to_string(),
    );
    hcl.attr("specialized", &handoff::specialized(d).to_string());
    for region in &regions.published {
        hcl.open("target_region");
        hcl.string("name", region.region.name());
        hcl.attr("replicas", &v.replica_count(region).to_string());
        if let Some(set) = RegionEncryption::of(region).os_disk_set {
            hcl.string("disk_encryption_set_id", &set);
        }
        hcl.close();
    }
    hcl.close();
}

fn security(hcl: &mut Hcl, security: Option<SecurityType>) {
    match security {
        Some(s @ (SecurityType::TrustedLaunch | SecurityType::ConfidentialVM)) => {
            hcl.string("security_type", s.name());
            hcl.attr("secure_boot_enabled", "true");
            hcl.attr("vtpm_enabled", "true");
        }
        _ => {
            hcl.comment("security_type is not set: a Standard build VM.");
            hcl.attr("secure_boot_enabled", "false");
            hcl.attr("vtpm_enabled", "false");
        }
    }
}

/// How the timeout was worked out, and what the base image must be.
fn timing_notes(
    ws: &Workspace,
    t: &Target<'_>,
    build: Region,
    predicted: &Result<f64, String>,
    timeout: Option<u32>,
) -> Vec<Note> {
    let timing = match (predicted, timeout) {
        (Ok(secs), Some(minutes)) => {
            let gb = ws.source_size(t.version).known().map_or(0.0, |(_, gb)| gb);
            let floor = if handoff::publish_minutes(*secs) < PACKER_DEFAULT_TIMEOUT_MINUTES {
                format!(
                    ", and never below Packer's default of {PACKER_DEFAULT_TIMEOUT_MINUTES} min"
                )
            } else {
                String::new()
            };
            format!(
                "shared_image_gallery_timeout {minutes} min: the plan's replication engine predicts {} for {} of {gb} GB from {} (the workspace's time model, no failures); the timeout is {}{floor}",
                format_duration(*secs),
                crate::words::count(t.version.target_regions.len(), "region", "regions"),
                build.name(),
                handoff::margin_text(),
            )
        }
        (Err(why), _) => format!(
            "shared_image_gallery_timeout is not set ({why}): Packer's default of {PACKER_DEFAULT_TIMEOUT_MINUTES} min applies"
        ),
        (Ok(_), None) => "shared_image_gallery_timeout is not set".to_owned(),
    };
    vec![
        Note::info(timing),
        Note::info(format!(
            "The base image must be Hyper-V generation {:?}, the definition's",
            t.definition.generation
        )),
    ]
}

/// Regions Packer cannot publish as the version wants them.
fn region_notes(t: &Target<'_>, build: Region, regions: &Regions<'_>) -> Vec<Note> {
    let v = t.version;
    let mut notes = Vec::new();
    if regions.storage.is_none() {
        notes.push(Note::blocker(format!(
            "The build region's storage type is {}; Packer writes only {} and a region's storage type cannot change after creation",
            regions.build_storage.label(),
            STORAGE_TYPES.map(StorageType::label).join(", ")
        )));
    }
    let encrypted: Vec<RegionEncryption> =
        v.target_regions.iter().map(RegionEncryption::of).collect();
    if encrypted.iter().any(|e| e.data_disks || e.confidential) {
        notes.push(Note::blocker(
            "Data disk or confidential VM encryption in some regions: Packer sets only the OS disk's disk_encryption_set_id, and encryption cannot be added to an existing version",
        ));
    }
    notes.extend(handoff::region_follow_ups(
        t,
        &regions.published,
        &regions.deferred,
        &format!(
            "Packer takes one storage type for all regions ({}), these are of another",
            regions.build_storage.label()
        ),
    ));
    let build_count = v.target(build).map(|r| v.replica_count(r));
    notes.extend(default_count_note(t, build_count));
    notes
}

/// Packer makes the version's default replica count the build region's.
fn default_count_note(t: &Target<'_>, build_count: Option<u32>) -> Option<Note> {
    let v = t.version;
    let count = build_count?;
    (count != v.default_replica_count).then(|| {
        Note::follow_up(
            format!(
                "The default replica count is {}; Packer sets it to the build region's {count}",
                v.default_replica_count
            ),
            Some(handoff::update_command(
                t,
                vec![
                    Word::lit("--replica-count"),
                    Word::lit(v.default_replica_count.to_string()),
                ],
            )),
        )
    })
}

/// What the definition's security type means for the Packer build.
fn security_notes(t: &Target<'_>) -> Vec<Note> {
    let security = t.security();
    let mut notes = Vec::new();
    if handoff::captures_through_managed_image(security) {
        if handoff::specialized(t.definition) {
            notes.push(Note::blocker(format!(
                "A {} definition takes no VM source, and Packer captures no specialized managed image (\"A managed image … can not be Specialized\")",
                security.name()
            )));
        } else {
            notes.push(Note::info(format!(
                "The build VM is captured through managed image {} first: a {} definition takes no VM source (\"Currently only Vhd Blob, User Image and Gallery Image Version sources are supported\", packer-plugin-azure issue 304)",
                t.artifact_name(80),
                security.name()
            )));
        }
    }
    notes
}
