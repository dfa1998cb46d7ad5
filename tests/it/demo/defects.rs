//! One test per defect: the behaviour it flips, next to what stays conforming. Each starts from
//! the same steps as the conforming tests in `portal` and `cas_*`, so the difference is the defect.

use reqwest::StatusCode;
use sdet_audit::demo::Defect;

use super::support::{
    cas_leaves, cookie_value, failure_xml, header, location, read_login_form, set_cookie, start,
    success_xml, ticket_in,
};

#[tokio::test]
async fn no_https_redirect_serves_the_portal_in_clear() {
    let demo = start(&[Defect::NoHttpsRedirect]).await;
    let response = demo.get(demo.ent.http_base.clone()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "strict-transport-security"), None);
    assert_eq!(
        header(&response, "x-frame-options").as_deref(),
        Some("DENY")
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<html lang=\"fr\">")
    );
    demo.stop().await;
}

#[tokio::test]
async fn no_hsts_drops_only_hsts() {
    let demo = start(&[Defect::NoHsts]).await;
    let response = demo.get(demo.url("")).await;
    assert_eq!(header(&response, "strict-transport-security"), None);
    assert_eq!(
        header(&response, "x-content-type-options").as_deref(),
        Some("nosniff")
    );
    let http = demo.get(demo.ent.http_base.clone()).await;
    assert_eq!(http.status(), StatusCode::MOVED_PERMANENTLY);
    demo.stop().await;
}

#[tokio::test]
async fn missing_security_headers_drops_the_portals_protective_headers_but_not_hsts() {
    let demo = start(&[Defect::MissingSecurityHeaders]).await;
    let response = demo.get(demo.url("")).await;
    for name in [
        "x-content-type-options",
        "x-frame-options",
        "content-security-policy",
        "referrer-policy",
    ] {
        assert_eq!(header(&response, name), None, "{name} on the portal");
    }
    let hsts = header(&response, "strict-transport-security");
    assert_eq!(hsts.as_deref(), Some("max-age=31536000; includeSubDomains"));
    // The CAS keeps its own: framing the login is another defect.
    let login = demo.get(demo.url("cas/login")).await;
    assert_eq!(header(&login, "x-frame-options").as_deref(), Some("DENY"));
    demo.stop().await;
}

#[tokio::test]
async fn cas_frameable_login_drops_only_the_cas_framing_headers() {
    let demo = start(&[Defect::CasFrameableLogin]).await;
    let login = demo.get(demo.url("cas/login")).await;
    assert_eq!(header(&login, "x-frame-options"), None);
    let csp = header(&login, "content-security-policy").unwrap_or_default();
    assert!(!csp.contains("frame-ancestors"), "{csp}");
    assert_eq!(
        header(&login, "x-content-type-options").as_deref(),
        Some("nosniff")
    );
    let portal = demo.get(demo.url("")).await;
    assert_eq!(header(&portal, "x-frame-options").as_deref(), Some("DENY"));
    demo.stop().await;
}

#[tokio::test]
async fn insecure_cookies_lose_secure_httponly_and_samesite() {
    let demo = start(&[Defect::InsecureCookies]).await;
    let home = demo.get(demo.url("")).await;
    let session = set_cookie(&home, "ENTSESSION").unwrap();
    assert_eq!(
        session,
        format!("ENTSESSION={}; Path=/", cookie_value(&session))
    );

    let pupil = demo.account("eleve");
    let form = demo.login_form(demo.service()).await;
    let response = demo.submit(&form, &pupil.username, &pupil.password).await;
    let tgc = set_cookie(&response, "TGC").unwrap();
    assert_eq!(tgc, format!("TGC={}; Path=/cas", cookie_value(&tgc)));
    demo.stop().await;
}

#[tokio::test]
async fn cas_http_login_posts_credentials_in_clear_and_still_logs_in() {
    let demo = start(&[Defect::CasHttpLogin]).await;
    let form = demo.login_form(demo.service()).await;
    let encoded =
        url::form_urlencoded::byte_serialize(demo.service().as_bytes()).collect::<String>();
    assert_eq!(
        form.action,
        format!("{}cas/login?service={encoded}", demo.ent.http_base)
    );

    let pupil = demo.account("eleve");
    let response = demo.submit(&form, &pupil.username, &pupil.password).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let ticket = ticket_in(&location(&response));
    let (_, body) = demo
        .validate("serviceValidate", demo.service(), &ticket)
        .await;
    assert_eq!(body, success_xml("lea.martin"));

    // Everything else on the plain-HTTP listener still redirects.
    let get = demo
        .get(demo.ent.http_base.join("cas/login").unwrap())
        .await;
    assert_eq!(get.status(), StatusCode::MOVED_PERMANENTLY);
    demo.stop().await;
}

