//! Sign-in links read from a real SMTP server: single use, expiring, voided by a newer link,
//! the same answer for unknown addresses, throttled, audited, and the `link` session method.

use diesel_async::RunQueryDsl;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::app::{assert_problem, spawn_mail_app};
use crate::helpers::portfolio::{id, log, submit};
use crate::helpers::smtp::SmtpServer;
use crate::helpers::world::World;

async fn ask(app: &TestApp, email: &str) -> (u16, Value) {
    let response = app
        .post("/api/v1/auth/sign-in-link", &json!({ "email": email }))
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

async fn redeem(app: &TestApp, token: &str) -> reqwest::Response {
    app.post(
        "/api/v1/auth/sign-in-link/redeem",
        &json!({ "token": token }),
    )
    .await
}

#[tokio::test]
async fn a_sign_in_link_signs_in_once_and_the_session_records_the_link_method() {
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    let mentor = &w.a.mentor;
    let (status, body) = ask(&app, &mentor.email.to_uppercase()).await;
    assert_eq!(status, 202);
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("15 minutes"))
    );
    let message = smtp.wait_for_to(&mentor.email, 1).await.remove(0);
    assert_eq!(message.subject, "ksbfolio: your sign-in link");
    assert!(message.html.contains("Sign in"));

    let response = redeem(&app, &message.token()).await;
    assert_eq!(response.status().as_u16(), 200, "{}", message.text);
    let tokens: Value = response.json().await.expect("json");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["user"]["email"], mentor.email.as_str());
    assert_eq!(tokens["next"], "/");
    assert!(tokens["refresh_token"].as_str().is_some());
    let access = tokens["access_token"].as_str().expect("access token");
    assert_eq!(
        app.get_as(access, "/api/v1/me").await.status().as_u16(),
        200
    );

    let mut conn = app.db.connect().await;
    let methods: Vec<String> = diesel::sql_query(
        "SELECT s.method AS method FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE u.email = $1 ORDER BY s.created_at",
    )
    .bind::<diesel::sql_types::Text, _>(&mentor.email)
    .load::<Method_>(&mut conn)
    .await
    .expect("sessions")
    .into_iter()
    .map(|m| m.method)
    .collect();
    assert_eq!(methods, ["password", "link"]);

    let again = redeem(&app, &message.token()).await;
    assert_problem(again, 401).await;

    let audit = app
        .get_as(&w.admin.token, "/api/v1/audit?entity_type=user")
        .await
        .json::<Value>()
        .await
        .expect("json");
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["action"].as_str())
        .collect();
    assert!(actions.contains(&"auth.sign_in_link_requested"));
    assert!(actions.contains(&"auth.sign_in_link_redeemed"));
}

#[derive(diesel::QueryableByName)]
struct Method_ {
    #[diesel(sql_type = diesel::sql_types::Text)]
    method: String,
}

#[tokio::test]
async fn an_unknown_or_deactivated_address_gets_the_same_answer_and_no_message() {
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    let known = ask(&app, &w.a.tutor.email).await;
    let unknown = ask(&app, "nobody-here@ksbfolio.test").await;
    assert_eq!(known, unknown);
    let response = app
        .as_user(
            &w.admin.token,
            Method::PATCH,
            &format!("/api/v1/users/{}", w.b.tutor.id),
        )
        .header("if-match", "\"1\"")
        .json(&json!({ "active": false }))
        .send()
        .await
        .expect("sent");
    assert!(response.status().is_success(), "{}", response.status());
    let deactivated = ask(&app, &w.b.tutor.email).await;
    assert_eq!(known, deactivated);
    smtp.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].to, w.a.tutor.email);
}

#[tokio::test]
async fn a_newer_link_voids_the_older_one_and_bad_links_get_one_answer() {
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    let email = &w.a.apprentice.email;
    assert_eq!(ask(&app, email).await.0, 202);
    let first = smtp.wait_for_to(email, 1).await.remove(0).token();
    assert_eq!(ask(&app, email).await.0, 202);
    let second = smtp
        .wait_for_to(email, 2)
        .await
        .into_iter()
        .map(|m| m.token())
        .find(|t| *t != first)
        .expect("a second link");

    let voided = assert_problem(redeem(&app, &first).await, 401).await;
    let unknown = assert_problem(redeem(&app, "not-a-real-token").await, 401).await;
    assert_eq!(voided["detail"], unknown["detail"]);
    assert_eq!(redeem(&app, &second).await.status().as_u16(), 200);
    let used = assert_problem(redeem(&app, &second).await, 401).await;
    assert_eq!(used, unknown);

    // An expired link: the third, moved past its 15 minutes in the database.
    assert_eq!(ask(&app, email).await.0, 202);
    let third = smtp
        .wait_for_to(email, 3)
        .await
        .into_iter()
        .map(|m| m.token())
        .find(|t| *t != first && *t != second)
        .expect("a third link");
    let mut conn = app.db.connect().await;
    diesel::sql_query(
        "UPDATE sign_in_links SET expires_at = now() - interval '1 second' WHERE used_at IS NULL",
    )
    .execute(&mut conn)
    .await
    .expect("expire");
    let expired = assert_problem(redeem(&app, &third).await, 401).await;
    assert_eq!(expired, unknown);
    // Only hashes are kept.
    let stored: i64 = diesel::sql_query(
        "SELECT count(*) AS n FROM sign_in_links WHERE token_hash IN ($1, $2, $3)",
    )
    .bind::<diesel::sql_types::Text, _>(&first)
    .bind::<diesel::sql_types::Text, _>(&second)
    .bind::<diesel::sql_types::Text, _>(&third)
    .get_result::<Count>(&mut conn)
    .await
    .expect("count")
    .n;
    assert_eq!(stored, 0);
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[tokio::test]
async fn link_requests_are_throttled_per_address_whether_or_not_it_has_an_account() {
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    for email in [w.a.mentor.email.as_str(), "ghost@ksbfolio.test"] {
        for _ in 0..5 {
            assert_eq!(ask(&app, email).await.0, 202);
        }
        let response = app
            .post("/api/v1/auth/sign-in-link", &json!({ "email": email }))
            .await;
        assert!(response.headers().contains_key("retry-after"));
        assert_problem(response, 429).await;
    }
    let response = app
        .post(
            "/api/v1/auth/sign-in-link",
            &json!({ "email": "not an address" }),
        )
        .await;
    let problem = assert_problem(response, 422).await;
    assert_eq!(problem["errors"][0]["field"], "email");
}

#[tokio::test]
async fn a_link_in_a_notification_signs_in_and_opens_its_item() {
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    let a = &w.a;
    let evidence = id(&log(
        &app,
        &a.apprentice.token,
        &a.apprenticeship,
        "Pipetting",
        &["K2"],
    )
    .await);
    assert_eq!(submit(&app, &a.apprentice.token, &evidence).await.0, 200);
    let message = smtp.wait_for_to(&a.tutor.email, 1).await.remove(0);
    let response = redeem(&app, &message.token()).await;
    assert_eq!(response.status().as_u16(), 200);
    let tokens: Value = response.json().await.expect("json");
    assert_eq!(tokens["next"], format!("/evidence/{evidence}/review"));
    assert_eq!(tokens["user"]["email"], a.tutor.email.as_str());
    assert_problem(redeem(&app, &message.token()).await, 401).await;
}
