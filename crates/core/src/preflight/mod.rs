//! Pre-flight: every reason publishing a planned version from an image build would fail, found
//! before a one- or two-hour build runs into it at the very end. Each finding says what is wrong
//! in SIG Studio's words and, where the service (or the build tool) has words for it, quotes
//! them with where they come from.
//!
//! The workspace's own rules ([`crate::model::validate`]) are reused as they are, never copied:
//! their problems on the version (and errors on its definition) become findings, with the
//! service's text added where a rule has one. What only matters for a build is checked here:
//! the build's generation, security type and source kind against the definition
//! ([`security`]), regions open only on request, shallow replication's limits, a version number
//! that already exists, the per-region quota after this version, an end-of-life date that is not
//! in the future, and what the chosen tool cannot express.

mod security;

use crate::export::handoff::{BuildSource, HandoffError, NoteKind, Target, Tool};
use crate::model::rules::{
    MAX_DEFINITIONS_PER_REGION, MAX_GALLERIES_PER_REGION, MAX_REPLICAS, MAX_VERSIONS_PER_REGION,
    ZRS_NOT_SUPPORTED, check_replica_count,
};
use crate::model::{
    Date, Presence, Problem, Region, ReplicationMode, ResourcePath, Severity, Workspace,
};

/// Microsoft docs, "Troubleshoot shared images" (troubleshooting-shared-images.md): the
/// service's error texts.
pub const SOURCE_TROUBLESHOOTING: &str = "Microsoft docs, Troubleshoot shared images";
/// packer-plugin-azure's configuration checks (builder/azure/arm/config.go).
pub const SOURCE_PACKER_CONFIG: &str = "packer-plugin-azure, builder/azure/arm/config.go";
/// packer-plugin-azure's checks before the build (builder/azure/arm/builder.go).
pub const SOURCE_PACKER_BUILDER: &str = "packer-plugin-azure, builder/azure/arm/builder.go";
/// Microsoft docs, "Store and share images in an Azure Compute Gallery": the quotas.
pub const SOURCE_GALLERY_DOCS: &str =
    "Microsoft docs, Store and share images in an Azure Compute Gallery";
/// Microsoft docs, "Create an Azure Image Builder Bicep or ARM template JSON template"
/// (image-builder-json.md).
pub const SOURCE_IMAGE_BUILDER_DOCS: &str =
    "Microsoft docs, Azure Image Builder template reference";

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Check {
    /// A rule of the workspace's validation.
    Rule,
    Generation,
    SecurityType,
    SourceKind,
    Zrs,
    AccessRequest,
    Shallow,
    Exists,
    ReplicaCount,
    Quota,
    EndOfLife,
    /// What the chosen build tool cannot do (its hand-off's blockers and warnings).
    Tool,
}

impl Check {
    pub fn label(self) -> &'static str {
        match self {
            Self::Rule => "rule",
            Self::Generation => "generation",
            Self::SecurityType => "security type",
            Self::SourceKind => "source",
            Self::Zrs => "zone-redundant storage",
            Self::AccessRequest => "access request",
            Self::Shallow => "shallow replication",
            Self::Exists => "version exists",
            Self::ReplicaCount => "replica count",
            Self::Quota => "quota",
            Self::EndOfLife => "end of life",
            Self::Tool => "build tool",
        }
    }
}

/// One reason the publish would fail (`Error`) or might (`Warning`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub check: Check,
    pub severity: Severity,
    /// The target region the finding is about, when it is one.
    pub region: Option<Region>,
    pub message: String,
    /// The service's (or the build tool's) own words for it.
    pub service_text: Option<String>,
    /// Where those words come from.
    pub source: Option<&'static str>,
}

impl Finding {
    fn new(check: Check, severity: Severity, message: impl Into<String>) -> Self {
        Self {
            check,
            severity,
            region: None,
            message: message.into(),
            service_text: None,
            source: None,
        }
    }

    fn error(check: Check, message: impl Into<String>) -> Self {
        Self::new(check, Severity::Error, message)
    }

