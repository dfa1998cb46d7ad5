//! The conforming CAS server's SSO side: the login form, tickets at login, SSO with `renew` and
//! `gateway`, registered services only, and a logout that ends the session.

use reqwest::StatusCode;

use super::support::{
    cas_leaves, cookie_value, failure_xml, header, location, read_login_form, set_cookie, start,
    ticket_in,
};

#[tokio::test]
async fn the_login_form_is_apereo_like_and_posts_to_https() {
    let demo = start(&[]).await;
    let response = demo.get(demo.login_url(demo.service())).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, "cache-control").as_deref(),
        Some("no-store")
    );
    let form = read_login_form(&response.text().await.unwrap());

    let encoded =
        url::form_urlencoded::byte_serialize(demo.service().as_bytes()).collect::<String>();
    assert_eq!(form.action, format!("/cas/login?service={encoded}"));
    assert_eq!(form.event_id, "submit");
    assert_eq!(form.execution.len(), 64);
    demo.stop().await;
}

#[tokio::test]
async fn login_redirects_to_the_service_with_a_long_random_ticket_and_sets_the_tgc() {
    let demo = start(&[]).await;
    let pupil = demo.account("eleve");
    let form = demo.login_form(demo.service()).await;
    let response = demo.submit(&form, &pupil.username, &pupil.password).await;

    assert_eq!(response.status(), StatusCode::FOUND);
    let location = location(&response);
    let ticket = ticket_in(&location);
    assert_eq!(location, format!("{}?ticket={ticket}", demo.service()));
    assert_eq!(ticket.len(), 43);
    assert!(ticket.starts_with("ST-"));
    assert!(
        ticket
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    );

    let tgc = set_cookie(&response, "TGC").unwrap();
    let value = cookie_value(&tgc);
    assert!(value.starts_with("TGT-") && value.len() == 44, "{value}");
    assert_eq!(
        tgc,
        format!("TGC={value}; Path=/cas; Secure; HttpOnly; SameSite=Lax")
    );
    demo.stop().await;
}

#[tokio::test]
async fn sso_issues_a_new_ticket_without_the_form_and_says_so() {
    let demo = start(&[]).await;
    let login = demo.login("eleve").await;
    let response = demo
        .get_with_tgc(demo.login_url(demo.service()), &login.tgc)
        .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let ticket = ticket_in(&location(&response));
    assert_ne!(ticket, login.ticket);

    let (_, body) = demo
        .validate("p3/serviceValidate", demo.service(), &ticket)
        .await;
    let leaves = cas_leaves(&body);
    assert!(leaves.contains(&("cas:isFromNewLogin".into(), "false".into())));
    demo.stop().await;
}

#[tokio::test]
async fn renew_asks_for_credentials_and_refuses_tickets_from_sso() {
    let demo = start(&[]).await;
    let login = demo.login("eleve").await;
    let mut renew = demo.login_url(demo.service());
    renew.query_pairs_mut().append_pair("renew", "true");
    let response = demo.get_with_tgc(renew, &login.tgc).await;
    assert_eq!(response.status(), StatusCode::OK);
    read_login_form(&response.text().await.unwrap());

    let sso = demo
        .get_with_tgc(demo.login_url(demo.service()), &login.tgc)
        .await;
    let ticket = ticket_in(&location(&sso));
    let mut url = demo.url("cas/serviceValidate");
    url.query_pairs_mut()
        .append_pair("service", demo.service())
        .append_pair("ticket", &ticket)
        .append_pair("renew", "true");
    let body = demo.get(url).await.text().await.unwrap();
    let message = format!(
        "Ticket '{ticket}' comes from a single sign-on session but renew asks for a new login"
    );
    assert_eq!(body, failure_xml("INVALID_TICKET", &message));
    demo.stop().await;
}

#[tokio::test]
async fn gateway_without_a_session_returns_to_the_service_without_a_ticket() {
    let demo = start(&[]).await;
    let mut url = demo.login_url(demo.service());
    url.query_pairs_mut().append_pair("gateway", "true");
    let response = demo.get(url).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), demo.service());
    demo.stop().await;
}

#[tokio::test]
async fn an_unregistered_service_gets_an_error_page_and_no_ticket() {
    let demo = start(&[]).await;
    let evil = "https://evil.example/collect";
    let response = demo.get(demo.login_url(evil)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    assert!(page.contains("<code>https://evil.example/collect</code> n'est pas autorisé"));
    assert!(!page.contains("<form"));

    // Nor by posting valid credentials straight at it.
    let form = demo.login_form(demo.service()).await;
    let pupil = demo.account("eleve");
    let mut action = demo.url("cas/login");
    action.query_pairs_mut().append_pair("service", evil);
    let fields = [
        ("username", pupil.username.as_str()),
        ("password", &pupil.password),
        ("execution", &form.execution),
        ("_eventId", "submit"),
    ];
    let response = demo.client.post(action).form(&fields).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(set_cookie(&response, "TGC").is_none());
    demo.stop().await;
}

#[tokio::test]
async fn a_wrong_password_shows_the_form_again_with_an_error() {
    let demo = start(&[]).await;
    let pupil = demo.account("eleve");
    let form = demo.login_form(demo.service()).await;
    let response = demo
        .submit(&form, &pupil.username, "not-the-password")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(set_cookie(&response, "TGC").is_none());
    let page = response.text().await.unwrap();
    assert!(
        page.contains(
            "<p role=\"alert\"><strong>Identifiant ou mot de passe incorrect.</strong></p>"
        )
    );
    let again = read_login_form(&page);
    assert_ne!(again.execution, form.execution);
    demo.stop().await;
}

#[tokio::test]
async fn an_execution_value_serves_once() {
    let demo = start(&[]).await;
    let pupil = demo.account("eleve");
    let form = demo.login_form(demo.service()).await;
    let first = demo.submit(&form, &pupil.username, &pupil.password).await;
    assert_eq!(first.status(), StatusCode::FOUND);
    let replay = demo.submit(&form, &pupil.username, &pupil.password).await;
    assert_eq!(replay.status(), StatusCode::OK);
    assert!(
        replay
            .text()
            .await
            .unwrap()
            .contains("a expiré ou a déjà servi")
    );
    demo.stop().await;
}

#[tokio::test]
async fn logout_ends_the_sso_session_and_deletes_the_cookie() {
    let demo = start(&[]).await;
    let login = demo.login("eleve").await;
    let response = demo.get_with_tgc(demo.url("cas/logout"), &login.tgc).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        set_cookie(&response, "TGC").as_deref(),
        Some(
            "TGC=; Path=/cas; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax"
        )
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Vous êtes déconnecté.")
    );

    // Replaying the old cookie value shows the form: the TGT is gone on the server.
    let after = demo
        .get_with_tgc(demo.login_url(demo.service()), &login.tgc)
        .await;
    assert_eq!(after.status(), StatusCode::OK);
    read_login_form(&after.text().await.unwrap());
    demo.stop().await;
}

#[tokio::test]
async fn logout_returns_to_a_registered_service_only() {
    let demo = start(&[]).await;
    let mut url = demo.url("cas/logout");
    url.query_pairs_mut().append_pair("service", demo.service());
    let response = demo.get(url).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(location(&response), demo.service());

    let response = demo
        .get(demo.url("cas/logout?service=https%3A%2F%2Fevil.example%2F"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    demo.stop().await;
}
