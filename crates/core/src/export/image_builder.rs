//! The Azure Image Builder hand-off: the image template's `distribute` entry of type
//! `SharedImage` and its `buildTimeoutInMinutes`, as `Microsoft.VirtualMachineImages`
//! 2024-02-01 defines them (`ImageTemplateSharedImageDistributor`, `TargetRegion`,
//! `DistributeVersioner`; azure-rest-api-specs, specification/imagebuilder/…/2024-02-01/
//! imagebuilder.json, kept in tests/fixtures/image-builder/).
//!
//! That API version has no end of life, no per-region exclusion from latest, no encryption, no
//! PremiumV2_LRS and no `replicationMode` (later versions add it): the notes list each one the
//! version needs, with the update that sets it afterwards where one can.

use serde_json::{Map, Value, json};

use super::az::Word;
use super::handoff::{self, Handoff, Note, RegionEncryption, Target, Tool};
use crate::model::{Date, ReplicationMode, StorageType, TargetRegion, Workspace};
use crate::replication::format_duration;

pub const API_VERSION: &str = "2024-02-01";
/// `buildTimeoutInMinutes`' largest value ("maximum": 960).
pub const MAX_BUILD_MINUTES: u32 = 960;
/// Image Builder's own default when the template sets none (0 or absent: 4 hours).
pub const SERVICE_DEFAULT_MINUTES: u32 = 240;
/// The time allowed for everything before distribution (build VM, customization, validation,
/// capture) unless the caller says otherwise.
pub const DEFAULT_BUILD_MINUTES: u32 = 90;
/// `SharedImageStorageAccountType`.
pub const STORAGE_TYPES: [StorageType; 3] = [
    StorageType::Standard_LRS,
    StorageType::Standard_ZRS,
    StorageType::Premium_LRS,
];
/// `runOutputName`: `^[A-Za-z0-9-_.]{1,64}$`.
pub const RUN_OUTPUT_MAX: usize = 64;

/// How the version number is chosen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Versioning {
    /// The planned version's own number: `galleryImageId` names the version ("explicit
    /// versioning" in Microsoft's image template reference).
    #[default]
    Explicit,
    /// `{ "scheme": "Latest", "major": … }`: Image Builder picks the next number.
    Latest { major: Option<u32> },
    /// `{ "scheme": "Source" }`: the source image's number.
    Source,
}

/// Options of the Image Builder hand-off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Minutes allowed before distribution starts (0–960).
    pub build_minutes: u32,
    pub versioning: Versioning,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            build_minutes: DEFAULT_BUILD_MINUTES,
            versioning: Versioning::default(),
        }
    }
}

/// The regions the entry names, and those of a storage type Image Builder does not take.
fn split<'w>(t: &Target<'w>) -> (Vec<&'w TargetRegion>, Vec<&'w TargetRegion>) {
    let v = t.version;
    v.target_regions
        .iter()
        .partition(|r| STORAGE_TYPES.contains(&v.storage_type_in(r)))
}

/// The `distribute` entry of type `SharedImage`.
pub fn distributor(t: &Target<'_>, options: &Options) -> Value {
    let (g, d, v) = (t.gallery, t.definition, t.version);
    let (named, _) = split(t);
    let regions: Vec<Value> = named
        .iter()
        .map(|r| {
            json!({
                "name": r.region.name(),
                "replicaCount": v.replica_count(r),
                "storageAccountType": v.storage_type_in(r).label(),
            })
        })
        .collect();
    let mut entry = Map::new();
    entry.insert("type".into(), json!("SharedImage"));
    let id = match options.versioning {
        Versioning::Explicit => g.child_arm_id(&d.name, Some(&v.name)),
        _ => g.child_arm_id(&d.name, None),
    };
    entry.insert("galleryImageId".into(), json!(id));
    entry.insert(
        "runOutputName".into(),
        json!(t.artifact_name(RUN_OUTPUT_MAX)),
    );
    entry.insert("excludeFromLatest".into(), json!(v.exclude_from_latest));
    entry.insert("targetRegions".into(), Value::Array(regions));
    match options.versioning {
        Versioning::Explicit => {}
        Versioning::Latest { major } => {
            let mut scheme = Map::new();
            scheme.insert("scheme".into(), json!("Latest"));
            if let Some(major) = major {
                scheme.insert("major".into(), json!(major));
            }
            entry.insert("versioning".into(), Value::Object(scheme));
        }
        Versioning::Source => {
            entry.insert("versioning".into(), json!({ "scheme": "Source" }));
        }
    }
    Value::Object(entry)
}