    fn warning(check: Check, message: impl Into<String>) -> Self {
        Self::new(check, Severity::Warning, message)
    }

    fn quoting(mut self, text: impl Into<String>, source: &'static str) -> Self {
        self.service_text = Some(text.into());
        self.source = Some(source);
        self
    }

    fn in_region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }
}

/// What the pre-flight checks against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Input {
    /// The build tool; its hand-off's defaults fill what `build` leaves unknown, and what it
    /// cannot express becomes findings. `None`: checks every tool shares.
    pub tool: Option<Tool>,
    /// What the build publishes, as far as the caller knows it.
    pub build: BuildSource,
}

/// The overall answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Clean,
    Warnings,
    WouldFail,
}

/// The findings of one version, and what could not be checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preflight {
    pub path: String,
    pub tool: Option<Tool>,
    pub findings: Vec<Finding>,
    /// Preconditions and checks that could not run (they change nothing in the verdict).
    pub notes: Vec<String>,
}

impl Preflight {
    pub fn verdict(&self) -> Verdict {
        self.findings
            .iter()
            .map(|f| match f.severity {
                Severity::Error => Verdict::WouldFail,
                Severity::Warning => Verdict::Warnings,
            })
            .max()
            .unwrap_or(Verdict::Clean)
    }
}

/// The pre-flight of the version at `GALLERY/DEFINITION/VERSION`.
pub fn check(
    ws: &Workspace,
    path: &str,
    input: &Input,
    today: Date,
) -> Result<Preflight, HandoffError> {
    let target = Target::find(ws, path)?;
    Ok(run(ws, &target, input, today))
}

/// The pre-flight of a version.
pub fn run(ws: &Workspace, t: &Target<'_>, input: &Input, today: Date) -> Preflight {
    let mut findings = rule_findings(ws, t, today);
    let mut notes = parent_notes(ws, t);
    let (more, unchecked) = security::findings(t, input);
    findings.extend(more);
    notes.extend(unchecked);
    findings.extend(region_findings(ws, t));
    findings.extend(exists(ws, t));
    findings.extend(quota(ws, t));
    if let Some(eol) = t.version.end_of_life
        && eol <= today
    {
        findings.push(
            Finding::error(
                Check::EndOfLife,
                format!("The end-of-life date {eol} is not in the future: a new version's must be"),
            )
            .quoting(
                "EndOfLifeDate must be set to a future date.",
                SOURCE_TROUBLESHOOTING,
            ),
        );
    }
    if let Some(tool) = input.tool {
        findings.extend(tool_findings(ws, t, tool, today));
    }
    findings.sort_by_key(|f| f.severity);
    Preflight {
        path: t.path(),
        tool: input.tool,
        findings,
        notes,
    }
}

/// The replica messages the rules write for the version, by the text they end with.
fn replica_errors(ws: &Workspace, t: &Target<'_>) -> Vec<(String, Option<Region>, u32)> {
    let v = t.version;
    let warn = ws.settings.replica_warning_above;
    let mut out = Vec::new();
    if let Some((Severity::Error, message)) = check_replica_count(v.default_replica_count, warn) {
        out.push((format!("Default: {message}"), None, v.default_replica_count));
    }
    for r in &v.target_regions {
        if let Some(count) = r.replicas
            && let Some((Severity::Error, message)) = check_replica_count(count, warn)
        {
            out.push((format!("{}: {message}", r.region), Some(r.region), count));
        }
    }
    out
}

