//! Handing a planned version to an image build: Packer's `azure-arm` builder ([`super::packer`])
//! or Azure Image Builder ([`super::image_builder`]). What both share lives here: the version
//! found by its path, the publish timeout built from the replication time the plan predicts
//! (the same engine run, so the two never disagree), what the build publishes from and with
//! which security type, the regions' encryption as imported, and the follow-up update for what
//! a tool cannot express.
//!
//! [`prepare`] gives the app's *Hand off to build…* dialog everything it shows: both texts,
//! their notes and the pre-flight findings.

use super::az::Word;
use crate::cost::estimate::Sources;
use crate::model::{
    Date, Gallery, HyperVGeneration, ImageDefinition, ImageVersion, OsState, Region, ResourcePath,
    SecurityType, TargetRegion, Workspace,
};
use crate::plan::replication;
use crate::preflight::{self, Preflight};

/// The publish timeout: the predicted replication time times this…
pub const MARGIN_FACTOR: f64 = 1.5;
/// …plus this many minutes (the version's creation before replication starts, and API polling),
/// rounded up to a multiple of [`ROUND_MINUTES`].
pub const MARGIN_MINUTES: f64 = 15.0;
pub const ROUND_MINUTES: u32 = 5;

/// The margin in words, for the outputs' comments and notes.
pub fn margin_text() -> String {
    format!(
        "the predicted replication time × {MARGIN_FACTOR} + {MARGIN_MINUTES} min, rounded up to {ROUND_MINUTES} min"
    )
}

/// Why nothing was handed off.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HandoffError {
    #[error("\"{0}\" is not a version: give GALLERY/DEFINITION/VERSION")]
    BadPath(String),
    #[error("the workspace has no gallery \"{0}\"")]
    UnknownGallery(String),
    #[error("gallery \"{0}\" has no image definition \"{1}\"")]
    UnknownDefinition(String, String),
    #[error("image definition \"{0}/{1}\" has no version \"{2}\"")]
    UnknownVersion(String, String, String),
}

/// The version handed off, with its definition and gallery.
#[derive(Clone, Copy)]
pub struct Target<'w> {
    pub gallery: &'w Gallery,
    pub definition: &'w ImageDefinition,
    pub version: &'w ImageVersion,
}

impl<'w> Target<'w> {
    /// The version at `GALLERY/DEFINITION/VERSION`.
    pub fn find(ws: &'w Workspace, path: &str) -> Result<Self, HandoffError> {
        let Some(ResourcePath::Version(g, d, v)) = ResourcePath::parse(path) else {
            return Err(HandoffError::BadPath(path.to_owned()));
        };
        let gallery = ws
            .gallery(&g)
            .ok_or_else(|| HandoffError::UnknownGallery(g.clone()))?;
        let definition = gallery
            .definition(&d)
            .ok_or_else(|| HandoffError::UnknownDefinition(g.clone(), d.clone()))?;
        let version = definition
            .version(&v)
            .ok_or(HandoffError::UnknownVersion(g, d, v))?;
        Ok(Self {
            gallery,
            definition,
            version,
        })
    }

    pub fn path(&self) -> String {
        format!(
            "{}/{}/{}",
            self.gallery.name, self.definition.name, self.version.name
        )
    }

    /// Where the version is created and its first copy starts: its source's region when the
    /// workspace knows it, else the gallery's.
    pub fn build_region(&self, ws: &Workspace) -> Region {
        ws.source_size(self.version)
            .known()
            .map_or(self.gallery.region, |(region, _)| region)
    }

    /// The security type the definition asks for (`Standard` when it sets none, or one the
    /// service does not know: that is the rules' error).
    pub fn security(&self) -> SecurityType {
        match self.definition.security_type() {
            Some(Ok(security)) => security,
            _ => SecurityType::Standard,
        }
    }

    /// A name Azure takes for a managed image or a run output: letters, digits, `-`, `_` and
    /// `.`, at most `max` characters, starting with a letter or digit.
    pub fn artifact_name(&self, max: usize) -> String {
        let raw = format!("{}-{}", self.definition.name, self.version.name);
        let mut name: String = raw
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            name.insert(0, 'v');
        }
        name.truncate(max);
        name.trim_end_matches(['.', '-']).to_owned()
    }
}

/// The build tool a version is handed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tool {
    /// Packer's `azure-arm` builder (packer-plugin-azure 2.1.0 or later).
    Packer,
    /// Azure Image Builder, `Microsoft.VirtualMachineImages/imageTemplates` 2024-02-01.
    ImageBuilder,
}

impl Tool {
    pub fn label(self) -> &'static str {
        match self {
            Self::Packer => "Packer (azure-arm)",
            Self::ImageBuilder => "Azure Image Builder",
        }
    }
}

