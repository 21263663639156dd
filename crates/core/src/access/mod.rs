//! Access: principals, grants and effective access, each answer with its reasons.
//!
//! A grant covers its resource and everything below it, never above (the seed's sharing matrix):
//! a grant at a gallery covers its definitions and versions, at a definition its versions, at a
//! version only itself. Group members get their groups' grants at any depth. Only principals of
//! the gallery's tenant get anything; a grant that would reach another tenant's principal is
//! reported as ignored, with the reason.
//!
//! [`AccessIndex`] resolves group closures and indexes grants once per workspace state; the free
//! functions ([`principal_access`], [`who`], [`can_deploy`], [`authorize`], [`validate`]) build
//! one for a single question.

mod authorize;
mod deploy;
mod groups;
pub mod permissions;
pub mod roles;
mod validate;

use std::collections::HashMap;

use serde::Serialize;

pub use authorize::{Refusal, authorize, authorize_action, tenant_refusal};
pub use deploy::{DeployAnswer, can_deploy};
pub use groups::Cycle;
pub use permissions::{Operation, Permissions};
pub use roles::{
    Action, ROLE_TABLE, RoleDefinition, RoleSet, role_definition_id, role_label, role_named,
};
pub use validate::validate;

use groups::Directory;

use crate::model::{PrincipalKind, ResourcePath, Role, Workspace};

/// Why a question could not be answered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    #[error("There is no principal named \"{0}\" in this workspace")]
    UnknownPrincipal(String),
    #[error("{0}: there is no gallery, image definition or image version at this path")]
    UnknownResource(String),
    #[error(
        "{0}: only image versions, and image definitions (for their latest version), can be deployed"
    )]
    NotDeployable(String),
}

/// One grant that gives a principal a role, and how it reaches the principal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reason {
    /// Index of the grant in the workspace's grants.
    pub grant: usize,
    pub role: Role,
    /// The resource the grant is on.
    pub scope: String,
    /// What kind of resource the scope is ("gallery", "image definition", "image version").
    pub scope_kind: &'static str,
    /// From the principal asked about to the principal named in the grant:
    /// `[carol@contoso.com, web-team, app-teams]`; one name for a direct grant.
    pub chain: Vec<String>,
}

impl Reason {
    /// The principal named in the grant (the principal itself, or one of its groups).
    pub fn holder(&self) -> &str {
        self.chain.last().map_or("", String::as_str)
    }

    /// `carol@contoso.com ← web-team ← app-teams: Reader on contoso_images/ubuntu-2204-base`.
    pub fn text(&self) -> String {
        format!(
            "{}: {} on {}",
            self.chain.join(" ← "),
            role_label(self.role),
            self.scope
        )
    }

    /// As [`Reason::text`], saying where the role is inherited from when `resource` lies below
    /// the grant's scope.
    pub fn text_for(&self, resource: &str) -> String {
        if resource == self.scope {
            self.text()
        } else {
            format!("{} (inherited from the {})", self.text(), self.scope_kind)
        }
    }
}

/// A grant that would reach a principal but gives nothing, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ignored {
    pub grant: usize,
    pub role: Role,
    pub scope: String,
    pub chain: Vec<String>,
    pub why: String,
}

impl Ignored {
    pub fn text(&self) -> String {
        format!(
            "{}: {} on {} gives nothing: {}",
            self.chain.join(" ← "),
            role_label(self.role),
            self.scope,
            self.why
        )
    }
}

/// A group a principal belongs to, and the chain that makes it a member.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Membership {
    pub group: String,
    /// `[carol@contoso.com, web-team, app-teams]`.
    pub chain: Vec<String>,
}

/// A resource with the roles a principal holds on it, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResourceAccess {
    pub path: String,
    pub kind: &'static str,
    pub roles: Vec<Role>,
    pub actions: Vec<Action>,
    pub reasons: Vec<Reason>,
    /// The reasons as sentences, inheritance spelled out.
    pub why: Vec<String>,
}

/// What a principal can see and do, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrincipalReport {
    pub principal: String,
    pub kind: PrincipalKind,
    pub tenant: String,
    pub member_of: Vec<Membership>,
    /// Every resource the principal holds a role on, in document order.
    pub resources: Vec<ResourceAccess>,
    pub ignored: Vec<Ignored>,
    pub cycles: Vec<Cycle>,
}

