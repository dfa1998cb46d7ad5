//! The conforming portal and listeners: TLS, HTTP→HTTPS, security headers, cookies, French pages.

use reqwest::{Client, StatusCode};
use sdet_audit::demo;

use super::support::{Demo, cookie_value, header, location, set_cookie, start};

/// The header values a conforming HTTPS response carries.
const SECURITY_HEADERS: [(&str, &str); 5] = [
    (
        "strict-transport-security",
        "max-age=31536000; includeSubDomains",
    ),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    (
        "content-security-policy",
        "default-src 'self'; frame-ancestors 'none'",
    ),
    ("referrer-policy", "strict-origin-when-cross-origin"),
];

#[tokio::test]
async fn listens_on_loopback_and_answers_with_the_documented_urls_and_accounts() {
    let demo = start(&[]).await;
    let ent = &demo.ent;
    assert_eq!(ent.https_base.host_str(), Some("127.0.0.1"));
    assert_eq!(ent.http_base.host_str(), Some("127.0.0.1"));
    assert_eq!(ent.https_base.scheme(), "https");
    assert_eq!(ent.http_base.scheme(), "http");
    assert_ne!(ent.https_base.port(), ent.http_base.port());
    assert_eq!(ent.cas_base, ent.https_base.join("cas/").unwrap());
    assert_eq!(ent.service, ent.https_base.join("service/").unwrap());
    let accounts: Vec<_> = ent
        .accounts
        .iter()
        .map(|a| (a.profile.as_str(), a.username.as_str()))
        .collect();
    assert_eq!(
        accounts,
        [
            ("eleve", "lea.martin"),
            ("enseignant", "karim.benali"),
            ("parent", "sophie.martin")
        ]
    );
    demo.stop().await;
}

#[tokio::test]
async fn passwords_change_at_every_start() {
    let (first, second) = (start(&[]).await, start(&[]).await);
    for (a, b) in first.ent.accounts.iter().zip(&second.ent.accounts) {
        assert_eq!(a.password.len(), 20);
        assert_ne!(a.password, b.password);
    }
    first.stop().await;
    second.stop().await;
}

#[tokio::test]
async fn the_certificate_is_trusted_through_the_returned_ca_only() {
    let demo = start(&[]).await;
    assert_eq!(demo.get(demo.url("")).await.status(), StatusCode::OK);
    let localhost = format!("https://localhost:{}/", demo.ent.https_base.port().unwrap());
    assert_eq!(demo.get(localhost).await.status(), StatusCode::OK);

    let other = demo::start(&demo::DemoOptions::default()).await.unwrap();
    let other_ca = reqwest::Certificate::from_pem(other.ca_pem.as_bytes()).unwrap();
    let stranger = Client::builder()
        .tls_certs_only([other_ca])
        .build()
        .unwrap();
    assert!(stranger.get(demo.url("")).send().await.is_err());
    other.stop().await;
    demo.stop().await;
}

#[tokio::test]
async fn stop_closes_both_listeners() {
    let demo = start(&[]).await;
    let (client, https, http) = (
        demo.client.clone(),
        demo.url(""),
        demo.ent.http_base.clone(),
    );
    demo.stop().await;
    assert!(client.get(https).send().await.is_err());
    assert!(client.get(http).send().await.is_err());
}

#[tokio::test]
async fn plain_http_redirects_permanently_to_the_same_path_on_https() {
    let demo = start(&[]).await;
    let http = &demo.ent.http_base;
    let response = demo.get(http.join("cas/login?service=x").unwrap()).await;
    assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        location(&response),
        demo.url("cas/login?service=x").as_str()
    );
    assert_eq!(header(&response, "strict-transport-security"), None);

    let post = demo
        .client
        .post(http.join("cas/login").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), StatusCode::MOVED_PERMANENTLY);

    // `//host` must stay a path on our origin, not become a redirect to another site.
    let sneaky = format!("{}/evil.example/x", http.as_str());
    let response = demo.get(sneaky).await;
    assert_eq!(
        location(&response),
        format!("{}/evil.example/x", demo.ent.https_base.as_str())
    );
    demo.stop().await;
}

