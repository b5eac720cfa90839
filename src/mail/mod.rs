//! Sending one e-mail: over SMTP with lettre (`KSBFOLIO_SMTP_URL`, `smtp.rs`; TLS through
//! rustls), or,
//! without a mail server configured, as an `.eml` file under `$KSBFOLIO_DATA_DIR/mail/` with a
//! log line, so a local installation shows what it would send. Who gets what is decided in
//! `notifications`; this module only delivers.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use lettre::Message;
use lettre::message::{Mailbox, MultiPart};

use crate::config::MailSettings;

mod smtp;

pub use smtp::SmtpRelay;

/// One message to one person, with a plain-text and an HTML part.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub to_name: String,
    pub to_email: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Where messages go.
#[derive(Clone)]
pub enum Mailer {
    Smtp {
        relay: SmtpRelay,
        from: Mailbox,
    },
    /// No SMTP server configured: files in this folder (0700; each file 0600).
    Files {
        dir: PathBuf,
        from: Mailbox,
    },
}

/// A message could not be handed over; the outbox tries again later.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

/// Longest an SMTP exchange may take, so a stalled server never holds a message for long.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

impl Mailer {
    pub fn from_settings(mail: &MailSettings, data_dir: &Path) -> anyhow::Result<Self> {
        let from: Mailbox = mail
            .from
            .parse()
            .with_context(|| format!("KSBFOLIO_MAIL_FROM {:?} is not an address", mail.from))?;
        Ok(match &mail.smtp_url {
            Some(url) => Self::Smtp {
                relay: SmtpRelay::from_url(url, SMTP_TIMEOUT)
                    .context("KSBFOLIO_SMTP_URL is not a usable smtp:// or smtps:// URL")?,
                from,
            },
            None => Self::Files {
                dir: data_dir.join("mail"),
                from,
            },
        })
    }

    fn from(&self) -> &Mailbox {
        match self {
            Self::Smtp { from, .. } | Self::Files { from, .. } => from,
        }
    }

    /// Hands the message to the mail server, or writes its file.
    pub async fn send(&self, message: &Outgoing) -> Result<(), SendError> {
        let to = message
            .to_email
            .parse()
            .map(|address| Mailbox::new(Some(message.to_name.clone()), address))
            .map_err(|e| SendError(format!("the recipient's address cannot be used: {e}")))?;
        let email = Message::builder()
            .from(self.from().clone())
            .to(to)
            .subject(message.subject.clone())
            .message_id(None)
            .multipart(MultiPart::alternative_plain_html(
                message.text.clone(),
                message.html.clone(),
            ))
            .map_err(|e| SendError(format!("the message cannot be built: {e}")))?;
        match self {
            Self::Smtp { relay, .. } => relay
                .send(email.envelope(), &email.formatted())
                .await
                .map_err(|e| SendError(format!("the mail server refused or did not answer: {e}"))),
            Self::Files { dir, .. } => {
                let path = write_file(dir, &email.formatted())
                    .await
                    .map_err(|e| SendError(format!("cannot write the message file: {e}")))?;
                tracing::info!(
                    to = %message.to_email,
                    subject = %message.subject,
                    file = %path.display(),
                    "e-mail written to a file (no SMTP server configured)"
                );
                Ok(())
            }
        }
    }
}

async fn write_file(dir: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let dir = dir.to_path_buf();
    let bytes = bytes.to_vec();
    tokio::task::spawn_blocking(move || {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)?;
        let name = format!(
            "{}-{}.eml",
            chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ"),
            uuid::Uuid::new_v4().simple()
        );
        let path = dir.join(name);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        std::io::Write::write_all(&mut file, &bytes)?;
        Ok(path)
    })
    .await
    .map_err(std::io::Error::other)?
}
