//! The az commands of each resource, shared by the export's script and the plan's: `az sig`
//! flags when every value is plain and the command sends exactly the resource's ARM body,
//! else the body itself through `az resource create --is-full-object` (see `az_resource`).

use std::collections::{BTreeMap, HashSet};

use serde_json::{Value, json};

use super::az::{Required, Script, Subject, Word};
use super::az_resource::{json_word, plain, plain_id, plain_tag, token_for};
use super::body::{self, date_time, version_location};
use super::names::{self, ARCHITECTURES, DISK_TYPES, GENERATIONS, OS_STATES, OS_TYPES};
use super::{API_VERSION, ExportError, VersionItem, is_object_id};
use crate::model::azure::{DiskSource, SECURITY_TYPE, SharingPermission, SourceRef};
use crate::model::{Gallery, ImageDefinition, ImageVersion, StorageType, Tags, Workspace};

/// Writes resources' commands one at a time, in the caller's order, sharing one script's
/// variables.
pub struct Writer<'w> {
    pub(super) ws: &'w Workspace,
    script: Script,
    pub(super) principals: BTreeMap<String, String>,
    images: BTreeMap<String, String>,
    /// Names of `script.required`, to ask for each once in constant time.
    required: HashSet<String>,
    pub(super) by_name: super::az_assign::PrincipalNames<'w>,
}

pub(super) fn words(list: &[&str]) -> Vec<Word> {
    list.iter().map(|a| Word::lit(*a)).collect()
}

/// `--flag value` when the value is not empty.
pub(super) fn flag(cmd: &mut Vec<Word>, name: &str, value: &str) {
    if !value.is_empty() {
        cmd.push(Word::lit(name));
        cmd.push(Word::lit(value));
    }
}

fn tags_plain(tags: &Tags) -> bool {
    tags.iter().all(|(k, v)| plain_tag(k, v))
}

fn push_tags(cmd: &mut Vec<Word>, tags: &Tags) {
    if !tags.is_empty() {
        cmd.push(Word::lit("--tags"));
        cmd.extend(tags.iter().map(|(k, v)| Word::lit(format!("{k}={v}"))));
    }
}

/// Every text is plain or empty.
fn texts_plain<'a>(texts: impl IntoIterator<Item = &'a String>) -> bool {
    texts.into_iter().all(|t| t.is_empty() || plain(t))
}

impl<'w> Writer<'w> {
    pub fn new(ws: &'w Workspace) -> Self {
        Self {
            ws,
            script: Script::default(),
            principals: BTreeMap::new(),
            images: BTreeMap::new(),
            required: HashSet::new(),
            by_name: Default::default(),
        }
    }

    /// The workspace the next resources come from (BEFORE for deletes, AFTER for the rest).
    pub fn use_workspace(&mut self, ws: &'w Workspace) {
        self.ws = ws;
    }

    pub fn header(&mut self, text: impl Into<String>) {
        self.script.header = Some(text.into());
    }

    pub fn comment(&mut self, text: impl Into<String>) {
        let at = self.script.commands.len();
        self.script.comments.push((at, text.into()));
    }

    pub fn note(&mut self, text: impl Into<String>) {
        self.script.notes.push(text.into());
    }

    pub fn command(&mut self, words: Vec<Word>) {
        self.script.commands.push(words);
    }

    pub fn finish(self) -> Script {
        self.script
    }

    pub(super) fn require(&mut self, name: &str, what: String, subject: Subject) -> Word {
        if self.required.insert(name.to_owned()) {
            self.script.required.push(Required {
                name: name.to_owned(),
                what,
                subject,
            });
        }
        Word::var(name)
    }

    /// The gallery's subscription: the workspace's, else `$SUBSCRIPTION_ID` (every call of the
    /// script uses the same one, az's current subscription never).
    pub fn subscription(&mut self, g: &Gallery) -> Word {
        if g.subscription.is_empty() {
            self.require(
                "SUBSCRIPTION_ID",
                "the subscription of the galleries whose subscription the workspace does not know"
                    .to_owned(),
                Subject::Subscription,
            )
        } else {
            Word::lit(&g.subscription)
        }
    }

