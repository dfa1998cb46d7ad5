//! A SAML 2.0 web single sign-on round trip, as the service provider the target registered for the
//! audit (`saml.sp`): an `AuthnRequest` to the IdP's SSO endpoint (HTTP-Redirect, else HTTP-POST),
//! the IdP's login form if it shows one (credentials from the environment), then the auto-submit
//! form carrying the `SAMLResponse` to the ACS — which the audit reads instead of posting. The
//! response is judged in `saml::response`. Nothing is ever sent to the ACS.

use base64::Engine as _;
use rand::Rng as _;
use time::OffsetDateTime;
use url::Url;

use super::cas;
use super::idp_walk::{Provider, Walk};
use super::login_origin::LoginOrigin;
use super::saml::{self, authn, response, trust};
use crate::http::DEFAULT_MAX_REDIRECTS;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::target::SamlSp;
use sdet_core::text::Text;
use sdet_core::xml;

/// How the walk's messages name the IdP.
const IDP: Provider = Provider {
    fr: "L'IdP",
    en: "The IdP",
    what: "SAML IdP",
    block: "saml.sp",
};

/// What a round trip saw: its finding and, when the response was trusted, the assertion's
/// attributes (name, values), for the checks that judge them.
pub struct RoundTrip {
    /// The round trip's own finding.
    pub finding: Finding,
    /// The attributes of the verified assertion; empty unless `finding` is a pass.
    pub attributes: Vec<(String, Vec<String>)>,
}

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    round_trip(ctx, session).await.map(|r| r.finding)
}

/// Runs the round trip; see the module's documentation.
pub async fn round_trip(
    ctx: &Context<'_>,
    session: &mut Session<'_>,
) -> Result<RoundTrip, ProbeError> {
    let (root, source) = saml::load(ctx, &mut session.back_channel()).await?;
    round_trip_on(ctx, session, &root, &source).await
}

/// Runs the round trip with metadata already read (and, for `saml_federation`, verified: the
/// same document, not a second fetch the server could answer differently).
pub async fn round_trip_on(
    ctx: &Context<'_>,
    session: &mut Session<'_>,
    root: &xml::Element,
    source: &str,
) -> Result<RoundTrip, ProbeError> {
    let target = saml::target(ctx)?;
    let sp = target.sp.as_ref().ok_or_else(|| {
        unexpected(
            "Aucun fournisseur de services (saml.sp) déclaré",
            "No service provider (saml.sp) declared",
        )
    })?;
    let entities = saml::selected(root, target).map_err(|why| unexpected(&why.fr, &why.en))?;
    let (idp, sso, redirect, entity) = entities
        .iter()
        .find_map(|e| authn::sso_endpoint(e.element).map(|(i, s, r)| (i, s, r, e.element)))
        .ok_or_else(|| {
            unexpected(
                &format!("Pas de SingleSignOnService HTTP-Redirect ni HTTP-POST dans {source}"),
                &format!("No HTTP-Redirect or HTTP-POST SingleSignOnService in {source}"),
            )
        })?;
    let request_id = format!("_sdet{:032x}", rand::rng().random::<u128>());
    let authn = authn::authn_request(&request_id, &sso, sp);
    // The flow starts on the SSO endpoint the metadata names; a password goes only there.
    session.follow_also(&sso);
    let login_origin = LoginOrigin::new(ctx, &sso);
    let first = authn::send_request(session, &sso, redirect, &authn).await?;
    let mut walk = Walk::start(first, login_origin, IDP);
    for _ in 0..DEFAULT_MAX_REDIRECTS {
        if let Some(next) = walk.response.location() {
            if next.as_str().starts_with(sp.acs_url.as_str()) {
                return Err(unexpected(
                    "L'IdP renvoie au service par redirection (liaison Artifact ?) : non pris en charge",
                    "The IdP returns to the service by redirect (Artifact binding?): not supported",
                ));
            }
            walk.follow(session, next).await?;
            continue;
        }
        walk.shows_page()?;
        if let Some((action, message)) = authn::saml_form(&walk.response) {
            session.redactor.add_secret(&message);
            let trusted = trust::idp_signing_certificates(entity);
            return judge_answer(&action, &message, &idp, sp, &request_id, &trusted).await;
        }
        if walk.logged_in {
            break;
        }
        let Some(form) = cas::find_login_form(&walk.response.body, &walk.response.url) else {
            break;
        };
        let account = (sp.username_env.as_deref(), sp.password_env.as_deref());
        walk.log_in(ctx, session, account, |user, password| {
            form.submit(user, password)
        })
        .await?;
    }
    let response = &walk.response;
    Err(unexpected(
        &format!(
            "Aucun formulaire SAMLResponse renvoyé par l'IdP (dernière page {}, HTTP {})",
            response.url,
            response.status.as_u16()
        ),
        &format!(
            "No SAMLResponse form from the IdP (last page {}, HTTP {})",
            response.url,
            response.status.as_u16()
        ),
    ))
}

