//! The resource tree: a flat list of visible rows built from the workspace, the expanded set
//! and the search filter. Rows hold indices, not text, so a rebuild over 100,000 versions is
//! cheap; drawing lays out only the rows on screen.

use std::collections::HashSet;

use crate::model::{
    AggregateState, ImageDefinition, ImageVersion, OsType, ResourcePath, Workspace, latest,
};

/// What a row shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// "Galleries (3)"; while searching, how many of them match ("Galleries (1 of 3)").
    GalleriesHeader {
        matched: Option<u32>,
    },
    ImagesHeader {
        matched: Option<u32>,
    },
    Gallery {
        g: u32,
    },
    Definition {
        g: u32,
        d: u32,
    },
    Version {
        g: u32,
        d: u32,
        v: u32,
        latest: bool,
    },
    Image {
        i: u32,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub kind: RowKind,
    pub depth: u8,
    pub has_children: bool,
    pub expanded: bool,
}

impl Row {
    /// The resource a row stands for (headers stand for none).
    pub fn path(&self, ws: &Workspace) -> Option<ResourcePath> {
        match self.kind {
            RowKind::GalleriesHeader { .. } | RowKind::ImagesHeader { .. } => None,
            RowKind::Gallery { g } => ws
                .galleries
                .get(g as usize)
                .map(|g| ResourcePath::gallery(&g.name)),
            RowKind::Definition { g, d } => {
                let g = ws.galleries.get(g as usize)?;
                g.definitions
                    .get(d as usize)
                    .map(|d| ResourcePath::definition(&g.name, &d.name))
            }
            RowKind::Version { g, d, v, .. } => {
                let g = ws.galleries.get(g as usize)?;
                let d = g.definitions.get(d as usize)?;
                d.versions
                    .get(v as usize)
                    .map(|v| ResourcePath::version(&g.name, &d.name, &v.name))
            }
            RowKind::Image { i } => ws
                .managed_images
                .get(i as usize)
                .map(|m| ResourcePath::managed_image(&m.name)),
        }
    }
}

/// Header identities in the expanded set.
pub const GALLERIES_HEADER: &str = "galleries";
pub const IMAGES_HEADER: &str = "managed images";

/// What the search box filters by: every word must match a row's name, OS, a region (short or
/// display name) or its replication state; a match keeps its ancestors visible.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    words: Vec<String>,
}

