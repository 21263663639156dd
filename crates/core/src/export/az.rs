//! The az CLI script: bash with `set -euo pipefail`, one `az` call per resource in dependency
//! order. Every value is a single-quoted literal (`'` written as `'\''`) or a reference to a
//! variable the script requires from the environment, so no name, description or release note
//! can run anything.

use std::collections::BTreeMap;

use super::names::{self, ARCHITECTURES, DISK_TYPES, GENERATIONS, OS_STATES, OS_TYPES};
use super::{ExportError, Scope, Selection, VersionItem, is_object_id};
use crate::access::roles::role_definition_id;
use crate::model::azure::{DiskSource, SharingPermission, SourceRef};
use crate::model::{
    Gallery, Grant, ImageDefinition, ImageVersion, ReplicationMode, Tags, Workspace, azure,
};

/// Part of one shell word: literal text or a variable's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Literal(String),
    Var(String),
}

/// One argument of a command: the concatenation of its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word(pub Vec<Part>);

impl Word {
    pub fn lit(text: impl Into<String>) -> Self {
        Self(vec![Part::Literal(text.into())])
    }

    pub fn var(name: &str) -> Self {
        Self(vec![Part::Var(name.to_owned())])
    }

    /// The value the word has when the variables have these values.
    pub fn value(&self, vars: &BTreeMap<String, String>) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Part::Literal(s) => s.clone(),
                Part::Var(v) => vars.get(v).cloned().unwrap_or_default(),
            })
            .collect()
    }

    /// The word as bash source.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for part in &self.0 {
            match part {
                Part::Literal(s) => out.push_str(&quote(s)),
                Part::Var(v) => out.push_str(&format!("\"${{{v}}}\"")),
            }
        }
        if out.is_empty() { "''".to_owned() } else { out }
    }
}

/// A bash word with exactly this value: bare when it holds only characters bash gives no
/// meaning to, else single-quoted (nothing inside is expanded; `'` is written `'\''`).
pub fn quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./=:@%+,".contains(&b));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// A variable the script needs from the environment, and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Required {
    pub name: String,
    pub what: String,
}

/// The script's content before rendering: required variables, notes, and `az` calls.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    pub required: Vec<Required>,
    /// What the script cannot express (the ARM template does), printed when it runs.
    pub notes: Vec<String>,
    /// Each command's arguments after `az`.
    pub commands: Vec<Vec<Word>>,
    /// Comment lines, each written before the command of its index (or at the end).
    pub comments: Vec<(usize, String)>,
    /// What the script does, in comment lines (the export's text when `None`).
    pub header: Option<String>,
}

const EXPORT_HEADER: &str = "Written by `sig-studio export --format az`: creates the galleries, image definitions,\nimage versions and role assignments of a workspace, parents first.";

/// A comment line that stays one comment whatever the text holds: control characters
/// (newlines above all, which would end the comment and start a command) become spaces.
pub fn comment(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("# {clean}\n")
}

/// The script of a scope, as bash source.
pub fn to_string(ws: &Workspace, scope: &Scope) -> Result<String, ExportError> {
    Ok(render(&script(ws, scope)?))
}

