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
        let stride = if count == 0 { 1 } else { sizes.pupils / count };
        let staff_stride = if count == 0 {
            1
        } else {
            sizes.staff.div_ceil(7) / count
        };
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
        self.count > 0 && k % 7 == 0 && (k / 7) % self.staff_stride == 0 && {
            let slot = (k / 7) / self.staff_stride;
            slot < self.count
        }
    }
}

/// Writes the LDIF.
pub fn write_ldif(options: &LdifOptions) -> io::Result<LdifWritten> {
    let sizes = Sizes::of(options.people);
    let drift = Drift::of(options.drift, sizes)?;
    let mut w = Ldif {
        out: BufWriter::with_capacity(1 << 20, File::create(&options.out)?),
        entries: 0,
        bytes: 0,
    };
    let base = options.base.as_str();
    let structures_ou = format!("ou=structures,{base}");
    let people_ou = format!("ou=people,{base}");
    for (dn, ou) in [(&structures_ou, "structures"), (&people_ou, "people")] {
        w.entry(dn, &[("objectClass", "organizationalUnit"), ("ou", ou)])?;
    }
    let structure_dn = |s: u64| format!("ENTStructureSIREN={},{structures_ou}", siret(s));
    let person_dn = |id: u64| format!("uid=u{id},{people_ou}");
    for s in 0..sizes.structures {
        let (dn, id, siren, uai) = (structure_dn(s), structure_id(s), siret(s), uai(s));
        let name = format!("CLG$COLLEGE NUMERO {s}$ANGOULEME");
        w.entry(
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
    let last_structure = sizes.structures - 1;
    let pupil = |w: &mut Ldif, id: u64, p: u64, structure: u64, class: &str| {
        let level = usize::try_from(p % 4).unwrap_or(0);
        let (_, mef, label) = LEVELS[level];
        let home = structure_dn(structure);
        let attached = if drift.other_structure(p) {
            structure_dn((structure + 1) % sizes.structures)
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
        w.entry_owned(&person_dn(id), &attrs)
    };
    for p in 0..sizes.pupils {
        let structure = (p / super::PUPILS_PER_STRUCTURE).min(last_structure);
        let (_, mut code) = class(p);
        if drift.other_class(p) {
            // A division the export never uses.
            code.replace_range(1.., "Z");
        }
        pupil(&mut w, 3_000_000 + p, p, structure, &code)?;
    }
    for i in 0..drift.count {
        pupil(&mut w, EXTRA_BASE + i, 0, i % sizes.structures, "6A")?;
    }
    for r in 0..sizes.parents {
        if drift.missing_parent(r) {
            continue;
        }
        let mut attrs = person(5_000_000 + r, "ENTAuxPersRelEleve", "National_TUT");
        for p in pupils_of(r, sizes) {
            attrs.push(("ENTAuxPersRelEleveEleve", person_dn(3_000_000 + p)));
        }
        if drift.extra_link(r) && r + 1 < sizes.pupils {
            attrs.push(("ENTAuxPersRelEleveEleve", person_dn(3_000_000 + r + 1)));
        }
        w.entry_owned(&person_dn(5_000_000 + r), &attrs)?;
    }
    for k in 0..sizes.staff {
        let s = k % sizes.structures;
        let teacher = k % 7 != 0;
        let (aux, profile) = if teacher || drift.teacher(k) {
            ("ENTAuxEnseignant", "National_ENS")
        } else {
            ("ENTAuxNonEnsEtab", "National_DIR")
        };
        let mut attrs = person(7_000_000 + k, aux, profile);
        attrs.push(("ENTPersonStructRattach", structure_dn(s)));
        if teacher {
            let (_, code) = class(k);
            let other = code.replace(DIVISIONS[0], DIVISIONS[1]);
            attrs.push(("ENTAuxEnsClasses", format!("{}${code}", structure_dn(s))));
            if other != code {
                attrs.push(("ENTAuxEnsClasses", format!("{}${other}", structure_dn(s))));
            }
        }
        w.entry_owned(&person_dn(7_000_000 + k), &attrs)?;
    }
    w.out.flush()?;
    Ok(LdifWritten {
        entries: w.entries,
        bytes: w.bytes,
    })
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
