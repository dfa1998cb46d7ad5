//! Where probes may go. The audited ENT controls every redirect and every link it serves, and the
//! audit may run on a cloud CI runner whose metadata service (`169.254.169.254`) hands out the
//! instance's credentials to anyone who asks from inside. So the client refuses, before any byte
//! is sent:
//!
//! - a scheme other than `http` and `https`;
//! - an address in a range the target itself is not in: loopback, private networks (RFC 1918,
//!   shared 100.64/10, IPv6 unique-local) and link-local (the metadata address). A target on
//!   127.0.0.1 (the test peers, the demo) may be reached there; nothing else reaches it. This is
//!   checked on every request, on IP literals here and on host names after resolution (see
//!   [`ReachResolver`]), so a host name of the vendor's that resolves to the metadata address is
//!   refused too;
//! - addresses that are never a server: unspecified (`0.0.0.0`, which Linux sends to the local
//!   host), broadcast and multicast.
//!
//! Redirects are followed only to the origins the target names (its URLs and `allowed_origins`),
//! plus those a probe adds for the flow it runs (the SAML IdP's SSO endpoint from its metadata,
//! the OpenID Connect authorization endpoint): a redirect anywhere else is reported, and the page
//! it points to is never fetched.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use url::{Host, Origin, Url};

use sdet_core::text::Text;

/// A kind of address, as far as reaching it is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AddressClass {
    /// The Internet.
    Public,
    /// This machine (127.0.0.0/8, ::1).
    Loopback,
    /// Private networks: 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7.
    Private,
    /// Link-local: 169.254/16 (where cloud metadata services answer), fe80::/10.
    LinkLocal,
    /// Never a server: unspecified, broadcast, multicast.
    Never,
}

impl AddressClass {
    /// The class of `ip` (an IPv4-mapped IPv6 address counts as its IPv4 address).
    pub fn of(ip: IpAddr) -> AddressClass {
        match ip {
            IpAddr::V4(v4) => Self::of_v4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::of_v4(v4),
                None => Self::of_v6(v6),
            },
        }
    }

    fn of_v4(ip: Ipv4Addr) -> AddressClass {
        let [a, b, ..] = ip.octets();
        if ip.is_unspecified() || ip.is_broadcast() || ip.is_multicast() {
            AddressClass::Never
        } else if ip.is_loopback() {
            AddressClass::Loopback
        } else if ip.is_link_local() {
            AddressClass::LinkLocal
        } else if ip.is_private() || (a == 100 && (64..128).contains(&b)) {
            AddressClass::Private
        } else {
            AddressClass::Public
        }
    }

    fn of_v6(ip: Ipv6Addr) -> AddressClass {
        let first = ip.segments()[0];
        if ip.is_unspecified() || ip.is_multicast() {
            AddressClass::Never
        } else if ip.is_loopback() {
            AddressClass::Loopback
        } else if first & 0xffc0 == 0xfe80 {
            AddressClass::LinkLocal
        } else if first & 0xfe00 == 0xfc00 {
            AddressClass::Private
        } else {
            AddressClass::Public
        }
    }

    fn describe(self) -> (&'static str, &'static str) {
        match self {
            AddressClass::Public => ("une adresse publique", "a public address"),
            AddressClass::Loopback => ("une adresse de bouclage", "a loopback address"),
            AddressClass::Private => ("une adresse de réseau privé", "a private-network address"),
            AddressClass::LinkLocal => (
                "une adresse lien-local (celle des services de métadonnées des clouds)",
                "a link-local address (where cloud metadata services answer)",
            ),
            AddressClass::Never => (
                "une adresse où aucun serveur ne répond (non spécifiée, diffusion ou multidiffusion)",
                "an address no server answers on (unspecified, broadcast or multicast)",
            ),
        }
    }
}

/// Why the client will not go somewhere.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.en)]
pub struct Refused(pub Text);

/// The origins and address classes an audit may reach.
#[derive(Debug, Clone)]
pub struct Reach {
    origins: Vec<Origin>,
    classes: BTreeSet<AddressClass>,
}

/// Public addresses only, and no redirect followed: what a client reaches before it knows the
/// target.
impl Default for Reach {
    fn default() -> Self {
        Reach {
            origins: Vec::new(),
            classes: BTreeSet::from([AddressClass::Public]),
        }
    }
}

