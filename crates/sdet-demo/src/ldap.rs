//! The reference ENT's directory view: a small read-only LDAP server on a loopback port (the
//! `ldap3_proto` codec over tokio) serving the entries of [`super::annuaire`]. It answers what an
//! auditor's client needs — simple bind (the audit account only), subtree, one-level and base
//! searches with equality, presence, and/or/not filters, RFC 2696 paged results — and refuses
//! everything else with `unwillingToPerform`. Searches need a successful bind, as on a real ENT.

use std::sync::Arc;

use futures::{SinkExt, StreamExt};
use ldap3_proto::LdapCodec;
use ldap3_proto::control::LdapControl;
use ldap3_proto::proto::{LdapOp, LdapResult};
use ldap3_proto::simple::{
    LdapFilter, LdapMsg, LdapPartialAttribute, LdapResultCode, LdapSearchResultEntry,
    LdapSearchScope, SearchRequest, ServerOps,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_util::codec::Framed;

use super::annuaire::{BIND_DN, Entry};
use super::network::Meter;
use sdet_feeds::reconcile::model::normalise_dn;

/// Entries per page when the client asks for none or for more.
const MAX_PAGE: usize = 500;

/// A running directory server; dropping it stops accepting.
#[derive(Debug)]
pub(crate) struct DirectoryServer {
    /// `ldap://127.0.0.1:<port>`.
    pub url: String,
    /// Its operations: latency and count.
    pub meter: Arc<Meter>,
    task: JoinHandle<()>,
}

impl Drop for DirectoryServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Directory {
    entries: Vec<(String, Entry)>,
    password: String,
}

/// Starts serving `entries` on a fresh loopback port; `password` is the audit account's.
pub(crate) async fn start(
    entries: Vec<Entry>,
    password: String,
    latency: std::time::Duration,
) -> std::io::Result<DirectoryServer> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let address = listener.local_addr()?;
    let url = format!("ldap://{address}");
    let meter = Meter::new("ldap", address.to_string(), latency);
    let served = Arc::clone(&meter);
    let directory = Arc::new(Directory {
        entries: entries
            .into_iter()
            .map(|e| (normalise_dn(&e.dn), e))
            .collect(),
        password,
    });
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, Arc::clone(&directory), Arc::clone(&served)));
        }
    });
    Ok(DirectoryServer { url, meter, task })
}

async fn serve(stream: TcpStream, directory: Arc<Directory>, meter: Arc<Meter>) {
    let _open = meter.connect();
    let mut framed = Framed::new(stream, LdapCodec::default());
    let mut bound = false;
    while let Some(Ok(msg)) = framed.next().await {
        let paging = msg.ctrl.iter().find_map(|c| match c {
            LdapControl::SimplePagedResults { size, cookie } => Some((*size, cookie.clone())),
            _ => None,
        });
        let msgid = msg.msgid;
        let refusal = refusal(&msg.op);
        // Every operation that gets an answer waits the latency, as one round trip; an unbind or
        // an abandon gets none.
        let _in_flight = match msg.op {
            LdapOp::UnbindRequest | LdapOp::AbandonRequest(_) => None,
            _ => Some(meter.enter().await),
        };
        let replies = match ServerOps::try_from(msg) {
            Ok(ServerOps::SimpleBind(bind)) => {
                bound = bind.dn.eq_ignore_ascii_case(BIND_DN) && bind.pw == directory.password;
                vec![if bound {
                    bind.gen_success()
                } else {
                    bind.gen_invalid_cred()
                }]
            }
            Ok(ServerOps::Search(search)) if bound => directory.search(&search, paging),
            Ok(ServerOps::Search(search)) => {
                vec![search.gen_error(LdapResultCode::InsufficentAccessRights, "bind first".into())]
            }
            Ok(ServerOps::Unbind(_)) => return,
            Ok(ServerOps::Abandon { .. }) => Vec::new(),
            _ => refusal
                .map(|op| LdapMsg::new(msgid, op))
                .into_iter()
                .collect(),
        };
        for reply in replies {
            if framed.send(reply).await.is_err() {
                return;
            }
        }
    }
}