/// A principal's roles on one resource, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Holder {
    pub principal: String,
    pub kind: PrincipalKind,
    pub tenant: String,
    pub roles: Vec<Role>,
    pub actions: Vec<Action>,
    pub can_see: bool,
    pub can_deploy: bool,
    pub reasons: Vec<Reason>,
    pub why: Vec<String>,
}

/// Who holds a role on a resource, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WhoReport {
    pub resource: String,
    pub kind: &'static str,
    pub tenant: String,
    /// Every principal with a role on the resource, in the workspace's order.
    pub principals: Vec<Holder>,
    /// Grants covering the resource that reach a principal but give it nothing.
    pub ignored: Vec<Ignored>,
    pub cycles: Vec<Cycle>,
}

/// A gallery, image definition or image version, by its position in an [`AccessIndex`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId(u32);

const NONE: u32 = u32::MAX;

/// A resource in pre-order (a gallery, its first definition, that definition's versions, …),
/// so a resource's subtree is the id range `[id, end)`.
struct Node {
    end: u32,
    gallery: u32,
    definition: u32,
    version: u32,
}

/// The workspace's principals, resources and grants, indexed for access questions.
pub struct AccessIndex<'w> {
    ws: &'w Workspace,
    dir: Directory<'w>,
    nodes: Vec<Node>,
    galleries: HashMap<&'w str, u32>,
    children: HashMap<(u32, &'w str), u32>,
    /// Per grant: the resource it is on (`NONE` when the scope names nothing).
    grant_scope: Vec<u32>,
    /// Per principal: its grants.
    grants_of: Vec<Vec<u32>>,
}

impl<'w> AccessIndex<'w> {
    pub fn new(ws: &'w Workspace) -> Self {
        let dir = Directory::new(&ws.principals);
        let mut nodes = Vec::with_capacity(ws.version_count() + ws.galleries.len() * 8);
        let mut galleries = HashMap::with_capacity(ws.galleries.len());
        let mut children = HashMap::with_capacity(nodes.capacity());
        for (gi, gallery) in ws.galleries.iter().enumerate() {
            let g_id = nodes.len() as u32;
            galleries.entry(gallery.name.as_str()).or_insert(g_id);
            nodes.push(Node {
                end: NONE,
                gallery: gi as u32,
                definition: NONE,
                version: NONE,
            });
            for (di, definition) in gallery.definitions.iter().enumerate() {
                let d_id = nodes.len() as u32;
                children
                    .entry((g_id, definition.name.as_str()))
                    .or_insert(d_id);
                nodes.push(Node {
                    end: NONE,
                    gallery: gi as u32,
                    definition: di as u32,
                    version: NONE,
                });
                for (vi, version) in definition.versions.iter().enumerate() {
                    let v_id = nodes.len() as u32;
                    children
                        .entry((d_id, version.name.as_str()))
                        .or_insert(v_id);
                    nodes.push(Node {
                        end: v_id + 1,
                        gallery: gi as u32,
                        definition: di as u32,
                        version: vi as u32,
                    });
                }
                nodes[d_id as usize].end = nodes.len() as u32;
            }
            nodes[g_id as usize].end = nodes.len() as u32;
        }
        let mut index = Self {
            ws,
            dir,
            nodes,
            galleries,
            children,
            grant_scope: Vec::with_capacity(ws.grants.len()),
            grants_of: vec![Vec::new(); ws.principals.len()],
        };
        for (i, grant) in ws.grants.iter().enumerate() {
            let scope = ResourcePath::parse(&grant.scope)
                .and_then(|p| index.resource_id(&p))
                .map_or(NONE, |r| r.0);
            index.grant_scope.push(scope);
            if let Some(p) = index.dir.id(&grant.principal)
                && let Some(list) = index.grants_of.get_mut(p as usize)
            {
                list.push(i as u32);
            }
        }
        index
    }