/// The replication time the plan predicts for the version created from nothing (every region
/// new), by the workspace's time model; `Err` says why none is known.
pub fn predict(ws: &Workspace, t: &Target<'_>, today: Date) -> Result<f64, String> {
    let images = Sources::new(ws);
    let mut estimator = replication::Estimator::new(today);
    let (g, d, v) = (t.gallery, t.definition, t.version);
    match replication::single(&mut estimator, ws, &images, g, d, None, v)? {
        Some(secs) => Ok(secs),
        None => Err("the version has no target regions to replicate to".to_owned()),
    }
}

/// Minutes to wait for the publish: the prediction with [`margin_text`]'s margin.
pub fn publish_minutes(predicted_secs: f64) -> u32 {
    let minutes = (predicted_secs.max(0.0) / 60.0) * MARGIN_FACTOR + MARGIN_MINUTES;
    let whole = minutes.ceil().min(f64::from(u32::MAX / 2)) as u32;
    whole.div_ceil(ROUND_MINUTES) * ROUND_MINUTES
}

/// What an image version is created from, as the service tells sources apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// The build VM itself (Packer publishing straight to the gallery).
    VirtualMachine,
    /// A managed image ("User Image" in the service's words).
    ManagedImage,
    GalleryImageVersion,
    Vhd,
    DiskOrSnapshot,
}

impl SourceKind {
    pub const ALL: [Self; 5] = [
        Self::VirtualMachine,
        Self::ManagedImage,
        Self::GalleryImageVersion,
        Self::Vhd,
        Self::DiskOrSnapshot,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::VirtualMachine => "the build VM",
            Self::ManagedImage => "a managed image",
            Self::GalleryImageVersion => "a gallery image version",
            Self::Vhd => "a VHD blob",
            Self::DiskOrSnapshot => "managed disks or snapshots",
        }
    }
}

/// What the build publishes: the base image's Hyper-V generation, the build VM's security type
/// (Standard, TrustedLaunch or ConfidentialVM) and what the version is created from. `None`:
/// not known.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BuildSource {
    pub generation: Option<HyperVGeneration>,
    pub security: Option<SecurityType>,
    pub kind: Option<SourceKind>,
}

impl BuildSource {
    /// What the Packer output of [`super::packer`] builds for this definition: a Trusted Launch
    /// or confidential build VM published straight from the VM when the definition asks for
    /// one; for the `…Supported` Trusted Launch types a Standard VM captured through a managed
    /// image, because the service takes no VM source for those ("Currently only Vhd Blob, User
    /// Image and Gallery Image Version sources are supported for 'TrustedLaunchSupported'
    /// images", packer-plugin-azure issue 304). The generation is the base image's, which the
    /// workspace does not know.
    pub fn packer(t: &Target<'_>) -> Self {
        let (security, kind) = match t.security() {
            SecurityType::TrustedLaunch => {
                (SecurityType::TrustedLaunch, SourceKind::VirtualMachine)
            }
            SecurityType::ConfidentialVM => {
                (SecurityType::ConfidentialVM, SourceKind::VirtualMachine)
            }
            s if captures_through_managed_image(s) => {
                (SecurityType::Standard, SourceKind::ManagedImage)
            }
            _ => (SecurityType::Standard, SourceKind::VirtualMachine),
        };
        Self {
            generation: None,
            security: Some(security),
            kind: Some(kind),
        }
    }

    /// Fills what `self` leaves unknown from `defaults`.
    pub fn or(self, defaults: Self) -> Self {
        Self {
            generation: self.generation.or(defaults.generation),
            security: self.security.or(defaults.security),
            kind: self.kind.or(defaults.kind),
        }
    }
}

/// Definitions the service fills from VHDs, managed images or gallery versions only, never from
/// a VM: the Trusted Launch "supported" types.
pub fn captures_through_managed_image(security: SecurityType) -> bool {
    matches!(
        security,
        SecurityType::TrustedLaunchSupported
            | SecurityType::TrustedLaunchAndConfidentialVmSupported
    )
}

/// A target region's `encryption` as the imported payload held it (the model keeps it verbatim).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegionEncryption {
    /// `osDiskImage.diskEncryptionSetId`.
    pub os_disk_set: Option<String>,
    /// Data disk images are encrypted (`dataDiskImages`).
    pub data_disks: bool,
    /// The OS disk has a confidential VM `securityProfile`.
    pub confidential: bool,
}

