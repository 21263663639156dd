//! A gallery's properties, and sharing updates (`POST …/share` bodies).

use serde_json::Value;

use super::{Merge, Names};
use crate::import::Hint;
use crate::import::json::{Cx, Obj, as_obj, index, join, show};
use crate::model::Gallery;
use crate::model::azure::{CommunityInfo, SharingPermission, SharingProfile};

impl Merge<'_> {
    /// A sharing update (`POST …/share` body) applied to the gallery the example names.
    pub fn sharing_update(&mut self, cx: &mut Cx<'_>, mut obj: Obj, hint: &Hint) -> bool {
        let Some(gallery) = hint.gallery.clone() else {
            cx.warn(
                &obj.path,
                "a sharing update, but nothing names its gallery: skipped",
            );
            return false;
        };
        let operation = obj.str(cx, "operationType").unwrap_or_default();
        let names = Names {
            subscription: hint.subscription.clone(),
            resource_group: hint.resource_group.clone(),
            gallery,
            definition: None,
            version: None,
        };
        let (subscriptions, tenants) = groups(cx, &mut obj);
        let g = self.gallery_index(&names, None);
        let sharing = &mut self.ws.galleries[g].sharing;
        match operation.to_ascii_lowercase().as_str() {
            "add" => {
                sharing.permission = SharingPermission::Groups;
                for id in subscriptions {
                    if !sharing
                        .subscriptions
                        .iter()
                        .any(|s| s.eq_ignore_ascii_case(&id))
                    {
                        sharing.subscriptions.push(id);
                    }
                }
                for id in tenants {
                    if !sharing.tenants.iter().any(|s| s.eq_ignore_ascii_case(&id)) {
                        sharing.tenants.push(id);
                    }
                }
            }
            "remove" => {
                sharing
                    .subscriptions
                    .retain(|s| !subscriptions.iter().any(|r| r.eq_ignore_ascii_case(s)));
                sharing
                    .tenants
                    .retain(|s| !tenants.iter().any(|r| r.eq_ignore_ascii_case(s)));
            }
            "reset" => *sharing = SharingProfile::default(),
            "enablecommunity" => sharing.permission = SharingPermission::Community,
            other => {
                cx.warn(
                    &join(&obj.path, "operationType"),
                    format!("\"{other}\" is not a sharing operation (Add, Remove, Reset or EnableCommunity)"),
                );
            }
        }
        for (k, v) in &obj.map {
            cx.warn(
                &join(&obj.path, k),
                format!("{} is not part of a sharing update: ignored", show(v)),
            );
        }
        true
    }
}

/// `groups: [{type: Subscriptions|AADTenants, ids: [...]}]` → subscription and tenant ids.
fn groups(cx: &mut Cx<'_>, obj: &mut Obj) -> (Vec<String>, Vec<String>) {
    let (mut subscriptions, mut tenants) = (Vec::new(), Vec::new());
    let Some(items) = obj.arr(cx, "groups") else {
        return (subscriptions, tenants);
    };
    let base = join(&obj.path, "groups");
    let mut rest = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let Ok(mut group) = as_obj(cx, item, index(&base, i)) else {
            continue;
        };
        let kind = group.str(cx, "type").unwrap_or_default();
        let ids: Vec<String> = group
            .arr(cx, "ids")
            .unwrap_or_default()
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        match kind.to_ascii_lowercase().as_str() {
            "subscriptions" => subscriptions.extend(ids),
            "aadtenants" => tenants.extend(ids),
            other => {
                cx.warn(
                    &join(&group.path, "type"),
                    format!(
                        "\"{other}\" is not a sharing group type (Subscriptions or AADTenants)"
                    ),
                );
                group
                    .map
                    .insert("type".to_owned(), Value::String(kind.clone()));
                group.map.insert(
                    "ids".to_owned(),
                    Value::Array(ids.into_iter().map(Value::String).collect()),
                );
            }
        }
        if !group.map.is_empty() {
            rest.push(Value::Object(group.map));
        }
    }
    obj.restore_items("groups", rest);
    (subscriptions, tenants)
}

pub(super) fn gallery_properties(cx: &mut Cx<'_>, gallery: &mut Gallery, props: &mut Obj) {
    if let Some(description) = props.str(cx, "description") {
        gallery.description = description;
    }
    if let Some(mut identifier) = props.obj(cx, "identifier") {
        identifier.take_raw("uniqueName");
        props.restore("identifier", identifier);
    }
    if let Some(mut policy) = props.obj(cx, "softDeletePolicy") {
        if let Some(enabled) = policy.bool(cx, "isSoftDeleteEnabled") {
            gallery.soft_delete = enabled;
        }
        props.restore("softDeletePolicy", policy);
    }
    if let Some(mut profile) = props.obj(cx, "sharingProfile") {
        let mut sharing = SharingProfile::default();
        if let Some(permission) = profile.enumeration(
            cx,
            "permissions",
            "a sharing permission (Private, Groups or Community)",
            SharingPermission::parse,
        ) {
            sharing.permission = permission;
        }
        let (subscriptions, tenants) = groups(cx, &mut profile);
        sharing.subscriptions = subscriptions;
        sharing.tenants = tenants;
        if let Some(mut info) = profile.obj(cx, "communityGalleryInfo") {
            let mut community = CommunityInfo::default();
            for (k, field) in [
                ("publisherUri", &mut community.publisher_uri),
                ("publisherContact", &mut community.publisher_contact),
                ("eula", &mut community.eula),
                ("publicNamePrefix", &mut community.public_name_prefix),
            ] {
                if let Some(v) = info.str(cx, k) {
                    *field = v;
                }
            }
            // Read-only, reported by the service.
            info.take_raw("communityGalleryEnabled");
            info.take_raw("publicNames");
            sharing.community = Some(community);
            profile.restore("communityGalleryInfo", info);
        }
        gallery.sharing = sharing;
        props.restore("sharingProfile", profile);
    }
    props.take_raw("sharingStatus");
}