/// Renders a script.
pub fn render(script: &Script) -> String {
    let mut out = String::from("#!/usr/bin/env bash\n");
    for line in script.header.as_deref().unwrap_or(EXPORT_HEADER).lines() {
        out.push_str(&comment(line));
    }
    out.push_str(
        "# Every value is a single-quoted literal on purpose: nothing in a name or text is\n# expanded (hence SC2016).\n# shellcheck disable=SC2016\nset -euo pipefail\n\n",
    );
    if !script.required.is_empty() {
        out.push_str(
            "require() {\n    if [ -z \"${!1:-}\" ]; then\n        printf 'set %s to %s\\n' \"$1\" \"$2\" >&2\n        exit 2\n    fi\n}\n",
        );
        for r in &script.required {
            out.push_str(&format!("require {} {}\n", r.name, quote(&r.what)));
        }
        out.push('\n');
    }
    for note in &script.notes {
        out.push_str(&format!("printf 'note: %s\\n' {} >&2\n", quote(note)));
    }
    if !script.notes.is_empty() {
        out.push('\n');
    }
    let mut comments = script.comments.iter().peekable();
    for (index, command) in script.commands.iter().enumerate() {
        while let Some((_, text)) = comments.next_if(|(at, _)| *at <= index) {
            out.push_str(&comment(text));
        }
        // One line per option and its values.
        out.push_str("az");
        for word in command {
            let is_option = matches!(word.0.as_slice(), [Part::Literal(s)] if s.starts_with("--"));
            out.push_str(if is_option { " \\\n    " } else { " " });
            out.push_str(&word.render());
        }
        out.push_str("\n\n");
    }
    for (_, text) in comments {
        out.push_str(&comment(text));
    }
    out
}

struct Builder<'w> {
    selection: Selection<'w>,
    script: Script,
    principals: BTreeMap<String, String>,
    images: BTreeMap<String, String>,
    /// Names of `script.required`, to ask for each once in constant time.
    required: std::collections::HashSet<String>,
}

/// Writes chosen resources' commands one at a time, in the caller's order (the plan's
/// script), sharing one script's variables.
pub struct Writer<'w> {
    b: Builder<'w>,
}

impl<'w> Writer<'w> {
    pub fn new(ws: &'w Workspace) -> Self {
        Self {
            b: Builder {
                selection: Selection::empty(ws),
                script: Script::default(),
                principals: BTreeMap::new(),
                images: BTreeMap::new(),
                required: Default::default(),
            },
        }
    }

    /// The workspace the next resources come from (BEFORE for deletes, AFTER for the rest).
    pub fn use_workspace(&mut self, ws: &'w Workspace) {
        self.b.selection.use_workspace(ws);
    }

    pub fn header(&mut self, text: impl Into<String>) {
        self.b.script.header = Some(text.into());
    }

    pub fn comment(&mut self, text: impl Into<String>) {
        let at = self.b.script.commands.len();
        self.b.script.comments.push((at, text.into()));
    }

    pub fn command(&mut self, words: Vec<Word>) {
        self.b.script.commands.push(words);
    }

    /// `--resource-group RG [--subscription SUB] --gallery-name G`.
    pub fn gallery_args(&mut self, g: &Gallery) -> Vec<Word> {
        self.b.gallery_args(g)
    }

    pub fn create_gallery(&mut self, g: &Gallery) {
        self.b.gallery(g);
    }

    pub fn create_definition(&mut self, g: &Gallery, d: &ImageDefinition) {
        self.b.definition(g, d);
    }

    pub fn create_version(&mut self, g: &'w Gallery, d: &'w ImageDefinition, v: &'w ImageVersion) {
        self.b.version(&VersionItem {
            gallery: g,
            definition: d,
            version: v,
        });
    }

    pub fn create_grant(&mut self, grant: &Grant) {
        self.b.grant(grant);
    }

    /// The assignee, role and scope of a role assignment, as `az role assignment` takes them;
    /// `None` when its gallery is unknown.
    pub fn grant_target(&mut self, grant: &Grant) -> Option<(Word, Word, Word)> {
        self.b.grant_target(grant)
    }

    /// A version's `--target-regions` values: `region=replicas=storage` each.
    pub fn target_regions(v: &ImageVersion) -> Vec<Word> {
        v.target_regions
            .iter()
            .map(|t| {
                Word::lit(format!(
                    "{}={}={}",
                    t.region.name(),
                    v.replica_count(t),
                    v.storage_type_in(t).label()
                ))
            })
            .collect()
    }

    pub fn finish(self) -> Script {
        self.b.script
    }
}