impl RegionEncryption {
    pub fn of(t: &TargetRegion) -> Self {
        let Some(encryption) = t.unmodeled.get("encryption") else {
            return Self::default();
        };
        let os = encryption.get("osDiskImage");
        Self {
            os_disk_set: os
                .and_then(|o| o.get("diskEncryptionSetId"))
                .and_then(|v| v.as_str())
                .map(str::to_owned),
            data_disks: encryption
                .get("dataDiskImages")
                .and_then(|d| d.as_array())
                .is_some_and(|d| !d.is_empty()),
            confidential: os.and_then(|o| o.get("securityProfile")).is_some(),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// What a note about a hand-off is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoteKind {
    /// How a value was worked out (the timeout's prediction and margin, assumptions).
    Info,
    /// Something that may make the build fail or run out of time.
    Warning,
    /// Something the tool cannot express that an update after the build sets.
    FollowUp,
    /// Something the tool cannot express and no later update can set: publish this version
    /// another way (`sig-studio export --format arm|az`), or change it.
    Blocker,
}

impl NoteKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Info => "note",
            Self::Warning => "warning",
            Self::FollowUp => "follow-up",
            Self::Blocker => "cannot hand off",
        }
    }
}

/// One note about a hand-off, with the command that carries out a follow-up when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub kind: NoteKind,
    pub text: String,
    /// An `az` command line (bash), for a follow-up.
    pub command: Option<String>,
}

impl Note {
    pub fn info(text: impl Into<String>) -> Self {
        Self {
            kind: NoteKind::Info,
            text: text.into(),
            command: None,
        }
    }

    pub fn warning(text: impl Into<String>) -> Self {
        Self {
            kind: NoteKind::Warning,
            text: text.into(),
            command: None,
        }
    }

    pub fn blocker(text: impl Into<String>) -> Self {
        Self {
            kind: NoteKind::Blocker,
            text: text.into(),
            command: None,
        }
    }

    pub fn follow_up(text: impl Into<String>, command: Option<String>) -> Self {
        Self {
            kind: NoteKind::FollowUp,
            text: text.into(),
            command,
        }
    }
}

/// A version handed to one tool: the text to give it, the timeout in it, and the notes.
#[derive(Clone, Debug, PartialEq)]
pub struct Handoff {
    pub tool: Tool,
    pub text: String,
    /// The predicted replication time (`Err`: why none is known).
    pub predicted_secs: Result<f64, String>,
    /// The publish timeout (Packer) or build timeout (Image Builder) written, in minutes.
    pub timeout_minutes: Option<u32>,
    pub notes: Vec<Note>,
}

impl Handoff {
    pub fn has_blockers(&self) -> bool {
        self.notes.iter().any(|n| n.kind == NoteKind::Blocker)
    }
}

/// `az sig image-version update` for the version, with `extra` arguments, as one bash line.
pub fn update_command(t: &Target<'_>, extra: Vec<Word>) -> String {
    let g = t.gallery;
    let mut words = vec![
        Word::lit("az"),
        Word::lit("sig"),
        Word::lit("image-version"),
        Word::lit("update"),
    ];
    if !g.subscription.is_empty() {
        words.extend([Word::lit("--subscription"), Word::lit(&g.subscription)]);
    }
    let rg = if g.resource_group.is_empty() {
        Word::var("RESOURCE_GROUP")
    } else {
        Word::lit(&g.resource_group)
    };
    words.extend([
        Word::lit("--resource-group"),
        rg,
        Word::lit("--gallery-name"),
        Word::lit(&g.name),
        Word::lit("--gallery-image-definition"),
        Word::lit(&t.definition.name),
        Word::lit("--gallery-image-version"),
        Word::lit(&t.version.name),
    ]);
    words.extend(extra);
    words.iter().map(Word::render).collect::<Vec<_>>().join(" ")
}

/// Follow-ups both tools share: settings neither Packer nor Image Builder writes.
pub fn common_follow_ups(t: &Target<'_>) -> Vec<Note> {
    let v = t.version;
    let mut notes = Vec::new();
    if !v.allow_deletion_of_replicated_locations {
        notes.push(Note::follow_up(
            "Removing replicated regions is to be refused (allowDeletionOfReplicatedLocations false)",
            Some(update_command(
                t,
                vec![
                    Word::lit("--allow-replicated-location-deletion"),
                    Word::lit("false"),
                ],
            )),
        ));
    }
    if v.block_deletion_before_end_of_life {
        notes.push(Note::follow_up(
            "Deletion is to be blocked before the end-of-life date (blockDeletionBeforeEndOfLife)",
            Some(update_command(
                t,
                vec![
                    Word::lit("--block-deletion-before-end-of-life"),
                    Word::lit("true"),
                ],
            )),
        ));
    }
    if v.storage_account_strategy.is_some() {
        notes.push(Note::blocker(
            "The version has a storage account strategy instead of a storage type; neither tool sets one and it cannot be changed after creation",
        ));
    }
    if v.target_regions
        .iter()
        .any(|r| !r.additional_replica_sets.is_empty())
    {
        notes.push(Note::follow_up(
            "Additional replica sets of some regions: deploy them with the ARM template of `sig-studio export --format arm` after the build",
            None,
        ));
    }
    if !v.unmodeled.is_empty() {
        notes.push(Note::info(format!(
            "Properties SIG Studio does not model are not handed off: {}",
            v.unmodeled.keys().collect::<Vec<_>>().join(", ")
        )));
    }
    notes
}

