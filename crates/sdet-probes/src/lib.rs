//! Probes: automated checks against the live ENT. What to run is data (`probes/*.yaml`); how a
//! check kind runs is Rust, one file per kind under `probe/<family>/`, and the closed set of kinds
//! is [`Check`] (`probe/check.rs`). This file holds what checks share — their context, findings and
//! errors — and `run_all`, the one place where concurrency lives.

pub mod annuaire;
mod check;
pub mod deadline;
pub mod http;
pub mod interop;
mod portail;
pub mod redact;
pub mod session;
mod sso;

use std::time::Instant;

use deadline::{Clock, Deadlines, Passed};
use futures::StreamExt;
use http::{Http, Priority, TransportError};
use sdet_core::catalog::Length;
use sdet_core::evidence::{Observation, Outcome, SourceLocation};
use sdet_core::plan::{Plan, Step};
use sdet_core::target::{Secrets, Target};
use sdet_core::text::Text;
use session::Session;

pub use sdet_core::catalog::{Check, Family, Need, Probe};

/// What a check concluded, when it could decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Conforms.
    Pass(Text),
    /// Does not conform: why, and the values compared.
    Fail {
        /// Why.
        message: Text,
        /// What was expected, in both languages.
        expected: Option<Text>,
        /// What was seen, in both languages.
        observed: Option<Text>,
        /// Where in the files read (feeds, exports) the failure is, when it is in a file.
        locations: Vec<SourceLocation>,
    },
}

impl Finding {
    /// A failure with expected and observed values, each in both languages ([`Text::same`] for
    /// a value that reads the same in both: a status, a URL, a header).
    pub fn fail(message: Text, expected: Text, observed: Text) -> Self {
        Finding::Fail {
            message,
            expected: Some(expected),
            observed: Some(observed),
            locations: Vec::new(),
        }
    }

    /// The same finding, placed in the files it is about (a pass has no place).
    #[must_use]
    pub fn at(self, places: Vec<SourceLocation>) -> Self {
        match self {
            Finding::Fail {
                message,
                expected,
                observed,
                ..
            } => Finding::Fail {
                message,
                expected,
                observed,
                locations: places,
            },
            pass @ Finding::Pass(_) => pass,
        }
    }
}

/// Why a check could not decide. Always an `error` outcome, never a `fail`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    /// No usable answer from the network.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A credential variable is not set.
    #[error("credential variable `{0}` is not set")]
    Credentials(String),
    /// The ENT answered something the check cannot interpret.
    #[error("{}", .0.en)]
    Unexpected(Text),
    /// A step found a non-conformity that stops the check (a login form posting to another
    /// origin, whose password is withheld): the check fails with this finding.
    #[error("{}", finding_message(.0))]
    Fails(Finding),
    /// The server could not answer the step the check needs (5xx, 429): it said nothing about
    /// conformity, so the check cannot decide.
    #[error("{what} answers HTTP {status}")]
    Unavailable {
        /// The step, as a path or a document name.
        what: String,
        /// The status received.
        status: u16,
    },
}

fn finding_message(finding: &Finding) -> &str {
    match finding {
        Finding::Pass(m) | Finding::Fail { message: m, .. } => &m.en,
    }
}

/// `Err(Unavailable)` when `response` is a server error or a rate limit: an answer that says
/// nothing about the criterion, which no check may read as a refusal.
pub fn unavailable(response: &http::Response, what: &str) -> Result<(), ProbeError> {
    let status = response.status;
    if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Err(ProbeError::Unavailable {
            what: what.to_string(),
            status: status.as_u16(),
        });
    }
    Ok(())
}

impl ProbeError {
    /// The error for an answer whose status says nothing about what a check looks at: a server
    /// that is overloaded (429, still after the polite client's retries and its `Retry-After`),
    /// failing (5xx) or timing out (408). Such an answer is never a fail: the ENT could not be
    /// observed. `None` for any other status, which the check judges itself.
    pub fn from_status(response: &http::Response) -> Option<ProbeError> {
        let status = response.status;
        let code = status.as_u16();
        if !(code == 408 || code == 429 || status.is_server_error()) {
            return None;
        }
        let reason = status.canonical_reason().unwrap_or("");
        let after = response
            .header("retry-after")
            .map(|v| format!(", Retry-After: {}", v.chars().take(40).collect::<String>()))
            .unwrap_or_default();
        Some(ProbeError::Unexpected(Text::new(
            format!(
                "{} répond HTTP {code} {reason}{after} (après les nouvelles tentatives) : rien à juger",
                response.url
            ),
            format!(
                "{} answers HTTP {code} {reason}{after} (after the retries): nothing to judge",
                response.url
            ),
        )))
    }

