//! Documents reachable over WebDAV (RFC 4918) must speak the protocol — `OPTIONS` announces a
//! `DAV` compliance class, `PROPFIND` at depth 0 and 1 answers a readable 207 multistatus for a
//! collection — and only to authenticated users: anonymous requests get 401. The audit is
//! read-only unless the target names a scratch folder: then, and only there, it writes one file,
//! reads it back and deletes it.

mod multistatus;

use rand::Rng as _;
use rand::distr::Alphanumeric;
use reqwest::Method;
use url::Url;

use super::fetch::{Login, request};
use super::interop;
use crate::http::{Request, Response};
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

use multistatus::Member;

/// The properties asked for: enough to tell folders from files.
const PROPFIND: &str = r#"<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:displayname/><D:getcontentlength/><D:getlastmodified/></D:prop></D:propfind>"#;

/// The PROPFIND method (reqwest has no constant for WebDAV methods; the name is a valid token, so
/// the fallback is never taken).
fn propfind_method() -> Method {
    Method::from_bytes(b"PROPFIND").unwrap_or(Method::OPTIONS)
}

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let target = interop(ctx)?;
    let (Some(url), Some(account)) = (target.webdav.clone(), target.webdav_account.as_ref()) else {
        return Err(ProbeError::Unexpected(Text::new(
            "Aucun dossier ou compte WebDAV dans la cible",
            "No WebDAV folder or account in the target",
        )));
    };
    if url.scheme() != "https" {
        return Ok(fail(
            format!("le dossier WebDAV n'est pas servi en HTTPS : {url}"),
            format!("the WebDAV folder is not served over HTTPS: {url}"),
            Text::same("https://"),
            Text::same(url.as_str()),
        ));
    }
    let login = Login::resolve(account, ctx, session)?;
    let options = send(session, Method::OPTIONS, &url, Some(&login), &[], None).await?;
    let dav = options.header("dav").unwrap_or_default();
    if !dav.split(',').any(|class| class.trim() == "1") {
        return Ok(fail(
            format!(
                "OPTIONS répond HTTP {} sans classe de conformité DAV",
                options.status.as_u16()
            ),
            format!(
                "OPTIONS answers HTTP {} without a DAV compliance class",
                options.status.as_u16()
            ),
            Text::same("DAV: 1"),
            Text::same(format!("DAV: {dav}")),
        ));
    }
    let folder = match propfind(session, &url, Some(&login), "0").await? {
        Ok(members) => members,
        Err(finding) => return Ok(finding),
    };
    if !folder.iter().any(|m| m.collection) {
        return Ok(fail(
            "PROPFIND profondeur 0 : l'adresse n'est pas une collection (dossier)",
            "PROPFIND depth 0: the URL is not a collection (folder)",
            Text::new("une collection (resourcetype)", "resourcetype collection"),
            Text::new("pas de collection", "no collection"),
        ));
    }
    let listing = match propfind(session, &url, Some(&login), "1").await? {
        Ok(members) => members,
        Err(finding) => return Ok(finding),
    };
    let anonymous = send(
        session,
        propfind_method(),
        &url,
        None,
        &[("Depth", "0")],
        Some(PROPFIND),
    )
    .await?;
    let status = anonymous.status.as_u16();
    if status != 401 && status != 403 {
        return Ok(fail(
            format!(
                "un PROPFIND anonyme répond HTTP {status} au lieu de demander une authentification"
            ),
            format!(
                "an anonymous PROPFIND answers HTTP {status} instead of asking for credentials"
            ),
            Text::same("HTTP 401"),
            Text::same(format!("HTTP {status}")),
        ));
    }
    let (mut wrote_fr, mut wrote_en) = (String::new(), String::new());
    if let Some(scratch) = &target.webdav_scratch {
        if let Some(finding) = write_read_delete(session, &url, scratch, &login).await? {
            return Ok(finding);
        }
        wrote_fr = format!(" ; écriture, relecture et suppression dans {scratch} réussies");
        wrote_en = format!("; write, read back and delete in {scratch} succeeded");
    }
    let members = listing.len().saturating_sub(1);
    Ok(Finding::Pass(Text::new(
        format!(
            "WebDAV en HTTPS (DAV: {dav}) : PROPFIND 0 et 1 lisibles, {members} élément(s), accès anonyme refusé (HTTP {status}){wrote_fr}"
        ),
        format!(
            "WebDAV over HTTPS (DAV: {dav}): PROPFIND 0 and 1 readable, {members} member(s), anonymous access refused (HTTP {status}){wrote_en}"
        ),
    )))
}

