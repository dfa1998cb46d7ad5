//! A minimal, read-only WebDAV folder (RFC 4918 class 1) of class documents, behind HTTP Basic
//! with the ENT's accounts: `OPTIONS` announces `DAV: 1`, `PROPFIND` at depth 0 and 1 answers a
//! multistatus, `GET` reads a file, every write is refused. The `webdav-anonymous` defect answers
//! PROPFIND and GET without credentials.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{ALLOW, CONTENT_TYPE};
use axum::http::{HeaderName, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use quick_xml::escape::escape;

use super::basic_auth;
use super::defect::Defect;
use super::state::Ent;

/// The folder's path.
pub(crate) const PATH: &str = "/dav/";

/// (name, content): the documents of the folder.
const FILES: &[(&str, &str)] = &[
    (
        "lisezmoi.txt",
        "Documents de la classe de 4A : cours, exercices et corrigés.\n",
    ),
    (
        "sortie-musee.txt",
        "Sortie au musée des Beaux-Arts le 3 décembre : autorisation à rendre.\n",
    ),
];

const ALLOWED: &str = "OPTIONS, GET, HEAD, PROPFIND";

pub(crate) fn routes() -> Router<Arc<Ent>> {
    Router::new()
        .route("/dav", any(dav))
        .route(PATH, any(dav))
        .route("/dav/{name}", any(dav))
}

async fn dav(State(ent): State<Arc<Ent>>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    let name = path.trim_start_matches("/dav").trim_start_matches('/');
    let file = FILES.iter().find(|(n, _)| *n == name);
    if !name.is_empty() && file.is_none() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let method = request.method().as_str();
    if method == Method::OPTIONS {
        return (
            StatusCode::OK,
            [(HeaderName::from_static("dav"), "1"), (ALLOW, ALLOWED)],
        )
            .into_response();
    }
    let open = ent.has(Defect::WebdavAnonymous);
    if !open && basic_auth::person(&ent, request.headers()).is_none() {
        return basic_auth::challenge();
    }
    match (method, file) {
        ("GET" | "HEAD", Some((_, content))) => {
            ([(CONTENT_TYPE, "text/plain; charset=utf-8")], *content).into_response()
        }
        ("GET" | "HEAD", None) => {
            (StatusCode::METHOD_NOT_ALLOWED, [(ALLOW, ALLOWED)]).into_response()
        }
        ("PROPFIND", _) => {
            let depth_one = request
                .headers()
                .get("depth")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|d| d.trim() == "1");
            let body = match file {
                Some((name, content)) => multistatus(&[file_response(name, content)]),
                None if depth_one => {
                    let mut all = vec![folder_response()];
                    all.extend(FILES.iter().map(|(n, c)| file_response(n, c)));
                    multistatus(&all)
                }
                None => multistatus(&[folder_response()]),
            };
            (
                StatusCode::MULTI_STATUS,
                [(CONTENT_TYPE, "application/xml; charset=utf-8")],
                body,
            )
                .into_response()
        }
        // Read-only: the folder is the teachers' to fill, not the audit's.
        _ => (StatusCode::FORBIDDEN, [(ALLOW, ALLOWED)]).into_response(),
    }
}

fn folder_response() -> String {
    format!(
        "<D:response><D:href>{PATH}</D:href><D:propstat><D:prop><D:displayname>Documents 4A</D:displayname>\
<D:resourcetype><D:collection/></D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
    )
}

fn file_response(name: &str, content: &str) -> String {
    format!(
        "<D:response><D:href>{PATH}{}</D:href><D:propstat><D:prop><D:displayname>{}</D:displayname><D:resourcetype/>\
<D:getcontentlength>{}</D:getcontentlength></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>",
        escape(name),
        escape(name),
        content.len()
    )
}

fn multistatus(responses: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\">{}</D:multistatus>\n",
        responses.concat()
    )
}