impl Filter {
    pub fn new(text: &str) -> Self {
        Self {
            words: text.split_whitespace().map(str::to_lowercase).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    fn matches_all(&self, mut matches_word: impl FnMut(&str) -> bool) -> bool {
        self.words.iter().all(|w| matches_word(w))
    }
}

fn contains(haystack: &str, word: &str) -> bool {
    haystack.to_lowercase().contains(word)
}

fn os_word(os: OsType) -> &'static str {
    match os {
        OsType::Linux => "linux",
        OsType::Windows => "windows",
    }
}

fn version_matches(word: &str, definition: &ImageDefinition, version: &ImageVersion) -> bool {
    contains(&version.name, word)
        || os_word(definition.os_type).contains(word)
        || contains(&definition.name, word)
        || version
            .aggregate_state()
            .label()
            .to_lowercase()
            .replace(' ', "")
            .contains(&word.replace(' ', ""))
        || version.target_regions.iter().any(|t| {
            t.region.name().contains(word)
                || contains(t.region.display_name(), word)
                || t.status.state.label().to_lowercase().contains(word)
        })
}

/// Builds the visible rows. `expanded` holds the paths (as text) of expanded rows and headers.
pub fn build_rows(ws: &Workspace, expanded: &HashSet<String>, filter: &Filter) -> Vec<Row> {
    let mut rows = Vec::new();
    let filtering = !filter.is_empty();
    let is_open = |key: String| filtering || expanded.contains(&key);

    let galleries_open = is_open(GALLERIES_HEADER.to_owned());
    let matched = |rows: &[Row], from: usize, depth: u8| {
        filtering.then(|| rows[from..].iter().filter(|r| r.depth == depth).count() as u32)
    };
    rows.push(Row {
        kind: RowKind::GalleriesHeader { matched: None },
        depth: 0,
        has_children: !ws.galleries.is_empty(),
        expanded: galleries_open,
    });
    if galleries_open {
        for (gi, gallery) in ws.galleries.iter().enumerate() {
            let gallery_hit = filtering && filter.matches_all(|w| contains(&gallery.name, w));
            let mut children = Vec::new();
            let gallery_open = is_open(gallery.name.clone());
            for (di, definition) in gallery.definitions.iter().enumerate() {
                let definition_hit = filtering
                    && filter.matches_all(|w| {
                        contains(&definition.name, w)
                            || contains(&gallery.name, w)
                            || os_word(definition.os_type).contains(w)
                    });
                let latest_index = latest::latest(definition, None)
                    .and_then(|l| definition.versions.iter().position(|v| std::ptr::eq(v, l)));
                let mut version_rows = Vec::new();
                let definition_key = || format!("{}/{}", gallery.name, definition.name);
                let definition_open =
                    filtering || (gallery_open && expanded.contains(&definition_key()));
                if definition_open || filtering {
                    for vi in definition.versions_sorted() {
                        let version = &definition.versions[vi];
                        if filtering
                            && !definition_hit
                            && !gallery_hit
                            && !filter.matches_all(|w| version_matches(w, definition, version))
                        {
                            continue;
                        }
                        version_rows.push(Row {
                            kind: RowKind::Version {
                                g: gi as u32,
                                d: di as u32,
                                v: vi as u32,
                                latest: latest_index == Some(vi),
                            },
                            depth: 3,
                            has_children: false,
                            expanded: false,
                        });
                    }
                }
                if filtering && version_rows.is_empty() && !definition_hit && !gallery_hit {
                    continue;
                }
                children.push(Row {
                    kind: RowKind::Definition {
                        g: gi as u32,
                        d: di as u32,
                    },
                    depth: 2,
                    has_children: !definition.versions.is_empty(),
                    expanded: definition_open && !definition.versions.is_empty(),
                });
                if definition_open {
                    children.extend(version_rows);
                }
            }
            if filtering && children.is_empty() && !gallery_hit {
                continue;
            }
            rows.push(Row {
                kind: RowKind::Gallery { g: gi as u32 },
                depth: 1,
                has_children: !gallery.definitions.is_empty(),
                expanded: gallery_open && !gallery.definitions.is_empty(),
            });
            if gallery_open {
                rows.extend(children);
            }
        }
    }

    // Only shown galleries are counted; while searching every gallery row is shown.
    rows[0].kind = RowKind::GalleriesHeader {
        matched: matched(&rows, 1, 1),
    };
    image_rows(ws, &mut rows, is_open(IMAGES_HEADER.to_owned()), filter);
    rows
}

/// The managed images' header and rows (those matching the search), after the galleries'.
fn image_rows(ws: &Workspace, rows: &mut Vec<Row>, images_open: bool, filter: &Filter) {
    let filtering = !filter.is_empty();
    let images_header = rows.len();
    rows.push(Row {
        kind: RowKind::ImagesHeader { matched: None },
        depth: 0,
        has_children: !ws.managed_images.is_empty(),
        expanded: images_open,
    });
    if images_open {
        for (i, image) in ws.managed_images.iter().enumerate() {
            if filtering
                && !filter.matches_all(|w| {
                    contains(&image.name, w)
                        || os_word(image.os_type).contains(w)
                        || image.region.name().contains(w)
                        || contains(image.region.display_name(), w)
                })
            {
                continue;
            }
            rows.push(Row {
                kind: RowKind::Image { i: i as u32 },
                depth: 1,
                has_children: false,
                expanded: false,
            });
        }
    }
    let matched = filtering.then(|| {
        rows[images_header + 1..]
            .iter()
            .filter(|r| r.depth == 1)
            .count() as u32
    });
    rows[images_header].kind = RowKind::ImagesHeader { matched };
}

/// The key a row uses in the expanded set.
pub fn expand_key(row: &Row, ws: &Workspace) -> Option<String> {
    match row.kind {
        RowKind::GalleriesHeader { .. } => Some(GALLERIES_HEADER.to_owned()),
        RowKind::ImagesHeader { .. } => Some(IMAGES_HEADER.to_owned()),
        _ => row.path(ws).map(|p| p.to_string()),
    }
}

/// A compact text for a version's replication: `✔ 14/14`, `⟳ 9/14 62 %`, `✖ 1 failed`.
pub fn replication_badge(version: &ImageVersion) -> (AggregateState, String) {
    let total = version.target_regions.len();
    let done = version
        .target_regions
        .iter()
        .filter(|t| t.status.state == crate::model::RegionState::Completed)
        .count();
    let state = version.aggregate_state();
    let text = match state {
        AggregateState::Completed => format!("{done}/{total}"),
        AggregateState::Failed => {
            let failed = version
                .target_regions
                .iter()
                .filter(|t| t.status.state == crate::model::RegionState::Failed)
                .count();
            format!("{failed} failed")
        }
        AggregateState::InProgress => {
            let progress: u32 = version
                .target_regions
                .iter()
                .map(|t| u32::from(t.status.progress))
                .sum();
            let percent = if total == 0 {
                0
            } else {
                progress / total as u32
            };
            format!("{done}/{total} {percent} %")
        }
        AggregateState::Unknown => format!("{done}/{total}"),
    };
    (state, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample;

    fn all_expanded(ws: &Workspace) -> HashSet<String> {
        let mut set: HashSet<String> =
            [GALLERIES_HEADER.to_owned(), IMAGES_HEADER.to_owned()].into();
        for g in &ws.galleries {
            set.insert(g.name.clone());
            for d in &g.definitions {
                set.insert(format!("{}/{}", g.name, d.name));
            }
        }
        set
    }

    fn names(ws: &Workspace, rows: &[Row]) -> Vec<String> {
        rows.iter()
            .filter_map(|r| r.path(ws))
            .map(|p| p.name().to_owned())
            .collect()
    }

    #[test]
    fn versions_sort_numerically_and_latest_is_marked() {
        let ws = sample();
        let rows = build_rows(&ws, &all_expanded(&ws), &Filter::default());
        let names = names(&ws, &rows);
        let ubuntu: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|n| n.starts_with("1.0."))
            .collect();
        assert_eq!(ubuntu, ["1.0.8", "1.0.9", "1.0.12"]);
        let latest: Vec<String> = rows
            .iter()
            .filter(|r| matches!(r.kind, RowKind::Version { latest: true, .. }))
            .filter_map(|r| r.path(&ws))
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            latest,
            [
                "contoso_images/win2022-datacenter/2026.9.0",
                "contoso_images/ubuntu-2204-base/1.0.12"
            ]
        );
    }

