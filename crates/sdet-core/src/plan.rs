//! The plan: which probes this audit runs and why. It keeps only probes that verify a criterion
//! applicable to the target's degrees, and says up front why the others will not run (planned,
//! or the target does not describe what they need) — so `not_tested` is always explained.

use crate::catalog::ProbeCatalog;
use crate::catalog::{Check, Need, Probe};
use crate::grid::Grid;
use crate::target::Target;
use crate::text::Text;

/// One probe to run (or to report as skipped), with the criteria it serves.
#[derive(Debug, Clone)]
pub struct Step {
    /// The probe.
    pub probe: Probe,
    /// Ids of the applicable criteria it verifies.
    pub criteria: Vec<String>,
    /// Why it will not run, if it will not.
    pub skip: Option<Text>,
}

impl Step {
    /// The check to run, when the step is runnable.
    pub fn runnable(&self) -> Option<&Check> {
        if self.skip.is_some() {
            None
        } else {
            self.probe.check.as_ref()
        }
    }

    /// Why the step does not run.
    pub fn skip_reason(&self) -> Text {
        self.skip
            .clone()
            .unwrap_or_else(|| Text::new("non exécutée", "not run"))
    }
}

/// The probes of one audit, in catalogue order.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The steps.
    pub steps: Vec<Step>,
}

/// Builds the plan for `target` from the grid and the probe catalogue.
pub fn build(grid: &Grid, catalog: &ProbeCatalog, target: &Target) -> Plan {
    let steps = catalog
        .probes
        .iter()
        .filter_map(|probe| {
            let criteria: Vec<String> = grid
                .criteria
                .iter()
                .filter(|c| c.applies_to_any(&target.degrees) && c.probes.contains(&probe.id))
                .map(|c| c.id.clone())
                .collect();
            if criteria.is_empty() {
                return None;
            }
            let skip = match &probe.check {
                None => Some(Text::new(
                    "sonde prévue, pas encore implémentée",
                    "probe planned, not implemented yet",
                )),
                Some(check) => missing(check.need(), target),
            };
            Some(Step {
                probe: probe.clone(),
                criteria,
                skip,
            })
        })
        .collect();
    Plan { steps }
}

/// Why the target cannot feed a check with this need, if it cannot.
fn missing(need: Need, target: &Target) -> Option<Text> {
    match need {
        Need::Portal if target.portal.is_none() => Some(Text::new(
            "la cible ne déclare pas de portail (`portal`)",
            "the target declares no portal (`portal`)",
        )),
        Need::Cas | Need::CasAccount | Need::CasProxyValidate | Need::CasSamlValidate
            if target.cas.is_none() =>
        {
            Some(Text::new(
                "la cible ne déclare pas de CAS (`cas`)",
                "the target declares no CAS (`cas`)",
            ))
        }
        Need::CasProxyValidate if target.cas.as_ref().is_some_and(|c| !c.proxy_validate) => {
            Some(Text::new(
                "la cible ne déclare pas /proxyValidate (`cas.proxy_validate: true`)",
                "the target does not declare /proxyValidate (`cas.proxy_validate: true`)",
            ))
        }
        Need::CasSamlValidate if target.cas.as_ref().is_some_and(|c| !c.saml_validate) => {
            Some(Text::new(
                "la cible ne déclare pas /samlValidate (`cas.saml_validate: true`)",
                "the target does not declare /samlValidate (`cas.saml_validate: true`)",
            ))
        }
        Need::CasAccount | Need::CasProxyValidate | Need::CasSamlValidate
            if target.cas.as_ref().is_some_and(|c| c.accounts.is_empty()) =>
        {
            Some(Text::new(
                "la cible ne déclare pas de compte de test CAS (`cas.accounts`)",
                "the target declares no CAS test account (`cas.accounts`)",
            ))
        }
        Need::Ical if interop(target).is_none_or(|i| i.ical.is_none()) => Some(Text::new(
            "la cible ne déclare pas d'agenda (`interop.ical`)",
            "the target declares no calendar (`interop.ical`)",
        )),
        Need::Rss if interop(target).is_none_or(|i| i.rss.is_none()) => Some(Text::new(
            "la cible ne déclare pas de flux d'actualités (`interop.rss`)",
            "the target declares no news feed (`interop.rss`)",
        )),
        Need::Webdav if interop(target).is_none_or(|i| i.webdav.is_none()) => Some(Text::new(
            "la cible ne déclare pas de dossier WebDAV (`interop.webdav`)",
            "the target declares no WebDAV folder (`interop.webdav`)",
        )),
        Need::Webdav if interop(target).is_some_and(|i| i.webdav_account.is_none()) => {
            Some(Text::new(
                "la cible ne déclare pas de compte WebDAV (`interop.webdav_account`)",
                "the target declares no WebDAV account (`interop.webdav_account`)",
            ))
        }
        Need::LdapReconcile
            if target
                .annuaire
                .as_ref()
                .is_none_or(|a| a.feeds.is_none() || a.ldap.is_none()) =>
        {
            Some(Text::new(
                "la cible ne déclare pas d'export AAF et d'annuaire LDAP (`annuaire.feeds`, `annuaire.ldap`)",
                "the target declares no AAF export and LDAP directory (`annuaire.feeds`, `annuaire.ldap`)",
            ))
        }
        Need::GarExport if interop(target).is_none_or(|i| i.gar_export.is_none()) => {
            Some(Text::new(
                "la cible ne déclare pas d'export GAR (`interop.gar_export`)",
                "the target declares no GAR export (`interop.gar_export`)",
            ))
        }
        Need::Saml | Need::SamlSp | Need::SamlFederation => missing_saml(need, target),
        Need::Oidc | Need::OidcClient if target.oidc.is_none() => Some(Text::new(
            "la cible ne déclare pas de fournisseur OpenID Connect (`oidc`)",
            "the target declares no OpenID Connect provider (`oidc`)",
        )),
        Need::OidcClient if target.oidc.as_ref().is_some_and(|o| o.client.is_none()) => {
            Some(Text::new(
                "la cible ne déclare pas de client OpenID Connect pour l'audit (`oidc.client`)",
                "the target declares no OpenID Connect client for the audit (`oidc.client`)",
            ))
        }
        Need::AafFeeds if target.annuaire.as_ref().is_none_or(|a| a.feeds.is_none()) => {
            Some(Text::new(
                "la cible ne déclare pas d'export AAF (`annuaire.feeds`)",
                "the target declares no AAF export (`annuaire.feeds`)",
            ))
        }
        _ => None,
    }
}