impl Reach {
    /// The reach of a target whose URLs are `urls`: their origins (with the other scheme on the
    /// default ports of the same host, so an HTTP→HTTPS upgrade is followed) and the address
    /// classes their hosts are in, host names resolved now. Public addresses are always reachable.
    pub async fn around(urls: &[Url]) -> Reach {
        let mut reach = Reach::default();
        for url in urls {
            reach.add_origin(url);
            for ip in addresses_of(url).await {
                let class = AddressClass::of(ip);
                if class != AddressClass::Never {
                    reach.classes.insert(class);
                }
            }
        }
        reach
    }

    fn add_origin(&mut self, url: &Url) {
        let mut push = |origin: Origin| {
            if origin.is_tuple() && !self.origins.contains(&origin) {
                self.origins.push(origin);
            }
        };
        push(url.origin());
        if url.port().is_none() {
            let mut other = url.clone();
            let scheme = if url.scheme() == "https" {
                "http"
            } else {
                "https"
            };
            if other.set_scheme(scheme).is_ok() {
                push(other.origin());
            }
        }
    }

    /// `Ok` when a request to `url` may be sent: an HTTP(S) URL whose host, if an IP literal, is
    /// in a class the target is in. Host names are checked once resolved.
    pub fn admit_url(&self, url: &Url) -> Result<(), Refused> {
        if !matches!(url.scheme(), "http" | "https") {
            let (url, scheme) = (shorten(url), url.scheme());
            return Err(Refused(Text::new(
                format!("{url} : seuls http:// et https:// sont suivis, pas {scheme}:"),
                format!("{url}: only http:// and https:// are followed, not {scheme}:"),
            )));
        }
        let ip = match url.host() {
            Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
            Some(Host::Domain(_)) => return Ok(()),
            None => {
                let url = shorten(url);
                return Err(Refused(Text::new(
                    format!("{url} : pas d'hôte"),
                    format!("{url}: no host"),
                )));
            }
        };
        self.admit_address(url.host_str().unwrap_or_default(), ip)
    }

    /// `Ok` when `ip` (an address of `host`) is in a class the target is in.
    pub fn admit_address(&self, host: &str, ip: IpAddr) -> Result<(), Refused> {
        let class = AddressClass::of(ip);
        if class != AddressClass::Never && self.classes.contains(&class) {
            return Ok(());
        }
        let (fr, en) = class.describe();
        Err(Refused(Text::new(
            format!("{host} est {ip}, {fr}, où l'ENT audité n'est pas : non contacté"),
            format!("{host} is {ip}, {en}, where the audited ENT is not: not reached"),
        )))
    }

    /// `Ok` when a redirect to `to` may be followed: `admit_url`, and `to` on one of the
    /// target's origins or of `also` (origins the probe's own flow started on).
    pub fn admit_redirect(&self, to: &Url, also: &[Origin]) -> Result<(), Refused> {
        self.admit_url(to)?;
        let origin = to.origin();
        if self.origins.contains(&origin) || also.contains(&origin) {
            return Ok(());
        }
        let (to, origin) = (shorten(to), origin.ascii_serialization());
        Err(Refused(Text::new(
            format!(
                "redirection vers {to} non suivie : {origin} n'est pas une des origines de la cible (l'ajouter à `allowed_origins` si elle appartient à l'ENT)"
            ),
            format!(
                "redirect to {to} not followed: {origin} is not one of the target's origins (list it in `allowed_origins` if it belongs to the ENT)"
            ),
        )))
    }

    /// The resolver that applies this reach to every host name the client looks up.
    pub fn resolver(&self) -> Arc<ReachResolver> {
        Arc::new(ReachResolver {
            reach: self.clone(),
        })
    }
}

/// A URL in a message: no query (it may carry a ticket), at most 200 characters.
fn shorten(url: &Url) -> String {
    let mut bare = url.clone();
    bare.set_query(None);
    bare.set_fragment(None);
    bare.as_str().chars().take(200).collect()
}