    pub fn workspace(&self) -> &'w Workspace {
        self.ws
    }

    /// The resource at a gallery, definition or version path.
    pub fn resource_id(&self, path: &ResourcePath) -> Option<ResourceId> {
        let id = match path {
            ResourcePath::Gallery(g) => *self.galleries.get(g.as_str())?,
            ResourcePath::Definition(g, d) => {
                let g = *self.galleries.get(g.as_str())?;
                *self.children.get(&(g, d.as_str()))?
            }
            ResourcePath::Version(g, d, v) => {
                let g = *self.galleries.get(g.as_str())?;
                let d = *self.children.get(&(g, d.as_str()))?;
                *self.children.get(&(d, v.as_str()))?
            }
            _ => return None,
        };
        Some(ResourceId(id))
    }

    /// The path of a resource.
    pub fn path(&self, id: ResourceId) -> Option<ResourcePath> {
        let node = self.nodes.get(id.0 as usize)?;
        let gallery = self.ws.galleries.get(node.gallery as usize)?;
        if node.definition == NONE {
            return Some(ResourcePath::gallery(&gallery.name));
        }
        let definition = gallery.definitions.get(node.definition as usize)?;
        if node.version == NONE {
            return Some(ResourcePath::definition(&gallery.name, &definition.name));
        }
        let version = definition.versions.get(node.version as usize)?;
        Some(ResourcePath::version(
            &gallery.name,
            &definition.name,
            &version.name,
        ))
    }

    /// Every resource, in document order (each gallery, then its definitions and their versions).
    pub fn resource_ids(&self) -> impl Iterator<Item = ResourceId> + use<> {
        (0..self.nodes.len() as u32).map(ResourceId)
    }

    fn kind(&self, r: u32) -> &'static str {
        match self.nodes.get(r as usize) {
            Some(n) if n.definition == NONE => "gallery",
            Some(n) if n.version == NONE => "image definition",
            _ => "image version",
        }
    }

    fn path_text(&self, r: u32) -> String {
        self.path(ResourceId(r))
            .map(|p| p.to_string())
            .unwrap_or_default()
    }

    fn tenant_of(&self, r: u32) -> Option<&'w str> {
        let node = self.nodes.get(r as usize)?;
        self.ws
            .galleries
            .get(node.gallery as usize)
            .map(|g| g.tenant.as_str())
    }

    fn gallery_name(&self, r: u32) -> &'w str {
        self.nodes
            .get(r as usize)
            .and_then(|n| self.ws.galleries.get(n.gallery as usize))
            .map_or("", |g| g.name.as_str())
    }

    fn covers(&self, scope: u32, r: u32) -> bool {
        self.nodes
            .get(scope as usize)
            .is_some_and(|n| scope <= r && r < n.end)
    }

    /// Why a grant on `scope` held by `holder` gives principal `p` nothing, if it does not.
    fn tenant_refusal(&self, p: u32, holder: u32, scope: u32) -> Option<String> {
        let tenant = self.tenant_of(scope)?;
        let principal = self.dir.principal(p)?;
        if principal.tenant != tenant {
            return Some(format!(
                "{} belongs to tenant \"{}\", but gallery \"{}\" belongs to tenant \"{tenant}\", and sharing stays within one tenant",
                principal.name,
                principal.tenant,
                self.gallery_name(scope)
            ));
        }
        let holder = self.dir.principal(holder)?;
        if holder.tenant != tenant {
            return Some(format!(
                "the grant names {} of tenant \"{}\", but gallery \"{}\" belongs to tenant \"{tenant}\"",
                holder.name,
                holder.tenant,
                self.gallery_name(scope)
            ));
        }
        None
    }

    /// Visits the grants reaching principal `p` whose scope satisfies `wanted`:
    /// `(grant, scope, link into p's groups, refusal)`.
    fn grants_reaching(
        &self,
        p: u32,
        wanted: impl Fn(u32) -> bool,
        mut visit: impl FnMut(usize, u32, Option<usize>, Option<String>),
    ) {
        for (holder, link) in self.dir.holders(p) {
            let Some(grants) = self.grants_of.get(holder as usize) else {
                continue;
            };
            for &g in grants {
                let scope = self.grant_scope.get(g as usize).copied().unwrap_or(NONE);
                if scope == NONE || !wanted(scope) {
                    continue;
                }
                visit(
                    g as usize,
                    scope,
                    link,
                    self.tenant_refusal(p, holder, scope),
                );
            }
        }
    }

    fn reason(&self, p: u32, grant: usize, scope: u32, link: Option<usize>) -> Reason {
        Reason {
            grant,
            role: self
                .ws
                .grants
                .get(grant)
                .map(|g| g.role)
                .unwrap_or_default(),
            scope: self.path_text(scope),
            scope_kind: self.kind(scope),
            chain: self.dir.chain(p, link),
        }
    }

    fn ignored(&self, reason: Reason, why: String) -> Ignored {
        Ignored {
            grant: reason.grant,
            role: reason.role,
            scope: reason.scope,
            chain: reason.chain,
            why,
        }
    }

    /// The effective access of a principal over every resource.
    pub fn principal_access(&self, name: &str) -> Result<PrincipalAccess<'_>, AccessError> {
        let p = self
            .dir
            .id(name)
            .ok_or_else(|| AccessError::UnknownPrincipal(name.to_owned()))?;
        Ok(self.access_of(p))
    }

    fn access_of(&self, p: u32) -> PrincipalAccess<'_> {
        let mut roles = vec![RoleSet::EMPTY; self.nodes.len()];
        let mut hits = Vec::new();
        let mut ignored = Vec::new();
        self.grants_reaching(
            p,
            |_| true,
            |grant, scope, link, refusal| match refusal {
                Some(why) => ignored.push(self.ignored(self.reason(p, grant, scope, link), why)),
                None => hits.push(Hit {
                    grant: grant as u32,
                    scope,
                    link: link.map_or(NONE, |l| l as u32),
                }),
            },
        );
        // One fill per scope, whatever the number of grants on it.
        let mut fills: Vec<(u32, RoleSet)> = hits
            .iter()
            .map(|h| {
                let role = self.ws.grants.get(h.grant as usize).map(|g| g.role);
                (h.scope, role.map_or(RoleSet::EMPTY, RoleSet::of))
            })
            .collect();
        fills.sort_unstable_by_key(|(scope, _)| *scope);
        fills.dedup_by(|next, kept| {
            let same = next.0 == kept.0;
            if same {
                kept.1 |= next.1;
            }
            same
        });
        for (scope, set) in fills {
            let end = self.nodes.get(scope as usize).map_or(scope, |n| n.end);
            if let Some(cells) = roles.get_mut(scope as usize..end as usize) {
                for cell in cells {
                    *cell |= set;
                }
            }
        }
        PrincipalAccess {
            index: self,
            principal: p,
            roles,
            hits,
            ignored,
        }
    }

    /// Every principal's effective access, in the workspace's order.
    pub fn everyone(&self) -> impl Iterator<Item = PrincipalAccess<'_>> + '_ {
        (0..self.ws.principals.len() as u32).map(|p| self.access_of(p))
    }

    /// Who holds a role on the resource at `path`, and why.
    pub fn who(&self, path: &ResourcePath) -> Result<WhoReport, AccessError> {
        let r = self
            .resource_id(path)
            .ok_or_else(|| AccessError::UnknownResource(path.to_string()))?
            .0;
        let resource = self.path_text(r);
        let mut principals = Vec::new();
        let mut ignored = Vec::new();
        let mut cycles: Vec<Cycle> = Vec::new();
        for p in 0..self.ws.principals.len() as u32 {
            let mut set = RoleSet::EMPTY;
            let mut reasons = Vec::new();
            self.grants_reaching(
                p,
                |scope| self.covers(scope, r),
                |grant, scope, link, refusal| {
                    let reason = self.reason(p, grant, scope, link);
                    match refusal {
                        Some(why) => ignored.push(self.ignored(reason, why)),
                        None => {
                            set.insert(reason.role);
                            reasons.push(reason);
                        }
                    }
                },
            );
            if set.is_empty() {
                continue;
            }
            for cycle in self.dir.cycles_of(p) {
                if !cycles.contains(&cycle) {
                    cycles.push(cycle);
                }
            }
            let Some(principal) = self.dir.principal(p) else {
                continue;
            };
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
            cycles,
        })
    }

    /// Every membership cycle in the workspace.
    pub fn cycles(&self) -> &[Cycle] {
        self.dir.cycles()
    }
}

