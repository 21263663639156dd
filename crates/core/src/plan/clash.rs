//! Names Azure takes for the same resource: it ignores case, so galleries `Images` and `images`
//! of one resource group are one gallery, and so are two definitions of a gallery, or two
//! versions of a definition, whose names differ only in case. A plan keys resources by their
//! Azure identity, so it would take one of the two and silently drop the other: it refuses
//! such a workspace instead (`validate` reports each as an error).

use std::collections::HashMap;

use crate::model::Workspace;

/// The first pair of resources in `ws` that Azure would take for one, said as a sentence.
pub fn name_clash(ws: &Workspace) -> Option<String> {
    let mut galleries: HashMap<(String, String, String), &str> = HashMap::new();
    for g in &ws.galleries {
        let key = (
            g.subscription.to_ascii_lowercase(),
            g.resource_group.to_ascii_lowercase(),
            g.name.to_ascii_lowercase(),
        );
        if let Some(first) = galleries.insert(key, &g.name) {
            return Some(clash("galleries", first, &g.name, ""));
        }
        let mut definitions: HashMap<String, &str> = HashMap::new();
        for d in &g.definitions {
            if let Some(first) = definitions.insert(d.name.to_ascii_lowercase(), &d.name) {
                let within = format!(" of gallery \"{}\"", g.name);
                return Some(clash("image definitions", first, &d.name, &within));
            }
            let mut versions: HashMap<String, &str> = HashMap::new();
            for v in &d.versions {
                if let Some(first) = versions.insert(v.name.to_ascii_lowercase(), &v.name) {
                    let within = format!(" of \"{}/{}\"", g.name, d.name);
                    return Some(clash("image versions", first, &v.name, &within));
                }
            }
        }
    }
    None
}

fn clash(what: &str, first: &str, second: &str, within: &str) -> String {
    format!(
        "the {what} \"{first}\" and \"{second}\"{within} are one resource to Azure, which ignores the case of names; rename or remove one before planning"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_differing_only_in_case_clash_at_every_level() {
        let ws = crate::sample::sample();
        assert_eq!(name_clash(&ws), None);
        let mut two = ws.clone();
        let mut copy = two.galleries[0].clone();
        copy.name = copy.name.to_uppercase();
        two.galleries.push(copy);
        assert!(name_clash(&two).unwrap().contains("galleries"));
        // In another resource group it is another gallery.
        two.galleries[1].resource_group.push_str("-other");
        assert_eq!(name_clash(&two), None);
        let mut defs = ws.clone();
        let mut copy = defs.galleries[0].definitions[0].clone();
        copy.name = copy.name.to_uppercase();
        defs.galleries[0].definitions.push(copy);
        assert!(name_clash(&defs).unwrap().contains("image definitions"));
        let mut versions = ws;
        let d = &mut versions.galleries[0].definitions[0];
        // Version names are digits: an exact repeat is the same clash.
        let copy = d.versions[0].clone();
        d.versions.push(copy);
        assert!(name_clash(&versions).unwrap().contains("image versions"));
    }
}
