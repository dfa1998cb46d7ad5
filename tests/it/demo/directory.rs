//! The reference ENT's directory view, through a real LDAP client (`ldap3`): it serves what the
//! audit needs — bind, paged subtree searches — and nothing else, and only to the audit account.

use ldap3::adapters::{EntriesOnly, PagedResults};
use ldap3::{LdapConnAsync, LdapResult, Scope, SearchEntry};
use sdet_audit::demo::{self, DemoOptions, ReferenceEnt};

async fn connect(ent: &ReferenceEnt) -> ldap3::Ldap {
    let (conn, ldap) = LdapConnAsync::new(&ent.ldap_url).await.expect("connect");
    ldap3::drive!(conn);
    ldap
}

#[tokio::test]
async fn the_directory_pages_its_entries_to_the_audit_account_only() {
    let ent = demo::start(&DemoOptions::default()).await.expect("start");
    assert!(
        ent.ldap_url.starts_with("ldap://127.0.0.1:"),
        "{}",
        ent.ldap_url
    );
    let mut ldap = connect(&ent).await;

    // Before any bind, and after a refused one, searching is refused.
    let refused = ldap
        .search(
            &ent.ldap_base_dn,
            Scope::Subtree,
            "(objectClass=*)",
            vec!["*"],
        )
        .await
        .expect("answer");
    assert_eq!(refused.1.rc, 50, "{refused:?}");
    let wrong = ldap
        .simple_bind(&ent.ldap_bind_dn, "not-the-password")
        .await
        .expect("answer");
    assert_eq!(wrong.rc, 49);

    ldap.simple_bind(&ent.ldap_bind_dn, &ent.ldap_password)
        .await
        .and_then(LdapResult::success)
        .expect("bind");
    // Pages of 7: the server must hand a cookie back until the last page.
    let adapters: Vec<Box<dyn ldap3::adapters::Adapter<_, _>>> =
        vec![Box::new(EntriesOnly::new()), Box::new(PagedResults::new(7))];
    let mut stream = ldap
        .streaming_search_with(
            adapters,
            &ent.ldap_base_dn,
            Scope::Subtree,
            "(ENTPersonJointure=*)",
            vec!["ENTPersonJointure", "objectClass"],
        )
        .await
        .expect("search");
    let mut people = Vec::new();
    while let Some(entry) = stream.next().await.expect("entry") {
        people.push(SearchEntry::construct(entry));
    }
    stream.finish().await.success().expect("search done");
    // The demo export holds 300 people (crates/sdet-demo/src/annuaire.rs), all in the directory.
    assert_eq!(people.len(), 300);
    assert!(
        people
            .iter()
            .all(|p| p.attrs.contains_key("ENTPersonJointure"))
    );
    assert!(
        people.iter().all(|p| !p.attrs.contains_key("uid")),
        "only the asked attributes"
    );

    // Equality and negation filters, one-level scope.
    let (pupils, done) = ldap
        .search(
            &format!("ou=people,{}", ent.ldap_base_dn),
            Scope::OneLevel,
            "(&(objectClass=ENTEleve)(!(objectClass=ENTAuxEnseignant)))",
            vec!["uid"],
        )
        .await
        .and_then(ldap3::SearchResult::success)
        .expect("search");
    assert!(
        done.rc == 0 && !pupils.is_empty() && pupils.len() < people.len(),
        "{}",
        pupils.len()
    );

    // A base that does not exist, and any write, are refused.
    let missing = ldap
        .search(
            "ou=nowhere,dc=ent-demo,dc=fr",
            Scope::Subtree,
            "(objectClass=*)",
            vec!["*"],
        )
        .await
        .expect("answer");
    assert_eq!(missing.1.rc, 32);
    let delete = ldap
        .delete(&format!("ou=people,{}", ent.ldap_base_dn))
        .await
        .expect("answer");
    assert_eq!(delete.rc, 53, "{delete:?}");
    let _ = ldap.unbind().await;
    ent.stop().await;
}