/// The addresses `url`'s host stands for (none when it cannot be resolved: the probes then report
/// the connection error themselves).
async fn addresses_of(url: &Url) -> Vec<IpAddr> {
    match url.host() {
        Some(Host::Ipv4(v4)) => vec![IpAddr::V4(v4)],
        Some(Host::Ipv6(v6)) => vec![IpAddr::V6(v6)],
        Some(Host::Domain(name)) => tokio::net::lookup_host((name, 0))
            .await
            .map(|addrs| addrs.map(|a| a.ip()).collect())
            .unwrap_or_default(),
        None => Vec::new(),
    }
}

/// Resolves host names with the system resolver and keeps only the addresses the reach admits;
/// a name left with none is refused, naming what it resolved to.
#[derive(Debug)]
pub struct ReachResolver {
    reach: Reach,
}

impl reqwest::dns::Resolve for ReachResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let reach = self.reach.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let mut refusal = None;
            let admitted: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| match reach.admit_address(&host, a.ip()) {
                    Ok(()) => true,
                    Err(e) => {
                        refusal.get_or_insert(e);
                        false
                    }
                })
                .collect();
            match (admitted.is_empty(), refusal) {
                (true, Some(refused)) => Err(refused.into()),
                _ => Ok(Box::new(admitted.into_iter()) as reqwest::dns::Addrs),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn classes() {
        let class = |s: &str| AddressClass::of(s.parse().unwrap());
        assert_eq!(class("169.254.169.254"), AddressClass::LinkLocal);
        assert_eq!(class("::ffff:169.254.169.254"), AddressClass::LinkLocal);
        assert_eq!(class("fe80::1"), AddressClass::LinkLocal);
        assert_eq!(class("127.0.0.2"), AddressClass::Loopback);
        assert_eq!(class("::1"), AddressClass::Loopback);
        assert_eq!(class("10.1.2.3"), AddressClass::Private);
        assert_eq!(class("172.31.0.1"), AddressClass::Private);
        assert_eq!(class("192.168.0.1"), AddressClass::Private);
        assert_eq!(class("100.100.100.200"), AddressClass::Private);
        assert_eq!(class("fd00:ec2::254"), AddressClass::Private);
        assert_eq!(class("0.0.0.0"), AddressClass::Never);
        assert_eq!(class("224.0.0.1"), AddressClass::Never);
        assert_eq!(class("193.51.24.1"), AddressClass::Public);
        assert_eq!(class("2001:660::1"), AddressClass::Public);
    }

    #[tokio::test]
    async fn a_public_target_reaches_no_internal_address() {
        let reach = Reach::around(&[url("https://[2001:db8::1]/")]).await;
        for bad in [
            "http://169.254.169.254/latest/meta-data/",
            "http://127.0.0.1:8080/",
            "http://10.0.0.1/",
            "http://[::1]/",
            "http://[::ffff:a9fe:a9fe]/",
            "http://0.0.0.0/",
        ] {
            assert!(reach.admit_url(&url(bad)).is_err(), "{bad}");
        }
        assert!(reach.admit_url(&url("https://193.51.24.1/")).is_ok());
        assert!(reach.admit_url(&url("file:///etc/passwd")).is_err());
        assert!(reach.admit_url(&url("ftp://ent.fr/")).is_err());
    }

    #[tokio::test]
    async fn a_loopback_target_reaches_loopback_only() {
        let reach = Reach::around(&[url("https://127.0.0.1:8443/")]).await;
        assert!(reach.admit_url(&url("http://127.0.0.1:9/")).is_ok());
        assert!(reach.admit_url(&url("http://169.254.169.254/")).is_err());
        assert!(reach.admit_url(&url("http://192.168.1.1/")).is_err());
    }

    #[tokio::test]
    async fn redirects_stay_on_the_targets_origins() {
        let reach = Reach::around(&[url("https://127.0.0.1:8443/portail/")]).await;
        assert!(
            reach
                .admit_redirect(&url("https://127.0.0.1:8443/autre"), &[])
                .is_ok()
        );
        let other = url("https://127.0.0.1:9443/");
        let refused = reach.admit_redirect(&other, &[]).unwrap_err();
        assert!(refused.0.en.contains("allowed_origins"), "{refused}");
        assert!(reach.admit_redirect(&other, &[other.origin()]).is_ok());
        // The scheme upgrade of a default-port origin is the same site.
        let named = Reach::around(&[url("http://193.51.24.1/")]).await;
        assert!(
            named
                .admit_redirect(&url("https://193.51.24.1/x"), &[])
                .is_ok()
        );
    }
}