    fn message(&self) -> Text {
        match self {
            ProbeError::Transport(TransportError::NotSent(refused)) => Text::new(
                format!("Requête non envoyée : {}", refused.0.fr),
                format!("Request not sent: {}", refused.0.en),
            ),
            ProbeError::Transport(TransportError::RedirectNotFollowed(refused)) => {
                refused.0.clone()
            }
            ProbeError::Transport(e) => {
                let e = e.text();
                Text::new(
                    format!("Erreur réseau : {}", e.fr),
                    format!("Network error: {}", e.en),
                )
            }
            ProbeError::Credentials(var) => Text::new(
                format!(
                    "Identifiants absents : la variable d'environnement `{var}` n'est pas définie"
                ),
                format!("Missing credentials: environment variable `{var}` is not set"),
            ),
            ProbeError::Unexpected(t) => t.clone(),
            ProbeError::Fails(finding) => match finding {
                Finding::Pass(m) | Finding::Fail { message: m, .. } => m.clone(),
            },
            ProbeError::Unavailable { what, status } => Text::new(
                format!(
                    "{what} répond HTTP {status} : le serveur n'a pas pu répondre, rien n'est jugé"
                ),
                format!(
                    "{what} answers HTTP {status}: the server could not answer, nothing is judged"
                ),
            ),
        }
    }
}

/// What a check may read: the target, the secrets, and what checks share within one audit.
pub struct Context<'a> {
    /// The ENT under audit.
    pub target: &'a Target,
    /// Where credentials come from.
    pub secrets: &'a Secrets,
    /// The one check of the AAF export the `aaf.*` probes share.
    aaf: annuaire::aaf::Shared,
    /// The one read of the GAR export the `gar.*` checks share.
    gar: interop::gar_export::Shared,
}

impl<'a> Context<'a> {
    /// The context of one audit of `target`.
    pub fn new(target: &'a Target, secrets: &'a Secrets) -> Self {
        Self {
            target,
            secrets,
            aaf: annuaire::aaf::Shared::default(),
            gar: interop::gar_export::Shared::default(),
        }
    }
}

/// Runs every runnable step of `plan`, bounded by the client's concurrency limits, and returns
/// one observation per step in plan order, whatever order they finished in.
pub async fn run_all(
    plan: &Plan,
    ctx: &Context<'_>,
    http: &Http,
    deadlines: Deadlines,
    progress: &(dyn Fn(&Observation) + Sync),
) -> Vec<Observation> {
    let clock = Clock::start(deadlines);
    // As many probes at once as requests may be in flight: a probe's deadline then measures its
    // own work, not a queue behind every other probe's requests.
    let width = http.concurrency();
    let clock = &clock;
    // The futures are made before they are streamed: a stream that maps borrowed steps through
    // a closure is not `Send`, and an audit runs as a task of its own (several targets at once).
    let steps: Vec<_> = longest_first(plan, ctx.target)
        .into_iter()
        .map(|(i, step)| async move {
            let observation = run_step(step, ctx, http, clock).await;
            progress(&observation);
            (i, observation)
        })
        .collect();
    let mut observations: Vec<(usize, Observation)> = futures::stream::iter(steps)
        .buffer_unordered(width)
        .collect()
        .await;
    observations.sort_by_key(|(i, _)| *i);
    observations.into_iter().map(|(_, o)| o).collect()
}

/// How urgently a check's requests wait for a place on their host: its expected length, so the
/// longest chain is not held up behind one-shot reads at each of its steps (see `http::places`).
fn priority(check: &Check, target: &Target) -> Priority {
    match check.length(cas_accounts(target)) {
        Length::RoundTrips(n) => Priority(n),
        Length::Data => Priority(usize::MAX),
    }
}

fn cas_accounts(target: &Target) -> usize {
    target.cas.as_ref().map_or(0, |cas| cas.accounts.len())
}