    #[test]
    fn collapsed_shows_only_headers_and_galleries() {
        let ws = sample();
        let expanded: HashSet<String> = [GALLERIES_HEADER.to_owned()].into();
        let rows = build_rows(&ws, &expanded, &Filter::default());
        assert_eq!(rows.len(), 3);
    }

    #[test]
    fn filter_by_name_os_region_and_state() {
        let ws = sample();
        let expanded = HashSet::new();
        let rows = build_rows(&ws, &expanded, &Filter::new("1.0.12"));
        assert!(names(&ws, &rows).contains(&"1.0.12".to_owned()));
        assert!(!names(&ws, &rows).contains(&"1.0.9".to_owned()));
        // Ancestors stay visible.
        assert!(names(&ws, &rows).contains(&"ubuntu-2204-base".to_owned()));

        let rows = build_rows(&ws, &expanded, &Filter::new("windows"));
        assert!(names(&ws, &rows).contains(&"2026.9.0".to_owned()));
        assert!(!names(&ws, &rows).contains(&"1.0.12".to_owned()));
        assert!(
            names(&ws, &rows).contains(&"win2022-dc-2026-07".to_owned()),
            "managed images filter by OS too"
        );

        let rows = build_rows(&ws, &expanded, &Filter::new("replicating"));
        assert_eq!(
            names(&ws, &rows)
                .iter()
                .filter(|n| n.starts_with('1') || n.starts_with('2'))
                .collect::<Vec<_>>(),
            ["1.0.12"]
        );

        let rows = build_rows(&ws, &expanded, &Filter::new("South India"));
        let found = names(&ws, &rows);
        assert!(found.contains(&"2026.9.0".to_owned()) && found.contains(&"1.0.12".to_owned()));
        assert!(!found.contains(&"2026.8.0".to_owned()));
    }
}
