//! An image definition's properties.

use serde_json::Value;

use crate::import::json::{Cx, Obj, as_obj, index, join, show};
use crate::model::azure::{ImageFeature, PurchasePlan};
use crate::model::{Architecture, DiskType, HyperVGeneration, ImageDefinition, OsState, OsType};

fn range(cx: &mut Cx<'_>, obj: &mut Obj, key: &str) -> Option<(Option<u32>, Option<u32>)> {
    let mut range = obj.obj(cx, key)?;
    let out = (range.u32(cx, "min"), range.u32(cx, "max"));
    obj.restore(key, range);
    Some(out)
}

pub(super) fn definition_properties(
    cx: &mut Cx<'_>,
    definition: &mut ImageDefinition,
    props: &mut Obj,
) {
    let text_fields: [(&str, &mut String); 4] = [
        ("description", &mut definition.description),
        ("eula", &mut definition.eula),
        ("privacyStatementUri", &mut definition.privacy_uri),
        ("releaseNoteUri", &mut definition.release_note_uri),
    ];
    for (k, field) in text_fields {
        if let Some(v) = props.str(cx, k) {
            *field = v;
        }
    }
    if let Some(v) = props.enumeration(cx, "osType", "an OS type (Windows or Linux)", OsType::parse)
    {
        definition.os_type = v;
    }
    if let Some(v) = props.enumeration(
        cx,
        "osState",
        "an OS state (Generalized or Specialized)",
        OsState::parse,
    ) {
        definition.os_state = v;
    }
    if let Some(v) = props.enumeration(
        cx,
        "hyperVGeneration",
        "a Hyper-V generation (V1 or V2)",
        HyperVGeneration::parse,
    ) {
        definition.generation = v;
    }
    if let Some(v) = props.enumeration(
        cx,
        "architecture",
        "an architecture (x64 or Arm64)",
        Architecture::parse,
    ) {
        definition.architecture = v;
    }
    if let Some((date, time)) = props.date_time(cx, "endOfLifeDate") {
        definition.end_of_life = Some(date);
        definition.end_of_life_time = time;
    }
    if let Some(v) = props.bool(cx, "allowUpdateImage") {
        definition.allow_update_image = Some(v);
    }
    if let Some(mut identifier) = props.obj(cx, "identifier") {
        for (k, field) in [
            ("publisher", &mut definition.publisher),
            ("offer", &mut definition.offer),
            ("sku", &mut definition.sku),
        ] {
            if let Some(v) = identifier.str(cx, k) {
                *field = v;
            }
        }
        props.restore("identifier", identifier);
    }
    recommended(cx, definition, props);
    disallowed(cx, definition, props);
    purchase_plan(cx, definition, props);
    features(cx, definition, props);
}

/// `recommended`: the vCPU and memory ranges.
fn recommended(cx: &mut Cx<'_>, definition: &mut ImageDefinition, props: &mut Obj) {
    if let Some(mut recommended) = props.obj(cx, "recommended") {
        if let Some((min, max)) = range(cx, &mut recommended, "vCPUs") {
            definition.vcpus_min = min;
            definition.vcpus_max = max;
        }
        if let Some((min, max)) = range(cx, &mut recommended, "memory") {
            definition.memory_gb_min = min;
            definition.memory_gb_max = max;
        }
        props.restore("recommended", recommended);
    }
}

/// `disallowed.diskTypes`: the disk types a VM from the definition may not use.
fn disallowed(cx: &mut Cx<'_>, definition: &mut ImageDefinition, props: &mut Obj) {
    if let Some(mut disallowed) = props.obj(cx, "disallowed") {
        if let Some(items) = disallowed.arr(cx, "diskTypes") {
            let base = join(&disallowed.path, "diskTypes");
            let mut types = Vec::new();
            let mut rest = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                match item.as_str().and_then(DiskType::parse) {
                    Some(t) => {
                        if !types.contains(&t) {
                            types.push(t);
                        }
                    }
                    None => {
                        cx.warn(
                            &index(&base, i),
                            format!("{} is not a disk type", show(&item)),
                        );
                        rest.push(item);
                    }
                }
            }
            definition.disallowed_disk_types = types;
            disallowed.restore_items("diskTypes", rest);
        }
        props.restore("disallowed", disallowed);
    }
}

/// `purchasePlan`: the Marketplace plan.
fn purchase_plan(cx: &mut Cx<'_>, definition: &mut ImageDefinition, props: &mut Obj) {
    if let Some(mut plan) = props.obj(cx, "purchasePlan") {
        let mut purchase = PurchasePlan::default();
        for (k, field) in [
            ("name", &mut purchase.name),
            ("publisher", &mut purchase.publisher),
            ("product", &mut purchase.product),
        ] {
            if let Some(v) = plan.str(cx, k) {
                *field = v;
            }
        }
        definition.purchase_plan = Some(purchase);
        props.restore("purchasePlan", plan);
    }
}

/// `features`: name and value pairs; a Standard security type is the model's "none".
fn features(cx: &mut Cx<'_>, definition: &mut ImageDefinition, props: &mut Obj) {
    if let Some(items) = props.arr(cx, "features") {
        let base = join(&props.path, "features");
        let mut features = Vec::new();
        let mut rest = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let Ok(mut feature) = as_obj(cx, item, index(&base, i)) else {
                continue;
            };
            let name = feature.str(cx, "name").unwrap_or_default();
            let value = feature.str(cx, "value").unwrap_or_default();
            let starts_at_version = feature.str(cx, "startsAtVersion").unwrap_or_default();
            if name.eq_ignore_ascii_case(crate::model::azure::SECURITY_TYPE)
                && crate::model::SecurityType::parse(&value).is_none()
            {
                cx.warn(
                    &join(&feature.path, "value"),
                    format!("\"{value}\" is not a security type"),
                );
            }
            // Standard is the model's "no SecurityType feature" (the export writes it out).
            let standard = name.eq_ignore_ascii_case(crate::model::azure::SECURITY_TYPE)
                && value.eq_ignore_ascii_case("Standard")
                && starts_at_version.is_empty();
            if !standard {
                features.push(ImageFeature {
                    name,
                    value,
                    starts_at_version,
                });
            }
            if !feature.map.is_empty() {
                rest.push(Value::Object(feature.map));
            }
        }
        definition.features = features;
        props.restore_items("features", rest);
    }
}