/// A grant reaching a principal, kept as numbers; [`Reason`]s are built from it on demand.
struct Hit {
    grant: u32,
    scope: u32,
    /// Index into the principal's groups of the grant's holder, or `NONE` for a direct grant.
    link: u32,
}

/// One principal's effective roles on every resource, with the grants that give them. The
/// reasons are kept as references and put into words only when asked for.
pub struct PrincipalAccess<'a> {
    index: &'a AccessIndex<'a>,
    principal: u32,
    /// Per resource (by `ResourceId`), the roles held.
    roles: Vec<RoleSet>,
    hits: Vec<Hit>,
    ignored: Vec<Ignored>,
}

impl PrincipalAccess<'_> {
    pub fn name(&self) -> &str {
        self.index.dir.name(self.principal)
    }

    /// The roles held on a resource.
    pub fn roles_at(&self, id: ResourceId) -> RoleSet {
        self.roles.get(id.0 as usize).copied().unwrap_or_default()
    }

    /// The roles held on the resource at `path` (none when there is no such resource).
    pub fn roles_on(&self, path: &ResourcePath) -> RoleSet {
        self.index
            .resource_id(path)
            .map_or(RoleSet::EMPTY, |id| self.roles_at(id))
    }

    /// Whether the principal may do `action` on the resource at `path`.
    pub fn can(&self, action: Action, path: &ResourcePath) -> bool {
        self.roles_on(path).allows(action)
    }

    fn reason_of(&self, hit: &Hit) -> Reason {
        let link = (hit.link != NONE).then_some(hit.link as usize);
        self.index
            .reason(self.principal, hit.grant as usize, hit.scope, link)
    }

    /// The grants that give the principal its roles on a resource.
    pub fn reasons_at(&self, id: ResourceId) -> Vec<Reason> {
        self.hits
            .iter()
            .filter(|hit| self.index.covers(hit.scope, id.0))
            .map(|hit| self.reason_of(hit))
            .collect()
    }

    /// The grants that give the principal its roles on the resource at `path`.
    pub fn reasons_on(&self, path: &ResourcePath) -> Vec<Reason> {
        self.index
            .resource_id(path)
            .map(|id| self.reasons_at(id))
            .unwrap_or_default()
    }

    /// Every grant that reaches the principal and counts.
    pub fn reasons(&self) -> Vec<Reason> {
        self.hits.iter().map(|hit| self.reason_of(hit)).collect()
    }

    /// How many grants reach the principal and count (without putting them into words).
    pub fn reason_count(&self) -> usize {
        self.hits.len()
    }

    /// Grants that reach the principal but give nothing (another tenant), with why.
    pub fn ignored(&self) -> &[Ignored] {
        &self.ignored
    }

    /// How many resources the principal may do `action` on.
    pub fn count(&self, action: Action) -> usize {
        self.roles.iter().filter(|r| r.allows(action)).count()
    }

    /// The groups the principal belongs to at any depth, each with its chain.
    pub fn member_of(&self) -> Vec<Membership> {
        let dir = &self.index.dir;
        dir.groups_of(self.principal)
            .iter()
            .enumerate()
            .map(|(i, link)| Membership {
                group: dir.name(link.group).to_owned(),
                chain: dir.chain(self.principal, Some(i)),
            })
            .collect()
    }

    /// Membership cycles among the principal's groups.
    pub fn cycles(&self) -> Vec<Cycle> {
        self.index.dir.cycles_of(self.principal)
    }

    /// The full answer: every resource with roles and reasons.
    pub fn report(&self) -> PrincipalReport {
        let index = self.index;
        let principal = index.dir.principal(self.principal);
        let resources = self
            .roles
            .iter()
            .enumerate()
            .filter(|(_, set)| !set.is_empty())
            .map(|(r, set)| {
                let id = ResourceId(r as u32);
                let path = index.path_text(id.0);
                let reasons = self.reasons_at(id);
                ResourceAccess {
                    kind: index.kind(id.0),
                    roles: set.roles(),
                    actions: set.actions_on(index.kind(id.0)),
                    why: reasons.iter().map(|x| x.text_for(&path)).collect(),
                    reasons,
                    path,
                }
            })
            .collect();
        PrincipalReport {
            principal: self.name().to_owned(),
            kind: principal.map(|p| p.kind).unwrap_or_default(),
            tenant: principal.map(|p| p.tenant.clone()).unwrap_or_default(),
            member_of: self.member_of(),
            resources,
            ignored: self.ignored.clone(),
            cycles: self.cycles(),
        }
    }
}

/// What principal `name` can see and do, every resource with its roles and reasons.
pub fn principal_access(ws: &Workspace, name: &str) -> Result<PrincipalReport, AccessError> {
    Ok(AccessIndex::new(ws).principal_access(name)?.report())
}

/// Who holds a role on the resource at `path` (who can see, deploy or manage it), and why.
pub fn who(ws: &Workspace, path: &ResourcePath) -> Result<WhoReport, AccessError> {
    AccessIndex::new(ws).who(path)
}
