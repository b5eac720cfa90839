//! Sign-in, tokens, sign-out, throttling.

use base64::Engine;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::app::assert_problem;
use crate::helpers::spawn_app;
use crate::helpers::world::{PASSWORD, World, admin, organisation, user};

#[tokio::test]
async fn login_returns_bearer_tokens_and_the_user() {
    let app = spawn_app().await;
    let email = admin(&app).await;
    let body = app.login(&email.to_uppercase(), PASSWORD).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["user"]["email"], email);
    assert_eq!(body["user"]["role"], "admin");
    assert!(body["user"]["organisation_id"].is_null());
    assert!(body.get("password").is_none() && body["user"].get("password_hash").is_none());
    let me = app
        .get_as(body["access_token"].as_str().expect("token"), "/api/v1/me")
        .await;
    assert_eq!(me.status().as_u16(), 200);
    let me: Value = me.json().await.expect("json");
    assert_eq!(me["email"], email);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_401() {
    let app = spawn_app().await;
    let email = admin(&app).await;
    let wrong = assert_problem(
        app.post(
            "/api/v1/auth/login",
            &json!({ "email": email, "password": "not the password" }),
        )
        .await,
        401,
    )
    .await;
    let unknown = assert_problem(
        app.post(
            "/api/v1/auth/login",
            &json!({ "email": "nobody@ksbfolio.test", "password": "not the password" }),
        )
        .await,
        401,
    )
    .await;
    assert_eq!(wrong["detail"], unknown["detail"]);
    assert_eq!(wrong["code"], unknown["code"]);
}

#[tokio::test]
async fn requests_without_a_token_get_401_with_www_authenticate() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/me").await;
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_problem(response, 401).await;
}

fn forge(token: &str, edit: impl FnOnce(&mut Value, &mut Value)) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let parts: Vec<&str> = token.split('.').collect();
    let mut header: Value =
        serde_json::from_slice(&engine.decode(parts[0]).expect("b64")).expect("json");
    let mut claims: Value =
        serde_json::from_slice(&engine.decode(parts[1]).expect("b64")).expect("json");
    edit(&mut header, &mut claims);
    format!(
        "{}.{}.{}",
        engine.encode(header.to_string()),
        engine.encode(claims.to_string()),
        parts[2]
    )
}

pub(crate) fn sign(claims: &Value, secret: &[u8], alg: jsonwebtoken::Algorithm) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(alg),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret),
    )
    .expect("signed")
}

#[tokio::test]
async fn tampered_expired_and_foreign_tokens_are_refused() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let token = world.a.apprentice.token.clone();
    let secret =
        std::fs::read(app.data_dir.path().join("jwt-secret")).expect("secret kept in data dir");
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let claims: Value = serde_json::from_slice(
        &engine
            .decode(token.split('.').nth(1).expect("claims"))
            .expect("b64"),
    )
    .expect("json");
    let now = chrono::Utc::now().timestamp();
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut c = claims.clone();
        edit(&mut c);
        c
    };
    let attacks: Vec<(&str, String)> = vec![
        (
            "tampered role",
            forge(&token, |_, c| c["role"] = "admin".into()),
        ),
        ("alg none", {
            let forged = forge(&token, |h, _| h["alg"] = "none".into());
            let mut parts: Vec<&str> = forged.split('.').collect();
            parts[2] = "";
            parts.join(".")
        }),
        (
            "wrong secret",
            sign(
                &claims,
                b"an-entirely-different-secret-value!!",
                jsonwebtoken::Algorithm::HS256,
            ),
        ),
        (
            "another algorithm",
            sign(&claims, &secret, jsonwebtoken::Algorithm::HS512),
        ),
        (
            "expired",
            sign(
                &with(&|c| {
                    c["iat"] = (now - 3600).into();
                    c["exp"] = (now - 60).into();
                }),
                &secret,
                jsonwebtoken::Algorithm::HS256,
            ),
        ),
        (
            "wrong audience",
            sign(
                &with(&|c| c["aud"] = "someone-else".into()),
                &secret,
                jsonwebtoken::Algorithm::HS256,
            ),
        ),
        (
            "wrong issuer",
            sign(
                &with(&|c| c["iss"] = "evil".into()),
                &secret,
                jsonwebtoken::Algorithm::HS256,
            ),
        ),
        ("garbage", "not.a.token".into()),
    ];
    // Sanity: the same claims, signed properly, do work, so the attacks fail for their flaw alone.
    let genuine = sign(&claims, &secret, jsonwebtoken::Algorithm::HS256);
    assert_eq!(
        app.get_as(&genuine, "/api/v1/me").await.status().as_u16(),
        200
    );
    for (attack, forged) in attacks {
        let response = app.get_as(&forged, "/api/v1/me").await;
        assert_eq!(response.status().as_u16(), 401, "{attack}");
    }
}