/// The `unwillingToPerform` answer to a request this server does not serve.
fn refusal(op: &LdapOp) -> Option<LdapOp> {
    let result = LdapResult {
        code: LdapResultCode::UnwillingToPerform,
        matcheddn: String::new(),
        message: "read-only directory view".into(),
        referral: Vec::new(),
    };
    Some(match op {
        LdapOp::ModifyRequest(_) => LdapOp::ModifyResponse(result),
        LdapOp::AddRequest(_) => LdapOp::AddResponse(result),
        LdapOp::DelRequest(_) => LdapOp::DelResponse(result),
        LdapOp::ModifyDNRequest(_) => LdapOp::ModifyDNResponse(result),
        LdapOp::CompareRequest(_) => LdapOp::CompareResult(result),
        LdapOp::BindRequest(_) => LdapOp::BindResponse(ldap3_proto::proto::LdapBindResponse {
            res: result,
            saslcreds: None,
        }),
        LdapOp::SearchRequest(_) => LdapOp::SearchResultDone(result),
        LdapOp::ExtendedRequest(_) => {
            LdapOp::ExtendedResponse(ldap3_proto::proto::LdapExtendedResponse {
                res: result,
                name: None,
                value: None,
            })
        }
        _ => return None,
    })
}

impl Directory {
    fn search(&self, search: &SearchRequest, paging: Option<(i64, Vec<u8>)>) -> Vec<LdapMsg> {
        let base = normalise_dn(&search.base);
        if !self.entries.iter().any(|(dn, _)| *dn == base) {
            return vec![search.gen_error(LdapResultCode::NoSuchObject, String::new())];
        }
        let matching: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|(dn, _)| in_scope(dn, &base, &search.scope))
            .filter(|(_, e)| matches(&search.filter, e))
            .map(|(_, e)| e)
            .collect();
        let Some((size, cookie)) = paging else {
            let mut out: Vec<LdapMsg> = matching.iter().map(|e| reply(search, e)).collect();
            out.push(search.gen_success());
            return out;
        };
        let start = cookie
            .get(..8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map_or(0, |b| {
                usize::try_from(u64::from_be_bytes(b)).unwrap_or(usize::MAX)
            });
        let size = usize::try_from(size)
            .ok()
            .filter(|s| *s > 0)
            .map_or(MAX_PAGE, |s| s.min(MAX_PAGE));
        let end = start.saturating_add(size).min(matching.len());
        let mut out: Vec<LdapMsg> = matching
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|e| reply(search, e))
            .collect();
        let next = if end < matching.len() {
            (end as u64).to_be_bytes().to_vec()
        } else {
            Vec::new()
        };
        let mut done = search.gen_success();
        done.ctrl.push(LdapControl::SimplePagedResults {
            size: 0,
            cookie: next,
        });
        out.push(done);
        out
    }
}

fn reply(search: &SearchRequest, entry: &Entry) -> LdapMsg {
    let wanted = |name: &str| {
        search.attrs.is_empty()
            || search
                .attrs
                .iter()
                .any(|a| a == "*" || a.eq_ignore_ascii_case(name))
    };
    search.gen_result_entry(LdapSearchResultEntry {
        dn: entry.dn.clone(),
        attributes: entry
            .attrs
            .iter()
            .filter(|(name, _)| wanted(name))
            .map(|(name, values)| LdapPartialAttribute {
                atype: name.clone(),
                vals: values.iter().map(|v| v.as_bytes().to_vec()).collect(),
            })
            .collect(),
    })
}

fn in_scope(dn: &str, base: &str, scope: &LdapSearchScope) -> bool {
    let below = dn
        .strip_suffix(base)
        .and_then(|rest| rest.strip_suffix(','));
    match scope {
        LdapSearchScope::Base => dn == base,
        LdapSearchScope::OneLevel => below.is_some_and(|rdn| !rdn.contains(',')),
        LdapSearchScope::Subtree => dn == base || below.is_some(),
        LdapSearchScope::Children => below.is_some(),
    }
}

fn values<'a>(entry: &'a Entry, name: &'a str) -> impl Iterator<Item = &'a String> {
    entry
        .attrs
        .iter()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        .flat_map(|(_, v)| v.iter())
}

fn matches(filter: &LdapFilter, entry: &Entry) -> bool {
    let values = |name| values(entry, name);
    match filter {
        LdapFilter::And(all) => all.iter().all(|f| matches(f, entry)),
        LdapFilter::Or(any) => any.iter().any(|f| matches(f, entry)),
        LdapFilter::Not(f) => !matches(f, entry),
        LdapFilter::Equality(name, value) => values(name).any(|v| v.eq_ignore_ascii_case(value)),
        LdapFilter::Present(name) => values(name).next().is_some(),
        // Substring, ordering, approximate and extensible matches are not served.
        _ => false,
    }
}
