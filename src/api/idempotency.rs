//! Safe retries: POSTs that create something honour an `Idempotency-Key` header. A retry with the
//! same key and body gets the first response again and creates nothing; the same key with another
//! body is refused with 422. A retry after what the first request created was deleted answers 404,
//! not the deleted object. Keys last 24 hours (`db::idempotency`).

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use diesel_async::AsyncPgConnection;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::api::authenticated::Authenticated;
use crate::db::idempotency::{self, Claim, Deletable, DeletableKind};
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

/// The header in the OpenAPI description of every endpoint that honours it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)] // read by `IdempotencyKey`; this type only describes it
pub struct IdempotencyHeader {
    /// Retry safely for 24 hours: the same key and body give the first response; the same key
    /// with another body is refused (422); a retry after the created thing was deleted is 404.
    #[param(rename = "Idempotency-Key")]
    idempotency_key: Option<String>,
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
                status: StatusCode::from_u16(status).map_err(AppError::internal)?,
                body,
            })),
            Claim::Deleted(kind) => Err(AppError::NotFound(format!(
                "The {} this request created has since been deleted; \
                 send the request again with a new Idempotency-Key to create it anew.",
                match kind {
                    DeletableKind::Evidence => "evidence",
                    DeletableKind::Attachment => "attachment",
                    DeletableKind::OtjEntry => "off-the-job entry",
                }
            ))),
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
        self.keep(conn, auth, status, response, None).await
    }

    /// As [`Self::store`], for a created thing a later request may delete: a retry after the
    /// deletion answers 404.
    pub async fn store_deletable(
        &self,
        conn: &mut AsyncPgConnection,
        auth: &Authenticated,
        status: StatusCode,
        response: &impl Serialize,
        created: Deletable,
    ) -> AppResult<Created> {
        self.keep(conn, auth, status, response, Some(created)).await
    }

    async fn keep(
        &self,
        conn: &mut AsyncPgConnection,
        auth: &Authenticated,
        status: StatusCode,
        response: &impl Serialize,
        created: Option<Deletable>,
    ) -> AppResult<Created> {
        let body = serde_json::to_value(response).map_err(AppError::internal)?;
        if let Some(key) = &self.key {
            idempotency::complete(
                conn,
                auth.actor.user_id,
                key,
                status.as_u16(),
                &body,
                created,
            )
            .await?;
        }
        Ok(Created { status, body })
    }
}
