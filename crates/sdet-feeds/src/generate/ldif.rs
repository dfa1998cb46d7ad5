//! The directory an ENT makes of the synthetic export, as LDIF for `slapadd` (the reconciliation
//! benchmark, `bench/reconcile.sh`): the same structures and people, mapped as
//! `fixtures/annuaire/reconcile/make_ldif.py` maps the fixture export — structures named by SIREN,
//! the AAF key in `ENTPersonJointure` (`AC-POITIERS$<id>`), structures and classes as DNs, parent
//! links on the parent's side — so that reconciling the two finds nothing, or exactly the planted
//! drift. It is computed from the same numbering as the export, not by reading it back.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use super::Sizes;
use super::people::{DIVISIONS, LEVELS, class, parents_of, siret, structure_id, uai};

/// What to write.
#[derive(Debug, Clone)]
pub struct LdifOptions {
    /// People in the export it mirrors (as [`super::Options::people`]).
    pub people: u64,
    /// The LDIF file to write.
    pub out: PathBuf,
    /// The DN under which `ou=structures` and `ou=people` are written (it must exist).
    pub base: String,
    /// Differences planted of each kind (missing, extra, profile, structure, class, parent).
    pub drift: u64,
}

/// What was written.
#[derive(Debug, Clone, Copy)]
pub struct LdifWritten {
    /// Entries written.
    pub entries: u64,
    /// Bytes written.
    pub bytes: u64,
}

const SOURCE: &str = "AC-POITIERS";
/// Identifiers of the planted extra people: far above the export's numbering.
const EXTRA_BASE: u64 = 9_000_000;

/// Which people carry the planted drift: `drift` of each kind, spread over the pupils (and the
/// non-teaching staff for the profile), each on a different person so no two differences meet.
struct Drift {
    count: u64,
    stride: u64,
    staff_stride: u64,
}

impl Drift {
    fn of(count: u64, sizes: Sizes) -> io::Result<Drift> {
        let stride = sizes.pupils.checked_div(count).unwrap_or(1);
        let staff_stride = sizes.staff.div_ceil(7).checked_div(count).unwrap_or(1);
        if count > 0 && (stride < 6 || staff_stride < 1 || sizes.structures < 2) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{count} differences of each kind do not fit in {} pupils, {} staff and {} structures",
                    sizes.pupils, sizes.staff, sizes.structures
                ),
            ));
        }
        Ok(Drift {
            count,
            stride,
            staff_stride,
        })
    }

    /// Whether pupil (or parent) `p` is the one at `offset` of a planted slot.
    fn at(&self, p: u64, offset: u64) -> bool {
        self.count > 0 && p % self.stride == offset && p / self.stride < self.count && p >= offset
    }

    fn missing_parent(&self, r: u64) -> bool {
        self.at(r, 5)
    }
    fn other_structure(&self, p: u64) -> bool {
        self.at(p, 1)
    }
    fn other_class(&self, p: u64) -> bool {
        self.at(p, 2)
    }
    /// Parent `r` is also linked to pupil `r + 1`.
    fn extra_link(&self, r: u64) -> bool {
        self.at(r, 3)
    }
    /// Non-teaching staff `k` (a multiple of 7) shown as a teacher.
    fn teacher(&self, k: u64) -> bool {
        self.count > 0
            && k.is_multiple_of(7)
            && (k / 7).is_multiple_of(self.staff_stride)
            && (k / 7) / self.staff_stride < self.count
    }
}

/// Writes the LDIF.
pub fn write_ldif(options: &LdifOptions) -> io::Result<LdifWritten> {
    let sizes = Sizes::of(options.people);
    let mut d = Directory {
        w: Ldif {
            out: BufWriter::with_capacity(1 << 20, File::create(&options.out)?),
            entries: 0,
            bytes: 0,
        },
        drift: Drift::of(options.drift, sizes)?,
        sizes,
        structures_ou: format!("ou=structures,{}", options.base),
        people_ou: format!("ou=people,{}", options.base),
    };
    for (dn, ou) in [
        (d.structures_ou.clone(), "structures"),
        (d.people_ou.clone(), "people"),
    ] {
        d.w.entry(&dn, &[("objectClass", "organizationalUnit"), ("ou", ou)])?;
    }
    d.structures()?;
    let last_structure = sizes.structures - 1;
    for p in 0..sizes.pupils {
        let structure = (p / super::PUPILS_PER_STRUCTURE).min(last_structure);
        let (_, mut code) = class(p);
        if d.drift.other_class(p) {
            // A division the export never uses.
            code.replace_range(1.., "Z");
        }
        d.pupil(3_000_000 + p, p, structure, &code)?;
    }
    for i in 0..d.drift.count {
        d.pupil(EXTRA_BASE + i, 0, i % sizes.structures, "6A")?;
    }
    d.parents()?;
    d.staff()?;
    d.w.out.flush()?;
    Ok(LdifWritten {
        entries: d.w.entries,
        bytes: d.w.bytes,
    })
}

