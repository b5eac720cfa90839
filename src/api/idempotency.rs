//! Safe retries: POSTs that create something honour an `Idempotency-Key` header. A retry with the
//! same key and body gets the first response again and creates nothing; the same key with another
//! body is refused with 422.

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::api::authenticated::Authenticated;
use crate::db::idempotency::{self, Claim};
use crate::error::{AppError, AppResult};

/// The `Idempotency-Key` header, if sent, with the request path it was sent to.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    key: Option<String>,
    path: String,
}

impl FromRequest for IdempotencyKey {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let key = req
            .headers()
            .get("idempotency-key")
            .map(|v| v.to_str().map(|s| s.trim().to_string()));
        std::future::ready(match key {
            Some(Ok(k)) if (1..=255).contains(&k.len()) => Ok(Self {
                key: Some(k),
                path: req.path().to_string(),
            }),
            Some(_) => Err(AppError::invalid(
                "Idempotency-Key",
                "must be 1 to 255 visible ASCII characters",
            )),
            None => Ok(Self {
                key: None,
                path: req.path().to_string(),
            }),
        })
    }
}

/// A stored or fresh response of a creating request.
pub struct Created {
    pub status: StatusCode,
    pub body: serde_json::Value,
}

impl Created {
    pub fn into_response(self) -> HttpResponse {
        HttpResponse::build(self.status).json(self.body)
    }
}

impl IdempotencyKey {
    fn hash(&self, body: &impl Serialize) -> AppResult<String> {
        let mut hasher = Sha256::new();
        hasher.update(self.path.as_bytes());
        hasher.update([0]);
        hasher.update(serde_json::to_vec(body).map_err(AppError::internal)?);
        Ok(hex::encode(hasher.finalize()))
    }

    /// Inside the creating transaction, before creating: `Some` when this is a retry to answer
    /// with the stored response.
    pub async fn replay(
        &self,
        conn: &mut AsyncPgConnection,
        auth: &Authenticated,
        body: &impl Serialize,
    ) -> AppResult<Option<Created>> {
        let Some(key) = &self.key else {
            return Ok(None);
        };
        match idempotency::claim(conn, auth.actor.user_id, key, &self.hash(body)?).await? {
            Claim::New => Ok(None),
            Claim::Replay { status, body } => Ok(Some(Created {
                status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
                body,
            })),
            Claim::Mismatch => Err(AppError::invalid(
                "Idempotency-Key",
                "was already used for a different request; use a new key for a new request",
            )),
        }
    }

    /// Inside the same transaction, after creating: keeps the response for retries.
    pub async fn store(
        &self,
        conn: &mut AsyncPgConnection,
        auth: &Authenticated,
        status: StatusCode,
        response: &impl Serialize,
    ) -> AppResult<Created> {
        let body = serde_json::to_value(response).map_err(AppError::internal)?;
        if let Some(key) = &self.key {
            idempotency::complete(conn, auth.actor.user_id, key, status.as_u16(), &body).await?;
        }
        Ok(Created { status, body })
    }
}