fn fail(fr: impl Into<String>, en: impl Into<String>, expected: Text, observed: Text) -> Finding {
    Finding::fail(
        Text::new(
            format!("WebDAV : {}", fr.into()),
            format!("WebDAV: {}", en.into()),
        ),
        expected,
        observed,
    )
}

async fn send(
    session: &mut Session<'_>,
    method: Method,
    url: &Url,
    login: Option<&Login>,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Response, ProbeError> {
    let mut req: Request = request(method, url.clone(), login, &url.origin());
    req.headers.extend(
        headers
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string())),
    );
    if let Some(body) = body {
        req.headers.push((
            "Content-Type".into(),
            "application/xml; charset=utf-8".into(),
        ));
        req.body = Some(body.to_string());
    }
    Ok(session.send(req).await?)
}

/// A PROPFIND at `depth`: `Ok(Err(fail))` when the answer is not a readable multistatus.
async fn propfind(
    session: &mut Session<'_>,
    url: &Url,
    login: Option<&Login>,
    depth: &str,
) -> Result<Result<Vec<Member>, Finding>, ProbeError> {
    let method = propfind_method();
    let response = send(
        session,
        method,
        url,
        login,
        &[("Depth", depth)],
        Some(PROPFIND),
    )
    .await?;
    let status = response.status.as_u16();
    if status == 401 || status == 403 {
        return Err(ProbeError::Unexpected(Text::new(
            format!("WebDAV : le compte déclaré est refusé (HTTP {status})"),
            format!("WebDAV: the declared account is refused (HTTP {status})"),
        )));
    }
    if let Some(next) = response.location() {
        return Err(ProbeError::Unexpected(Text::new(
            format!("WebDAV : {url} redirige vers {next} ; déclarer cette adresse"),
            format!("WebDAV: {url} redirects to {next}; declare that address"),
        )));
    }
    if status != 207 {
        return Ok(Err(fail(
            format!("PROPFIND profondeur {depth} répond HTTP {status}"),
            format!("PROPFIND depth {depth} answers HTTP {status}"),
            Text::same("HTTP 207 Multi-Status"),
            Text::same(format!("HTTP {status}")),
        )));
    }
    match multistatus::parse(&response.body) {
        Ok(members) if members.iter().any(|m| m.found) => Ok(Ok(members)),
        Ok(_) => Ok(Err(fail(
            format!("PROPFIND profondeur {depth} : aucune propriété renvoyée"),
            format!("PROPFIND depth {depth}: no property came back"),
            Text::new("un propstat de statut 200", "a propstat with status 200"),
            Text::new("aucun", "none"),
        ))),
        Err(e) => {
            let why = e.wording();
            Ok(Err(fail(
                format!(
                    "PROPFIND profondeur {depth} : multistatus illisible : {}",
                    why.fr
                ),
                format!("PROPFIND depth {depth}: unreadable multistatus: {}", why.en),
                Text::new("multistatus RFC 4918", "RFC 4918 multistatus"),
                why,
            )))
        }
    }
}