/// The workspace's rules on the version (and errors on its definition), as findings.
fn rule_findings(ws: &Workspace, t: &Target<'_>, today: Date) -> Vec<Finding> {
    let (g, d, v) = (&t.gallery.name, &t.definition.name, &t.version.name);
    let vpath = ResourcePath::version(g, d, v);
    let dpath = ResourcePath::definition(g, d);
    let replicas = replica_errors(ws, t);
    let mut findings = Vec::new();
    for p in crate::model::validate(ws, today) {
        if p.path == dpath && p.severity == Severity::Error {
            findings.push(Finding::error(
                Check::Rule,
                format!("Image definition {d}: {}", p.message),
            ));
        }
        if p.path != vpath || p.field == Some("end_of_life") {
            continue;
        }
        if let Some((_, region, count)) = replicas.iter().find(|(m, ..)| *m == p.message) {
            findings.push(replica_finding(&p, *region, *count));
        } else if p.message.contains(ZRS_NOT_SUPPORTED) {
            let mut f = Finding::error(Check::Zrs, p.message)
                .quoting(format!("{ZRS_NOT_SUPPORTED}."), SOURCE_TROUBLESHOOTING);
            f.region = p.region;
            findings.push(f);
        } else {
            let mut f = Finding::new(Check::Rule, p.severity, p.message);
            f.region = p.region;
            findings.push(f);
        }
    }
    findings
}

fn replica_finding(p: &Problem, region: Option<Region>, count: u32) -> Finding {
    let property = match region {
        Some(_) => "regionalReplicaCount",
        None => "replicaCount",
    };
    let mut f = Finding::error(
        Check::ReplicaCount,
        format!(
            "{} (Packer would silently publish {} instead)",
            p.message,
            count.clamp(1, MAX_REPLICAS)
        ),
    )
    .quoting(
        format!(
            "The value {count} of parameter {property} is out of range. The value must be between 1 and {MAX_REPLICAS}, inclusive"
        ),
        SOURCE_TROUBLESHOOTING,
    );
    f.region = region;
    f
}

/// Preconditions: the definition and gallery must exist before the build publishes into them.
fn parent_notes(ws: &Workspace, t: &Target<'_>) -> Vec<String> {
    let mut notes = Vec::new();
    let (g, d) = (&t.gallery.name, &t.definition.name);
    if ws.presence_of(g, None, None) == Presence::Planned
        || ws.presence_of(g, Some(d), None) == Presence::Planned
    {
        notes.push(format!(
            "The image definition {}/{} is planned, not known in Azure: deploy it before the build (`sig-studio plan`, or `sig-studio export --format arm --scope {}/{}`). Packer stops otherwise with: failed to get image \"{}\" from image gallery \"{}\" in resource group … ({SOURCE_PACKER_BUILDER}).",
            t.gallery.name,
            t.definition.name,
            t.gallery.name,
            t.definition.name,
            t.definition.name,
            t.gallery.name
        ));
    }
    notes
}

/// Regions open only on request, and shallow replication's limits.
fn region_findings(ws: &Workspace, t: &Target<'_>) -> Vec<Finding> {
    let v = t.version;
    let mut findings = Vec::new();
    for r in v.target_regions.iter().filter(|r| r.region.on_request()) {
        findings.push(
            Finding::warning(
                Check::AccessRequest,
                format!(
                    "{} is open only on request: the publish fails unless the subscription's access request for it was approved",
                    r.region.display_name()
                ),
            )
            .quoting(
                format!(
                    "The provided location {} is not available for resource type 'Microsoft.Compute/galleries'. List of available regions for the resource type is …",
                    r.region.name()
                ),
                SOURCE_TROUBLESHOOTING,
            )
            .in_region(r.region),
        );
    }
    if v.replication_mode != ReplicationMode::Shallow {
        return findings;
    }
    let build = t.build_region(ws);
    let elsewhere: Vec<&str> = v
        .target_regions
        .iter()
        .filter(|r| r.region != build)
        .map(|r| r.region.name())
        .collect();
    if !elsewhere.is_empty() {
        findings.push(
            Finding::error(
                Check::Shallow,
                format!(
                    "Shallow replication publishes only in the build region {}; the version also lists {}",
                    build.name(),
                    elsewhere.join(", ")
                ),
            )
            .quoting(
                "when `use_shallow_replication` there can only be one destination region set matching the build location of the Shared Image Gallery.",
                SOURCE_PACKER_CONFIG,
            ),
        );
    }
    for r in v.target_regions.iter().filter(|r| v.replica_count(r) > 1) {
        findings.push(
            Finding::error(
                Check::Shallow,
                format!(
                    "{}: {} replicas; shallow replication makes exactly one",
                    r.region.name(),
                    v.replica_count(r)
                ),
            )
            .quoting(
                "When using shallow replication the replica count can only be 1, leaving this value unset will default to 1",
                SOURCE_PACKER_CONFIG,
            )
            .in_region(r.region),
        );
    }
    findings
}

