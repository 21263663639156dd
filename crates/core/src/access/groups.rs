//! Group membership: every group a principal belongs to at any depth, with the chain that makes
//! it a member, resolved once per workspace; membership cycles found, never looped on.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Serialize;

use crate::model::{Principal, PrincipalKind};

/// Marks a link reached directly from the principal itself.
const DIRECT: u32 = u32::MAX;

/// Groups a chain too long to list whole shows at each end (the rest is counted): every report
/// of a principal in a chain thousands of groups deep then stays as long as the chain, not as
/// its square.
pub const CHAIN_ENDS: usize = 4;

/// A group a principal belongs to, and through which group it was reached.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Link {
    pub group: u32,
    /// Index in the same closure list of the group this one contains, or `DIRECT`.
    via: u32,
    /// How many memberships from the principal: 1 for a group listing it.
    pub depth: u32,
    /// Index of the link on this one's chain at depth `CHAIN_ENDS` (this one when less deep):
    /// where the first part of a long chain ends.
    anchor: u32,
}

/// Names from a principal to the holder of a grant, with the middle of a long chain left out:
/// `skipped` groups after the first `1 + CHAIN_ENDS` names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChainNames {
    pub names: Vec<String>,
    pub skipped: usize,
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
///
/// Linear in the principals and memberships: the strongly connected components of the
/// membership graph (Tarjan) give the cycles, one per set of groups that contain each other,
/// and the groups a principal belongs to are worked out only when asked for, once, by a
/// breadth-first search over the memberships (so asking about one principal costs only the
/// groups it can reach, never every principal's).
pub(crate) struct Directory<'w> {
    pub principals: &'w [Principal],
    ids: HashMap<&'w str, u32>,
    /// member → the groups that list it.
    member_of: Vec<Vec<u32>>,
    /// group → the principals it lists (the same edges the other way).
    members: Vec<Vec<u32>>,
    /// Per principal: every group containing it at any depth, breadth-first (shortest chains),
    /// filled the first time it is asked for.
    closure: Vec<OnceLock<Vec<Link>>>,
    /// Per principal: its strongly connected component.
    component: Vec<u32>,
    /// Per component: its index in `cycles`, or `NONE` when it holds no cycle.
    cycle_of_component: Vec<u32>,
    cycles: Vec<Cycle>,
}

const NONE: u32 = u32::MAX;