/// What the SAML checks miss in the target, if anything.
fn missing_saml(need: Need, target: &Target) -> Option<Text> {
    match need {
        Need::Saml | Need::SamlSp | Need::SamlFederation if target.saml.is_none() => {
            Some(Text::new(
                "la cible ne déclare pas de métadonnées SAML (`saml`)",
                "the target declares no SAML metadata (`saml`)",
            ))
        }
        Need::SamlSp | Need::SamlFederation
            if target.saml.as_ref().is_some_and(|s| s.sp.is_none()) =>
        {
            Some(Text::new(
                "la cible ne déclare pas de fournisseur de services SAML pour l'audit (`saml.sp`)",
                "the target declares no SAML service provider for the audit (`saml.sp`)",
            ))
        }
        Need::SamlFederation
            if target
                .saml
                .as_ref()
                .is_some_and(|s| s.metadata_signing_cert.is_none()) =>
        {
            Some(Text::new(
                "la cible ne nomme pas le certificat de signature des métadonnées de la fédération (`saml.metadata_signing_cert`) : sans lui, la confiance dans les métadonnées n'est pas vérifiable",
                "the target names no federation metadata signing certificate (`saml.metadata_signing_cert`): without it, trust in the metadata cannot be verified",
            ))
        }
        _ => None,
    }
}

fn interop(target: &Target) -> Option<&crate::target::InteropTarget> {
    target.interop.as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Store;

    fn target(yaml: &str) -> Target {
        serde_saphyr::from_str(yaml).expect("target")
    }

    #[test]
    fn skips_what_the_target_does_not_describe() {
        let (catalog, _) = crate::catalog::load(&Store::probes(None));
        let store = Store::grids(None);
        let grid = crate::grid::load(
            &store,
            &crate::grid::newest_version(&store).expect("grid"),
            &catalog,
        )
        .grid
        .expect("valid");
        let plan = build(
            &grid,
            &catalog,
            &target("name: t\nportal: https://ent.example.fr/\n"),
        );
        let step = |id: &str| plan.steps.iter().find(|s| s.probe.id == id).expect("step");
        assert!(step("portail.hsts").runnable().is_some());
        assert!(step("cas.login_form").skip_reason().en.contains("no CAS"));
        assert!(step("saml.metadata").skip_reason().en.contains("no SAML"));
        assert!(
            step("saml.sso_round_trip")
                .skip_reason()
                .en
                .contains("no SAML")
        );
        assert!(
            step("oidc.discovery")
                .skip_reason()
                .en
                .contains("no OpenID Connect")
        );
        // A probe no criterion names is not in the plan at all.
        assert!(
            plan.steps
                .iter()
                .all(|s| s.probe.id != "cas.proxy_validate")
        );
        let with_cas = build(
            &grid,
            &catalog,
            &target(
                "name: t\ncas: { base_url: \"https://e.fr/cas/\", service: \"https://e.fr/\" }\n",
            ),
        );
        let round_trip = with_cas
            .steps
            .iter()
            .find(|s| s.probe.id == "cas.login_round_trip")
            .expect("step");
        assert!(round_trip.skip_reason().en.contains("no CAS test account"));
        assert!(with_cas.steps.iter().all(|s| !s.criteria.is_empty()));
        let reason = |plan: &Plan, id: &str| {
            plan.steps
                .iter()
                .find(|s| s.probe.id == id)
                .map(|s| s.skip_reason().en)
                .unwrap_or_default()
        };
        assert!(reason(&plan, "ical.feed").contains("no calendar (`interop.ical`)"));
        assert!(reason(&plan, "gar.export_schema").contains("no GAR export"));
        let with_dav = build(
            &grid,
            &catalog,
            &target(
                "name: t\ninterop: { webdav: \"https://e.fr/dav/\", rss: \"https://e.fr/a.atom\" }\n",
            ),
        );
        assert!(reason(&with_dav, "webdav.access").contains("no WebDAV account"));
        assert!(
            with_dav
                .steps
                .iter()
                .any(|s| s.probe.id == "rss.feed" && s.runnable().is_some())
        );
    }
}