/// A version number that exists in Azure as last seen: read from Azure, or known by reference.
fn exists(ws: &Workspace, t: &Target<'_>) -> Option<Finding> {
    let (g, d, v) = (&t.gallery.name, &t.definition.name, &t.version.name);
    match ws.presence_of(g, Some(d), Some(v)) {
        Presence::Planned => None,
        presence => Some(
            Finding::error(
                Check::Exists,
                format!(
                    "Version {v} of {g}/{d} already exists in Azure ({}): a build cannot create it again; give the planned version a new number",
                    presence.label()
                ),
            )
            .quoting(
                format!(
                    "a gallery image version for image name:version {d}:{v} already exists in gallery {g}, use a different gallery image version or use the -force option to automatically delete it."
                ),
                SOURCE_PACKER_BUILDER,
            ),
        ),
    }
}

/// The subscription's galleries, definitions and versions in the gallery's region, with this
/// version counted, against the quotas.
fn quota(ws: &Workspace, t: &Target<'_>) -> Vec<Finding> {
    let region = t.gallery.region;
    let subscription = &t.gallery.subscription;
    let galleries: Vec<_> = ws
        .galleries
        .iter()
        .filter(|g| g.region == region && &g.subscription == subscription)
        .collect();
    let definitions = galleries.iter().map(|g| g.definitions.len()).sum::<usize>();
    let versions = galleries
        .iter()
        .flat_map(|g| &g.definitions)
        .map(|d| d.versions.len())
        .sum::<usize>();
    let mut findings = Vec::new();
    for (count, max, what) in [
        (galleries.len(), MAX_GALLERIES_PER_REGION, "galleries"),
        (definitions, MAX_DEFINITIONS_PER_REGION, "image definitions"),
        (versions, MAX_VERSIONS_PER_REGION, "image versions"),
    ] {
        let message = format!(
            "{count} {what} in {} with this version{}: the quota is {max} per subscription per region",
            region.name(),
            if subscription.is_empty() {
                String::new()
            } else {
                format!(" in subscription {subscription}")
            }
        );
        if count > max {
            findings.push(Finding::error(Check::Quota, message).quoting(
                format!("{max} {what} per subscription per region"),
                SOURCE_GALLERY_DOCS,
            ));
        } else if count == max {
            findings.push(Finding::warning(
                Check::Quota,
                format!("{message} (this takes the last one)"),
            ));
        }
    }
    findings
}

/// What the chosen tool cannot express, from its hand-off, and its own requirements.
fn tool_findings(ws: &Workspace, t: &Target<'_>, tool: Tool, today: Date) -> Vec<Finding> {
    let handoff = match tool {
        Tool::Packer => crate::export::packer::write(ws, t, today),
        Tool::ImageBuilder => crate::export::image_builder::write(
            ws,
            t,
            &crate::export::image_builder::Options::default(),
            today,
        ),
    };
    let mut findings: Vec<Finding> = handoff
        .notes
        .iter()
        .filter_map(|n| match n.kind {
            NoteKind::Blocker => Some(Finding::error(Check::Tool, &n.text)),
            NoteKind::Warning => Some(Finding::warning(Check::Tool, &n.text)),
            NoteKind::Info | NoteKind::FollowUp => None,
        })
        .collect();
    if tool == Tool::ImageBuilder && t.version.target(t.gallery.region).is_none() {
        findings.push(
            Finding::error(
                Check::Tool,
                format!(
                    "Image Builder creates the version in the gallery's region {}, which is not one of its target regions",
                    t.gallery.region.name()
                ),
            )
            .quoting(
                "One of the regions must be the region where the Gallery is deployed.",
                SOURCE_IMAGE_BUILDER_DOCS,
            ),
        );
    }
    findings
}