    fn resource_group(&mut self, g: &Gallery) -> Word {
        if g.resource_group.is_empty() {
            self.require(
                "RESOURCE_GROUP",
                "the resource group of the galleries whose resource group the workspace does not know".to_owned(),
                Subject::ResourceGroup,
            )
        } else {
            Word::lit(&g.resource_group)
        }
    }

    /// `--subscription SUB --resource-group RG --gallery-name G`.
    pub fn gallery_args(&mut self, g: &Gallery) -> Vec<Word> {
        let sub = self.subscription(g);
        let rg = self.resource_group(g);
        vec![
            Word::lit("--subscription"),
            sub,
            Word::lit("--resource-group"),
            rg,
            Word::lit("--gallery-name"),
            Word::lit(&g.name),
        ]
    }

    /// The ARM id of a gallery, definition or version.
    pub fn resource_id(&mut self, g: &Gallery, d: Option<&str>, v: Option<&str>) -> Word {
        let sub = self.subscription(g);
        let rg = self.resource_group(g);
        let mut tail = format!("/providers/Microsoft.Compute/galleries/{}", g.name);
        if let Some(d) = d {
            tail.push_str(&format!("/images/{d}"));
            if let Some(v) = v {
                tail.push_str(&format!("/versions/{v}"));
            }
        }
        Word::lit("/subscriptions/")
            .then(sub)
            .then(Word::lit("/resourceGroups/"))
            .then(rg)
            .then(Word::lit(tail))
    }

    fn image_var(&mut self, name: &str) -> Word {
        let n = self.images.len() + 1;
        let var = self
            .images
            .entry(name.to_owned())
            .or_insert_with(|| format!("MANAGED_IMAGE_ID_{n}"))
            .clone();
        self.require(
            &var,
            format!("the ARM id of the managed image \"{name}\""),
            Subject::ManagedImage(name.to_owned()),
        )
    }

    /// `az resource create --is-full-object` with the resource's exact body (PUT: creates it,
    /// or replaces what an existing one holds).
    pub fn put(
        &mut self,
        g: &Gallery,
        path: (Option<&str>, Option<&str>),
        mut body: Value,
        source: Option<&str>,
    ) {
        let id = self.resource_id(g, path.0, path.1);
        let sub = self.subscription(g);
        if let Value::Object(map) = &mut body {
            for key in ["type", "apiVersion", "name", "dependsOn"] {
                map.remove(key);
            }
        }
        let mut vars = Vec::new();
        if let Some(image) = source {
            let token = token_for(&body.to_string(), 0);
            body["properties"]["storageProfile"]["source"] = json!({ "id": token });
            let word = self.image_var(image);
            vars.push((token, word));
        }
        let mut cmd = words(&["resource", "create", "--subscription"]);
        cmd.push(sub);
        cmd.extend([
            Word::lit("--id"),
            id,
            Word::lit("--api-version"),
            Word::lit(API_VERSION),
            Word::lit("--is-full-object"),
            Word::lit("--properties"),
            json_word(&body, &vars),
        ]);
        self.command(cmd);
    }

    pub fn create_gallery(&mut self, g: &Gallery) -> Result<(), ExportError> {
        let sharing = &g.sharing;
        for id in sharing.subscriptions.iter().chain(&sharing.tenants) {
            if !is_object_id(id) {
                return Err(ExportError::BadName {
                    path: g.name.clone(),
                    message: format!(
                        "\"{id}\" is not a subscription or tenant id (a GUID), which direct sharing takes"
                    ),
                });
            }
        }
        let community = sharing.community.as_ref();
        let community_plain = community.is_none_or(|c| {
            [
                &c.publisher_uri,
                &c.publisher_contact,
                &c.eula,
                &c.public_name_prefix,
            ]
            .iter()
            .all(|t| plain(t))
        });
        let exact = g.unmodeled.is_empty()
            && texts_plain([&g.description])
            && tags_plain(&g.tags)
            && community_plain
            && (sharing.permission == SharingPermission::Community) == community.is_some();
        if exact {
            let mut cmd = words(&["sig", "create"]);
            cmd.extend(self.gallery_args(g));
            cmd.extend([Word::lit("--location"), Word::lit(g.region.name())]);
            flag(&mut cmd, "--description", &g.description);
            if g.soft_delete {
                cmd.extend(words(&["--soft-delete", "true"]));
            }
            if sharing.permission != SharingPermission::Private {
                flag(&mut cmd, "--permissions", sharing.permission.name());
            }
            if let Some(info) = community {
                flag(&mut cmd, "--publisher-uri", &info.publisher_uri);
                flag(&mut cmd, "--publisher-email", &info.publisher_contact);
                flag(&mut cmd, "--eula", &info.eula);
                flag(&mut cmd, "--public-name-prefix", &info.public_name_prefix);
            }
            push_tags(&mut cmd, &g.tags);
            self.command(cmd);
        } else {
            self.put(g, (None, None), body::gallery(g), None);
        }
        self.share(g, "add", &sharing.subscriptions, &sharing.tenants);
        if sharing.permission == SharingPermission::Community {
            self.share_verb(g, "enable-community");
        }
        Ok(())
    }