/// The directory being written.
struct Directory {
    w: Ldif,
    drift: Drift,
    sizes: Sizes,
    structures_ou: String,
    people_ou: String,
}

impl Directory {
    fn structure_dn(&self, s: u64) -> String {
        format!("ENTStructureSIREN={},{}", siret(s), self.structures_ou)
    }

    fn person_dn(&self, id: u64) -> String {
        format!("uid=u{id},{}", self.people_ou)
    }

    fn structures(&mut self) -> io::Result<()> {
        for s in 0..self.sizes.structures {
            let (dn, id, siren, uai) = (self.structure_dn(s), structure_id(s), siret(s), uai(s));
            let name = format!("CLG$COLLEGE NUMERO {s}$ANGOULEME");
            self.w.entry(
                &dn,
                &[
                    ("objectClass", "organizationalUnit"),
                    ("objectClass", "ENTStructure"),
                    ("objectClass", "ENTEtablissement"),
                    ("ou", &format!("COLLEGE NUMERO {s}")),
                    ("ENTStructureJointure", &format!("{SOURCE}${id}")),
                    ("ENTStructureNomCourant", &name),
                    ("ENTStructureSIREN", &siren),
                    ("ENTStructureUAI", &uai),
                    (
                        "ENTEtablissementMinistereTutelle",
                        "MINISTERE DE L'EDUCATION NATIONALE",
                    ),
                    ("ENTEtablissementContrat", "PU"),
                ],
            )?;
        }
        Ok(())
    }

    /// Pupil `id` (number `p` in the export) of `structure`, in `class`.
    fn pupil(&mut self, id: u64, p: u64, structure: u64, class: &str) -> io::Result<()> {
        let level = usize::try_from(p % 4).unwrap_or(0);
        let (_, mef, label) = LEVELS[level];
        let home = self.structure_dn(structure);
        let attached = if self.drift.other_structure(p) {
            self.structure_dn((structure + 1) % self.sizes.structures)
        } else {
            home.clone()
        };
        let mut attrs = person(id, "ENTEleve", "National_ELV");
        attrs.extend([
            ("ENTPersonStructRattach", attached),
            ("ENTEleveClasses", format!("{home}${class}")),
            ("ENTEleveStatutEleve", "SCOLAIRE".into()),
            ("ENTEleveMEF", mef.into()),
            ("ENTEleveLibelleMEF", label.into()),
            ("ENTEleveNivFormation", label.into()),
            ("ENTEleveFiliere", "GENERALE".into()),
            ("ENTEleveMajeur", "N".into()),
        ]);
        let dn = self.person_dn(id);
        self.w.entry_owned(&dn, &attrs)
    }

    fn parents(&mut self) -> io::Result<()> {
        for r in 0..self.sizes.parents {
            if self.drift.missing_parent(r) {
                continue;
            }
            let mut attrs = person(5_000_000 + r, "ENTAuxPersRelEleve", "National_TUT");
            for p in pupils_of(r, self.sizes) {
                attrs.push(("ENTAuxPersRelEleveEleve", self.person_dn(3_000_000 + p)));
            }
            if self.drift.extra_link(r) && r + 1 < self.sizes.pupils {
                attrs.push(("ENTAuxPersRelEleveEleve", self.person_dn(3_000_001 + r)));
            }
            let dn = self.person_dn(5_000_000 + r);
            self.w.entry_owned(&dn, &attrs)?;
        }
        Ok(())
    }