/// PUT one file in the scratch folder, GET it back, DELETE it, check it is gone. Always tries
/// to delete once the PUT may have created the file.
async fn write_read_delete(
    session: &mut Session<'_>,
    url: &Url,
    scratch: &str,
    login: &Login,
) -> Result<Option<Finding>, ProbeError> {
    let folder = if scratch.ends_with('/') {
        scratch.to_string()
    } else {
        format!("{scratch}/")
    };
    let token: String = rand::rng()
        .sample_iter(Alphanumeric)
        .take(16)
        .map(char::from)
        .collect();
    // Joining onto `…/dav` (no slash) would replace `dav`: the scratch folder must stay inside.
    let mut base = url.clone();
    if !base.path().ends_with('/') {
        base.set_path(&format!("{}/", base.path()));
    }
    let file = base
        .join(&folder)
        .and_then(|f| f.join(&format!("sdet-audit-{token}.txt")))
        .map_err(|e| {
            ProbeError::Unexpected(Text::new(
                format!("webdav_scratch inutilisable : {e}"),
                format!("unusable webdav_scratch: {e}"),
            ))
        })?;
    let content = format!("sdet-audit write test {token}\n");
    let mut put = request(Method::PUT, file.clone(), Some(login), &url.origin());
    put.headers
        .push(("Content-Type".into(), "text/plain; charset=utf-8".into()));
    put.body = Some(content.clone());
    let put = session.send(put).await;
    let checked = match &put {
        Ok(r) if r.status.is_success() => read_back(session, &file, login, &content).await,
        Ok(r) => Ok(Some(fail(
            format!(
                "PUT dans le dossier d'essai répond HTTP {}",
                r.status.as_u16()
            ),
            format!(
                "PUT in the scratch folder answers HTTP {}",
                r.status.as_u16()
            ),
            Text::new("HTTP 201 ou 204", "HTTP 201 or 204"),
            Text::same(format!("HTTP {}", r.status.as_u16())),
        ))),
        Err(_) => Ok(None),
    };
    let deleted = send(session, Method::DELETE, &file, Some(login), &[], None).await;
    put?;
    if let Some(finding) = checked? {
        return Ok(Some(finding));
    }
    let deleted = deleted?;
    if !deleted.status.is_success() {
        return Ok(Some(fail(
            format!(
                "DELETE du fichier d'essai répond HTTP {}",
                deleted.status.as_u16()
            ),
            format!(
                "DELETE of the test file answers HTTP {}",
                deleted.status.as_u16()
            ),
            Text::same("HTTP 204"),
            Text::same(format!("HTTP {}", deleted.status.as_u16())),
        )));
    }
    let gone = send(session, Method::GET, &file, Some(login), &[], None).await?;
    if gone.status.as_u16() != 404 {
        return Ok(Some(fail(
            format!(
                "le fichier d'essai supprimé répond encore HTTP {}",
                gone.status.as_u16()
            ),
            format!(
                "the deleted test file still answers HTTP {}",
                gone.status.as_u16()
            ),
            Text::same("HTTP 404"),
            Text::same(format!("HTTP {}", gone.status.as_u16())),
        )));
    }
    Ok(None)
}

async fn read_back(
    session: &mut Session<'_>,
    file: &Url,
    login: &Login,
    content: &str,
) -> Result<Option<Finding>, ProbeError> {
    let got = send(session, Method::GET, file, Some(login), &[], None).await?;
    if got.status.as_u16() != 200 || got.body != content {
        return Ok(Some(fail(
            format!(
                "le fichier écrit dans le dossier d'essai ne se relit pas (HTTP {})",
                got.status.as_u16()
            ),
            format!(
                "the file written in the scratch folder does not read back (HTTP {})",
                got.status.as_u16()
            ),
            Text::new(
                "HTTP 200 avec les octets écrits",
                "HTTP 200 with the bytes written",
            ),
            Text::new(
                format!("HTTP {}, {} octets", got.status.as_u16(), got.body.len()),
                format!("HTTP {}, {} bytes", got.status.as_u16(), got.body.len()),
            ),
        )));
    }
    Ok(None)
}