fn unexpected(fr: &str, en: &str) -> ProbeError {
    ProbeError::Unexpected(Text::new(fr, en))
}

async fn judge_answer(
    action: &Url,
    message: &str,
    idp: &str,
    sp: &SamlSp,
    request_id: &str,
    trusted: &[String],
) -> Result<RoundTrip, ProbeError> {
    let compact: String = message.chars().filter(|c| !c.is_whitespace()).collect();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| {
            unexpected(
                "SAMLResponse n'est pas du base64 UTF-8",
                "SAMLResponse is not UTF-8 base64",
            )
        })?;
    let root = xml::parse(&decoded).map_err(|e| {
        unexpected(
            &format!("SAMLResponse illisible : {}", e.wording().fr),
            &format!("Unreadable SAMLResponse: {e}"),
        )
    })?;
    let expected = response::Expected {
        idp,
        audience: &sp.entity_id,
        acs: sp.acs_url.as_str(),
        request_id,
        now: OffsetDateTime::now_utc(),
    };
    let mut verdict = response::judge(&root, &expected);
    let signatures = trust::judge_response(&decoded, &root, trusted)
        .await
        .map_err(|e| unexpected(&format!("Signatures non vérifiables : {e}"), &e.to_string()))?;
    verdict = match (verdict, signatures) {
        (Ok(summary), Ok(signed)) => Ok(format!("{summary}; {signed}")),
        (Ok(_), Err(problems)) | (Err(problems), Ok(_)) => Err(problems),
        (Err(mut problems), Err(more)) => {
            problems.extend(more);
            Err(problems)
        }
    };
    if action != &sp.acs_url {
        let problem = Text::new(
            format!(
                "le formulaire envoie la réponse à {action} au lieu de l'ACS {}",
                sp.acs_url
            ),
            format!(
                "the form posts the response to {action} instead of the ACS {}",
                sp.acs_url
            ),
        );
        verdict = match verdict {
            Ok(_) => Err(vec![problem]),
            Err(mut problems) => {
                problems.push(problem);
                Err(problems)
            }
        };
    }
    match verdict {
        Ok(summary) => Ok(RoundTrip {
            finding: Finding::Pass(Text::new(
                format!("Aller-retour SAML réussi : {summary}"),
                format!("SAML round trip succeeded: {summary}"),
            )),
            attributes: root
                .child("Assertion")
                .map(trust::attributes)
                .unwrap_or_default(),
        }),
        Err(problems) => {
            let fr: Vec<&str> = problems.iter().map(|p| p.fr.as_str()).collect();
            let en: Vec<&str> = problems.iter().map(|p| p.en.as_str()).collect();
            Ok(RoundTrip {
                finding: Finding::fail(
                    Text::new(
                        format!("Réponse SAML non conforme — {}", fr.join(" ; ")),
                        format!("Non-conforming SAML response — {}", en.join("; ")),
                    ),
                    Text::new(
                        format!(
                            "Success de {idp}, InResponseTo {request_id}, audience {}, destinataire {}, valide maintenant, signature vérifiée avec la clé des métadonnées",
                            sp.entity_id, sp.acs_url
                        ),
                        format!(
                            "Success from {idp}, InResponseTo {request_id}, audience {}, recipient {}, valid now, signature verified with the metadata's key",
                            sp.entity_id, sp.acs_url
                        ),
                    ),
                    Text::new(fr.join(" ; "), en.join("; ")),
                ),
                attributes: Vec::new(),
            })
        }
    }
}
