//! `ldap_reconcile`: the ENT's LDAP directory reflects the AAF export it imports (`feeds
//! reconcile`, run from the target's `annuaire` block). Pass with no difference; fail with the
//! counts per kind and the first differences (what the export expects, what the directory holds);
//! error when the export or the directory cannot be read — the probe then cannot decide.

use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::{Lang, Text};
use sdet_feeds::reconcile::{self, Access, ReconcileError, Reconciliation, render};

/// Differences kept per kind for the evidence.
const LISTED: usize = 5;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let unexpected = |fr: &str, en: &str| ProbeError::Unexpected(Text::new(fr, en));
    let annuaire = ctx.target.annuaire.as_ref();
    let (Some(feeds), Some(ldap)) = (
        annuaire.and_then(|a| a.feeds.clone()),
        annuaire.and_then(|a| a.ldap.as_ref()),
    ) else {
        return Err(unexpected(
            "la cible ne déclare pas `annuaire.feeds` et `annuaire.ldap`",
            "the target declares no `annuaire.feeds` and `annuaire.ldap`",
        ));
    };
    let password = ctx
        .secrets
        .get(&ldap.password_env)
        .ok_or_else(|| ProbeError::Credentials(ldap.password_env.clone()))?;
    session.redactor.add_secret(&password);
    let access = Access {
        url: ldap.url.clone(),
        base_dn: ldap.base_dn.clone(),
        bind: Some((ldap.bind_dn.clone(), password)),
        ca_file: ctx.target.tls.ca_file.clone(),
        // The audit's `--timeout`, to connect and for each LDAP operation.
        timeout: session.timeout(),
    };
    // One connection to the directory, counted against its host like HTTP requests are: several
    // targets of a run may share a directory.
    // An address the reconcile cannot read holds no place: it refuses it with its own message.
    let _slot = match reconcile::Address::parse(&access.url) {
        Ok(address) => Some(session.limits().hold(&address.host, address.port).await),
        Err(_) => None,
    };
    let result = match reconcile::run(
        &[feeds],
        &access,
        LISTED,
        std::sync::Arc::new(reconcile::Quiet),
    )
    .await
    {
        Ok(result) => result,
        // Each error's own text in each language: their `Display` is in the language of the
        // command line's errors, not the report's.
        Err(ReconcileError::Directory(e)) => {
            let why = e.text();
            return Err(ProbeError::Unexpected(Text::new(
                format!("Annuaire LDAP illisible : {}", why.fr),
                format!("LDAP directory unreadable: {}", why.en),
            )));
        }
        Err(ReconcileError::Export(e)) => {
            let why = e.text();
            return Err(ProbeError::Unexpected(Text::new(
                format!("Export AAF illisible : {}", why.fr),
                format!("AAF export unreadable: {}", why.en),
            )));
        }
        Err(e @ ReconcileError::Temporary(_)) => {
            return Err(ProbeError::Unexpected(e.wording()));
        }
    };
    Ok(note_problems(judge(&result), &result))
}

/// The export's own format errors make the comparison less certain: say so.
fn note_problems(finding: Finding, r: &Reconciliation) -> Finding {
    if !r.export_problems {
        return finding;
    }
    let note = |t: &Text| {
        Text::new(
            format!(
                "{} (l'export AAF a des erreurs de format : voir `feeds check`)",
                t.fr
            ),
            format!(
                "{} (the AAF export has format errors: see `feeds check`)",
                t.en
            ),
        )
    };
    match finding {
        Finding::Pass(t) => Finding::Pass(note(&t)),
        Finding::Fail {
            message,
            expected,
            observed,
            locations,
        } => Finding::Fail {
            message: note(&message),
            expected,
            observed,
            locations,
        },
    }
}

fn judge(r: &Reconciliation) -> Finding {
    if r.total() == 0 {
        return Finding::Pass(Text::new(
            format!(
                "Les {} personnes de l'export AAF sont dans l'annuaire avec le bon profil, la bonne structure, les bonnes classes et les bons liens parents ({} entrées avec clé AAF)",
                r.export_people, r.directory_people
            ),
            format!(
                "The {} people of the AAF export are in the directory with the right profile, structure, classes and parent links ({} entries with an AAF key)",
                r.export_people, r.directory_people
            ),
        ));
    }
    let message = Text::new(
        format!(
            "{} écart(s) entre l'export AAF ({} personnes) et l'annuaire : {}",
            r.total(),
            r.export_people,
            render::summary(r, Lang::Fr)
        ),
        format!(
            "{} difference(s) between the AAF export ({} people) and the directory: {}",
            r.total(),
            r.export_people,
            render::summary(r, Lang::En)
        ),
    );
    // Per difference, the person, what differs in the report's words, and the value on each
    // side (data, the same in both languages).
    let side = |value: fn(&reconcile::Difference) -> Option<&str>| {
        let (mut fr, mut en) = (Vec::new(), Vec::new());
        for d in &r.differences {
            let shown = value(d).unwrap_or("—");
            fr.push(format!(
                "{} ({}) : {shown}",
                d.person,
                render::label(d.kind, Lang::Fr)
            ));
            en.push(format!(
                "{} ({}): {shown}",
                d.person,
                render::label(d.kind, Lang::En)
            ));
        }
        Text::new(fr.join(" | "), en.join(" | "))
    };
    Finding::fail(
        message,
        side(|d| d.expected.as_deref()),
        side(|d| d.observed.as_deref()),
    )
}