/// Follow-ups for the regions the build wrote (`written`, in its order) and those it left out
/// (`left`): the left ones added with `--add publishingProfile.targetRegions …` (the generic
/// update: `--target-regions` would rebuild the list, dropping the regions' encryption, and az
/// refuses PremiumV2_LRS there), then a region's own exclusion from latest, by its place in the
/// list as it then stands (the written regions first, the added ones after).
pub fn region_follow_ups(
    t: &Target<'_>,
    written: &[&TargetRegion],
    left: &[&TargetRegion],
    why_left: &str,
) -> Vec<Note> {
    let v = t.version;
    let mut notes = Vec::new();
    if !left.is_empty() {
        let names: Vec<&str> = left.iter().map(|r| r.region.name()).collect();
        let text = format!("{}: {why_left}; added after the build", names.join(", "));
        if left.iter().any(|r| !RegionEncryption::of(r).is_empty()) {
            notes.push(Note::follow_up(
                format!("{text}, with their encryption: deploy the ARM template of `sig-studio export --format arm`"),
                None,
            ));
        } else {
            let mut extra = Vec::new();
            for r in left {
                extra.extend([
                    Word::lit("--add"),
                    Word::lit("publishingProfile.targetRegions"),
                    Word::lit(format!("name={}", r.region.name())),
                    Word::lit(format!("regionalReplicaCount={}", v.replica_count(r))),
                    Word::lit(format!(
                        "storageAccountType={}",
                        v.storage_type_in(r).label()
                    )),
                ]);
                if v.excluded_from_latest_in(r) {
                    extra.push(Word::lit("excludeFromLatest=true"));
                }
            }
            notes.push(Note::follow_up(text, Some(update_command(t, extra))));
        }
    }
    for (i, region) in written.iter().enumerate() {
        if let Some(flag) = region.exclude_from_latest
            && flag != v.exclude_from_latest
        {
            notes.push(Note::follow_up(
                format!(
                    "{}: excludeFromLatest {flag} for this region only (the build sets the version's flag)",
                    region.region.name()
                ),
                Some(update_command(
                    t,
                    vec![
                        Word::lit("--set"),
                        Word::lit(format!(
                            "publishingProfile.targetRegions[{i}].excludeFromLatest={flag}"
                        )),
                    ],
                )),
            ));
        }
    }
    notes
}

/// Whether the definition holds specialized images (Packer's `specialized`).
pub fn specialized(d: &ImageDefinition) -> bool {
    d.os_state == OsState::Specialized
}

/// Options of a hand-off.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    pub image_builder: super::image_builder::Options,
    /// What the build publishes, where the caller knows better than the tool's defaults.
    pub build: BuildSource,
}

/// Everything the *Hand off to build…* dialog shows for a version: the Packer and Image
/// Builder texts with their notes, and the pre-flight findings for each tool.
pub struct Prepared {
    pub path: String,
    pub packer: Handoff,
    pub image_builder: Handoff,
    pub packer_preflight: Preflight,
    pub image_builder_preflight: Preflight,
}

/// Prepares the hand-off of the version at `path`.
pub fn prepare(
    ws: &Workspace,
    path: &str,
    options: &Options,
    today: Date,
) -> Result<Prepared, HandoffError> {
    let target = Target::find(ws, path)?;
    let check = |tool| {
        preflight::run(
            ws,
            &target,
            &preflight::Input {
                tool: Some(tool),
                build: options.build,
            },
            today,
        )
    };
    Ok(Prepared {
        path: target.path(),
        packer: super::packer::write(ws, &target, today),
        image_builder: super::image_builder::write(ws, &target, &options.image_builder, today),
        packer_preflight: check(Tool::Packer),
        image_builder_preflight: check(Tool::ImageBuilder),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_margin_rounds_up_and_never_shrinks_the_prediction() {
        assert_eq!(publish_minutes(0.0), 15);
        assert_eq!(publish_minutes(60.0), 20, "1.5 + 15 = 16.5 → 20");
        assert_eq!(publish_minutes(3600.0), 105, "90 + 15");
        for secs in [1.0, 599.0, 7_321.0, 86_400.0] {
            assert!(f64::from(publish_minutes(secs)) * 60.0 >= secs * MARGIN_FACTOR);
        }
    }
}
