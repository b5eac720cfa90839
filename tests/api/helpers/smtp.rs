//! A real SMTP server for the tests: Python's aiosmtpd (from PyPI, installed into a virtual
//! environment under Cargo's target folder by `scripts/ensure-smtp-test-server.sh`), run as a
//! child process that writes every message it receives into a Maildir, which the tests read.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn venv() -> PathBuf {
    static READY: OnceLock<PathBuf> = OnceLock::new();
    READY
        .get_or_init(|| {
            let venv = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("smtp-venv");
            let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("scripts/ensure-smtp-test-server.sh");
            let status = Command::new(&script)
                .arg(&venv)
                .status()
                .expect("run scripts/ensure-smtp-test-server.sh");
            assert!(status.success(), "installing aiosmtpd failed");
            venv
        })
        .clone()
}

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

pub struct SmtpServer {
    pub port: u16,
    maildir: tempfile::TempDir,
    child: Option<Child>,
    /// Extra arguments for aiosmtpd (its TLS certificate and key).
    tls: Vec<String>,
}

/// How a test server protects its connections (aiosmtpd's own options).
pub enum ServerTls<'a> {
    /// STARTTLS offered, and required before a message (`--tlscert`, `--tlskey`).
    StartTls {
        cert: &'a std::path::Path,
        key: &'a std::path::Path,
    },
    /// TLS from the first byte (`--smtpscert`, `--smtpskey`).
    Implicit {
        cert: &'a std::path::Path,
        key: &'a std::path::Path,
    },
}

/// One received message, decoded.
#[derive(Debug, Clone)]
pub struct Received {
    /// The envelope recipient.
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Received {
    /// The first link in the text part that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        self.text
            .split_whitespace()
            .find(|word| word.starts_with(prefix))
            .map(str::to_string)
    }

    /// The `token` of the first sign-in link in the message.
    pub fn token(&self) -> String {
        let link = self.link("http").expect("a link in the message");
        let url = url::Url::parse(&link).expect("link is a URL");
        url.query_pairs()
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v.into_owned())
            .expect("token in the link")
    }

    pub fn next(&self) -> String {
        let link = self.link("http").expect("a link in the message");
        let url = url::Url::parse(&link).expect("link is a URL");
        url.query_pairs()
            .find(|(k, _)| k == "next")
            .map(|(_, v)| v.into_owned())
            .expect("next in the link")
    }
}

impl SmtpServer {
    /// Starts a server on a free port and waits until it accepts connections.
    pub async fn start() -> Self {
        Self::start_on(free_port()).await
    }

    pub async fn start_on(port: u16) -> Self {
        Self::start_with(port, Vec::new()).await
    }

    /// Starts a server with TLS on a free port.
    pub async fn start_tls(tls: ServerTls<'_>) -> Self {
        let (cert_flag, key_flag, cert, key) = match tls {
            ServerTls::StartTls { cert, key } => ("--tlscert", "--tlskey", cert, key),
            ServerTls::Implicit { cert, key } => ("--smtpscert", "--smtpskey", cert, key),
        };
        let args = vec![
            cert_flag.to_string(),
            cert.display().to_string(),
            key_flag.to_string(),
            key.display().to_string(),
        ];
        Self::start_with(free_port(), args).await
    }

    async fn start_with(port: u16, tls: Vec<String>) -> Self {
        let maildir = tempfile::tempdir().expect("temp dir");
        let mut server = Self {
            port,
            maildir,
            child: None,
            tls,
        };
        server.restart().await;
        server
    }

    /// Starts the process again on the same port and Maildir (after [`Self::stop`]).
    pub async fn restart(&mut self) {
        let python = venv().join("bin/python");
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(&self.tls)
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.maildir.path().join("box"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, in no particular order.
    pub fn messages(&self) -> Vec<Received> {
        let new = self.maildir.path().join("box/new");
        let Ok(entries) = std::fs::read_dir(&new) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .map(|e| std::fs::read(e.path()).expect("read message"))
            .map(|raw| decode(&raw))
            .collect()
    }

    /// Waits until at least `n` messages arrived (at most 20 s), then returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let messages = self.messages();
            if messages.len() >= n {
                return messages;
            }
            assert!(
                Instant::now() < deadline,
                "expected {n} messages, got {}: {:?}",
                messages.len(),
                messages
                    .iter()
                    .map(|m| (&m.to, &m.subject))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until at least `n` messages to `email` arrived (at most 20 s), then returns them.
    pub async fn wait_for_to(&self, email: &str, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let mine = self.to(email);
            if mine.len() >= n {
                return mine;
            }
            assert!(
                Instant::now() < deadline,
                "expected {n} messages to {email}, got {}",
                mine.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The messages to one address.
    pub fn to(&self, email: &str) -> Vec<Received> {
        self.messages()
            .into_iter()
            .filter(|m| m.to.eq_ignore_ascii_case(email))
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn decode(raw: &[u8]) -> Received {
    use mailparse::MailHeaderMap;
    let parsed = mailparse::parse_mail(raw).expect("a MIME message");
    let header = |name: &str| parsed.headers.get_first_value(name).unwrap_or_default();
    let part = |mime: &str| {
        parsed
            .subparts
            .iter()
            .find(|p| p.ctype.mimetype == mime)
            .map(|p| p.get_body().expect("part body"))
            .unwrap_or_default()
    };
    Received {
        to: header("X-RcptTo"),
        subject: header("Subject"),
        text: part("text/plain"),
        html: part("text/html"),
    }
}
