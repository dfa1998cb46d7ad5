//! What the reference ENT tests share: a client that trusts only the demo CA and never follows
//! redirects, and the CAS steps (fetch the form, log in, validate) written once.

use quick_xml::events::Event;
use reqwest::header::{CONTENT_TYPE, LOCATION, SET_COOKIE};
use reqwest::{Certificate, Client, Response, StatusCode, redirect};
use sdet_audit::demo::{self, Defect, DemoAccount, DemoOptions, ReferenceEnt};
use url::Url;

/// A running reference ENT and a client for it.
pub struct Demo {
    pub ent: ReferenceEnt,
    pub client: Client,
}

/// The login form's fields, as a browser would read them.
#[derive(Debug)]
pub struct LoginForm {
    pub action: String,
    pub execution: String,
    pub event_id: String,
}

/// What a successful interactive login yields.
#[derive(Debug)]
pub struct Login {
    pub ticket: String,
    /// The TGC cookie value.
    pub tgc: String,
}

/// Starts a reference ENT with these defects.
pub async fn start(defects: &[Defect]) -> Demo {
    let options = DemoOptions {
        defects: defects.iter().copied().collect(),
        ..DemoOptions::default()
    };
    let ent = demo::start(&options).await.expect("reference ENT starts");
    let ca = Certificate::from_pem(ent.ca_pem.as_bytes()).expect("CA PEM parses");
    let client = Client::builder()
        .tls_certs_only([ca])
        .redirect(redirect::Policy::none())
        .build()
        .expect("client builds");
    Demo { ent, client }
}

impl Demo {
    pub async fn stop(self) {
        self.ent.stop().await;
    }

    pub fn account(&self, profile: &str) -> &DemoAccount {
        self.ent
            .accounts
            .iter()
            .find(|a| a.profile == profile)
            .unwrap_or_else(|| panic!("no {profile} account"))
    }

    /// The registered service, as a string.
    pub fn service(&self) -> &str {
        self.ent.service.as_str()
    }

    /// An HTTPS URL on the reference ENT.
    pub fn url(&self, path_and_query: &str) -> Url {
        self.ent
            .https_base
            .join(path_and_query)
            .expect("valid path")
    }

    /// `/cas/login` for `service`.
    pub fn login_url(&self, service: &str) -> Url {
        let mut url = self.url("cas/login");
        url.query_pairs_mut().append_pair("service", service);
        url
    }

    pub async fn get(&self, url: impl reqwest::IntoUrl) -> Response {
        self.client.get(url).send().await.expect("GET answers")
    }

    /// GET with the TGC cookie, as a browser with an SSO session sends it.
    pub async fn get_with_tgc(&self, url: impl reqwest::IntoUrl, tgc: &str) -> Response {
        let cookie = format!("TGC={tgc}");
        let request = self.client.get(url).header("Cookie", cookie);
        request.send().await.expect("GET answers")
    }

    /// Fetches and reads the login form for `service`.
    pub async fn login_form(&self, service: &str) -> LoginForm {
        let response = self.get(self.login_url(service)).await;
        assert_eq!(response.status(), StatusCode::OK);
        read_login_form(&response.text().await.expect("form body"))
    }

    /// Posts credentials with the form's hidden fields to the form's action (resolved against
    /// the HTTPS base, as a browser would).
    pub async fn submit(&self, form: &LoginForm, username: &str, password: &str) -> Response {
        let action = self
            .ent
            .https_base
            .join(&form.action)
            .expect("valid action");
        let fields = [
            ("username", username),
            ("password", password),
            ("execution", &form.execution),
            ("_eventId", &form.event_id),
        ];
        let request = self.client.post(action).form(&fields);
        request.send().await.expect("POST answers")
    }

    /// Logs `profile` in to the registered service and returns the ticket and the TGC.
    pub async fn login(&self, profile: &str) -> Login {
        let account = self.account(profile);
        let form = self.login_form(self.service()).await;
        let response = self
            .submit(&form, &account.username, &account.password)
            .await;
        assert_eq!(response.status(), StatusCode::FOUND);
        let tgc = set_cookie(&response, "TGC").expect("TGC set");
        let tgc = cookie_value(&tgc).to_owned();
        Login {
            ticket: ticket_in(&location(&response)),
            tgc,
        }
    }