/// The steps in the order they start: the longest first (see [`Check::length`]), in plan order
/// among equals. With `width` probes at once, the longest chain of round trips then starts at
/// once instead of after every short probe ahead of it in the plan has taken its turn.
fn longest_first<'p>(plan: &'p Plan, target: &Target) -> Vec<(usize, &'p Step)> {
    let accounts = cas_accounts(target);
    let mut steps: Vec<(usize, &Step)> = plan.steps.iter().enumerate().collect();
    // A stable sort: equals keep their plan order. Steps that do not run go last: they take no time.
    steps.sort_by_key(|(_, step)| {
        std::cmp::Reverse(step.runnable().map(|check| check.length(accounts)))
    });
    steps
}

async fn run_step(step: &Step, ctx: &Context<'_>, http: &Http, clock: &Clock) -> Observation {
    let Some(check) = step.runnable() else {
        return Observation::skipped(&step.probe.id, step.skip_reason());
    };
    let started = Instant::now();
    let mut session = Session::new(http).with_priority(priority(check, ctx.target));
    let result = match clock.budget() {
        None => Err(ProbeError::Unexpected(clock.message(Passed::Audit, false))),
        Some((budget, passed)) => {
            tokio::time::timeout(budget, check::run(check, ctx, &mut session))
                .await
                .unwrap_or_else(|_| Err(ProbeError::Unexpected(clock.message(passed, true))))
        }
    };
    let (outcome, message, expected, observed, locations) = match result {
        Ok(Finding::Pass(m)) => (Outcome::Pass, m, None, None, Vec::new()),
        // A step's failure stops the check with that failure (see `ProbeError::Fails`).
        Ok(Finding::Fail {
            message,
            expected,
            observed,
            locations,
        })
        | Err(ProbeError::Fails(Finding::Fail {
            message,
            expected,
            observed,
            locations,
        })) => (Outcome::Fail, message, expected, observed, locations),
        Err(e) => (Outcome::Error, e.message(), None, None, Vec::new()),
    };
    let r = &session.redactor;
    Observation {
        probe: step.probe.id.clone(),
        outcome,
        message: Text::new(r.text(&message.fr), r.text(&message.en)),
        expected: expected.map(|e| Text::new(r.text(&e.fr), r.text(&e.en))),
        observed: observed.map(|o| Text::new(r.text(&o.fr), r.text(&o.en))),
        exchanges: std::mem::take(&mut session.exchanges),
        locations,
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}

#[cfg(test)]
mod tests {
    use sdet_core::catalog::{Check, Family, Probe};
    use sdet_core::plan::{Plan, Step};
    use sdet_core::target::Target;
    use sdet_core::text::Text;

    use super::longest_first;

    fn step(id: &str, check: Check, skip: bool) -> Step {
        Step {
            probe: Probe {
                id: id.into(),
                family: Family::Sso,
                title: Text::same(id),
                check: Some(check),
            },
            criteria: Vec::new(),
            skip: skip.then(|| Text::same("skipped")),
        }
    }

    #[test]
    fn the_longest_checks_start_first_and_equals_keep_plan_order() {
        let target: Target = serde_json::from_value(serde_json::json!({
            "name": "ENT",
            "cas": {
                "base_url": "https://ent.example/cas/",
                "service": "https://ent.example/",
                "accounts": [
                    {"profile": "eleve", "username_env": "U1", "password_env": "P1"},
                    {"profile": "parent", "username_env": "U2", "password_env": "P2"},
                    {"profile": "enseignant", "username_env": "U3", "password_env": "P3"}
                ]
            }
        }))
        .expect("a target");
        let identity =
            Check::from_kind("cas_identity_vector", serde_json::Value::Null).expect("defaults");
        let plan = Plan {
            steps: vec![
                step("a.skipped", Check::CasLogout, true),
                step("b.hsts_like", Check::SecurityHeaders, false),
                step("c.logout", Check::CasLogout, false),
                step("d.form", Check::CasLoginForm, false),
                step("e.identity", identity, false),
                step("f.reconcile", Check::LdapReconcile, false),
                step("g.renew", Check::CasRenewGateway, false),
            ],
        };
        let order: Vec<(usize, &str)> = longest_first(&plan, &target)
            .into_iter()
            .map(|(i, s)| (i, s.probe.id.as_str()))
            .collect();
        // The directory read first (its length is the data's), then three accounts' logins
        // (9 round trips), then the two six-trip flows in plan order, the one-trip reads in
        // plan order, and the step that does not run last.
        assert_eq!(
            order,
            [
                (5, "f.reconcile"),
                (4, "e.identity"),
                (2, "c.logout"),
                (6, "g.renew"),
                (1, "b.hsts_like"),
                (3, "d.form"),
                (0, "a.skipped"),
            ]
        );
    }
}