    /// `az sig share VERB` for a gallery.
    pub fn share_verb(&mut self, g: &Gallery, verb: &str) {
        let mut cmd = words(&["sig", "share", verb]);
        cmd.extend(self.gallery_args(g));
        self.command(cmd);
    }

    /// `az sig share add|remove` of subscription and tenant ids (nothing when both are empty).
    pub fn share(&mut self, g: &Gallery, verb: &str, subs: &[String], tenants: &[String]) {
        if subs.is_empty() && tenants.is_empty() {
            return;
        }
        let mut cmd = words(&["sig", "share", verb]);
        cmd.extend(self.gallery_args(g));
        if !subs.is_empty() {
            cmd.push(Word::lit("--subscription-ids"));
            cmd.extend(subs.iter().map(Word::lit));
        }
        if !tenants.is_empty() {
            cmd.push(Word::lit("--tenant-ids"));
            cmd.extend(tenants.iter().map(Word::lit));
        }
        self.command(cmd);
    }

    /// `--features` as az splits it (`name=value` words in one argument), when it can say
    /// exactly these features: no startsAtVersion, no space, and not SecurityType=Standard
    /// (which az drops from the request).
    fn features_arg(d: &ImageDefinition) -> Option<String> {
        let features = body::features(d);
        let mut parts = Vec::new();
        for f in &features {
            let name = f["name"].as_str()?;
            let value = f["value"].as_str()?;
            let simple = |t: &str| {
                !t.is_empty()
                    && t.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_.,".contains(c))
            };
            if f.get("startsAtVersion").is_some()
                || !simple(name)
                || !simple(value)
                || (name == SECURITY_TYPE && value == "Standard")
            {
                return None;
            }
            parts.push(format!("{name}={value}"));
        }
        Some(parts.join(" "))
    }

