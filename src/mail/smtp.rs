//! The SMTP relay of `KSBFOLIO_SMTP_URL`: lettre's SMTP protocol (EHLO, STARTTLS, AUTH, the
//! message exchange) over sockets this file opens with `TCP_NODELAY`, and a stack of idle
//! connections that delivery tasks take and give back.
//!
//! Why the sockets are opened here: lettre's transport (0.11.23, its latest release) leaves
//! Nagle's algorithm on, and writes a message's body and its closing `\r\n.\r\n` as two writes.
//! Nagle holds the second until the server acknowledges the first, and servers delay that
//! acknowledgement (40 ms on Linux), so every message waited about 40 ms for nothing: 47 ms a
//! message on loopback against 0.9 ms with `TCP_NODELAY`, whatever the server's speed. A
//! delivery task sends one message at a time, so that wait was the outbox's rate (about 20
//! messages a second per task).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;
use url::Url;

/// Connections kept open for the next message; more than this are closed after use.
const MAX_IDLE: usize = 16;
/// A connection idle longer than this is checked with `NOOP` before it is used again (the
/// server may have closed it); one idle longer than [`IDLE_CLOSE`] is closed instead.
const IDLE_CHECK: Duration = Duration::from_secs(2);
const IDLE_CLOSE: Duration = Duration::from_secs(60);

/// How the connection is protected.
#[derive(Clone)]
enum Security {
    /// `smtp://host`: no TLS (a relay on the same host or network).
    Plain,
    /// `smtp://host?tls=required` or `?tls=opportunistic`: STARTTLS after the greeting.
    StartTls {
        required: bool,
        parameters: TlsParameters,
    },
    /// `smtps://host`: TLS from the first byte (RFC 8314).
    Implicit {
        connector: TlsConnector,
        server_name: ServerName<'static>,
    },
}

/// An SMTP server and the connections open to it.
#[derive(Clone)]
pub struct SmtpRelay {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
    timeout: Duration,
    idle: Arc<Mutex<Vec<IdleConnection>>>,
}

struct IdleConnection {
    connection: AsyncSmtpConnection,
    since: Instant,
}

/// A relay URL that cannot be used, or a failure to hand a message over.
#[derive(Debug, thiserror::Error)]
pub enum SmtpError {
    #[error("{0}")]
    Url(String),
    #[error(transparent)]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the mail server did not answer within {0:?}")]
    Timeout(Duration),
}

impl SmtpRelay {
    /// The relay of a `smtp://` or `smtps://` URL, with the rules of lettre's `from_url`: the
    /// port defaults to 25 (plain), 587 (STARTTLS) or 465 (`smtps`); user and password are
    /// percent-decoded; a path names this host in `EHLO`.
    pub fn from_url(url: &str, timeout: Duration) -> Result<Self, SmtpError> {
        let url = Url::parse(url).map_err(|e| SmtpError::Url(e.to_string()))?;
        let host = url
            .host_str()
            .ok_or_else(|| SmtpError::Url("the URL names no host".into()))?
            .to_string();
        let tls = url
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.into_owned());
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (Security::Plain, 25),
            ("smtp", Some(mode @ ("required" | "opportunistic"))) => (
                Security::StartTls {
                    required: mode == "required",
                    parameters: TlsParameters::new(host.clone())?,
                },
                587,
            ),
            ("smtps", None) => (
                Security::Implicit {
                    connector: tls_connector(),
                    server_name: ServerName::try_from(host.clone())
                        .map_err(|e| SmtpError::Url(format!("{host:?}: {e}")))?,
                },
                465,
            ),
            (scheme, tls) => {
                return Err(SmtpError::Url(format!(
                    "use smtp:// (optionally with ?tls=required or ?tls=opportunistic) or \
                     smtps://, not {scheme}:// with tls={tls:?}"
                )));
            }
        };
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        let credentials = url
            .password()
            .map(|password| Credentials::new(decode(url.username()), decode(password)));
        let path = url.path().trim_matches('/');
        let hello = if path.is_empty() {
            ClientId::default()
        } else {
            ClientId::Domain(path.to_string())
        };
        Ok(Self {
            port: url.port().unwrap_or(default_port),
            host,
            security,
            credentials,
            hello,
            timeout,
            idle: Arc::default(),
        })
    }

    /// Hands one message over: on an open connection when one is idle, else on a new one. A
    /// connection that failed is closed, never reused.
    pub async fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), SmtpError> {
        let mut connection = match self.take_idle().await {
            Some(connection) => connection,
            None => self.within_timeout(self.connect()).await?,
        };
        match self
            .within_timeout(async { Ok(connection.send(envelope, message).await?) })
            .await
        {
            Ok(_) => {
                self.give_back(connection).await;
                Ok(())
            }
            Err(error) => {
                connection.abort().await;
                Err(error)
            }
        }
    }

    async fn within_timeout<T>(
        &self,
        step: impl Future<Output = Result<T, SmtpError>>,
    ) -> Result<T, SmtpError> {
        tokio::time::timeout(self.timeout, step)
            .await
            .map_err(|_| SmtpError::Timeout(self.timeout))?
    }

    /// The most recently used idle connection that still answers, if any.
    async fn take_idle(&self) -> Option<AsyncSmtpConnection> {
        loop {
            let IdleConnection {
                mut connection,
                since,
            } = self.lock_idle().pop()?;
            let idle_for = since.elapsed();
            if idle_for > IDLE_CLOSE {
                connection.abort().await;
                continue;
            }
            if idle_for <= IDLE_CHECK
                || tokio::time::timeout(self.timeout, connection.test_connected())
                    .await
                    .unwrap_or(false)
            {
                return Some(connection);
            }
            connection.abort().await;
        }
    }

    async fn give_back(&self, connection: AsyncSmtpConnection) {
        let kept = {
            let mut idle = self.lock_idle();
            if idle.len() < MAX_IDLE && !connection.has_broken() {
                idle.push(IdleConnection {
                    connection,
                    since: Instant::now(),
                });
                None
            } else {
                Some(connection)
            }
        };
        if let Some(mut extra) = kept {
            let _ = extra.quit().await;
        }
    }

    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<IdleConnection>> {
        // A panic while holding the lock leaves a plain list of connections: still usable.
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SmtpError> {
        let socket = TcpStream::connect((self.host.as_str(), self.port)).await?;
        socket.set_nodelay(true)?;
        let stream: Box<dyn AsyncTokioStream> = match &self.security {
            Security::Implicit {
                connector,
                server_name,
            } => Box::new(TlsSocket(
                connector.connect(server_name.clone(), socket).await?,
            )),
            Security::Plain | Security::StartTls { .. } => Box::new(socket),
        };
        let mut connection =
            AsyncSmtpConnection::connect_with_transport(stream, &self.hello).await?;
        if let Security::StartTls {
            required,
            parameters,
        } = &self.security
            && (*required || connection.can_starttls())
        {
            connection.starttls(parameters.clone(), &self.hello).await?;
        }
        if let Some(credentials) = &self.credentials {
            connection.auth(DEFAULT_MECHANISMS, credentials).await?;
        }
        Ok(connection)
    }
}

