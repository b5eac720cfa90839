//! Mail over TLS against a real SMTP server process (aiosmtpd) with a certificate from a test
//! certificate authority made with `openssl`: STARTTLS (`smtp://…?tls=required`) and TLS from the
//! first byte (`smtps://`), each verified against the roots the server process trusts (here
//! `SSL_CERT_FILE`, read by rustls-native-certs as on any machine), and refused when the
//! server's certificate is not from a trusted authority.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::json;

use crate::helpers::binary::ServedBinary;
use crate::helpers::smtp::{ServerTls, SmtpServer};
use crate::helpers::world;

/// A certificate authority and a server certificate it signed for 127.0.0.1.
struct TestCertificates {
    dir: tempfile::TempDir,
}

impl TestCertificates {
    fn make() -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let openssl = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(dir.path())
                .output()
                .expect("openssl runs");
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-subj",
            "/CN=ksbfolio test authority",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ]);
        std::fs::write(
            dir.path().join("server.ext"),
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .expect("extensions");
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-out",
            "server.pem",
            "-extfile",
            "server.ext",
        ]);
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn cert(&self) -> PathBuf {
        self.path("server.pem")
    }

    fn key(&self) -> PathBuf {
        self.path("server.key")
    }
}

/// A server process sending to `smtp_url`, trusting only the roots in `roots`.
async fn serve(smtp_url: String, roots: &Path) -> ServedBinary {
    ServedBinary::start(&[
        ("KSBFOLIO_SMTP_URL", smtp_url),
        ("SSL_CERT_FILE", roots.display().to_string()),
        ("KSBFOLIO_MAIL_WORKER", "true".into()),
    ])
    .await
}

/// Asks for a sign-in link for a new administrator of that server; returns the address.
async fn ask_for_a_link(served: &ServedBinary) -> String {
    let email = world::admin(&served.app).await;
    let response = served
        .app
        .post("/api/v1/auth/sign-in-link", &json!({ "email": email }))
        .await;
    assert_eq!(response.status().as_u16(), 202);
    email
}

/// An SMTP server with the certificate of `certs`, and the URL that reaches it: STARTTLS
/// required, or TLS from the first byte.
async fn tls_server(certs: &TestCertificates, starttls: bool) -> (SmtpServer, String) {
    let (cert, key) = (certs.cert(), certs.key());
    let tls = if starttls {
        ServerTls::StartTls {
            cert: &cert,
            key: &key,
        }
    } else {
        ServerTls::Implicit {
            cert: &cert,
            key: &key,
        }
    };
    let smtp = SmtpServer::start_tls(tls).await;
    let url = if starttls {
        format!("smtp://127.0.0.1:{}?tls=required", smtp.port)
    } else {
        format!("smtps://127.0.0.1:{}", smtp.port)
    };
    (smtp, url)
}

/// The sign-in link reaches its recipient through a server the roots trust.
async fn a_link_arrives(starttls: bool) {
    let certs = TestCertificates::make();
    let (smtp, url) = tls_server(&certs, starttls).await;
    let served = serve(url, &certs.path("ca.pem")).await;
    let email = ask_for_a_link(&served).await;
    let received = smtp.wait_for_to(&email, 1).await;
    assert!(
        received[0].subject.contains("sign-in link"),
        "{:?}",
        received[0].subject
    );
}

#[tokio::test]
async fn starttls_hands_the_message_over_encrypted_to_a_server_the_roots_trust() {
    a_link_arrives(true).await;
}

#[tokio::test]
async fn smtps_hands_the_message_over_on_tls_from_the_first_byte() {
    a_link_arrives(false).await;
}

/// A server whose certificate no trusted authority signed gets nothing: the attempt fails with
/// a certificate error and is counted, to be retried later.
#[tokio::test]
async fn an_untrusted_certificate_is_refused_and_the_message_waits_for_a_retry() {
    let certs = TestCertificates::make();
    let strangers = TestCertificates::make();
    for starttls in [true, false] {
        let (smtp, url) = tls_server(&certs, starttls).await;
        let served = serve(url, &strangers.path("ca.pem")).await;
        ask_for_a_link(&served).await;
        let mut conn = served.app.db.connect().await;
        let mut failed: Option<(i32, Option<String>)> = None;
        for _ in 0..100 {
            use ksbfolio::db::schema::outbox;
            failed = outbox::table
                .filter(outbox::attempts.gt(0))
                .select((outbox::attempts, outbox::last_error))
                .first(&mut conn)
                .await
                .optional()
                .expect("outbox");
            if failed.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let (attempts, error) = failed.expect("a failed attempt");
        assert_eq!(attempts, 1);
        let error = error.unwrap_or_default().to_lowercase();
        assert!(error.contains("certificate"), "{error}");
        assert!(smtp.messages().is_empty(), "nothing handed over");
    }
}