/// The script of a scope, before rendering.
pub fn script(ws: &Workspace, scope: &Scope) -> Result<Script, ExportError> {
    let selection = Selection::new(ws, scope)?;
    let mut b = Builder {
        selection,
        script: Script::default(),
        principals: BTreeMap::new(),
        images: BTreeMap::new(),
        required: Default::default(),
    };
    let galleries = b.selection.galleries.clone();
    for gallery in &galleries {
        b.gallery(gallery);
    }
    let definitions = b.selection.definitions.clone();
    for (gallery, definition) in &definitions {
        b.definition(gallery, definition);
    }
    let versions: Vec<VersionItem<'_>> = b
        .selection
        .versions
        .iter()
        .map(|v| VersionItem {
            gallery: v.gallery,
            definition: v.definition,
            version: v.version,
        })
        .collect();
    for item in &versions {
        b.version(item);
    }
    let grants = b.selection.grants.clone();
    for grant in grants {
        b.grant(grant);
    }
    Ok(b.script)
}

fn args(list: &[&str]) -> Vec<Word> {
    list.iter().map(|a| Word::lit(*a)).collect()
}

fn tags(cmd: &mut Vec<Word>, tags: &Tags) {
    if !tags.is_empty() {
        cmd.push(Word::lit("--tags"));
        cmd.extend(tags.iter().map(|(k, v)| Word::lit(format!("{k}={v}"))));
    }
}