#[tokio::test]
async fn a_deactivated_user_can_neither_use_tokens_nor_sign_in() {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let apprentice = &world.a.apprentice;
    let response = app
        .as_user(
            &world.admin.token,
            Method::PATCH,
            &format!("/api/v1/users/{}", apprentice.id),
        )
        .json(&json!({ "active": false }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    assert_problem(app.get_as(&apprentice.token, "/api/v1/me").await, 401).await;
    assert_problem(
        app.post(
            "/api/v1/auth/login",
            &json!({ "email": apprentice.email, "password": PASSWORD }),
        )
        .await,
        401,
    )
    .await;
}

async fn refresh(app: &crate::helpers::TestApp, token: &str) -> reqwest::Response {
    app.post("/api/v1/auth/refresh", &json!({ "refresh_token": token }))
        .await
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_reused_one_revokes_the_whole_session() {
    let app = spawn_app().await;
    let email = admin(&app).await;
    let first = app.login(&email, PASSWORD).await;
    let r1 = first["refresh_token"].as_str().expect("r1");

    let second: Value = refresh(&app, r1).await.json().await.expect("json");
    let r2 = second["refresh_token"].as_str().expect("r2");
    assert_ne!(r1, r2, "rotated");
    let access2 = second["access_token"].as_str().expect("access");
    assert_eq!(
        app.get_as(access2, "/api/v1/me").await.status().as_u16(),
        200
    );

    // r1 again: reuse. The session dies: r2 and its access token stop working.
    assert_problem(refresh(&app, r1).await, 401).await;
    assert_problem(refresh(&app, r2).await, 401).await;
    assert_problem(app.get_as(access2, "/api/v1/me").await, 401).await;

    // Another sign-in is a new session and works.
    let third = app.login(&email, PASSWORD).await;
    assert_eq!(
        refresh(&app, third["refresh_token"].as_str().expect("r"))
            .await
            .status()
            .as_u16(),
        200
    );
}

#[tokio::test]
async fn logout_revokes_the_refresh_token_and_its_access_tokens() {
    let app = spawn_app().await;
    let email = admin(&app).await;
    let login = app.login(&email, PASSWORD).await;
    let access = login["access_token"].as_str().expect("access");
    let refresh_token = login["refresh_token"].as_str().expect("refresh");
    let response = app
        .post(
            "/api/v1/auth/logout",
            &json!({ "refresh_token": refresh_token }),
        )
        .await;
    assert_eq!(response.status().as_u16(), 204);
    assert_problem(refresh(&app, refresh_token).await, 401).await;
    assert_problem(app.get_as(access, "/api/v1/me").await, 401).await;
}

async fn fail_login(app: &crate::helpers::TestApp, email: &str) -> reqwest::Response {
    app.post(
        "/api/v1/auth/login",
        &json!({ "email": email, "password": "wrong password!!" }),
    )
    .await
}

#[tokio::test]
async fn five_failures_throttle_the_account_even_for_the_right_password() {
    let app = spawn_app().await;
    let email = admin(&app).await;
    for _ in 0..5 {
        assert_problem(fail_login(&app, &email).await, 401).await;
    }
    let response = app
        .post(
            "/api/v1/auth/login",
            &json!({ "email": email, "password": PASSWORD }),
        )
        .await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    let body = assert_problem(response, 429).await;
    assert_eq!(body["code"], "too_many_requests");
}

#[tokio::test]
async fn a_successful_login_resets_the_failure_count() {
    let app = spawn_app().await;
    let email = admin(&app).await;
    for _ in 0..4 {
        assert_problem(fail_login(&app, &email).await, 401).await;
    }
    app.login(&email, PASSWORD).await;
    for _ in 0..4 {
        assert_problem(fail_login(&app, &email).await, 401).await;
    }
    app.login(&email, PASSWORD).await;
}

#[tokio::test]
async fn one_client_address_is_throttled_across_accounts() {
    let app = crate::helpers::app::spawn_app_on(
        crate::helpers::database::TestDatabase::new().await,
        |s| s.login_throttle.per_address = 6,
    )
    .await;
    let email = admin(&app).await;
    for n in 0..6 {
        assert_problem(
            fail_login(&app, &format!("user{n}@ksbfolio.test")).await,
            401,
        )
        .await;
    }
    assert_problem(
        app.post(
            "/api/v1/auth/login",
            &json!({ "email": email, "password": PASSWORD }),
        )
        .await,
        429,
    )
    .await;
}

#[tokio::test]
async fn a_password_hashed_with_old_parameters_is_rehashed_at_login() {
    let app = spawn_app().await;
    let admin_email = admin(&app).await;
    let admin_token = app.token(&admin_email, PASSWORD).await;
    let org = organisation(&app, &admin_token, "Trust", "employer").await;
    let person = user(&app, &admin_token, "employer", &org, "Mentor").await;
    // Store a hash made with other parameters, as after a policy change.
    let old = ksbfolio::auth::password::hash(
        PASSWORD,
        ksbfolio::auth::password::HashingParams {
            memory_kib: 32,
            iterations: 1,
            parallelism: 1,
        },
    )
    .expect("hash");
    let mut conn = app.db.connect().await;
    let id: uuid::Uuid = person.id.parse().expect("uuid");
    ksbfolio::db::users::set_password_hash(&mut conn, id, &old)
        .await
        .expect("set");
    app.login(&person.email, PASSWORD).await;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use ksbfolio::db::schema::users;
    let stored: String = users::table
        .find(id)
        .select(users::password_hash)
        .get_result(&mut conn)
        .await
        .expect("hash");
    assert!(
        stored.starts_with("$argon2id$v=19$m=64,t=1,p=1$"),
        "{stored}"
    );
}
