//! Group membership: every group a principal belongs to at any depth, with the chain that makes
//! it a member, resolved once per workspace; membership cycles found, never looped on.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::{Principal, PrincipalKind};

/// Marks a link reached directly from the principal itself.
const DIRECT: u32 = u32::MAX;

/// A group a principal belongs to, and through which group it was reached.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Link {
    pub group: u32,
    /// Index in the same closure list of the group this one contains, or `DIRECT`.
    via: u32,
}

/// A membership cycle: each group is a member of the next, and the last of the first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cycle {
    pub groups: Vec<String>,
}

impl Cycle {
    /// `a ← b ← a`: each name is a member of the one after the arrow.
    pub fn text(&self) -> String {
        let mut names: Vec<&str> = self.groups.iter().map(String::as_str).collect();
        if let Some(first) = self.groups.first() {
            names.push(first);
        }
        names.join(" ← ")
    }
}

/// The principals of a workspace with their memberships resolved.
pub(crate) struct Directory<'w> {
    pub principals: &'w [Principal],
    ids: HashMap<&'w str, u32>,
    /// Per principal: every group containing it at any depth, breadth-first (shortest chains).
    closure: Vec<Vec<Link>>,
    cycles: Vec<Cycle>,
    /// Per principal: indices into `cycles` of the cycles among its groups (or itself).
    cycles_of: Vec<Vec<u32>>,
}

impl<'w> Directory<'w> {
    pub fn new(principals: &'w [Principal]) -> Self {
        let count = principals.len();
        let mut ids = HashMap::with_capacity(count);
        for (i, p) in principals.iter().enumerate() {
            ids.entry(p.name.as_str()).or_insert(i as u32);
        }
        // member → the groups that list it.
        let mut member_of: Vec<Vec<u32>> = vec![Vec::new(); count];
        for (g, group) in principals.iter().enumerate() {
            if group.kind != PrincipalKind::Group
                || ids.get(group.name.as_str()) != Some(&(g as u32))
            {
                continue;
            }
            for member in &group.members {
                if let Some(&m) = ids.get(member.as_str()) {
                    let list = &mut member_of[m as usize];
                    if !list.contains(&(g as u32)) {
                        list.push(g as u32);
                    }
                }
            }
        }
        let mut closure = Vec::with_capacity(count);
        // Stamp per principal: seen in the search started from principal `stamp - 1`.
        let mut seen = vec![0u32; count];
        // The link that closes a cycle back to the start, per principal.
        let mut back_to_self: Vec<Option<u32>> = vec![None; count];
        for start in 0..count {
            let stamp = start as u32 + 1;
            let mut links: Vec<Link> = member_of[start]
                .iter()
                .map(|&group| Link { group, via: DIRECT })
                .collect();
            let mut kept = Vec::with_capacity(links.len());
            let mut next = 0;
            while next < links.len() {
                let link = links[next];
                next += 1;
                let g = link.group as usize;
                if g == start {
                    back_to_self[start].get_or_insert(link.via);
                    continue;
                }
                if seen[g] == stamp {
                    continue;
                }
                seen[g] = stamp;
                let here = kept.len() as u32;
                kept.push(link);
                links.extend(member_of[g].iter().map(|&group| Link { group, via: here }));
            }
            closure.push(kept);
        }
        let mut dir = Self {
            principals,
            ids,
            closure,
            cycles: Vec::new(),
            cycles_of: vec![Vec::new(); count],
        };
        dir.find_cycles(&back_to_self);
        dir
    }

    fn find_cycles(&mut self, back_to_self: &[Option<u32>]) {
        let count = self.principals.len();
        let mut covered = vec![false; count];
        for (start, back) in back_to_self.iter().enumerate() {
            let Some(back) = *back else { continue };
            if covered[start] {
                continue;
            }
            let mut ids = vec![start as u32];
            if back != DIRECT {
                ids.extend(self.chain_ids(start as u32, back as usize));
            }
            for &id in &ids {
                covered[id as usize] = true;
            }
            let number = self.cycles.len() as u32;
            self.cycles.push(Cycle {
                groups: ids.iter().map(|&i| self.name(i).to_owned()).collect(),
            });
            for p in 0..count {
                let involved = ids.contains(&(p as u32))
                    || self.closure[p].iter().any(|l| ids.contains(&l.group));
                if involved {
                    self.cycles_of[p].push(number);
                }
            }
        }
    }

    pub fn id(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    pub fn name(&self, id: u32) -> &'w str {
        self.principals
            .get(id as usize)
            .map_or("", |p| p.name.as_str())
    }

    pub fn principal(&self, id: u32) -> Option<&'w Principal> {
        self.principals.get(id as usize)
    }

    /// The groups containing `id` at any depth (not `id` itself).
    pub fn groups_of(&self, id: u32) -> &[Link] {
        self.closure.get(id as usize).map_or(&[], Vec::as_slice)
    }

    /// The holders whose grants reach `id`: itself (`None`), then each of its groups
    /// (`Some(index into groups_of)`).
    pub fn holders(&self, id: u32) -> impl Iterator<Item = (u32, Option<usize>)> + '_ {
        std::iter::once((id, None)).chain(
            self.groups_of(id)
                .iter()
                .enumerate()
                .map(|(i, l)| (l.group, Some(i))),
        )
    }

    /// Group ids from the first group containing `id` up to `groups_of(id)[link]`.
    fn chain_ids(&self, id: u32, link: usize) -> Vec<u32> {
        let links = self.groups_of(id);
        let mut ids = Vec::new();
        let mut at = link as u32;
        while let Some(l) = links.get(at as usize) {
            ids.push(l.group);
            at = l.via;
        }
        ids.reverse();
        ids
    }

    /// Names from the principal to the holder: `[carol, web-team, app-teams]`.
    pub fn chain(&self, id: u32, link: Option<usize>) -> Vec<String> {
        let mut names = vec![self.name(id).to_owned()];
        if let Some(link) = link {
            names.extend(
                self.chain_ids(id, link)
                    .into_iter()
                    .map(|g| self.name(g).to_owned()),
            );
        }
        names
    }

    /// Every membership cycle in the workspace.
    pub fn cycles(&self) -> &[Cycle] {
        &self.cycles
    }

    /// The cycles among the principal's groups.
    pub fn cycles_of(&self, id: u32) -> Vec<Cycle> {
        self.cycles_of
            .get(id as usize)
            .into_iter()
            .flatten()
            .filter_map(|&c| self.cycles.get(c as usize).cloned())
            .collect()
    }
}