/// The Image Builder hand-off of a version: `{ "properties": { "buildTimeoutInMinutes",
/// "distribute": [entry] } }`, to merge into an image template.
pub fn write(ws: &Workspace, t: &Target<'_>, options: &Options, today: Date) -> Handoff {
    let predicted = handoff::predict(ws, t, today);
    let wanted = predicted
        .as_ref()
        .ok()
        .map(|secs| options.build_minutes + handoff::publish_minutes(*secs));
    let timeout = wanted.map(|m| m.min(MAX_BUILD_MINUTES));
    let mut notes = timing_notes(ws, t, options, &predicted, wanted);
    notes.extend(expressibility_notes(t, options));
    notes.extend(handoff::common_follow_ups(t));

    let mut properties = Map::new();
    if let Some(minutes) = timeout {
        properties.insert("buildTimeoutInMinutes".into(), json!(minutes));
    }
    properties.insert(
        "distribute".into(),
        Value::Array(vec![distributor(t, options)]),
    );
    let document = json!({ "properties": Value::Object(properties) });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    Handoff {
        tool: Tool::ImageBuilder,
        text,
        predicted_secs: predicted,
        timeout_minutes: timeout,
        notes,
    }
}

fn timing_notes(
    ws: &Workspace,
    t: &Target<'_>,
    options: &Options,
    predicted: &Result<f64, String>,
    wanted: Option<u32>,
) -> Vec<Note> {
    let mut notes = Vec::new();
    match (predicted, wanted) {
        (Ok(secs), Some(minutes)) => {
            let gb = ws.source_size(t.version).known().map_or(0.0, |(_, gb)| gb);
            notes.push(Note::info(format!(
                "buildTimeoutInMinutes {}: {} min for the build before distribution (allowance) + {} min for distribution, which is {} (the plan's replication engine predicts {} for {} of {gb} GB, the workspace's time model, no failures)",
                minutes.min(MAX_BUILD_MINUTES),
                options.build_minutes,
                handoff::publish_minutes(*secs),
                handoff::margin_text(),
                format_duration(*secs),
                crate::words::count(t.version.target_regions.len(), "region", "regions"),
            )));
            if minutes > MAX_BUILD_MINUTES {
                notes.push(Note::warning(format!(
                    "The build needs {minutes} min but Image Builder allows at most {MAX_BUILD_MINUTES}: distribute to fewer regions and add the others with `az sig image-version update --target-regions` afterwards (Microsoft's docs advise replicating in phases)"
                )));
            }
        }
        (Err(why), _) => notes.push(Note::info(format!(
            "buildTimeoutInMinutes is not set ({why}): Image Builder's default of {SERVICE_DEFAULT_MINUTES} min applies"
        ))),
        (Ok(_), None) => {}
    }
    let build = t.build_region(ws);
    if build != t.gallery.region {
        notes.push(Note::warning(format!(
            "Image Builder creates the version in the image definition's region ({}), not in the source's ({}): it copies the image there first, which the prediction does not include",
            t.gallery.region.name(),
            build.name()
        )));
    }
    notes
}

/// What the 2024-02-01 distributor cannot say.
fn expressibility_notes(t: &Target<'_>, options: &Options) -> Vec<Note> {
    let (g, v) = (t.gallery, t.version);
    let mut notes = Vec::new();
    if g.subscription.is_empty() || g.resource_group.is_empty() {
        notes.push(Note::warning(
            "galleryImageId holds {subscription-id} or {resource-group}: the workspace does not know them; replace them before submitting the template",
        ));
    }
    if options.versioning != Versioning::Explicit {
        notes.push(Note::info(format!(
            "Image Builder chooses the version number, so it may not be {}",
            v.name
        )));
    }
    if v.replication_mode == ReplicationMode::Shallow {
        notes.push(Note::blocker(format!(
            "Shallow replication: the {API_VERSION} distributor has no replicationMode, so the version would be replicated in full, and the mode cannot change after creation"
        )));
    }
    if v.target_regions
        .iter()
        .any(|r| !RegionEncryption::of(r).is_empty())
    {
        notes.push(Note::blocker(format!(
            "Encryption (disk encryption sets) in some regions: the {API_VERSION} distributor sets none, and encryption cannot be added to an existing version"
        )));
    }
    let (_, deferred) = split(t);
    if deferred.iter().any(|r| r.region == g.region) {
        notes.push(Note::blocker(format!(
            "The gallery's region {} (where Image Builder creates the version) is to hold PremiumV2_LRS, which Image Builder does not take, and a region's storage type cannot change after creation",
            g.region.name()
        )));
    }
    let (named, _) = split(t);
    notes.extend(handoff::region_follow_ups(
        t,
        &named,
        &deferred,
        "PremiumV2_LRS, which Image Builder does not take",
    ));
    if let Some(eol) = v.end_of_life {
        notes.push(Note::follow_up(
            format!("End of life {eol}: Image Builder sets none"),
            Some(handoff::update_command(
                t,
                vec![
                    Word::lit("--set"),
                    Word::lit(format!("publishingProfile.endOfLifeDate={eol}")),
                ],
            )),
        ));
    }
    if !v.tags.is_empty() {
        let mut extra = Vec::new();
        for (key, value) in v.tags.iter() {
            extra.push(Word::lit("--set"));
            extra.push(Word::lit(format!("tags.{key}={value}")));
        }
        notes.push(Note::follow_up(
            "The version's tags (artifactTags is a string in the 2024-02-01 schema)",
            Some(handoff::update_command(t, extra)),
        ));
    }
    notes
}
