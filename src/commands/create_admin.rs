//! `ksbfolio users create-admin`: the first platform administrator of a new installation.

use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::db;

/// Creates a platform administrator, with its audit row.
pub async fn create_admin(
    url: &str,
    email: &str,
    name: &str,
    password: &str,
    params: crate::auth::password::HashingParams,
) -> anyhow::Result<String> {
    use crate::domain::identity;
    let email = identity::Email::parse(email).map_err(|m| anyhow::anyhow!("--email {m}"))?;
    let name = identity::parse_name(name).map_err(|m| anyhow::anyhow!("--name {m}"))?;
    identity::check_password(password).map_err(|m| anyhow::anyhow!("the password {m}"))?;
    let hash = crate::auth::password::hash_blocking(password.to_string(), params).await?;
    let mut conn = AsyncPgConnection::establish(url).await?;
    let user = conn
        .transaction(async |conn| {
            let user = db::users::insert(
                conn,
                &db::users::NewUser {
                    email: email.as_str(),
                    name: &name,
                    role: crate::domain::identity::Role::Admin,
                    organisation_id: None,
                    created_by_organisation_id: None,
                    password_hash: &hash,
                },
            )
            .await?;
            db::audit::record(
                conn,
                db::audit::AuditEntry::new("user.created", "user", user.id).summary(
                    serde_json::json!({ "email": user.email, "role": "admin", "via": "command line" }),
                ),
            )
            .await?;
            Ok::<_, diesel::result::Error>(user)
        })
        .await
        .map_err(|e| match crate::error::unique_violation(&e) {
            Some("users_email_key") => anyhow::anyhow!("a user with e-mail {} already exists", email.as_str()),
            _ => anyhow::Error::from(e),
        })?;
    Ok(format!("created admin {} ({})", user.email, user.id))
}

/// KSBFOLIO_ADMIN_PASSWORD, or the first line of standard input (never a flag: flags show in
/// process lists and shell history).
pub fn admin_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("KSBFOLIO_ADMIN_PASSWORD") {
        return Ok(password);
    }
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        eprint!("Password for the new admin (12 to 256 characters): ");
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    anyhow::ensure!(
        !password.is_empty(),
        "no password given: set KSBFOLIO_ADMIN_PASSWORD or pipe it on standard input"
    );
    Ok(password)
}
