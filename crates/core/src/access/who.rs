//! Who holds a role on a resource: from the grants on it and above it, down through the groups
//! to every member, once per holder. Asking each principal for its groups instead would cost
//! every principal's whole chain: for groups nested 100,000 deep, 5 × 10⁹ steps.
//!
//! The answer is the one [`AccessIndex::principal_access`] gives each principal: a chain is the
//! shortest from the principal to the holder, the first in the order of the principal's
//! memberships where several are as short (what a breadth-first search from the principal
//! finds), with the middle of a long one counted ([`CHAIN_ENDS`]).

use super::groups::{CHAIN_ENDS, ChainNames};
use super::{AccessError, AccessIndex, Action, Holder, NONE, Reason, RoleSet, WhoReport};
use crate::model::ResourcePath;

/// A grant reaching a principal: how deep its holder is, the holder, the grant, its scope, and
/// the chain from the principal to the holder.
struct Reach {
    depth: u32,
    holder: u32,
    grant: u32,
    scope: u32,
    chain: ChainNames,
}

/// The principals below one holder, found breadth-first: each one's distance to the holder,
/// the next group on its chain there, and the group on that chain `CHAIN_ENDS` from the holder.
/// Reused from holder to holder: cleared by what was touched, not by the directory's size.
struct Below {
    dist: Vec<u32>,
    next: Vec<u32>,
    anchor: Vec<u32>,
    order: Vec<u32>,
}

impl Below {
    fn new(count: usize) -> Self {
        Self {
            dist: vec![NONE; count],
            next: vec![NONE; count],
            anchor: vec![NONE; count],
            order: Vec::new(),
        }
    }

    fn clear(&mut self) {
        for &p in &self.order {
            self.dist[p as usize] = NONE;
        }
        self.order.clear();
    }

    /// The chain from `p` to the holder: its ends when long.
    fn chain(&self, index: &AccessIndex<'_>, p: u32) -> ChainNames {
        let name = |id: u32| index.dir.name(id).to_owned();
        let depth = self.dist[p as usize] as usize;
        let walk = |from: u32, steps: usize| {
            let mut ids = Vec::with_capacity(steps);
            let mut at = from;
            for _ in 0..steps {
                at = self.next[at as usize];
                ids.push(at);
            }
            ids
        };
        let mut names = vec![name(p)];
        if depth <= 2 * CHAIN_ENDS {
            names.extend(walk(p, depth).into_iter().map(name));
            return ChainNames { names, skipped: 0 };
        }
        names.extend(walk(p, CHAIN_ENDS).into_iter().map(name));
        names.extend(
            walk(self.anchor[p as usize], CHAIN_ENDS)
                .into_iter()
                .map(name),
        );
        ChainNames {
            names,
            skipped: depth - 2 * CHAIN_ENDS,
        }
    }
}

impl AccessIndex<'_> {
    /// Breadth-first from `holder` down through the members of groups.
    fn below(&self, holder: u32, below: &mut Below) {
        below.clear();
        below.dist[holder as usize] = 0;
        below.order.push(holder);
        let mut at = 0;
        while let Some(&g) = below.order.get(at) {
            at += 1;
            let d = below.dist[g as usize];
            if g != holder {
                // Every group one step nearer is known by now: the first of them in the
                // principal's order of memberships is the next on its chain.
                let next = self
                    .dir
                    .member_of(g)
                    .iter()
                    .copied()
                    .find(|&up| below.dist[up as usize] == d - 1)
                    .unwrap_or(holder);
                below.next[g as usize] = next;
                below.anchor[g as usize] = if d as usize == CHAIN_ENDS {
                    g
                } else {
                    below.anchor[next as usize]
                };
            }
            for &member in self.dir.members(g) {
                if below.dist[member as usize] == NONE {
                    below.dist[member as usize] = d + 1;
                    below.order.push(member);
                }
            }
        }
    }

    /// Who holds a role on the resource at `path`, and why. Costs the grants on the resource
    /// and above it, and the members below their holders: never a search per principal.
    pub fn who(&self, path: &ResourcePath) -> Result<WhoReport, AccessError> {
        let r = self
            .resource_id(path)
            .ok_or_else(|| AccessError::UnknownResource(path.to_string()))?
            .0;
        // The grants covering the resource, by holder (in the workspace's order).
        let mut by_holder: Vec<(u32, u32, u32)> = self
            .with_ancestors(r)
            .filter_map(|scope| self.grants_on.get(&scope).map(|on| (scope, on)))
            .flat_map(|(scope, on)| on.iter().map(move |&g| (scope, g)))
            .filter_map(|(scope, g)| {
                let grant = self.ws.grants.get(g as usize)?;
                Some((self.dir.id(&grant.principal)?, g, scope))
            })
            .collect();
        by_holder.sort_unstable_by_key(|&(holder, g, _)| (holder, g));
        let mut reached: Vec<Vec<Reach>> = Vec::new();
        reached.resize_with(self.dir.len(), Vec::new);
        let mut below = Below::new(self.dir.len());
        for group in by_holder.chunk_by(|a, b| a.0 == b.0) {
            let holder = group[0].0;
            self.below(holder, &mut below);
            for &p in &below.order {
                for &(_, grant, scope) in group {
                    reached[p as usize].push(Reach {
                        depth: below.dist[p as usize],
                        holder,
                        grant,
                        scope,
                        chain: below.chain(self, p),
                    });
                }
            }
        }
        let resource = self.path_text(r);
        let mut principals = Vec::new();
        let mut ignored = Vec::new();
        let mut listed = Vec::new();
        for (p, mut reaches) in reached.into_iter().enumerate() {
            let p = p as u32;
            // Nearest holder first, then the workspace's order (as `principal_access`).
            reaches.sort_by_key(|x| (x.depth, x.holder, x.grant));
            let mut set = RoleSet::EMPTY;
            let mut reasons: Vec<Reason> = Vec::new();
            for x in reaches {
                let reason = self.reason_with(x.grant as usize, x.scope, x.chain);
                match self.tenant_refusal(p, x.holder, x.scope) {
                    Some(why) => ignored.push(self.ignored(reason, why)),
                    None => {
                        set.insert(reason.role);
                        reasons.push(reason);
                    }
                }
            }
            if set.is_empty() {
                continue;
            }
            let Some(principal) = self.dir.principal(p) else {
                continue;
            };
            listed.push(p);
            principals.push(Holder {
                principal: principal.name.clone(),
                kind: principal.kind,
                tenant: principal.tenant.clone(),
                roles: set.roles(),
                actions: set.actions_on(self.kind(r)),
                can_see: set.allows(Action::See),
                can_deploy: set.allows(Action::Deploy),
                why: reasons.iter().map(|x| x.text_for(&resource)).collect(),
                reasons,
            });
        }
        Ok(WhoReport {
            kind: self.kind(r),
            tenant: self.tenant_of(r).unwrap_or_default().to_owned(),
            resource,
            principals,
            ignored,
            cycles: self.dir.cycles_of_all(listed),
        })
    }
}
