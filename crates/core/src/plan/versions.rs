//! The version steps of a plan. A version's step (its changes, the rules that refuse it, its
//! cost and its replication estimate) reads the two workspaces only, so the steps are worked
//! out on every core at once, each thread with its own replication engine, and kept in the
//! workspace's order: the plan is the same whatever the number of cores.

use std::collections::HashMap;

use super::{Cost, Planner, Presence, Step, compare, replication};
use crate::cost::estimate::Sources;
use crate::model::{Gallery, ImageDefinition, ImageVersion, Workspace};

/// A version of AFTER to plan, with the version of the same name in BEFORE.
#[derive(Clone, Copy)]
pub(super) struct Pending<'w> {
    pub gallery: &'w Gallery,
    pub definition: &'w ImageDefinition,
    pub old: Option<&'w ImageVersion>,
    pub version: &'w ImageVersion,
}

/// Below this many versions a plan does not start threads (it would take longer than it
/// saves).
const PER_THREAD: usize = 2_000;

/// What a version's step reads: both workspaces, their prices and AFTER's rule errors.
pub(super) struct Judge<'a, 'w> {
    pub before: &'w Workspace,
    pub after: &'w Workspace,
    pub before_prices: &'a Sources<'w>,
    pub after_prices: &'a Sources<'w>,
    pub errors: &'a HashMap<String, Vec<String>>,
}

impl Judge<'_, '_> {
    pub fn rule_errors(&self, path: &str) -> Option<String> {
        self.errors.get(path).map(|messages| {
            format!(
                "the workspace's rules refuse it, as the service would: {}",
                messages.join("; ")
            )
        })
    }

    /// The step of one version, but its replication estimate; `None` when it is unchanged or
    /// AFTER knows it only by reference.
    fn step(&self, p: &Pending<'_>) -> Option<Step> {
        let (g, d, old, v) = (p.gallery, p.definition, p.old, p.version);
        if self
            .after
            .presence_of(&g.name, Some(&d.name), Some(&v.name))
            == Presence::Reference
        {
            return None;
        }
        let mut step = compare::version((self.before, self.after), g, d, old, v)?;
        if let Some(reason) = self.rule_errors(&step.path) {
            step.refuse(reason);
        }
        if let Some(why) = v.flagged() {
            step.note = Some(format!("the service flags this version: {why}"));
        }
        step.cost = self.version_cost(old, v);
        Some(step)
    }

    /// The step with its replication estimate, and whether the version replicates.
    fn replication(
        &self,
        estimator: &mut replication::Estimator,
        p: &Pending<'_>,
        mut step: Step,
    ) -> (Step, bool) {
        let (g, d, old, v) = (p.gallery, p.definition, p.old, p.version);
        match replication::single(estimator, self.after, self.after_prices, g, d, old, v) {
            Ok(Some(secs)) => {
                step.replication_secs = Some(secs);
                return (step, true);
            }
            Ok(None) => {}
            Err(why) => step.replication_unknown = Some(why),
        }
        (step, false)
    }

    fn version_cost(&self, old: Option<&ImageVersion>, v: &ImageVersion) -> Cost {
        let after = match self.after_prices.version_cost(v) {
            Ok(cost) => cost,
            Err(err) => {
                return Cost::Unknown {
                    reason: err.to_string(),
                };
            }
        };
        let before = match old.map(|o| self.before_prices.version_cost(o)).transpose() {
            Ok(cost) => cost,
            Err(err) => {
                return Cost::Unknown {
                    reason: err.to_string(),
                };
            }
        };
        let added_egress: f64 = after
            .regions
            .iter()
            .filter(|r| before.as_ref().is_none_or(|b| b.region(r.region).is_none()))
            .map(|r| r.totals.egress_usd)
            .sum();
        Cost::Priced {
            monthly_usd: after.totals.monthly_usd - before.map_or(0.0, |b| b.totals.monthly_usd),
            egress_usd: added_egress,
        }
    }
}

/// `f` of every item, in order, on up to `threads` threads (each a contiguous part, with its
/// own `state` made by `init`).
fn map_on_threads<T: Sync, S, R: Send>(
    items: &[T],
    threads: usize,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.min(items.len() / PER_THREAD).max(1);
    let part = items.len().div_ceil(threads).max(1);
    let (init, f) = (&init, &f);
    let run = move |chunk: &[T]| {
        let mut state = init();
        chunk
            .iter()
            .map(|item| f(&mut state, item))
            .collect::<Vec<R>>()
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(part)
            .skip(1)
            .map(|chunk| scope.spawn(move || run(chunk)))
            .collect();
        // The first part on this thread, while the others run.
        let mut all = run(&items[..part.min(items.len())]);
        all.reserve(items.len() - all.len());
        for handle in handles {
            match handle.join() {
                Ok(results) => all.extend(results),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    })
}

impl<'w> Planner<'w> {
    /// The steps of AFTER's versions, in the order given.
    pub(super) fn versions(&mut self, pending: &[Pending<'w>]) {
        let judge = Judge {
            before: self.before,
            after: self.after,
            before_prices: &self.before_prices,
            after_prices: &self.after_prices,
            errors: &self.errors,
        };
        let today = self.today;
        // One estimator per thread serves all its estimates.
        let init = || replication::Estimator::new(today);
        let steps = map_on_threads(pending, self.threads, init, |estimator, p| {
            judge
                .step(p)
                .map(|step| judge.replication(estimator, p, step))
        });
        for (p, step) in pending.iter().zip(steps) {
            let Some((step, replicates)) = step else {
                continue;
            };
            if replicates {
                self.replicating.push(replication::Replicating {
                    path: step.path.clone(),
                    gallery: p.gallery,
                    definition: p.definition,
                    old: p.old,
                    version: p.version,
                });
            }
            self.push_upsert(step);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Region, TargetRegion};

    #[test]
    fn the_plan_is_the_same_on_one_thread_and_on_several() {
        let today = "2026-11-29".parse().unwrap();
        let before = crate::sample::synthetic(3 * PER_THREAD + 17);
        let mut after = before.clone();
        let region: Region = "brazilsouth".parse().unwrap();
        let mut i = 0;
        for d in after.galleries.iter_mut().flat_map(|g| &mut g.definitions) {
            for v in &mut d.versions {
                match i % 5 {
                    // A new region (replicates), a tag, an end of life; the rest unchanged.
                    0 if v.target(region).is_none() => {
                        v.target_regions.push(TargetRegion::new(region))
                    }
                    1 => {
                        v.tags.insert("team".into(), format!("t{i}"));
                    }
                    2 => v.exclude_from_latest = !v.exclude_from_latest,
                    _ => {}
                }
                i += 1;
            }
        }
        let planner = |threads| Planner {
            threads,
            ..Planner::new(&before, &after, today)
        };
        let one = planner(1).run();
        assert!(one.steps.len() > PER_THREAD, "{}", one.steps.len());
        assert!(one.replication_secs.is_some());
        for threads in [2, 3, 8] {
            assert_eq!(planner(threads).run(), one, "{threads} threads");
        }
        // Written while the joint replication is estimated, the text is the plan's.
        let (plan, text) = crate::plan::plan_with_text(&before, &after, today, ("a", "b"));
        assert_eq!(plan, one);
        assert_eq!(text, crate::plan::to_text(&one, "a", "b"));
    }
}
