//! The client's address, the key of the per-address sign-in throttle: the TCP peer, or, when the
//! peer is one of `KSBFOLIO_TRUSTED_PROXIES`, the address that proxy forwarded in
//! `X-Forwarded-For`.
//!
//! Security: `X-Forwarded-For` is whatever the sender wrote, so it is read only from a trusted
//! peer, and only as far as trusted hops reach: walking the list from the right (the hop nearest
//! to us), each address that is itself a trusted proxy is skipped and the first one that is not is
//! the client. Anything a client put at the left of the list (its own spoofed entries) is never
//! reached past an untrusted hop. A list that cannot be read stops the walk at the last trusted
//! hop, so a garbled header never yields an address the proxy did not vouch for.

use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;

/// The peers whose `X-Forwarded-For` is believed (KSBFOLIO_TRUSTED_PROXIES).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

/// A proxy entry that is neither an address nor a CIDR block.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not an IP address or a CIDR block (e.g. 10.0.0.5 or 10.0.0.0/24)")]
pub struct BadProxy(String);

/// One entry of KSBFOLIO_TRUSTED_PROXIES: `10.0.0.5`, `10.0.0.0/24`, `::1` or `fd00::/8`.
pub fn parse_proxy(entry: &str) -> Result<IpNet, BadProxy> {
    let entry = entry.trim();
    IpNet::from_str(entry)
        .or_else(|_| IpAddr::from_str(entry).map(IpNet::from))
        .map_err(|_| BadProxy(entry.to_string()))
}

/// One entry of the setting as the command line reads it: empty entries (an empty variable, a
/// trailing comma) stand for nothing.
#[derive(Debug, Clone, Copy)]
pub struct ProxyEntry(pub Option<IpNet>);

/// [`parse_proxy`], with an empty entry allowed.
pub fn parse_proxy_entry(entry: &str) -> Result<ProxyEntry, BadProxy> {
    if entry.trim().is_empty() {
        return Ok(ProxyEntry(None));
    }
    parse_proxy(entry).map(|net| ProxyEntry(Some(net)))
}

impl TrustedProxies {
    pub fn new(proxies: Vec<IpNet>) -> Self {
        Self(proxies)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client's address for a request from `peer` carrying the `X-Forwarded-For` header
    /// values `forwarded` (in the order received).
    pub fn client(&self, peer: IpAddr, forwarded: &[&str]) -> IpAddr {
        let mut client = canonical(peer);
        if !self.trusts(client) {
            return client;
        }
        let hops = forwarded
            .iter()
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        for hop in hops.iter().rev() {
            let Ok(address) = IpAddr::from_str(hop) else {
                break;
            };
            client = canonical(address);
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// IPv4 addresses seen through an IPv6 socket (`::ffff:a.b.c.d`) as the IPv4 addresses they are.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::new(
            list.iter()
                .map(|p| parse_proxy(p).expect("proxy"))
                .collect(),
        )
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("ip")
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("203.0.113.9"), &["198.51.100.1"]),
            ip("203.0.113.9")
        );
        let some = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            some.client(ip("203.0.113.9"), &["198.51.100.1"]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_trusted_proxy_forwards_the_nearest_untrusted_hop_and_spoofed_entries_are_passed_over() {
        let trusted = proxies(&["10.0.0.5", "10.1.0.0/16"]);
        let proxy = ip("10.0.0.5");
        assert_eq!(trusted.client(proxy, &["198.51.100.7"]), ip("198.51.100.7"));
        // The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
        assert_eq!(
            trusted.client(proxy, &["1.2.3.4, 198.51.100.7"]),
            ip("198.51.100.7")
        );
        // Two trusted hops, over two header lines.
        assert_eq!(
            trusted.client(proxy, &["1.2.3.4, 198.51.100.7", "10.1.2.3"]),
            ip("198.51.100.7")
        );
        // No header: the proxy itself.
        assert_eq!(trusted.client(proxy, &[]), proxy);
        // Garbage stops the walk at the last trusted hop.
        assert_eq!(trusted.client(proxy, &["198.51.100.7, nonsense"]), proxy);
    }

    #[test]
    fn mapped_ipv4_peers_and_bad_entries() {
        let trusted = proxies(&["127.0.0.1"]);
        assert_eq!(
            trusted.client(ip("::ffff:127.0.0.1"), &["198.51.100.7"]),
            ip("198.51.100.7")
        );
        assert!(parse_proxy("10.0.0.0/33").is_err());
        assert!(parse_proxy("proxy.example").is_err());
        assert_eq!(parse_proxy(" ::1 ").expect("v6").to_string(), "::1/128");
    }
}
