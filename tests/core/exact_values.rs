//! Values as Azure has them (issue 23, point 14): kept numbers leave an export digit for digit,
//! through the workspace file; a price so high that sums would overflow is refused; a plan never
//! picks one of two resources Azure takes for one.

use sig_studio_core::cost::estimate::{CostError, Sources};
use sig_studio_core::export::{Format, Scope, export};
use sig_studio_core::import::{Input, import};
use sig_studio_core::model::{StorageType, Workspace};
use sig_studio_core::plan::name_clash;
use sig_studio_core::sample::sample;
use sig_studio_core::workspace::{load, save, to_ron_string};

use crate::common::tempdir;

const NUMBERS: [&str; 7] = [
    "12345678901234567890123",
    "0.1000000000000000055511151231257827",
    "1.50",
    "18446744073709551615",
    "-9223372036854775808",
    "3.14159265358979323846264338327950288",
    "5e-324",
];

#[test]
fn kept_numbers_leave_the_export_as_they_came_in_through_the_file() {
    let numbers: Vec<String> = NUMBERS
        .iter()
        .enumerate()
        .map(|(i, n)| format!("\"n{i}\": {n}"))
        .collect();
    let body = format!(
        r#"{{"id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1", "name": "g1", "type": "Microsoft.Compute/galleries", "location": "westeurope", "properties": {{"description": "x", "numbers": {{{}}}, "list": [{}]}}}}"#,
        numbers.join(", "),
        NUMBERS.join(", ")
    );
    let mut ws = Workspace::default();
    import(&mut ws, &[Input::new("g.json", body)]).unwrap();
    let dir = tempdir("exact-numbers");
    let file = dir.join("ws.ron");
    save(&file, &ws).unwrap();
    let loaded = load(&file).unwrap();
    assert_eq!(loaded, ws);
    // The file is in its canonical layout: `fmt` rewrites nothing.
    assert_eq!(
        to_ron_string(&loaded),
        std::fs::read_to_string(&file).unwrap()
    );
    let template = export(&loaded, &Scope::default(), Format::Arm).unwrap();
    for (i, n) in NUMBERS.iter().enumerate() {
        assert!(
            template.contains(&format!("\"n{i}\": {n}")),
            "{n} changed in the export:\n{template}"
        );
        assert!(template.contains(&format!("      {n}")), "{n} in the list");
    }
}

#[test]
fn a_price_so_high_that_sums_would_overflow_is_refused() {
    let mut ws = sample();
    ws.settings
        .prices
        .set_storage_usd_per_gb_month(StorageType::Standard_LRS, 1e308);
    let err = ws.settings.prices.check().unwrap_err().to_string();
    assert!(
        err.contains("is 1e308") && err.contains("at most 1000000 USD per GB"),
        "{err}"
    );
    // Every version is then unpriced with that reason, never "inf USD".
    let sources = Sources::new(&ws);
    for (_, _, v) in ws.versions() {
        assert!(matches!(sources.version_cost(v), Err(CostError::Price(_))));
    }
    let plan = sig_studio_core::plan::plan(&Workspace::default(), &ws, crate::common::today());
    assert!(plan.monthly_usd.is_finite() && plan.egress_usd.is_finite());
    // The highest price taken gives finite sums.
    ws.settings
        .prices
        .set_storage_usd_per_gb_month(StorageType::Standard_LRS, 1_000_000.0);
    ws.settings.prices.transfer_between_continents_usd_per_gb = 1_000_000.0;
    assert!(ws.settings.prices.check().is_ok());
    let plan = sig_studio_core::plan::plan(&Workspace::default(), &ws, crate::common::today());
    assert!(plan.monthly_usd.is_finite() && plan.monthly_usd > 0.0);
    assert!(plan.egress_usd.is_finite());
}

#[test]
fn galleries_whose_names_differ_only_in_case_are_named_not_planned() {
    let mut ws = sample();
    assert_eq!(name_clash(&ws), None);
    let mut twin = ws.galleries[0].clone();
    twin.name = twin.name.to_uppercase();
    ws.galleries.push(twin);
    let why = name_clash(&ws).unwrap();
    assert!(
        why.contains("\"contoso_images\" and \"CONTOSO_IMAGES\"")
            && why.contains("ignores the case"),
        "{why}"
    );
}