/// TLS for `smtps://`, verified against the machine's root certificates (as lettre's own TLS
/// for STARTTLS is), with the crypto provider lettre uses (aws-lc-rs).
fn tls_connector() -> TlsConnector {
    let mut roots = tokio_rustls::rustls::RootCertStore::empty();
    let found = rustls_native_certs::load_native_certs();
    let (added, ignored) = roots.add_parsable_certificates(found.certs);
    tracing::debug!(
        added,
        ignored,
        errors = found.errors.len(),
        "root certificates for smtps"
    );
    let config = tokio_rustls::rustls::ClientConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map(|builder| builder.with_root_certificates(roots).with_no_client_auth());
    match config {
        Ok(config) => TlsConnector::from(Arc::new(config)),
        // The provider always supports the default versions; an empty config refuses every
        // server rather than connecting unverified.
        Err(error) => {
            tracing::error!(%error, "no TLS configuration for smtps");
            TlsConnector::from(Arc::new(
                tokio_rustls::rustls::ClientConfig::builder()
                    .with_root_certificates(tokio_rustls::rustls::RootCertStore::empty())
                    .with_no_client_auth(),
            ))
        }
    }
}

/// A TLS stream as lettre takes it.
#[derive(Debug)]
struct TlsSocket(tokio_rustls::client::TlsStream<TcpStream>);

impl AsyncTokioStream for TlsSocket {
    fn peer_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

impl AsyncRead for TlsSocket {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for TlsSocket {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relay(url: &str) -> SmtpRelay {
        SmtpRelay::from_url(url, Duration::from_secs(1)).expect("a usable URL")
    }

    #[test]
    fn ports_default_by_security() {
        assert_eq!(relay("smtp://relay.example").port, 25);
        assert_eq!(relay("smtp://relay.example?tls=required").port, 587);
        assert_eq!(relay("smtp://relay.example?tls=opportunistic").port, 587);
        assert_eq!(relay("smtps://relay.example").port, 465);
        assert_eq!(relay("smtp://127.0.0.1:2525").port, 2525);
    }

    #[test]
    fn security_follows_scheme_and_tls() {
        assert!(matches!(relay("smtp://h").security, Security::Plain));
        assert!(matches!(
            relay("smtp://h?tls=required").security,
            Security::StartTls { required: true, .. }
        ));
        assert!(matches!(
            relay("smtp://h?tls=opportunistic").security,
            Security::StartTls {
                required: false,
                ..
            }
        ));
        assert!(matches!(
            relay("smtps://h").security,
            Security::Implicit { .. }
        ));
    }

    #[test]
    fn credentials_are_percent_decoded_and_optional() {
        assert!(relay("smtp://h").credentials.is_none());
        let expected = Credentials::new("user@example.nhs.uk".into(), "p@ss word".into());
        assert!(
            relay("smtps://user%40example.nhs.uk:p%40ss%20word@h").credentials == Some(expected)
        );
    }

    #[test]
    fn a_path_names_this_host_in_ehlo() {
        assert!(
            relay("smtp://h/mail.example.nhs.uk").hello
                == ClientId::Domain("mail.example.nhs.uk".into())
        );
        assert!(relay("smtp://h").hello == ClientId::default());
    }

    #[test]
    fn unusable_urls_say_why() {
        for url in [
            "http://h",
            "smtp://h?tls=sometimes",
            "smtps://h?tls=required",
            "smtp://",
        ] {
            let error = SmtpRelay::from_url(url, Duration::from_secs(1))
                .err()
                .unwrap_or_else(|| panic!("{url} should be refused"));
            assert!(!error.to_string().is_empty(), "{url}");
        }
    }
}
