//! How one refusal leads to others: a parent is not deleted while a child's delete is refused,
//! a child is not created under a parent whose creation is refused, a rename whose create is
//! refused keeps what it would delete, and a new definition cannot take the identifier of one
//! that stays.

use super::{Action, Planner, definition_in, parent_of, same};
use crate::model::ImageDefinition;

impl Planner<'_> {
    /// A parent cannot be deleted while a child's delete is refused; a child cannot be created
    /// under a parent whose creation is refused.
    pub(super) fn propagate_refusals(&mut self) {
        for _ in 0..2 {
            self.deletes_up();
            self.identifiers();
            self.creates_down();
            self.pairs();
        }
        self.deletes_up();
    }

    /// A rename or move whose create is refused keeps what it would delete: deleting it would
    /// lose it.
    fn pairs(&mut self) {
        for slot in 1..4 {
            let refused: Vec<String> = self.upserts[slot]
                .iter()
                .filter(|s| s.refused.is_some() && s.action == Action::Create)
                .filter_map(|s| s.pair.clone())
                .collect();
            for step in &mut self.deletes[slot] {
                if refused.contains(&step.path) {
                    let to = step.pair.clone().unwrap_or_default();
                    step.refuse(format!(
                        "kept: creating it again as {to} is refused, so deleting it would lose it"
                    ));
                }
            }
        }
    }

    fn deletes_up(&mut self) {
        // Deletes, children first: versions → definitions → galleries.
        for (child, parent) in [(1, 2), (2, 3)] {
            let refused: Vec<(String, String)> = self.deletes[child]
                .iter()
                .filter(|s| s.refused.is_some())
                .map(|s| (parent_of(&s.path).to_ascii_lowercase(), s.path.clone()))
                .collect();
            for step in &mut self.deletes[parent] {
                if let Some((_, child_path)) = refused
                    .iter()
                    .find(|(p, _)| *p == step.path.to_ascii_lowercase())
                {
                    step.refuse(format!(
                        "Can not delete resource before nested resources are deleted: deleting {child_path} is refused"
                    ));
                }
            }
        }
    }

    /// A new definition cannot take the identifier of one that stays (its deletion refused).
    fn identifiers(&mut self) {
        let staying: Vec<(String, String, &ImageDefinition)> = self.deletes[2]
            .iter()
            .filter(|s| s.refused.is_some())
            .filter_map(|s| {
                let (g, d) = s.path.split_once('/')?;
                let gallery = self.before.galleries.iter().find(|x| x.name == g)?;
                Some((
                    g.to_ascii_lowercase(),
                    s.path.clone(),
                    definition_in(gallery, d)?,
                ))
            })
            .collect();
        for step in &mut self.upserts[2] {
            let Some((g, d)) = step.path.split_once('/') else {
                continue;
            };
            let Some(new) = self
                .after
                .galleries
                .iter()
                .find(|x| x.name == g)
                .and_then(|x| definition_in(x, d))
            else {
                continue;
            };
            if step.action != Action::Create {
                continue;
            }
            if let Some((_, path, _)) = staying.iter().find(|(sg, _, old)| {
                *sg == g.to_ascii_lowercase()
                    && same(&old.publisher, &new.publisher)
                    && same(&old.offer, &new.offer)
                    && same(&old.sku, &new.sku)
            }) {
                step.refuse(format!(
                    "its publisher/offer/sku {}/{}/{} is still taken by {path}, whose deletion is refused",
                    new.publisher, new.offer, new.sku
                ));
            }
        }
    }

    fn creates_down(&mut self) {
        // Creates, parents first: galleries → definitions → versions → role assignments.
        for (parent, child) in [(3, 2), (2, 1)] {
            let refused: Vec<String> = self.upserts[parent]
                .iter()
                .filter(|s| s.refused.is_some() && s.action == Action::Create)
                .map(|s| s.path.to_ascii_lowercase())
                .collect();
            for step in &mut self.upserts[child] {
                if step.action == Action::Create
                    && refused.contains(&parent_of(&step.path).to_ascii_lowercase())
                {
                    step.refuse(format!(
                        "its parent {} is not created (refused)",
                        parent_of(&step.path)
                    ));
                }
            }
        }
        let refused: Vec<String> = self.upserts[1..]
            .iter()
            .flatten()
            .filter(|s| s.refused.is_some() && s.action == Action::Create)
            .map(|s| s.path.to_ascii_lowercase())
            .collect();
        for step in &mut self.upserts[0] {
            if refused.contains(&step.path.to_ascii_lowercase()) {
                step.refuse(format!(
                    "its resource {} is not created (refused)",
                    step.path
                ));
            }
        }
    }
}