impl Builder<'_> {
    fn require(&mut self, name: &str, what: String) -> Word {
        if self.required.insert(name.to_owned()) {
            self.script.required.push(Required {
                name: name.to_owned(),
                what,
            });
        }
        Word::var(name)
    }

    /// `--resource-group RG [--subscription SUB]` of a gallery.
    fn location_args(&mut self, gallery: &Gallery) -> Vec<Word> {
        let rg = if gallery.resource_group.is_empty() {
            self.require(
                "RESOURCE_GROUP",
                "the resource group of the galleries whose resource group the workspace does not know".to_owned(),
            )
        } else {
            Word::lit(&gallery.resource_group)
        };
        let mut out = vec![Word::lit("--resource-group"), rg];
        if !gallery.subscription.is_empty() {
            out.push(Word::lit("--subscription"));
            out.push(Word::lit(&gallery.subscription));
        }
        out
    }

    /// `--resource-group RG [--subscription SUB] --gallery-name G`: where every gallery,
    /// definition and version command points.
    fn gallery_args(&mut self, g: &Gallery) -> Vec<Word> {
        let mut out = self.location_args(g);
        out.extend([Word::lit("--gallery-name"), Word::lit(&g.name)]);
        out
    }

    fn note(&mut self, path: &str, what: &str) {
        self.script.notes.push(format!(
            "{path}: {what} cannot be set by this script; export the ARM template (--format arm) to keep it"
        ));
    }

    fn gallery(&mut self, g: &Gallery) {
        let mut cmd = args(&["sig", "create"]);
        cmd.extend(self.gallery_args(g));
        cmd.extend([
            Word::lit("--location"),
            Word::lit(g.region.name()),
            Word::lit("--description"),
            Word::lit(&g.description),
        ]);
        if g.soft_delete {
            cmd.extend(args(&["--soft-delete", "true"]));
        }
        let sharing = &g.sharing;
        if sharing.permission != SharingPermission::Private {
            cmd.push(Word::lit("--permissions"));
            cmd.push(Word::lit(sharing.permission.name()));
        }
        if let Some(info) = &sharing.community {
            for (flag, value) in [
                ("--publisher-uri", &info.publisher_uri),
                ("--publisher-email", &info.publisher_contact),
                ("--eula", &info.eula),
                ("--public-name-prefix", &info.public_name_prefix),
            ] {
                if !value.is_empty() {
                    cmd.push(Word::lit(flag));
                    cmd.push(Word::lit(value));
                }
            }
        }
        tags(&mut cmd, &g.tags);
        self.script.commands.push(cmd);
        if !g.unmodeled.is_empty() {
            self.note(&g.name, "properties SIG Studio does not model");
        }
        if !sharing.subscriptions.is_empty() || !sharing.tenants.is_empty() {
            let mut share = args(&["sig", "share", "add"]);
            share.extend(self.gallery_args(g));
            if !sharing.subscriptions.is_empty() {
                share.push(Word::lit("--subscription-ids"));
                share.extend(sharing.subscriptions.iter().map(Word::lit));
            }
            if !sharing.tenants.is_empty() {
                share.push(Word::lit("--tenant-ids"));
                share.extend(sharing.tenants.iter().map(Word::lit));
            }
            self.script.commands.push(share);
        }
    }

    fn definition(&mut self, g: &Gallery, d: &ImageDefinition) {
        let mut cmd = args(&["sig", "image-definition", "create"]);
        cmd.extend(self.gallery_args(g));
        cmd.extend([
            Word::lit("--gallery-image-definition"),
            Word::lit(&d.name),
            Word::lit("--location"),
            Word::lit(g.region.name()),
            Word::lit("--publisher"),
            Word::lit(&d.publisher),
            Word::lit("--offer"),
            Word::lit(&d.offer),
            Word::lit("--sku"),
            Word::lit(&d.sku),
            Word::lit("--os-type"),
            Word::lit(names::name(&OS_TYPES, d.os_type)),
            Word::lit("--os-state"),
            Word::lit(names::name(&OS_STATES, d.os_state)),
            Word::lit("--hyper-v-generation"),
            Word::lit(names::name(&GENERATIONS, d.generation)),
            Word::lit("--architecture"),
            Word::lit(names::name(&ARCHITECTURES, d.architecture)),
        ]);
        for (flag, value) in [
            ("--description", &d.description),
            ("--eula", &d.eula),
            ("--privacy-statement-uri", &d.privacy_uri),
            ("--release-note-uri", &d.release_note_uri),
        ] {
            if !value.is_empty() {
                cmd.push(Word::lit(flag));
                cmd.push(Word::lit(value));
            }
        }
        if let Some(date) = d.end_of_life {
            cmd.push(Word::lit("--end-of-life-date"));
            cmd.push(Word::lit(date.to_string()));
        }
        for (flag, value) in [
            ("--minimum-cpu-core", d.vcpus_min),
            ("--maximum-cpu-core", d.vcpus_max),
            ("--minimum-memory", d.memory_gb_min),
            ("--maximum-memory", d.memory_gb_max),
        ] {
            if let Some(value) = value {
                cmd.push(Word::lit(flag));
                cmd.push(Word::lit(value.to_string()));
            }
        }
        if !d.disallowed_disk_types.is_empty() {
            cmd.push(Word::lit("--disallowed-disk-types"));
            cmd.extend(
                d.disallowed_disk_types
                    .iter()
                    .map(|t| Word::lit(names::name(&DISK_TYPES, *t))),
            );
        }
        if let Some(plan) = &d.purchase_plan {
            for (flag, value) in [
                ("--plan-name", &plan.name),
                ("--plan-product", &plan.product),
                ("--plan-publisher", &plan.publisher),
            ] {
                cmd.push(Word::lit(flag));
                cmd.push(Word::lit(value));
            }
        }
        if !d.features.is_empty() {
            let features: Vec<String> = d
                .features
                .iter()
                .map(|f| format!("{}={}", f.name, f.value))
                .collect();
            cmd.push(Word::lit("--features"));
            cmd.push(Word::lit(features.join(" ")));
        }
        tags(&mut cmd, &d.tags);
        self.script.commands.push(cmd);
        let path = format!("{}/{}", g.name, d.name);
        if d.allow_update_image.is_some() {
            self.note(&path, "allowUpdateImage");
        }
        if d.features.iter().any(|f| !f.starts_at_version.is_empty()) {
            self.note(&path, "a feature's startsAtVersion");
        }
        if !d.unmodeled.is_empty() {
            self.note(&path, "properties SIG Studio does not model");
        }
    }

    fn version(&mut self, item: &VersionItem<'_>) {
        let (g, d, v) = (item.gallery, item.definition, item.version);
        let path = format!("{}/{}/{}", g.name, d.name, v.name);
        let mut cmd = args(&["sig", "image-version", "create"]);
        cmd.extend(self.gallery_args(g));
        cmd.extend([
            Word::lit("--gallery-image-definition"),
            Word::lit(&d.name),
            Word::lit("--gallery-image-version"),
            Word::lit(&v.name),
            Word::lit("--location"),
            Word::lit(g.region.name()),
        ]);
        if !v.target_regions.is_empty() {
            cmd.push(Word::lit("--target-regions"));
            // Always region=replicas=storage: what the region gets, whatever the defaults.
            cmd.extend(Writer::target_regions(v));
        }
        cmd.extend([
            Word::lit("--replica-count"),
            Word::lit(v.default_replica_count.to_string()),
            Word::lit("--storage-account-type"),
            Word::lit(v.storage_type.label()),
        ]);
        if v.exclude_from_latest {
            cmd.extend(args(&["--exclude-from-latest", "true"]));
        }
        if let Some(date) = v.end_of_life {
            cmd.push(Word::lit("--end-of-life-date"));
            cmd.push(Word::lit(date.to_string()));
        }
        if v.replication_mode == ReplicationMode::Shallow {
            cmd.extend(args(&["--replication-mode", "Shallow"]));
        }
        if !v.allow_deletion_of_replicated_locations {
            cmd.extend(args(&["--allow-replicated-location-deletion", "false"]));
        }
        if !v.source.is_empty() {
            let n = self.images.len() + 1;
            let var = self
                .images
                .entry(v.source.clone())
                .or_insert_with(|| format!("MANAGED_IMAGE_ID_{n}"))
                .clone();
            let word = self.require(
                &var,
                format!("the ARM id of the managed image \"{}\"", v.source),
            );
            cmd.push(Word::lit("--managed-image"));
            cmd.push(word);
        } else if let Some(azure) = &v.azure_source {
            self.azure_source(&mut cmd, &path, azure);
        }
        tags(&mut cmd, &v.tags);
        self.script.commands.push(cmd);
        if v.block_deletion_before_end_of_life {
            self.note(&path, "blockDeletionBeforeEndOfLife");
        }
        if v.storage_account_strategy.is_some() {
            self.note(&path, "storageAccountStrategy");
        }
        if v.target_regions.iter().any(|t| {
            !t.additional_replica_sets.is_empty()
                || t.exclude_from_latest.is_some()
                || !t.unmodeled.is_empty()
        }) {
            self.note(
                &path,
                "a target region's additional replica sets, excludeFromLatest or encryption",
            );
        }
        if !v.unmodeled.is_empty() {
            self.note(&path, "properties SIG Studio does not model");
        }
    }

    fn azure_source(&mut self, cmd: &mut Vec<Word>, path: &str, azure: &azure::AzureSource) {
        match &azure.whole {
            Some(SourceRef::VirtualMachine(id)) => {
                cmd.push(Word::lit("--virtual-machine"));
                cmd.push(Word::lit(id));
            }
            Some(SourceRef::GalleryImageVersion(id)) => {
                cmd.push(Word::lit("--image-version"));
                cmd.push(Word::lit(id));
            }
            Some(SourceRef::ManagedImage(id)) | Some(SourceRef::Other(id)) => {
                cmd.push(Word::lit("--managed-image"));
                cmd.push(Word::lit(id));
            }
            Some(SourceRef::CommunityGalleryImage(_)) => {
                self.note(path, "a community gallery image source")
            }
            None => {}
        }
        match azure.os_disk.as_ref().and_then(|d| d.source.as_ref()) {
            Some(DiskSource::Vhd {
                uri,
                storage_account_id,
            }) => {
                cmd.push(Word::lit("--os-vhd-uri"));
                cmd.push(Word::lit(uri));
                if !storage_account_id.is_empty() {
                    cmd.push(Word::lit("--os-vhd-storage-account"));
                    cmd.push(Word::lit(storage_account_id));
                }
            }
            Some(
                DiskSource::Snapshot(id) | DiskSource::ManagedDisk(id) | DiskSource::Other(id),
            ) => {
                cmd.push(Word::lit("--os-snapshot"));
                cmd.push(Word::lit(id));
            }
            None => {}
        }
        let data: Vec<(u32, &str)> = azure
            .data_disks
            .iter()
            .filter_map(|d| match &d.source {
                Some(
                    DiskSource::Snapshot(id) | DiskSource::ManagedDisk(id) | DiskSource::Other(id),
                ) => Some((d.lun.unwrap_or_default(), id.as_str())),
                _ => None,
            })
            .collect();
        if !data.is_empty() {
            cmd.push(Word::lit("--data-snapshots"));
            cmd.extend(data.iter().map(|(_, id)| Word::lit(*id)));
            cmd.push(Word::lit("--data-snapshot-luns"));
            cmd.extend(data.iter().map(|(lun, _)| Word::lit(lun.to_string())));
        }
        if azure
            .data_disks
            .iter()
            .any(|d| matches!(d.source, Some(DiskSource::Vhd { .. })))
        {
            self.note(path, "a data disk from a VHD");
        }
    }

    fn grant(&mut self, grant: &Grant) {
        let Some((assignee, role, scope)) = self.grant_target(grant) else {
            return;
        };
        let mut cmd = args(&["role", "assignment", "create"]);
        cmd.extend([Word::lit("--assignee-object-id"), assignee]);
        if let Some(p) = self.selection.principal(&grant.principal) {
            cmd.push(Word::lit("--assignee-principal-type"));
            cmd.push(Word::lit(names::name(&names::PRINCIPAL_TYPES, p.kind)));
        }
        cmd.extend([Word::lit("--role"), role, Word::lit("--scope"), scope]);
        self.script.commands.push(cmd);
    }

    fn grant_target(&mut self, grant: &Grant) -> Option<(Word, Word, Word)> {
        let gallery = self.selection.gallery_of(&grant.scope)?;
        let assignee = if is_object_id(&grant.principal) {
            Word::lit(&grant.principal)
        } else {
            let n = self.principals.len() + 1;
            let var = self
                .principals
                .entry(grant.principal.clone())
                .or_insert_with(|| format!("PRINCIPAL_OBJECT_ID_{n}"))
                .clone();
            let kind = self
                .selection
                .principal(&grant.principal)
                .map_or("principal", |p| {
                    names::name(&names::PRINCIPAL_TYPES, p.kind)
                });
            self.require(
                &var,
                format!(
                    "the object id (in Entra ID) of {kind} \"{}\"",
                    grant.principal
                ),
            )
        };
        let role = Word::lit(role_definition_id(grant.role));
        let mut scope = Vec::new();
        if gallery.subscription.is_empty() {
            scope.push(Part::Literal("/subscriptions/".to_owned()));
            let sub = self.require(
                "SUBSCRIPTION_ID",
                "the subscription of the galleries whose subscription the workspace does not know"
                    .to_owned(),
            );
            scope.extend(sub.0);
        } else {
            scope.push(Part::Literal(format!(
                "/subscriptions/{}",
                gallery.subscription
            )));
        }
        scope.push(Part::Literal("/resourceGroups/".to_owned()));
        if gallery.resource_group.is_empty() {
            let rg = self.require(
                "RESOURCE_GROUP",
                "the resource group of the galleries whose resource group the workspace does not know".to_owned(),
            );
            scope.extend(rg.0);
        } else {
            scope.push(Part::Literal(gallery.resource_group.clone()));
        }
        let parts: Vec<&str> = grant.scope.split('/').collect();
        let mut rest = String::from("/providers/Microsoft.Compute/galleries/");
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                rest.push_str(["", "/images/", "/versions/"][i.min(2)]);
            }
            rest.push_str(part);
        }
        scope.push(Part::Literal(rest));
        Some((assignee, role, Word(scope)))
    }
}
