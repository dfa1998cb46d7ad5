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

/// Why the target cannot feed a check with this need, if it cannot: the first of the need's
/// requirements the target does not meet. Both matches are exhaustive, so a new need or a new
/// requirement cannot be forgotten (a forgotten one would turn `not_tested` into `error`).
fn missing(need: Need, target: &Target) -> Option<Text> {
    use Requirement as R;
    let requirements: &[Requirement] = match need {
        Need::Portal => &[R::Portal],
        Need::Cas => &[R::Cas],
        Need::CasAccount => &[R::Cas, R::CasAccount],
        Need::CasProxyValidate => &[R::Cas, R::ProxyValidate, R::CasAccount],
        Need::CasSamlValidate => &[R::Cas, R::SamlValidate, R::CasAccount],
        Need::Ical => &[R::Ical],
        Need::Rss => &[R::Rss],
        Need::Webdav => &[R::Webdav, R::WebdavAccount],
        Need::GarExport => &[R::GarExport],
        Need::Saml => &[R::Saml],
        Need::SamlSp => &[R::Saml, R::SamlSp],
        Need::SamlFederation => &[R::Saml, R::SamlSp, R::FederationCertificate],
        Need::Oidc => &[R::Oidc],
        Need::OidcClient => &[R::Oidc, R::OidcClient],
        Need::AafFeeds => &[R::AafFeeds],
        Need::LdapReconcile => &[R::AafFeedsAndLdap],
    };
    requirements
        .iter()
        .find(|r| !r.met(target))
        .map(|r| r.unmet())
}

/// One thing a check may need the target to declare.
#[derive(Debug, Clone, Copy)]
enum Requirement {
    Portal,
    Cas,
    CasAccount,
    ProxyValidate,
    SamlValidate,
    Ical,
    Rss,
    Webdav,
    WebdavAccount,
    GarExport,
    Saml,
    SamlSp,
    FederationCertificate,
    Oidc,
    OidcClient,
    AafFeeds,
    AafFeedsAndLdap,
}

impl Requirement {
    /// Whether `target` declares it.
    fn met(self, target: &Target) -> bool {
        let cas = target.cas.as_ref();
        let interop = target.interop.as_ref();
        let saml = target.saml.as_ref();
        let annuaire = target.annuaire.as_ref();
        match self {
            Requirement::Portal => target.portal.is_some(),
            Requirement::Cas => cas.is_some(),
            Requirement::CasAccount => cas.is_some_and(|c| !c.accounts.is_empty()),
            Requirement::ProxyValidate => cas.is_some_and(|c| c.proxy_validate),
            Requirement::SamlValidate => cas.is_some_and(|c| c.saml_validate),
            Requirement::Ical => interop.is_some_and(|i| i.ical.is_some()),
            Requirement::Rss => interop.is_some_and(|i| i.rss.is_some()),
            Requirement::Webdav => interop.is_some_and(|i| i.webdav.is_some()),
            Requirement::WebdavAccount => interop.is_some_and(|i| i.webdav_account.is_some()),
            Requirement::GarExport => interop.is_some_and(|i| i.gar_export.is_some()),
            Requirement::Saml => saml.is_some(),
            Requirement::SamlSp => saml.is_some_and(|s| s.sp.is_some()),
            Requirement::FederationCertificate => {
                saml.is_some_and(|s| s.metadata_signing_cert.is_some())
            }
            Requirement::Oidc => target.oidc.is_some(),
            Requirement::OidcClient => target.oidc.as_ref().is_some_and(|o| o.client.is_some()),
            Requirement::AafFeeds => annuaire.is_some_and(|a| a.feeds.is_some()),
            Requirement::AafFeedsAndLdap => {
                annuaire.is_some_and(|a| a.feeds.is_some() && a.ldap.is_some())
            }
        }
    }

    /// What the report says when the target does not declare it.
    fn unmet(self) -> Text {
        let (fr, en) = match self {
            Requirement::Portal => (
                "la cible ne déclare pas de portail (`portal`)",
                "the target declares no portal (`portal`)",
            ),
            Requirement::Cas => (
                "la cible ne déclare pas de CAS (`cas`)",
                "the target declares no CAS (`cas`)",
            ),
            Requirement::CasAccount => (
                "la cible ne déclare pas de compte de test CAS (`cas.accounts`)",
                "the target declares no CAS test account (`cas.accounts`)",
            ),
            Requirement::ProxyValidate => (
                "la cible ne déclare pas /proxyValidate (`cas.proxy_validate: true`)",
                "the target does not declare /proxyValidate (`cas.proxy_validate: true`)",
            ),
            Requirement::SamlValidate => (
                "la cible ne déclare pas /samlValidate (`cas.saml_validate: true`)",
                "the target does not declare /samlValidate (`cas.saml_validate: true`)",
            ),
            Requirement::Ical => (
                "la cible ne déclare pas d'agenda (`interop.ical`)",
                "the target declares no calendar (`interop.ical`)",
            ),
            Requirement::Rss => (
                "la cible ne déclare pas de flux d'actualités (`interop.rss`)",
                "the target declares no news feed (`interop.rss`)",
            ),
            Requirement::Webdav => (
                "la cible ne déclare pas de dossier WebDAV (`interop.webdav`)",
                "the target declares no WebDAV folder (`interop.webdav`)",
            ),
            Requirement::WebdavAccount => (
                "la cible ne déclare pas de compte WebDAV (`interop.webdav_account`)",
                "the target declares no WebDAV account (`interop.webdav_account`)",
            ),
            Requirement::GarExport => (
                "la cible ne déclare pas d'export GAR (`interop.gar_export`)",
                "the target declares no GAR export (`interop.gar_export`)",
            ),
            Requirement::Saml => (
                "la cible ne déclare pas de métadonnées SAML (`saml`)",
                "the target declares no SAML metadata (`saml`)",
            ),
            Requirement::SamlSp => (
                "la cible ne déclare pas de fournisseur de services SAML pour l'audit (`saml.sp`)",
                "the target declares no SAML service provider for the audit (`saml.sp`)",
            ),
            Requirement::FederationCertificate => (
                "la cible ne nomme pas le certificat de signature des métadonnées de la fédération (`saml.metadata_signing_cert`) : sans lui, la confiance dans les métadonnées n'est pas vérifiable",
                "the target names no federation metadata signing certificate (`saml.metadata_signing_cert`): without it, trust in the metadata cannot be verified",
            ),
            Requirement::Oidc => (
                "la cible ne déclare pas de fournisseur OpenID Connect (`oidc`)",
                "the target declares no OpenID Connect provider (`oidc`)",
            ),
            Requirement::OidcClient => (
                "la cible ne déclare pas de client OpenID Connect pour l'audit (`oidc.client`)",
                "the target declares no OpenID Connect client for the audit (`oidc.client`)",
            ),
            Requirement::AafFeeds => (
                "la cible ne déclare pas d'export AAF (`annuaire.feeds`)",
                "the target declares no AAF export (`annuaire.feeds`)",
            ),
            Requirement::AafFeedsAndLdap => (
                "la cible ne déclare pas d'export AAF et d'annuaire LDAP (`annuaire.feeds`, `annuaire.ldap`)",
                "the target declares no AAF export and LDAP directory (`annuaire.feeds`, `annuaire.ldap`)",
            ),
        };
        Text::new(fr, en)
    }
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