    fn staff(&mut self) -> io::Result<()> {
        for k in 0..self.sizes.staff {
            let s = self.structure_dn(k % self.sizes.structures);
            let teacher = k % 7 != 0;
            let (aux, profile) = if teacher || self.drift.teacher(k) {
                ("ENTAuxEnseignant", "National_ENS")
            } else {
                ("ENTAuxNonEnsEtab", "National_DIR")
            };
            let mut attrs = person(7_000_000 + k, aux, profile);
            attrs.push(("ENTPersonStructRattach", s.clone()));
            if teacher {
                let (_, code) = class(k);
                let other = code.replace(DIVISIONS[0], DIVISIONS[1]);
                attrs.push(("ENTAuxEnsClasses", format!("{s}${code}")));
                if other != code {
                    attrs.push(("ENTAuxEnsClasses", format!("{s}${other}")));
                }
            }
            let dn = self.person_dn(7_000_000 + k);
            self.w.entry_owned(&dn, &attrs)?;
        }
        Ok(())
    }
}

/// The pupils parent `r` is responsible for (the inverse of [`parents_of`]).
fn pupils_of(r: u64, sizes: Sizes) -> Vec<u64> {
    let candidate = if r < sizes.pupils {
        r
    } else {
        let n = r - sizes.pupils;
        (n / 3) * 10 + n % 3
    };
    if candidate < sizes.pupils && parents_of(candidate, sizes).contains(&r) {
        vec![candidate]
    } else {
        Vec::new()
    }
}

/// The attributes every person entry has.
fn person(id: u64, aux: &str, profile: &str) -> Vec<(&'static str, String)> {
    vec![
        ("objectClass", "inetOrgPerson".into()),
        ("objectClass", "ENTPerson".into()),
        ("objectClass", aux.into()),
        ("uid", format!("u{id}")),
        ("cn", format!("Personne {id}")),
        ("sn", "PERSONNE".into()),
        ("givenName", format!("P{id}")),
        ("ENTPersonLogin", format!("u{id}")),
        ("ENTPersonJointure", format!("{SOURCE}${id}")),
        ("ENTPersonProfils", profile.into()),
    ]
}

struct Ldif {
    out: BufWriter<File>,
    entries: u64,
    bytes: u64,
}

impl Ldif {
    /// One entry. Every value written here is ASCII and starts with neither a space, `:` nor `<`,
    /// so no value needs base64.
    fn entry(&mut self, dn: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        let mut text = format!("dn: {dn}\n");
        for (name, value) in attrs {
            text.push_str(name);
            text.push_str(": ");
            text.push_str(value);
            text.push('\n');
        }
        text.push('\n');
        self.out.write_all(text.as_bytes())?;
        self.entries += 1;
        self.bytes += text.len() as u64;
        Ok(())
    }

    fn entry_owned(&mut self, dn: &str, attrs: &[(&str, String)]) -> io::Result<()> {
        let borrowed: Vec<(&str, &str)> = attrs.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.entry(dn, &borrowed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parent_is_found_from_its_pupils() {
        let sizes = Sizes::of(10_000);
        let mut links = 0;
        for p in 0..sizes.pupils {
            for r in parents_of(p, sizes) {
                assert!(pupils_of(r, sizes).contains(&p), "parent {r} of pupil {p}");
                links += 1;
            }
        }
        let back: usize = (0..sizes.parents).map(|r| pupils_of(r, sizes).len()).sum();
        assert_eq!(back, links);
    }

    #[test]
    fn planted_people_are_distinct_and_counted() {
        let sizes = Sizes::of(10_000);
        let drift = Drift::of(7, sizes).expect("fits");
        let count = |f: &dyn Fn(u64) -> bool, n: u64| (0..n).filter(|&i| f(i)).count();
        assert_eq!(count(&|p| drift.other_structure(p), sizes.pupils), 7);
        assert_eq!(count(&|p| drift.other_class(p), sizes.pupils), 7);
        assert_eq!(count(&|r| drift.extra_link(r), sizes.pupils), 7);
        assert_eq!(count(&|r| drift.missing_parent(r), sizes.parents), 7);
        assert_eq!(count(&|k| drift.teacher(k), sizes.staff), 7);
        assert!(Drift::of(10_000, sizes).is_err());
    }
}
