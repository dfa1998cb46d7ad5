//! The probe catalogue: what probes exist, the closed set of check kinds they run and what each
//! kind needs from the target — read from `probes/<family>.yaml` and validated (ids unique and
//! well formed, each naming a known check kind with parameters that fit, or marked
//! `status: planned`). It is upstream of the grid and the plan, which only *name* probes; the
//! code that runs a check lives downstream, in `probe/`.

mod check;
pub mod params;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::data::Store;
use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::fr_en;
use crate::text::Text;
use crate::yaml::{self, span_of};

pub use check::{Check, Length, Need};

/// A probe family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// CAS, SAML 2.0, OpenID Connect.
    Sso,
    /// AAF feeds and the LDAP directory.
    Annuaire,
    /// GAR export, iCalendar, RSS/Atom, WebDAV.
    Interop,
    /// The public portal.
    Portail,
}

impl Family {
    /// The family's name in data files.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Sso => "sso",
            Family::Annuaire => "annuaire",
            Family::Interop => "interop",
            Family::Portail => "portail",
        }
    }
}

/// A declared probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probe {
    /// Stable id, `family.name`.
    pub id: String,
    /// Its family.
    pub family: Family,
    /// What it checks, in a line.
    pub title: Text,
    /// The check it runs; `None` while it is only planned.
    pub check: Option<Check>,
}

/// Every declared probe, in file order.
#[derive(Debug, Clone, Default)]
pub struct ProbeCatalog {
    /// The probes.
    pub probes: Vec<Probe>,
}

impl ProbeCatalog {
    /// Looks a probe up by id.
    pub fn get(&self, id: &str) -> Option<&Probe> {
        self.probes.iter().find(|p| p.id == id)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    family: Spanned<String>,
    #[serde(default)]
    probes: Vec<RawProbe>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProbe {
    id: Spanned<String>,
    #[serde(default)]
    check: Option<Spanned<String>>,
    #[serde(default)]
    status: Option<Spanned<String>>,
    title: Text,
    #[serde(default)]
    params: Option<Spanned<serde_json::Value>>,
}

/// Loads every `*.yaml` of `store`, collecting every problem. The catalogue keeps the probes
/// that are valid, so a grid can still be checked against them.
pub fn load(store: &Store) -> (ProbeCatalog, Vec<Diagnostic>) {
    let mut catalog = ProbeCatalog::default();
    let mut diagnostics = Vec::new();
    for name in store.yaml_files("") {
        let file = match store.read(&name) {
            Ok(f) => f,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        match yaml::parse::<RawFile>(&file) {
            Ok(raw) => add_file(&file, raw, &mut catalog, &mut diagnostics),
            Err(d) => diagnostics.push(d),
        }
    }
    (catalog, diagnostics)
}

fn add_file(
    file: &SourceFile,
    raw: RawFile,
    catalog: &mut ProbeCatalog,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let family = match raw.family.value.as_str() {
        "sso" => Family::Sso,
        "annuaire" => Family::Annuaire,
        "interop" => Family::Interop,
        "portail" => Family::Portail,
        other => {
            diagnostics.push(
                Diagnostic::worded(
                    Code::Yaml,
                    fr_en!(
                        "famille de sondes inconnue `{other}`",
                        "unknown probe family `{other}`"
                    ),
                )
                .at(file, span_of(file, &raw.family))
                .help_in(Text::new(
                    "familles : sso, annuaire, interop, portail",
                    "families: sso, annuaire, interop, portail",
                )),
            );
            return;
        }
    };
    for p in raw.probes {
        if catalog.get(&p.id.value).is_some() {
            diagnostics.push(
                Diagnostic::worded(
                    Code::DuplicateId,
                    fr_en!(
                        "l'identifiant de sonde `{}` est déclaré deux fois",
                        "probe id `{}` is declared twice",
                        p.id.value
                    ),
                )
                .at(file, span_of(file, &p.id))
                .label_in(Text::new("seconde déclaration", "second declaration")),
            );
            continue;
        }
        if !is_valid_probe_id(&p.id.value) {
            diagnostics.push(
                Diagnostic::worded(
                    Code::BadId,
                    fr_en!(
                        "l'identifiant de sonde `{}` ne suit pas le schéma des identifiants",
                        "probe id `{}` does not follow the id scheme",
                        p.id.value
                    ),
                )
                .at(file, span_of(file, &p.id))
                .help_in(Text::new(
                    "un identifiant de sonde s'écrit comme cas.login_form : des minuscules, un \
                     point, puis des mots reliés par « _ »",
                    "probe ids look like cas.login_form: lower-case words, a dot, then snake_case",
                )),
            );
            continue;
        }
        match check(file, &p) {
            Ok(check) => catalog.probes.push(Probe {
                id: p.id.value,
                family,
                title: p.title,
                check,
            }),
            Err(d) => diagnostics.push(d),
        }
    }
}

/// The probe's check: `Ok(None)` for a planned probe, `Err` when the declaration is invalid.
fn check(file: &SourceFile, p: &RawProbe) -> Result<Option<Check>, Diagnostic> {
    let planned = p.status.as_ref().map(|s| s.value.as_str());
    let Some(kind) = p.check.as_ref().filter(|_| planned.is_none()) else {
        return match (&p.check, planned) {
            (None, Some("planned")) => Ok(None),
            _ => Err(Diagnostic::worded(
                Code::UnknownCheck,
                fr_en!(
                    "la sonde `{}` demande `check: <type>` ou `status: planned`",
                    "probe `{}` needs either `check: <kind>` or `status: planned`",
                    p.id.value
                ),
            )
            .at(file, span_of(file, &p.id))),
        };
    };
    let params = p
        .params
        .as_ref()
        .map_or(serde_json::Value::Null, |s| s.value.clone());
    Check::from_kind(&kind.value, params)
        .map(Some)
        .map_err(|why| {
            let (code, at) = if Check::KINDS.contains(&kind.value.as_str()) {
                (
                    Code::BadParams,
                    p.params
                        .as_ref()
                        .and_then(|s| span_of(file, s))
                        .or(span_of(file, kind)),
                )
            } else {
                (Code::UnknownCheck, span_of(file, kind))
            };
            Diagnostic::worded(
                code,
                Text::new(
                    format!("sonde `{}` : {}", p.id.value, why.fr),
                    format!("probe `{}`: {}", p.id.value, why.en),
                ),
            )
            .at(file, at)
            .help_in(fr_en!(
                "types de contrôle : {}",
                "check kinds: {}",
                Check::KINDS.join(", ")
            ))
        })
}

fn is_valid_probe_id(id: &str) -> bool {
    let Some((family, name)) = id.split_once('.') else {
        return false;
    };
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    ok(family) && ok(name) && !name.contains('.')
}