impl<'w> Directory<'w> {
    pub fn new(principals: &'w [Principal]) -> Self {
        let count = principals.len();
        let mut ids = HashMap::with_capacity(count);
        for (i, p) in principals.iter().enumerate() {
            ids.entry(p.name.as_str()).or_insert(i as u32);
        }
        let mut member_of: Vec<Vec<u32>> = vec![Vec::new(); count];
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); count];
        for (g, group) in principals.iter().enumerate() {
            if group.kind != PrincipalKind::Group
                || ids.get(group.name.as_str()) != Some(&(g as u32))
            {
                continue;
            }
            for member in &group.members {
                if let Some(&m) = ids.get(member.as_str()) {
                    let list = &mut member_of[m as usize];
                    // Groups are visited in order, so a group listing a member twice is its last entry.
                    if list.last() != Some(&(g as u32)) {
                        list.push(g as u32);
                        members[g].push(m);
                    }
                }
            }
        }
        let (component, components) = strongly_connected(&member_of);
        let mut dir = Self {
            principals,
            ids,
            member_of,
            members,
            closure: (0..count).map(|_| OnceLock::new()).collect(),
            component,
            cycle_of_component: vec![NONE; components],
            cycles: Vec::new(),
        };
        dir.find_cycles(components);
        dir
    }

    /// One cycle per component that holds one (two or more groups, or a group containing
    /// itself): the shortest way from its first principal back to itself, in workspace order.
    fn find_cycles(&mut self, components: usize) {
        let mut size = vec![0u32; components];
        let mut first = vec![NONE; components];
        for (p, &c) in self.component.iter().enumerate() {
            size[c as usize] += 1;
            if first[c as usize] == NONE {
                first[c as usize] = p as u32;
            }
        }
        for (p, &c) in self.component.iter().enumerate() {
            if first[c as usize] != p as u32 {
                continue;
            }
            let self_loop = self.member_of[p].contains(&(p as u32));
            if size[c as usize] < 2 && !self_loop {
                continue;
            }
            let (links, back) = self.search(p as u32, |g| self.component[g as usize] == c, true);
            let mut ids = vec![p as u32];
            if let Some(back) = back
                && back != DIRECT
            {
                ids.extend(chain_ids(&links, back as usize));
            }
            let groups = ids.iter().map(|&i| self.name(i).to_owned()).collect();
            self.cycle_of_component[c as usize] = self.cycles.len() as u32;
            self.cycles.push(Cycle { groups });
        }
    }

    /// Breadth-first over the groups containing `start` (through groups `keep` accepts): the
    /// links found, and the link whose group contains `start` again, if any. With
    /// `stop_at_back`, stops as soon as that link is found.
    fn search(
        &self,
        start: u32,
        keep: impl Fn(u32) -> bool,
        stop_at_back: bool,
    ) -> (Vec<Link>, Option<u32>) {
        let direct = |group| Link {
            group,
            via: DIRECT,
            depth: 0,
            anchor: 0,
        };
        let mut queue: Vec<Link> = self.member_of[start as usize]
            .iter()
            .map(|&g| direct(g))
            .collect();
        let mut seen: HashSet<u32> = HashSet::new();
        let mut kept = Vec::new();
        let mut back = None;
        let mut next = 0;
        while next < queue.len() {
            let link = queue[next];
            next += 1;
            if link.group == start {
                back.get_or_insert(link.via);
                if stop_at_back {
                    break;
                }
                continue;
            }
            if !keep(link.group) || !seen.insert(link.group) {
                continue;
            }
            let here = kept.len() as u32;
            let below = kept
                .get(link.via as usize)
                .map(|l: &Link| (l.depth, l.anchor));
            let depth = below.map_or(1, |(depth, _)| depth + 1);
            let anchor = match below {
                Some((_, anchor)) if depth as usize > CHAIN_ENDS => anchor,
                _ => here,
            };
            kept.push(Link {
                depth,
                anchor,
                ..link
            });
            queue.extend(
                self.member_of[link.group as usize]
                    .iter()
                    .map(|&group| Link {
                        group,
                        via: here,
                        depth: 0,
                        anchor: 0,
                    }),
            );
        }
        (kept, back)
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

    /// The groups containing `id` at any depth (not `id` itself), shortest chains first.
    pub fn groups_of(&self, id: u32) -> &[Link] {
        self.closure.get(id as usize).map_or(&[], |cell| {
            cell.get_or_init(|| self.search(id, |_| true, false).0)
                .as_slice()
        })
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

    /// Names from the principal to the holder: `[carol, web-team, app-teams]`; a chain of more
    /// than `2 × CHAIN_ENDS` groups shows as many at each end and counts the rest. Costs the
    /// names shown, however deep the chain.
    pub fn chain(&self, id: u32, link: Option<usize>) -> ChainNames {
        let mut names = vec![self.name(id).to_owned()];
        let links = self.groups_of(id);
        let Some(last) = link.and_then(|l| links.get(l)) else {
            return ChainNames { names, skipped: 0 };
        };
        let depth = last.depth as usize;
        let (ids, skipped) = match link {
            Some(link) if depth <= 2 * CHAIN_ENDS => (chain_ids(links, link), 0),
            Some(link) => {
                let mut ids = chain_ids(links, last.anchor as usize);
                let mut tail = Vec::with_capacity(CHAIN_ENDS);
                let mut at = link as u32;
                while tail.len() < CHAIN_ENDS
                    && let Some(l) = links.get(at as usize)
                {
                    tail.push(l.group);
                    at = l.via;
                }
                ids.extend(tail.into_iter().rev());
                (ids, depth - 2 * CHAIN_ENDS)
            }
            None => (Vec::new(), 0),
        };
        names.extend(ids.into_iter().map(|g| self.name(g).to_owned()));
        ChainNames { names, skipped }
    }

    /// The groups `id` is a member of (directly).
    pub fn member_of(&self, id: u32) -> &[u32] {
        self.member_of.get(id as usize).map_or(&[], Vec::as_slice)
    }

    /// The principals group `id` lists (directly).
    pub fn members(&self, id: u32) -> &[u32] {
        self.members.get(id as usize).map_or(&[], Vec::as_slice)
    }

    /// How many principals the directory holds.
    pub fn len(&self) -> usize {
        self.principals.len()
    }

    /// The cycles among the groups of each principal of `starts` (or through it), each once, in
    /// the order the principals come (a principal's own in the order of `cycles`). Linear in the
    /// memberships, however many principals share their groups.
    pub fn cycles_of_all(&self, starts: impl IntoIterator<Item = u32>) -> Vec<Cycle> {
        let mut visited = vec![false; self.component.len()];
        let mut found = Vec::new();
        let mut queue = Vec::new();
        for start in starts {
            if visited.get(start as usize).is_none_or(|v| *v) {
                continue;
            }
            visited[start as usize] = true;
            queue.clear();
            queue.push(start);
            let mut numbers = Vec::new();
            let mut next = 0;
            while let Some(&p) = queue.get(next) {
                next += 1;
                if let Some(&n) = self
                    .component
                    .get(p as usize)
                    .and_then(|&c| self.cycle_of_component.get(c as usize))
                    && n != NONE
                {
                    numbers.push(n);
                }
                for &g in self.member_of(p) {
                    if !visited[g as usize] {
                        visited[g as usize] = true;
                        queue.push(g);
                    }
                }
            }
            numbers.sort_unstable();
            numbers.dedup();
            found.extend(numbers);
        }
        found
            .into_iter()
            .filter_map(|n| self.cycles.get(n as usize).cloned())
            .collect()
    }

    /// Every membership cycle in the workspace.
    pub fn cycles(&self) -> &[Cycle] {
        &self.cycles
    }

    /// The cycles among the principal's groups (or through the principal itself).
    pub fn cycles_of(&self, id: u32) -> Vec<Cycle> {
        if id as usize >= self.component.len() {
            return Vec::new();
        }
        let mut numbers: Vec<u32> = std::iter::once(id)
            .chain(self.groups_of(id).iter().map(|l| l.group))
            .filter_map(|p| self.component.get(p as usize))
            .filter_map(|&c| self.cycle_of_component.get(c as usize).copied())
            .filter(|&n| n != NONE)
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
            .into_iter()
            .filter_map(|n| self.cycles.get(n as usize).cloned())
            .collect()
    }
}

/// Group ids from the first link up to `links[link]`, following `via`.
fn chain_ids(links: &[Link], link: usize) -> Vec<u32> {
    let mut ids = Vec::new();
    let mut at = link as u32;
    while let Some(l) = links.get(at as usize) {
        ids.push(l.group);
        at = l.via;
    }
    ids.reverse();
    ids
}

/// Tarjan's strongly connected components, without recursion (a membership chain can be as
/// long as the principal list): each node's component, and how many there are.
fn strongly_connected(edges: &[Vec<u32>]) -> (Vec<u32>, usize) {
    let count = edges.len();
    let mut index = vec![NONE; count];
    let mut low = vec![0u32; count];
    let mut on_stack = vec![false; count];
    let mut component = vec![NONE; count];
    let mut stack: Vec<u32> = Vec::new();
    // (node, position of its next edge)
    let mut calls: Vec<(u32, usize)> = Vec::new();
    let mut next_index = 0u32;
    let mut components = 0u32;
    for root in 0..count {
        if index[root] != NONE {
            continue;
        }
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root as u32);
        on_stack[root] = true;
        calls.push((root as u32, 0));
        while let Some(&(v, pos)) = calls.last() {
            let v = v as usize;
            if let Some(&w) = edges[v].get(pos) {
                if let Some(top) = calls.last_mut() {
                    top.1 += 1;
                }
                let w = w as usize;
                if index[w] == NONE {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w as u32);
                    on_stack[w] = true;
                    calls.push((w as u32, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                let parent = parent as usize;
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w as usize] = false;
                    component[w as usize] = components;
                    if w as usize == v {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    (component, components as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str, members: &[&str]) -> Principal {
        Principal {
            name: name.to_owned(),
            kind: PrincipalKind::Group,
            tenant: "t".to_owned(),
            members: members.iter().map(|m| (*m).to_owned()).collect(),
        }
    }

    fn user(name: &str) -> Principal {
        Principal {
            name: name.to_owned(),
            kind: PrincipalKind::User,
            tenant: "t".to_owned(),
            members: Vec::new(),
        }
    }

    fn texts(cycles: &[Cycle]) -> Vec<String> {
        cycles.iter().map(Cycle::text).collect()
    }

    #[test]
    fn one_cycle_per_set_of_groups_containing_each_other() {
        let principals = vec![
            user("u"),
            group("a", &["u", "c"]),
            group("b", &["a"]),
            group("c", &["b"]),
            group("d", &["d"]),
            group("e", &["b"]),
            group("f", &["e"]),
            group("g", &["f"]),
        ];
        let dir = Directory::new(&principals);
        assert_eq!(texts(dir.cycles()), ["a ← b ← c ← a", "d ← d"]);
        // u reaches a, b, c (the cycle) and e, f, g above it.
        let names: Vec<&str> = dir.groups_of(0).iter().map(|l| dir.name(l.group)).collect();
        assert_eq!(names, ["a", "b", "c", "e", "f", "g"]);
        assert_eq!(dir.chain(0, Some(4)).names, ["u", "a", "b", "e", "f"]);
        assert_eq!(texts(&dir.cycles_of(0)), ["a ← b ← c ← a"]);
        assert_eq!(texts(&dir.cycles_of(4)), ["d ← d"]);
        assert!(
            dir.cycles_of(7).is_empty(),
            "g is above the cycle, not in it"
        );
    }

    #[test]
    fn long_chains_and_cycles_resolve_without_recursion() {
        // Deep enough to overflow a recursive search's stack.
        let n = 200_000;
        let name = |i: usize| format!("g{i}");
        let mut principals: Vec<Principal> = (0..n)
            .map(|i| {
                let member = if i == 0 { name(n - 1) } else { name(i - 1) };
                group(&name(i), &[member.as_str()])
            })
            .collect();
        principals.push(user("u"));
        let dir = Directory::new(&principals);
        assert_eq!(dir.cycles().len(), 1);
        assert_eq!(dir.cycles()[0].groups.len(), n);
        assert!(dir.groups_of(n as u32).is_empty(), "u is in no group");
    }
}