    pub fn create_definition(
        &mut self,
        g: &Gallery,
        d: &ImageDefinition,
    ) -> Result<(), ExportError> {
        let features = Self::features_arg(d);
        let plan_plain = d
            .purchase_plan
            .as_ref()
            .is_none_or(|p| [&p.name, &p.publisher, &p.product].iter().all(|t| plain(t)));
        let exact = d.unmodeled.is_empty()
            && features.is_some()
            && plan_plain
            && tags_plain(&d.tags)
            && texts_plain([
                &d.description,
                &d.eula,
                &d.privacy_uri,
                &d.release_note_uri,
                &d.publisher,
                &d.offer,
                &d.sku,
            ]);
        let Some(features) = features.filter(|_| exact) else {
            self.put(g, (Some(&d.name), None), body::definition(g, d), None);
            return Ok(());
        };
        let mut cmd = words(&["sig", "image-definition", "create"]);
        cmd.extend(self.gallery_args(g));
        cmd.extend([
            Word::lit("--gallery-image-definition"),
            Word::lit(&d.name),
            Word::lit("--location"),
            Word::lit(d.location.unwrap_or(g.region).name()),
        ]);
        for (name, value) in [
            ("--publisher", d.publisher.as_str()),
            ("--offer", &d.offer),
            ("--sku", &d.sku),
            ("--os-type", names::name(&OS_TYPES, d.os_type)),
            ("--os-state", names::name(&OS_STATES, d.os_state)),
            (
                "--hyper-v-generation",
                names::name(&GENERATIONS, d.generation),
            ),
            (
                "--architecture",
                names::name(&ARCHITECTURES, d.architecture),
            ),
            ("--eula", &d.eula),
        ] {
            flag(&mut cmd, name, value);
        }
        if let Some(date) = d.end_of_life {
            flag(
                &mut cmd,
                "--end-of-life-date",
                &date_time(date, d.end_of_life_time),
            );
        }
        for (name, value) in [
            ("--minimum-cpu-core", d.vcpus_min),
            ("--maximum-cpu-core", d.vcpus_max),
            ("--minimum-memory", d.memory_gb_min),
            ("--maximum-memory", d.memory_gb_max),
        ] {
            if let Some(value) = value {
                flag(&mut cmd, name, &value.to_string());
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
            flag(&mut cmd, "--plan-name", &plan.name);
            flag(&mut cmd, "--plan-product", &plan.product);
            flag(&mut cmd, "--plan-publisher", &plan.publisher);
        }
        cmd.extend([Word::lit("--features"), Word::lit(features)]);
        push_tags(&mut cmd, &d.tags);
        self.command(cmd);
        // `az sig image-definition create` takes these flags but does not send them, and
        // `update` has no flags for them: its generic `--set` takes each as a JSON string.
        let mut update = Vec::new();
        for (path, text) in [
            ("description", &d.description),
            ("privacy_statement_uri", &d.privacy_uri),
            ("release_note_uri", &d.release_note_uri),
        ] {
            if !text.is_empty() {
                update.push(Word::lit("--set"));
                update.push(Word::lit(format!("{path}=")).then(json_word(&json!(text), &[])));
            }
        }
        if let Some(allow) = d.allow_update_image {
            flag(
                &mut update,
                "--allow-update-image",
                if allow { "true" } else { "false" },
            );
        }
        if !update.is_empty() {
            let mut cmd = words(&["sig", "image-definition", "update"]);
            cmd.extend(self.gallery_args(g));
            cmd.extend([Word::lit("--gallery-image-definition"), Word::lit(&d.name)]);
            cmd.extend(update);
            self.command(cmd);
        }
        Ok(())
    }

    /// The source flags of `az sig image-version create`, when they say exactly the version's
    /// source; `None` when only the body can.
    fn source_args(&mut self, v: &ImageVersion) -> Option<Vec<Word>> {
        if !v.source.is_empty() {
            let var = self.image_var(&v.source);
            return Some(vec![Word::lit("--managed-image"), var]);
        }
        let azure = v.azure_source.as_ref()?;
        let mut out = Vec::new();
        let disks = azure.os_disk.is_some() || !azure.data_disks.is_empty();
        match &azure.whole {
            Some(SourceRef::ManagedImage(id)) if !disks && plain_id(id) => {
                out.extend([Word::lit("--managed-image"), Word::lit(id)]);
                return Some(out);
            }
            Some(_) => return None,
            None => {}
        }
        let all = azure.os_disk.iter().chain(&azure.data_disks);
        if all.clone().any(|d| d.host_caching.is_some()) {
            return None;
        }
        match azure.os_disk.as_ref().and_then(|d| d.source.as_ref())? {
            DiskSource::Vhd {
                uri,
                storage_account_id,
            } if plain(uri) && plain_id(storage_account_id) => out.extend([
                Word::lit("--os-vhd-uri"),
                Word::lit(uri),
                Word::lit("--os-vhd-storage-account"),
                Word::lit(storage_account_id),
            ]),
            DiskSource::Snapshot(id) | DiskSource::ManagedDisk(id) if plain_id(id) => {
                out.extend([Word::lit("--os-snapshot"), Word::lit(id)])
            }
            _ => return None,
        }
        let (mut snaps, mut vhds) = (Vec::new(), Vec::new());
        for disk in &azure.data_disks {
            let lun = disk.lun?.to_string();
            match disk.source.as_ref()? {
                DiskSource::Snapshot(id) | DiskSource::ManagedDisk(id) if plain_id(id) => {
                    snaps.push((lun, id.as_str()))
                }
                DiskSource::Vhd {
                    uri,
                    storage_account_id,
                } if plain(uri) && plain_id(storage_account_id) => {
                    vhds.push((lun, uri.as_str(), storage_account_id.as_str()))
                }
                _ => return None,
            }
        }
        if !snaps.is_empty() {
            out.push(Word::lit("--data-snapshots"));
            out.extend(snaps.iter().map(|(_, id)| Word::lit(*id)));
            out.push(Word::lit("--data-snapshot-luns"));
            out.extend(snaps.iter().map(|(lun, _)| Word::lit(lun)));
        }
        if !vhds.is_empty() {
            out.push(Word::lit("--data-vhds-uris"));
            out.extend(vhds.iter().map(|(_, uri, _)| Word::lit(*uri)));
            out.push(Word::lit("--data-vhds-luns"));
            out.extend(vhds.iter().map(|(lun, _, _)| Word::lit(lun)));
            out.push(Word::lit("--data-vhds-storage-accounts"));
            out.extend(vhds.iter().map(|(_, _, account)| Word::lit(*account)));
        }
        Some(out)
    }

    /// Whether `az sig image-version create` says the version's publishing and safety exactly:
    /// az refuses PremiumV2_LRS, and has no flag for a storage account strategy, per-region
    /// exclusion, replica sets or encryption kept verbatim.
    fn version_flags_exact(v: &ImageVersion) -> bool {
        let premium_v2 = |s: StorageType| s == StorageType::PremiumV2_LRS;
        v.unmodeled.is_empty()
            && v.storage_account_strategy.is_none()
            && !premium_v2(v.storage_type)
            && !v.target_regions.is_empty()
            && tags_plain(&v.tags)
            && v.target_regions.iter().all(|t| {
                t.exclude_from_latest.is_none()
                    && t.additional_replica_sets.is_empty()
                    && t.unmodeled.is_empty()
                    && !t.storage_type.is_some_and(premium_v2)
            })
    }

    pub fn create_version(
        &mut self,
        g: &Gallery,
        d: &ImageDefinition,
        v: &ImageVersion,
    ) -> Result<(), ExportError> {
        let ws = self.ws;
        let item = VersionItem {
            gallery: g,
            definition: d,
            version: v,
        };
        let location = version_location(ws, g, v);
        let source = Self::version_flags_exact(v)
            .then(|| self.source_args(v))
            .flatten();
        let Some(source) = source else {
            let mut image = None;
            let body = body::version(ws, &item, |name| {
                image = Some(name.to_owned());
                String::new()
            });
            self.put(g, (Some(&d.name), Some(&v.name)), body, image.as_deref());
            return Ok(());
        };
        let mut cmd = words(&["sig", "image-version", "create"]);
        cmd.extend(self.gallery_args(g));
        cmd.extend([
            Word::lit("--gallery-image-definition"),
            Word::lit(&d.name),
            Word::lit("--gallery-image-version"),
            Word::lit(&v.name),
            Word::lit("--location"),
            Word::lit(location.name()),
            Word::lit("--target-regions"),
        ]);
        // Always region=replicas=storage: what the region gets, whatever the defaults.
        cmd.extend(v.target_regions.iter().map(|t| {
            Word::lit(format!(
                "{}={}={}",
                t.region.name(),
                v.replica_count(t),
                v.storage_type_in(t).label()
            ))
        }));
        let yes_no = |b: bool| if b { "true" } else { "false" };
        cmd.extend([
            Word::lit("--replica-count"),
            Word::lit(v.default_replica_count.to_string()),
            Word::lit("--storage-account-type"),
            Word::lit(v.storage_type.label()),
            Word::lit("--replication-mode"),
            Word::lit(names::name(&names::REPLICATION_MODES, v.replication_mode)),
            Word::lit("--exclude-from-latest"),
            Word::lit(yes_no(v.exclude_from_latest)),
            Word::lit("--allow-replicated-location-deletion"),
            Word::lit(yes_no(v.allow_deletion_of_replicated_locations)),
            Word::lit("--block-deletion-before-end-of-life"),
            Word::lit(yes_no(v.block_deletion_before_end_of_life)),
        ]);
        if let Some(date) = v.end_of_life {
            flag(
                &mut cmd,
                "--end-of-life-date",
                &date_time(date, v.end_of_life_time),
            );
        }
        cmd.extend(source);
        push_tags(&mut cmd, &v.tags);
        self.command(cmd);
        Ok(())
    }
}
