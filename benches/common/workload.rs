//! The edits the plan benchmarks make to a synthetic workspace (`#[path]`-included by `plan` and
//! `scale_io`).

use sig_studio::model::{Region, TargetRegion, Workspace};

/// Adds a region to every `every`-th version that lacks it.
pub fn add_region(ws: &mut Workspace, every: usize) {
    let region: Region = "brazilsouth".parse().expect("a region");
    let mut i = 0;
    for g in &mut ws.galleries {
        for d in &mut g.definitions {
            for v in &mut d.versions {
                if i % every == 0 && v.target(region).is_none() {
                    v.target_regions.push(TargetRegion::new(region));
                }
                i += 1;
            }
        }
    }
}

/// A day's work: 1 % of the versions get a region, 100 versions are renamed.
pub fn day_of_work(before: &Workspace) -> Workspace {
    let mut after = before.clone();
    add_region(&mut after, 100);
    let d = &mut after.galleries[0].definitions[0];
    let moved: Vec<_> = d.versions.drain(..100.min(d.versions.len())).collect();
    for (i, mut v) in moved.into_iter().enumerate() {
        v.name = format!("99.{i}.0");
        d.versions.push(v);
    }
    after
}
