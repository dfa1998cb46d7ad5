//! The conforming CAS server's validation side: `/validate`, `/serviceValidate` and
//! `/p3/serviceValidate`, their success documents and every refusal with its exact code.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::support::{XML, cas_leaves, failure_xml, start, success_xml};

#[tokio::test]
async fn service_validate_names_the_user_without_attributes() {
    let demo = start(&[]).await;
    let login = demo.login("eleve").await;
    let (content_type, body) = demo
        .validate("serviceValidate", demo.service(), &login.ticket)
        .await;
    assert_eq!(content_type, XML);
    assert_eq!(body, success_xml("lea.martin"));
    demo.stop().await;
}

#[tokio::test]
async fn cas1_validate_answers_yes_and_the_user_then_no() {
    let demo = start(&[]).await;
    let login = demo.login("enseignant").await;
    let (content_type, body) = demo
        .validate("validate", demo.service(), &login.ticket)
        .await;
    assert_eq!(content_type, "text/plain;charset=UTF-8");
    assert_eq!(body, "yes\nkarim.benali\n");
    let (_, replay) = demo
        .validate("validate", demo.service(), &login.ticket)
        .await;
    assert_eq!(replay, "no\n");
    demo.stop().await;
}

#[tokio::test]
async fn p3_releases_the_required_attributes_and_the_identity_vector() {
    let demo = start(&[]).await;
    let expected = [
        (
            "eleve",
            "lea.martin",
            "National_1",
            "MARTIN",
            "Léa",
            "4750001",
        ),
        (
            "enseignant",
            "karim.benali",
            "National_3",
            "BENALI",
            "Karim",
            "4750002",
        ),
        (
            "parent",
            "sophie.martin",
            "National_2",
            "MARTIN",
            "Sophie",
            "4750003",
        ),
    ];
    for (profile, user, national, last_name, first_name, jointure) in expected {
        let login = demo.login(profile).await;
        let (content_type, body) = demo
            .validate("p3/serviceValidate", demo.service(), &login.ticket)
            .await;
        assert_eq!(content_type, XML);

        let mut leaves = cas_leaves(&body);
        let (name, date) = leaves.remove(1);
        assert_eq!(name, "cas:authenticationDate");
        let date = OffsetDateTime::parse(&date, &Rfc3339).expect("xs:dateTime");
        assert!((OffsetDateTime::now_utc() - date).whole_seconds().abs() < 60);

        let mut want = vec![
            ("cas:user", user),
            ("cas:longTermAuthenticationRequestTokenUsed", "false"),
            ("cas:isFromNewLogin", "true"),
            ("cas:ENTPersonProfils", national),
            ("cas:ENTPersonStructRattach", "4821"),
            ("cas:ENTPersonStructRattachUAI", "0750001U"),
            ("cas:ENTPersonNom", last_name),
            ("cas:ENTPersonPrenom", first_name),
            ("cas:ENTPersonJointure", jointure),
        ];
        if profile == "eleve" {
            want.push(("cas:ENTEleveClasses", "4821$4A"));
        }
        let want: Vec<_> = want
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(leaves, want, "{profile}");
    }
    demo.stop().await;
}

#[tokio::test]
async fn a_validated_ticket_is_refused_when_presented_again() {
    let demo = start(&[]).await;
    let login = demo.login("eleve").await;
    let (_, first) = demo
        .validate("serviceValidate", demo.service(), &login.ticket)
        .await;
    assert_eq!(first, success_xml("lea.martin"));
    let (_, replay) = demo
        .validate("p3/serviceValidate", demo.service(), &login.ticket)
        .await;
    let message = format!("Ticket '{}' has already been used", login.ticket);
    assert_eq!(replay, failure_xml("INVALID_TICKET", &message));
    demo.stop().await;
}

#[tokio::test]
async fn an_invented_ticket_is_refused() {
    let demo = start(&[]).await;
    let invented = "ST-1856339-aA5Yuvrxzpv8Tau1cYQ7inventedbyaudit";
    for endpoint in ["serviceValidate", "p3/serviceValidate"] {
        let (_, body) = demo.validate(endpoint, demo.service(), invented).await;
        let message = format!("Ticket '{invented}' not recognized");
        assert_eq!(body, failure_xml("INVALID_TICKET", &message), "{endpoint}");
    }
    demo.stop().await;
}

#[tokio::test]
async fn a_ticket_for_another_service_is_refused_and_consumed() {
    let demo = start(&[]).await;
    let login = demo.login("eleve").await;
    let other = demo.url("autre-service/").to_string();
    let (_, body) = demo
        .validate("serviceValidate", &other, &login.ticket)
        .await;
    let message = format!(
        "Ticket '{}' was not issued for service '{other}'",
        login.ticket
    );
    assert_eq!(body, failure_xml("INVALID_SERVICE", &message));

    let (_, retry) = demo
        .validate("serviceValidate", demo.service(), &login.ticket)
        .await;
    let message = format!("Ticket '{}' has already been used", login.ticket);
    assert_eq!(retry, failure_xml("INVALID_TICKET", &message));
    demo.stop().await;
}

#[tokio::test]
async fn malformed_requests_get_invalid_request_or_invalid_ticket_spec() {
    let demo = start(&[]).await;
    let missing = demo
        .get(demo.url("cas/serviceValidate?ticket=ST-1"))
        .await
        .text()
        .await
        .unwrap();
    let message = "'service' and 'ticket' parameters are both required";
    assert_eq!(missing, failure_xml("INVALID_REQUEST", message));

    let (_, proxy) = demo
        .validate("serviceValidate", demo.service(), "PT-1-abc")
        .await;
    let message = "Ticket 'PT-1-abc' is a proxy ticket: validate it at proxyValidate";
    assert_eq!(proxy, failure_xml("INVALID_TICKET_SPEC", message));

    let (_, garbage) = demo
        .validate("serviceValidate", demo.service(), "<x>")
        .await;
    let message = "'&lt;x&gt;' is not a CAS ticket (ST- then only A-Z, a-z, 0-9 and '-')";
    assert_eq!(garbage, failure_xml("INVALID_TICKET_SPEC", message));
    demo.stop().await;
}

#[tokio::test]
async fn json_format_and_proxy_callbacks_are_refused() {
    let demo = start(&[]).await;
    let login = demo.login("eleve").await;
    let mut url = demo.url("cas/p3/serviceValidate");
    url.query_pairs_mut()
        .append_pair("service", demo.service())
        .append_pair("ticket", &login.ticket)
        .append_pair("format", "JSON");
    let body = demo.get(url.clone()).await.text().await.unwrap();
    let message = "Format 'JSON' is not supported: this server answers in XML";
    assert_eq!(body, failure_xml("INVALID_REQUEST", message));

    // The refused format did not spend the ticket; a proxy callback does, and fails.
    let mut url = demo.url("cas/serviceValidate");
    url.query_pairs_mut()
        .append_pair("service", demo.service())
        .append_pair("ticket", &login.ticket)
        .append_pair("pgtUrl", "https://127.0.0.1:1/callback");
    let body = demo.get(url).await.text().await.unwrap();
    let message = format!(
        "Service '{}' is not authorized to use CAS proxy authentication",
        demo.service()
    );
    assert_eq!(body, failure_xml("UNAUTHORIZED_SERVICE_PROXY", &message));
    let (_, retry) = demo
        .validate("serviceValidate", demo.service(), &login.ticket)
        .await;
    assert!(retry.contains("code=\"INVALID_TICKET\""));
    demo.stop().await;
}