#[tokio::test]
async fn every_https_response_carries_the_security_headers() {
    let demo = start(&[]).await;
    let login = demo.login("eleve").await;
    let validate = format!("cas/serviceValidate?service=x&ticket={}", login.ticket);
    for path in [
        "",
        "accessibilite",
        "cas/login",
        &validate,
        "cas/logout",
        "no-such-page",
    ] {
        let response = demo.get(demo.url(path)).await;
        for (name, value) in SECURITY_HEADERS {
            assert_eq!(
                header(&response, name).as_deref(),
                Some(value),
                "{name} on /{path}"
            );
        }
    }
    demo.stop().await;
}

#[tokio::test]
async fn the_home_page_opens_a_secure_portal_session() {
    let demo = start(&[]).await;
    let response = demo.get(demo.url("")).await;
    let cookie = set_cookie(&response, "ENTSESSION").expect("ENTSESSION");
    let value = cookie_value(&cookie);
    assert_eq!(value.len(), 32);
    assert_eq!(
        cookie,
        format!("ENTSESSION={value}; Path=/; Secure; HttpOnly; SameSite=Lax")
    );

    let again = demo
        .client
        .get(demo.url(""))
        .header("Cookie", format!("ENTSESSION={value}"));
    let again = again.send().await.unwrap();
    assert_eq!(set_cookie(&again, "ENTSESSION"), None);
    demo.stop().await;
}

#[tokio::test]
async fn the_home_page_is_french_and_links_the_legal_pages_and_the_login() {
    let demo = start(&[]).await;
    let html = page(&demo, "").await;
    let document = scraper::Html::parse_document(&html);
    let root = scraper::Selector::parse("html").unwrap();
    let lang = document
        .select(&root)
        .next()
        .and_then(|e| e.value().attr("lang"));
    assert_eq!(lang, Some("fr"));

    let anchors = scraper::Selector::parse("a").unwrap();
    let links: Vec<_> = document
        .select(&anchors)
        .map(|a| {
            (
                a.text().collect::<String>(),
                a.value().attr("href").unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let encoded =
        url::form_urlencoded::byte_serialize(demo.service().as_bytes()).collect::<String>();
    for (text, href) in [
        ("Se connecter", format!("/cas/login?service={encoded}")),
        ("Mentions légales", "/mentions-legales".to_owned()),
        (
            "Accessibilité : partiellement conforme",
            "/accessibilite".to_owned(),
        ),
        ("Données personnelles", "/donnees-personnelles".to_owned()),
    ] {
        assert!(
            links.contains(&(text.to_owned(), href.clone())),
            "no link {text} → {href} in {links:?}"
        );
    }
    demo.stop().await;
}

#[tokio::test]
async fn the_legal_pages_exist_in_french() {
    let demo = start(&[]).await;
    let legal = page(&demo, "mentions-legales").await;
    assert!(legal.contains("<h1>Mentions légales</h1>") && legal.contains("UAI 0750001U"));
    let accessibility = page(&demo, "accessibilite").await;
    assert!(accessibility.contains("<h1>Déclaration d'accessibilité</h1>"));
    assert!(accessibility.contains("<strong>partiellement conforme</strong>"));
    assert!(accessibility.contains("(RGAA), version 4.1"));
    assert!(accessibility.contains("<strong>82 %</strong> des critères du RGAA version 4.1"));
    let privacy = page(&demo, "donnees-personnelles").await;
    assert!(privacy.contains("<h1>Données personnelles</h1>") && privacy.contains("RGPD"));
    for html in [legal, accessibility, privacy] {
        assert!(html.contains("<html lang=\"fr\">"));
    }
    demo.stop().await;
}

#[tokio::test]
async fn the_demo_service_shows_its_ticket_and_unknown_pages_are_404() {
    let demo = start(&[]).await;
    let html = page(&demo, "service/?ticket=ST-123").await;
    assert!(html.contains("Ticket reçu : <code>ST-123</code>"));
    let missing = demo.get(demo.url("no-such-page")).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(
        missing
            .text()
            .await
            .unwrap()
            .contains("<h1>Page introuvable</h1>")
    );
    demo.stop().await;
}

async fn page(demo: &Demo, path: &str) -> String {
    let response = demo.get(demo.url(path)).await;
    assert_eq!(response.status(), StatusCode::OK, "/{path}");
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    response.text().await.unwrap()
}
