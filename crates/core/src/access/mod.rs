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
//! one for a single question. Every answer costs time and memory in proportion to the
//! workspace and the answer: a chain of groups thousands deep is said with its ends and a count
//! ([`CHAIN_ENDS`]), never once per group for every member.

mod authorize;
mod deploy;
mod groups;
mod lookup;
pub mod permissions;
mod principal;
pub mod roles;
mod validate;
mod who;

use std::collections::HashMap;

use serde::Serialize;

pub use authorize::{Refusal, authorize, authorize_action, tenant_refusal};
pub use deploy::{DeployAnswer, can_deploy};
pub use groups::{CHAIN_ENDS, Cycle};
pub use lookup::Lookup;
pub use permissions::{Operation, Permissions};
pub use principal::PrincipalAccess;
pub use roles::{
    Action, ROLE_TABLE, RoleDefinition, RoleSet, role_definition_id, role_label, role_named,
};
pub use validate::validate;

use groups::{ChainNames, Directory};

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
    /// `[carol@contoso.com, web-team, app-teams]`; one name for a direct grant. Of a chain of
    /// more than `2 × CHAIN_ENDS` groups, the ends (see `skipped`).
    pub chain: Vec<String>,
    /// Groups of a long chain left out after its first `1 + CHAIN_ENDS` names.
    #[serde(skip_serializing_if = "is_zero")]
    pub skipped: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// `carol ← web-team ← app-teams`; a long chain as `u ← g1 ← g2 ← g3 ← g4 ← … 9992 more groups …
/// ← g9997 ← g9998 ← g9999 ← g10000`.
pub fn chain_text(chain: &[String], skipped: usize) -> String {
    let head = 1 + CHAIN_ENDS;
    if skipped == 0 || chain.len() <= head {
        return chain.join(" ← ");
    }
    format!(
        "{} ← … {} … ← {}",
        chain[..head].join(" ← "),
        crate::words::count(skipped, "more group", "more groups"),
        chain[head..].join(" ← ")
    )
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
            chain_text(&self.chain, self.skipped),
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
    #[serde(skip_serializing_if = "is_zero")]
    pub skipped: usize,
    pub why: String,
}

impl Ignored {
    pub fn text(&self) -> String {
        format!(
            "{}: {} on {} gives nothing: {}",
            chain_text(&self.chain, self.skipped),
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
    /// `[carol@contoso.com, web-team, app-teams]`; the ends of a long chain (see `skipped`).
    pub chain: Vec<String>,
    /// Groups of a long chain left out after its first `1 + CHAIN_ENDS` names.
    #[serde(skip_serializing_if = "is_zero")]
    pub skipped: usize,
}

impl Membership {
    /// `carol@contoso.com ← web-team ← app-teams`.
    pub fn chain_text(&self) -> String {
        chain_text(&self.chain, self.skipped)
    }
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
    /// The definition of a version, the gallery of a definition; `NONE` for a gallery.
    parent: u32,
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
    /// Per resource with grants on it: those grants.
    grants_on: HashMap<u32, Vec<u32>>,
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
                parent: NONE,
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
                    parent: g_id,
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
                        parent: d_id,
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
            grants_on: HashMap::new(),
        };
        for (i, grant) in ws.grants.iter().enumerate() {
            let scope = ResourcePath::parse(&grant.scope)
                .and_then(|p| index.resource_id(&p))
                .map_or(NONE, |r| r.0);
            index.grant_scope.push(scope);
            if scope != NONE {
                index.grants_on.entry(scope).or_default().push(i as u32);
            }
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

    /// The grants reaching principal `p`, nearest holder first (the principal itself, then its
    /// groups by depth, each depth in the workspace's order), each holder's in the workspace's
    /// order: `(grant, scope, link into p's groups, refusal)`.
    fn grants_reaching(&self, p: u32) -> Vec<(usize, u32, Option<usize>, Option<String>)> {
        let links = self.dir.groups_of(p);
        let mut found = Vec::new();
        for (holder, link) in self.dir.holders(p) {
            let Some(grants) = self.grants_of.get(holder as usize) else {
                continue;
            };
            let depth = link.and_then(|l| links.get(l)).map_or(0, |l| l.depth);
            for &g in grants {
                let scope = self.grant_scope.get(g as usize).copied().unwrap_or(NONE);
                if scope != NONE {
                    found.push(((depth, holder), g as usize, scope, link));
                }
            }
        }
        // Stable: a holder's grants stay in order.
        found.sort_by_key(|(key, ..)| *key);
        found
            .into_iter()
            .map(|((_, holder), g, scope, link)| {
                (g, scope, link, self.tenant_refusal(p, holder, scope))
            })
            .collect()
    }

    fn reason(&self, p: u32, grant: usize, scope: u32, link: Option<usize>) -> Reason {
        self.reason_with(grant, scope, self.dir.chain(p, link))
    }

    fn reason_with(&self, grant: usize, scope: u32, chain: ChainNames) -> Reason {
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
            chain: chain.names,
            skipped: chain.skipped,
        }
    }

    fn ignored(&self, reason: Reason, why: String) -> Ignored {
        Ignored {
            grant: reason.grant,
            role: reason.role,
            scope: reason.scope,
            chain: reason.chain,
            skipped: reason.skipped,
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

    /// Every principal's effective access, in the workspace's order.
    pub fn everyone(&self) -> impl Iterator<Item = PrincipalAccess<'_>> + '_ {
        (0..self.ws.principals.len() as u32).map(|p| self.access_of(p))
    }

    /// The resource and the ones above it: a version, its definition and its gallery.
    fn with_ancestors(&self, r: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::successors(Some(r), |&at| {
            self.nodes
                .get(at as usize)
                .map(|n| n.parent)
                .filter(|&parent| parent != NONE)
        })
    }

    /// Every membership cycle in the workspace.
    pub fn cycles(&self) -> &[Cycle] {
        self.dir.cycles()
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
