//! Role assignments in the az script: created with the object id (never looked up by name),
//! the role's GUID, the real scope and the assignment's own name when known; deleted by id.

use std::collections::HashMap;

use super::assign::{AssignmentItem, AssignmentScope};
use super::az::{Subject, Word};
use super::az_write::{Writer, flag, words};
use super::names;
use crate::access::roles::role_definition_id;
use crate::model::{Principal, Workspace};

/// Each workspace's principals by name (BEFORE and AFTER in a plan), built on first use:
/// `Workspace::principal` scans the list, once per assignment the square of 100,000.
#[derive(Default)]
pub(super) struct PrincipalNames<'w>(Vec<(&'w Workspace, HashMap<&'w str, &'w Principal>)>);

impl<'w> PrincipalNames<'w> {
    /// The principal named `name` in `ws` (as `Workspace::principal` finds it).
    fn get(&mut self, ws: &'w Workspace, name: &str) -> Option<&'w Principal> {
        let i = match self.0.iter().position(|(w, _)| std::ptr::eq(*w, ws)) {
            Some(i) => i,
            None => {
                let mut names = HashMap::with_capacity(ws.principals.len());
                for p in &ws.principals {
                    names.entry(p.name.as_str()).or_insert(p);
                }
                self.0.push((ws, names));
                self.0.len() - 1
            }
        };
        self.0[i].1.get(name).copied()
    }
}

impl<'w> Writer<'w> {
    /// The principal named `name` in the workspace in use.
    fn principal(&mut self, name: &str) -> Option<&'w Principal> {
        self.by_name.get(self.ws, name)
    }

    /// The object id of an assignment's principal: known, else a variable.
    fn assignee(&mut self, item: &AssignmentItem<'_>) -> Word {
        if let Some(id) = item.object_id() {
            return Word::lit(id);
        }
        let name = &item.grant.principal;
        let n = self.principals.len() + 1;
        let var = self
            .principals
            .entry(name.clone())
            .or_insert_with(|| format!("PRINCIPAL_OBJECT_ID_{n}"))
            .clone();
        let kind = self.principal(name).map_or("principal", |p| {
            names::name(&names::PRINCIPAL_TYPES, p.kind)
        });
        self.require(
            &var,
            format!("the object id (in Entra ID) of {kind} \"{name}\""),
            Subject::Principal(name.clone()),
        )
    }

    /// The ARM scope of an assignment and the subscription its calls use.
    fn assignment_scope(&mut self, item: &AssignmentItem<'_>) -> (Word, Word) {
        match &item.scope {
            AssignmentScope::Above(id) => {
                let sub = crate::model::azure::ArmId::parse(id)
                    .and_then(|a| a.subscription)
                    .map(Word::lit)
                    .unwrap_or_else(|| Word::lit(""));
                (Word::lit(*id), sub)
            }
            AssignmentScope::Resource { gallery, path } => {
                let id = self.resource_id(gallery, path.get(1).copied(), path.get(2).copied());
                (id, self.subscription(gallery))
            }
        }
    }

    pub fn create_assignment(&mut self, item: &AssignmentItem<'_>) {
        let assignee = self.assignee(item);
        let (scope, sub) = self.assignment_scope(item);
        let mut cmd = words(&["role", "assignment", "create", "--subscription"]);
        cmd.push(sub);
        cmd.extend([Word::lit("--assignee-object-id"), assignee]);
        if let Some(p) = self.principal(&item.grant.principal) {
            flag(
                &mut cmd,
                "--assignee-principal-type",
                names::name(&names::PRINCIPAL_TYPES, p.kind),
            );
        }
        cmd.extend([
            Word::lit("--role"),
            Word::lit(role_definition_id(item.grant.role)),
            Word::lit("--scope"),
            scope,
        ]);
        if let Some(name) = item.name() {
            flag(&mut cmd, "--name", name);
        }
        self.command(cmd);
    }

    /// Deletes an assignment: by its id when its name is known (a deleted principal cannot be
    /// looked up), else by object id, role and scope.
    pub fn delete_assignment(&mut self, item: &AssignmentItem<'_>) {
        let (scope, sub) = self.assignment_scope(item);
        let mut cmd = words(&["role", "assignment", "delete", "--subscription"]);
        cmd.push(sub);
        match item.name() {
            Some(name) => {
                cmd.push(Word::lit("--ids"));
                cmd.push(scope.then(Word::lit(format!(
                    "/providers/Microsoft.Authorization/roleAssignments/{name}"
                ))));
            }
            None => {
                let assignee = self.assignee(item);
                cmd.extend([
                    Word::lit("--assignee-object-id"),
                    assignee,
                    Word::lit("--role"),
                    Word::lit(role_definition_id(item.grant.role)),
                    Word::lit("--scope"),
                    scope,
                ]);
            }
        }
        self.command(cmd);
    }
}
