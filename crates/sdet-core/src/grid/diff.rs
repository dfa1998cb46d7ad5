//! What a new SDET version asks of an ENT already audited: criteria added, removed, and changed
//! in level, wording, applicability or verification, matched by their stable ids.

use serde::Serialize;

use super::{Criterion, Grid};

/// One changed field of a criterion present in both grids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The field's name as in the grid files.
    pub field: &'static str,
    /// Its value in the old grid.
    pub old: String,
    /// Its value in the new grid.
    pub new: String,
}

/// A criterion present in both grids whose fields differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    /// Criterion id.
    pub id: String,
    /// The differences, level first.
    pub changes: Vec<FieldChange>,
}

/// A criterion present in one grid only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OneSided {
    /// Criterion id.
    pub id: String,
    /// Its level.
    pub level: String,
    /// Its French title.
    pub title: String,
}

/// The difference between two grids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GridDiff {
    /// The older SDET version.
    pub old: String,
    /// The newer SDET version.
    pub new: String,
    /// In the new grid only.
    pub added: Vec<OneSided>,
    /// In the old grid only.
    pub removed: Vec<OneSided>,
    /// In both, with differences.
    pub changed: Vec<Changed>,
    /// In both, identical.
    pub unchanged: usize,
}

/// Compares `old` and `new` criterion by criterion.
pub fn diff(old: &Grid, new: &Grid) -> GridDiff {
    let one_sided = |c: &Criterion| OneSided {
        id: c.id.clone(),
        level: c.level.to_string(),
        title: c.title.fr.clone(),
    };
    let added = new
        .criteria
        .iter()
        .filter(|c| old.criterion(&c.id).is_none())
        .map(one_sided)
        .collect();
    let removed = old
        .criteria
        .iter()
        .filter(|c| new.criterion(&c.id).is_none())
        .map(one_sided)
        .collect();
    let mut changed = Vec::new();
    let mut unchanged = 0;
    for n in &new.criteria {
        let Some(o) = old.criterion(&n.id) else {
            continue;
        };
        let changes = field_changes(o, n);
        if changes.is_empty() {
            unchanged += 1;
        } else {
            changed.push(Changed {
                id: n.id.clone(),
                changes,
            });
        }
    }
    GridDiff {
        old: old.sdet_version.clone(),
        new: new.sdet_version.clone(),
        added,
        removed,
        changed,
        unchanged,
    }
}

fn field_changes(o: &Criterion, n: &Criterion) -> Vec<FieldChange> {
    let join = |v: Vec<String>| v.join(", ");
    let degrees = |c: &Criterion| {
        join(
            c.applies_to
                .iter()
                .map(|d| d.as_str().to_string())
                .collect(),
        )
    };
    let refs = |c: &Criterion| join(c.sdet_refs.iter().map(ToString::to_string).collect());
    let fields: [(&'static str, String, String); 9] = [
        ("level", o.level.to_string(), n.level.to_string()),
        (
            "keyword",
            o.keyword.clone().unwrap_or_default(),
            n.keyword.clone().unwrap_or_default(),
        ),
        ("axis", o.axis.clone(), n.axis.clone()),
        ("title.fr", o.title.fr.clone(), n.title.fr.clone()),
        ("title.en", o.title.en.clone(), n.title.en.clone()),
        ("applies_to", degrees(o), degrees(n)),
        (
            "verification",
            o.verification.as_str().to_string(),
            n.verification.as_str().to_string(),
        ),
        ("probes", join(o.probes.clone()), join(n.probes.clone())),
        ("sdet_refs", refs(o), refs(n)),
    ];
    fields
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, old, new)| FieldChange { field, old, new })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::grid::{Formula, Level, Provenance, Verification};
    use crate::text::Text;

    fn criterion(id: &str, level: Level) -> Criterion {
        Criterion {
            id: id.into(),
            axis: "technique".into(),
            level,
            level_to_confirm: None,
            party: crate::grid::Party::Editeur,
            keyword: None,
            title: Text::new("titre", "title"),
            sdet_refs: vec![],
            applies_to: vec![crate::grid::Degree::Second],
            scope: None,
            verification: Verification::Declarative,
            probes: vec![],
            proof: None,
            rationale: None,
            remediation: None,
            provenance: Provenance::ToVerify("§1".into()),
            verified_by: vec![],
            supported_by: vec![],
        }
    }

    fn grid(version: &str, criteria: Vec<Criterion>) -> Grid {
        Grid {
            sdet_version: version.into(),
            title: Text::default(),
            published: None,
            sources: vec![],
            axes: vec![],
            criteria,
            formula: Formula {
                formula_version: 1,
                weights: BTreeMap::new(),
                declared_points: BTreeMap::new(),
                verdict_points: BTreeMap::new(),
            },
        }
    }

    #[test]
    fn finds_added_removed_and_raised_levels() {
        let old = grid(
            "1",
            vec![
                criterion("A-01", Level::Recommandation),
                criterion("B-01", Level::Exigence),
                criterion("C-01", Level::Exigence),
            ],
        );
        let new = grid(
            "2",
            vec![
                criterion("A-01", Level::Exigence),
                criterion("C-01", Level::Exigence),
                criterion("D-01", Level::Exigence),
            ],
        );
        let d = diff(&old, &new);
        assert_eq!(
            d.added.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["D-01"]
        );
        assert_eq!(
            d.removed.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["B-01"]
        );
        assert_eq!(d.unchanged, 1);
        assert_eq!(d.changed.len(), 1);
        assert_eq!(
            d.changed[0].changes,
            vec![FieldChange {
                field: "level",
                old: "recommandation".into(),
                new: "exigence".into()
            }]
        );
    }
}