    /// Calls a validation endpoint (`serviceValidate`, `p3/serviceValidate`, `validate`…) and
    /// returns its content type and body.
    pub async fn validate(&self, endpoint: &str, service: &str, ticket: &str) -> (String, String) {
        let mut url = self.url(&format!("cas/{endpoint}"));
        url.query_pairs_mut()
            .append_pair("service", service)
            .append_pair("ticket", ticket);
        let response = self.get(url).await;
        assert_eq!(response.status(), StatusCode::OK);
        let content_type = header(&response, CONTENT_TYPE.as_str()).expect("content type");
        (content_type, response.text().await.expect("body"))
    }
}

/// The login form's action and hidden fields.
pub fn read_login_form(html: &str) -> LoginForm {
    let document = scraper::Html::parse_document(html);
    let select = |css: &str| scraper::Selector::parse(css).expect("valid selector");
    let form = document
        .select(&select("form[method=post]"))
        .next()
        .expect("a POST form");
    let input = |name: &str| {
        let css = format!("input[name=\"{name}\"]");
        let field = form.select(&select(&css)).next();
        field
            .and_then(|f| f.value().attr("value"))
            .unwrap_or_default()
            .to_owned()
    };
    for visible in ["username", "password"] {
        let css = format!("input[name=\"{visible}\"]");
        assert!(
            form.select(&select(&css)).next().is_some(),
            "no {visible} field"
        );
    }
    LoginForm {
        action: form.value().attr("action").expect("action").to_owned(),
        execution: input("execution"),
        event_id: input("_eventId"),
    }
}

pub fn header(response: &Response, name: &str) -> Option<String> {
    let value = response.headers().get(name)?;
    Some(value.to_str().expect("ASCII header").to_owned())
}

pub fn location(response: &Response) -> String {
    header(response, LOCATION.as_str()).expect("Location header")
}

/// The whole `Set-Cookie` header that sets cookie `name`.
pub fn set_cookie(response: &Response, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().expect("ASCII cookie").to_owned())
        .find(|v| v.starts_with(&prefix))
}

/// The value in a `Set-Cookie` header (`NAME=value; …`).
pub fn cookie_value(set_cookie: &str) -> &str {
    let pair = set_cookie.split(';').next().unwrap_or_default();
    pair.split_once('=').map_or("", |(_, value)| value)
}

/// The `ticket` parameter of a redirect to the service.
pub fn ticket_in(location: &str) -> String {
    let url = Url::parse(location).expect("absolute Location");
    let ticket = url.query_pairs().find(|(k, _)| k == "ticket");
    ticket
        .map(|(_, v)| v.into_owned())
        .expect("ticket parameter")
}

/// Every leaf element of a CAS response as (qualified name, text), in document order.
pub fn cas_leaves(xml: &str) -> Vec<(String, String)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut leaves = Vec::new();
    let mut open: Option<(String, String)> = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(start) => {
                let name = String::from_utf8(start.name().as_ref().to_vec()).expect("UTF-8 name");
                open = Some((name, String::new()));
            }
            Event::Text(text) => {
                if let Some((_, content)) = &mut open {
                    content.push_str(&text.decode().expect("UTF-8 text"));
                }
            }
            Event::GeneralRef(reference) => {
                if let Some((_, content)) = &mut open {
                    let name = reference.decode().expect("UTF-8 reference");
                    let resolved = quick_xml::escape::resolve_predefined_entity(&name);
                    content.push_str(resolved.expect("predefined entity"));
                }
            }
            Event::End(_) => leaves.extend(open.take()),
            Event::Eof => return leaves,
            _ => {}
        }
    }
}

/// The exact CAS 2.0 failure document this server writes.
pub fn failure_xml(code: &str, message: &str) -> String {
    format!(
        "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n  \
         <cas:authenticationFailure code=\"{code}\">{message}</cas:authenticationFailure>\n\
         </cas:serviceResponse>\n"
    )
}

/// The exact CAS 2.0 success document (no attributes) this server writes.
pub fn success_xml(user: &str) -> String {
    format!(
        "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n  \
         <cas:authenticationSuccess>\n    <cas:user>{user}</cas:user>\n  \
         </cas:authenticationSuccess>\n</cas:serviceResponse>\n"
    )
}

pub const XML: &str = "application/xml;charset=UTF-8";