#[tokio::test]
async fn cas_accept_any_ticket_validates_an_invented_ticket_as_the_pupil() {
    let demo = start(&[Defect::CasAcceptAnyTicket]).await;
    let invented = "ST-1856339-aA5Yuvrxzpv8Tau1cYQ7inventedbyaudit";
    let (_, body) = demo
        .validate("serviceValidate", demo.service(), invented)
        .await;
    assert_eq!(body, success_xml("lea.martin"));

    // Real tickets still name their user, and are still single-use.
    let login = demo.login("enseignant").await;
    let (_, body) = demo
        .validate("serviceValidate", demo.service(), &login.ticket)
        .await;
    assert_eq!(body, success_xml("karim.benali"));
    let (_, replay) = demo
        .validate("serviceValidate", demo.service(), &login.ticket)
        .await;
    let message = format!("Ticket '{}' has already been used", login.ticket);
    assert_eq!(replay, failure_xml("INVALID_TICKET", &message));
    demo.stop().await;
}

#[tokio::test]
async fn cas_ticket_reuse_lets_a_ticket_validate_again() {
    let demo = start(&[Defect::CasTicketReuse]).await;
    let login = demo.login("eleve").await;
    for _ in 0..3 {
        let (_, body) = demo
            .validate("serviceValidate", demo.service(), &login.ticket)
            .await;
        assert_eq!(body, success_xml("lea.martin"));
    }
    demo.stop().await;
}

#[tokio::test]
async fn cas_short_ticket_issues_a_predictable_counter() {
    let demo = start(&[Defect::CasShortTicket]).await;
    let first = demo.login("eleve").await;
    assert_eq!(first.ticket, "ST-000001");
    let second = demo
        .get_with_tgc(demo.login_url(demo.service()), &first.tgc)
        .await;
    assert_eq!(ticket_in(&location(&second)), "ST-000002");
    let (_, body) = demo
        .validate("serviceValidate", demo.service(), &first.ticket)
        .await;
    assert_eq!(body, success_xml("lea.martin"));
    demo.stop().await;
}

#[tokio::test]
async fn cas_wrong_user_names_someone_else() {
    let demo = start(&[Defect::CasWrongUser]).await;
    let login = demo.login("eleve").await;
    let (_, body) = demo
        .validate("p3/serviceValidate", demo.service(), &login.ticket)
        .await;
    let leaves = cas_leaves(&body);
    assert_eq!(
        leaves[0],
        ("cas:user".to_owned(), "karim.benali".to_owned())
    );
    assert!(leaves.contains(&("cas:ENTPersonProfils".to_owned(), "National_3".to_owned())));

    let login = demo.login("eleve").await;
    let (_, body) = demo
        .validate("validate", demo.service(), &login.ticket)
        .await;
    assert_eq!(body, "yes\nkarim.benali\n");
    demo.stop().await;
}

#[tokio::test]
async fn cas_no_attributes_strips_the_p3_attributes() {
    let demo = start(&[Defect::CasNoAttributes]).await;
    let login = demo.login("eleve").await;
    let (_, body) = demo
        .validate("p3/serviceValidate", demo.service(), &login.ticket)
        .await;
    assert_eq!(body, success_xml("lea.martin"));
    demo.stop().await;
}

#[tokio::test]
async fn cas_logout_keeps_session_lets_the_old_cookie_log_in_silently() {
    let demo = start(&[Defect::CasLogoutKeepsSession]).await;
    let login = demo.login("eleve").await;
    let logout = demo.get_with_tgc(demo.url("cas/logout"), &login.tgc).await;
    assert_eq!(logout.status(), StatusCode::OK);
    let deleted = set_cookie(&logout, "TGC").unwrap();
    assert!(deleted.starts_with("TGC=; Path=/cas; Max-Age=0;"));
    assert!(
        logout
            .text()
            .await
            .unwrap()
            .contains("Vous êtes déconnecté.")
    );

    let after = demo
        .get_with_tgc(demo.login_url(demo.service()), &login.tgc)
        .await;
    assert_eq!(after.status(), StatusCode::FOUND);
    let ticket = ticket_in(&location(&after));
    let (_, body) = demo
        .validate("serviceValidate", demo.service(), &ticket)
        .await;
    assert_eq!(body, success_xml("lea.martin"));
    demo.stop().await;
}

#[tokio::test]
async fn defects_combine() {
    let demo = start(Defect::ALL).await;
    let http = demo.get(demo.ent.http_base.clone()).await;
    assert_eq!(http.status(), StatusCode::OK);
    let form = demo.login_form(demo.service()).await;
    assert!(form.action.starts_with(demo.ent.http_base.as_str()));
    let https = demo.get(demo.url("")).await;
    assert_eq!(header(&https, "strict-transport-security"), None);
    assert_eq!(header(&https, "x-frame-options"), None);
    read_login_form(
        &demo
            .get(demo.login_url(demo.service()))
            .await
            .text()
            .await
            .unwrap(),
    );
    demo.stop().await;
}
