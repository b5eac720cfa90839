//! Safe retries with `Idempotency-Key`.

use serde_json::{Value, json};

use crate::helpers::app::assert_problem;
use crate::helpers::spawn_app;
use crate::helpers::world::World;

async fn count_evidence(app: &crate::helpers::TestApp, token: &str, apprenticeship: &str) -> i64 {
    let body: Value = app
        .get_as(
            token,
            &format!("/api/v1/apprenticeships/{apprenticeship}/evidence"),
        )
        .await
        .json()
        .await
        .expect("json");
    body["total"].as_i64().expect("total")
}

#[tokio::test]
async fn a_retry_with_the_same_key_and_body_returns_the_first_response_and_creates_nothing() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let path = format!("/api/v1/apprenticeships/{}/evidence", w.a.apprenticeship);
    let body = json!({ "title": "Once", "kind": "observation", "occurred_on": "2026-01-01", "ksbs": ["S7"] });
    let send = || {
        app.as_user(&w.a.apprentice.token, reqwest::Method::POST, &path)
            .header("idempotency-key", "log-once-1")
            .json(&body)
            .send()
    };
    let first = send().await.expect("sent");
    assert_eq!(first.status().as_u16(), 201);
    let first: Value = first.json().await.expect("json");
    let second = send().await.expect("sent");
    assert_eq!(second.status().as_u16(), 201);
    let second: Value = second.json().await.expect("json");
    assert_eq!(first, second);
    assert_eq!(
        count_evidence(&app, &w.a.apprentice.token, &w.a.apprenticeship).await,
        1
    );
}

#[tokio::test]
async fn concurrent_retries_create_once() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let path = format!("/api/v1/apprenticeships/{}/evidence", w.a.apprenticeship);
    let body = json!({ "title": "Race", "kind": "observation", "occurred_on": "2026-01-01", "ksbs": ["S7"] });
    let send = || {
        app.as_user(&w.a.apprentice.token, reqwest::Method::POST, &path)
            .header("idempotency-key", "race-1")
            .json(&body)
            .send()
    };
    let (a, b, c) = tokio::join!(send(), send(), send());
    let ids: Vec<String> =
        futures_util::future::join_all([a, b, c].into_iter().map(|r| async move {
            let r = r.expect("sent");
            assert_eq!(r.status().as_u16(), 201);
            let v: Value = r.json().await.expect("json");
            v["id"].as_str().expect("id").to_string()
        }))
        .await;
    assert!(ids.iter().all(|id| *id == ids[0]));
    assert_eq!(
        count_evidence(&app, &w.a.apprentice.token, &w.a.apprenticeship).await,
        1
    );
}

#[tokio::test]
async fn the_same_key_with_another_body_is_422() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let path = format!("/api/v1/apprenticeships/{}/signoffs", w.a.apprenticeship);
    crate::helpers::portfolio::accepted(
        &app,
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.apprenticeship,
        &["S7", "S8"],
    )
    .await;
    let send = |ksb: &'static str| {
        app.as_user(&w.a.mentor.token, reqwest::Method::POST, &path)
            .header("idempotency-key", "sign-1")
            .json(&json!({ "ksb": ksb, "comment": "" }))
            .send()
    };
    assert_eq!(send("S7").await.expect("sent").status().as_u16(), 201);
    assert_eq!(
        send("S7").await.expect("sent").status().as_u16(),
        201,
        "a replay, not a 409"
    );
    let body = assert_problem(send("S8").await.expect("sent"), 422).await;
    assert_eq!(body["errors"][0]["field"], "Idempotency-Key");
}

/// POSTs `body` to `path` with an `Idempotency-Key`.
async fn post_with_key(
    app: &crate::helpers::TestApp,
    token: &str,
    path: &str,
    key: &str,
    body: &Value,
) -> reqwest::Response {
    app.as_user(token, reqwest::Method::POST, path)
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .expect("sent")
}

/// DELETEs `path`, expecting 204.
async fn delete(app: &crate::helpers::TestApp, token: &str, path: &str) {
    let response = app
        .as_user(token, reqwest::Method::DELETE, path)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 204, "DELETE {path}");
}

/// Sends `body` to `path` twice with one key; returns both answers.
async fn twice(
    app: &crate::helpers::TestApp,
    token: &str,
    path: &str,
    key: &str,
    body: &Value,
) -> [(u16, Value); 2] {
    let mut answers = Vec::new();
    for _ in 0..2 {
        let response = post_with_key(app, token, path, key, body).await;
        let status = response.status().as_u16();
        answers.push((status, response.json().await.expect("json")));
    }
    [answers.remove(0), answers.remove(0)]
}

async fn total(app: &crate::helpers::TestApp, token: &str, path: &str) -> i64 {
    let body: Value = app.get_as(token, path).await.json().await.expect("json");
    body["total"].as_i64().expect("total")
}

#[tokio::test]
async fn creating_an_organisation_twice_with_one_key_creates_it_once() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let before = total(&app, &w.admin.token, "/api/v1/organisations").await;
    let body = json!({ "name": "Northern Pathology Network", "kind": "employer" });
    let [first, second] = twice(
        &app,
        &w.admin.token,
        "/api/v1/organisations",
        "org-1",
        &body,
    )
    .await;
    assert_eq!(first.0, 201);
    assert_eq!(first, second, "the retry answers the first response");
    assert_eq!(
        total(&app, &w.admin.token, "/api/v1/organisations").await,
        before + 1
    );
    // Without the key the same body is a new request: the name is taken.
    assert_problem(
        app.post_as(&w.admin.token, "/api/v1/organisations", &body)
            .await,
        409,
    )
    .await;
}

#[tokio::test]
async fn creating_a_user_twice_with_one_key_creates_one_account_and_another_body_is_422() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let body = json!({
        "email": "new.apprentice@ksbfolio.test", "name": "New Apprentice", "role": "apprentice",
        "organisation_id": w.a.employer_org, "password": crate::helpers::world::PASSWORD,
    });
    let [first, second] = twice(&app, &w.admin.token, "/api/v1/users", "user-1", &body).await;
    assert_eq!(first.0, 201, "{}", first.1);
    assert_eq!(first, second);
    let users: Value = app
        .get_as(&w.admin.token, "/api/v1/users?limit=100")
        .await
        .json()
        .await
        .expect("json");
    let named = users["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|u| u["email"] == "new.apprentice@ksbfolio.test")
        .count();
    assert_eq!(named, 1);

    let mut other = body.clone();
    other["email"] = json!("someone.else@ksbfolio.test");
    let response = post_with_key(&app, &w.admin.token, "/api/v1/users", "user-1", &other).await;
    let problem = assert_problem(response, 422).await;
    assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");
}

#[tokio::test]
async fn no_fast_hash_of_a_password_is_kept_with_a_key() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let body = json!({
        "email": "hashed@ksbfolio.test", "name": "Hashed", "role": "apprentice",
        "organisation_id": w.a.employer_org, "password": crate::helpers::world::PASSWORD,
    });
    let [first, _] = twice(&app, &w.admin.token, "/api/v1/users", "user-2", &body).await;
    assert_eq!(first.0, 201);
    // A retry whose only difference is the password is still the same request.
    let mut other_password = body.clone();
    other_password["password"] = json!("another long pass phrase");
    let response = post_with_key(
        &app,
        &w.admin.token,
        "/api/v1/users",
        "user-2",
        &other_password,
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    let replay: Value = response.json().await.expect("json");
    assert_eq!(replay, first.1);
    // The first password is the one that works.
    app.token("hashed@ksbfolio.test", crate::helpers::world::PASSWORD)
        .await;
}

#[tokio::test]
async fn enrolling_twice_with_one_key_enrols_once() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let apprentice = crate::helpers::world::user(
        &app,
        &w.admin.token,
        "apprentice",
        &w.a.employer_org,
        "Second Apprentice",
    )
    .await;
    let body = json!({
        "apprentice_id": apprentice.id, "standard": "ST0220",
        "employer_id": w.a.employer_org, "provider_id": w.a.provider_org,
        "mentor_id": w.a.mentor.id, "tutor_id": w.a.tutor.id,
        "start_date": "2026-09-01", "expected_end_date": "2028-08-31",
    });
    let before = total(&app, &w.admin.token, "/api/v1/apprenticeships").await;
    let [first, second] = twice(
        &app,
        &w.admin.token,
        "/api/v1/apprenticeships",
        "enrol-1",
        &body,
    )
    .await;
    assert_eq!(first.0, 201, "{}", first.1);
    assert_eq!(first, second);
    assert_eq!(first.1["apprentice"]["name"], "Second Apprentice");
    assert_eq!(
        total(&app, &w.admin.token, "/api/v1/apprenticeships").await,
        before + 1
    );
}

#[tokio::test]
async fn a_replay_after_the_created_evidence_was_deleted_is_404_not_the_deleted_evidence() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let me = &w.a.apprentice.token;
    let path = format!("/api/v1/apprenticeships/{}/evidence", w.a.apprenticeship);
    let body = json!({ "title": "Scratch", "kind": "observation", "occurred_on": "2026-01-01", "ksbs": ["S7"] });
    let [first, _] = twice(&app, me, &path, "scratch-1", &body).await;
    assert_eq!(first.0, 201);
    let evidence = first.1["id"].as_str().expect("id");
    delete(&app, me, &format!("/api/v1/evidence/{evidence}")).await;
    let response = post_with_key(&app, me, &path, "scratch-1", &body).await;
    let problem = assert_problem(response, 404).await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("deleted"),
        "{problem}"
    );
    assert_eq!(count_evidence(&app, me, &w.a.apprenticeship).await, 0);
}

#[tokio::test]
async fn a_replay_after_the_created_otj_entry_or_attachment_was_deleted_is_404() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let me = &w.a.apprentice.token;
    let path = format!("/api/v1/apprenticeships/{}/otj", w.a.apprenticeship);
    let body = json!({
        "occurred_on": "2026-01-05", "minutes": 30, "activity": "shadowing",
        "description": "Shadowed the duty biomedical scientist",
    });
    let [first, _] = twice(&app, me, &path, "otj-1", &body).await;
    assert_eq!(first.0, 201, "{}", first.1);
    let entry = first.1["id"].as_str().expect("id");
    delete(&app, me, &format!("/api/v1/otj/{entry}")).await;
    assert_problem(post_with_key(&app, me, &path, "otj-1", &body).await, 404).await;

    let evidence = crate::helpers::portfolio::id(
        &crate::helpers::portfolio::log(&app, me, &w.a.apprenticeship, "Photo", &["S7"]).await,
    );
    let upload = || {
        let part = reqwest::multipart::Part::bytes(crate::attachments::PNG.to_vec())
            .file_name("qc.png")
            .mime_str("image/png")
            .expect("mime");
        app.as_user(
            me,
            reqwest::Method::POST,
            &format!("/api/v1/evidence/{evidence}/attachments"),
        )
        .header("idempotency-key", "upload-1")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
    };
    let uploaded = upload().await.expect("sent");
    assert_eq!(uploaded.status().as_u16(), 201);
    let attachment: Value = uploaded.json().await.expect("json");
    let again = upload().await.expect("sent");
    assert_eq!(again.status().as_u16(), 201, "a replay while it exists");
    let attachment = attachment["id"].as_str().expect("id");
    delete(
        &app,
        me,
        &format!("/api/v1/evidence/{evidence}/attachments/{attachment}"),
    )
    .await;
    assert_problem(upload().await.expect("sent"), 404).await;
}

#[tokio::test]
async fn a_key_expires_after_24_hours_and_the_sweep_removes_only_expired_keys() {
    use diesel_async::RunQueryDsl;
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let me = &w.a.apprentice.token;
    let path = format!("/api/v1/apprenticeships/{}/evidence", w.a.apprenticeship);
    let body = json!({ "title": "Daily", "kind": "observation", "occurred_on": "2026-01-01", "ksbs": ["S7"] });
    let [first, _] = twice(&app, me, &path, "daily-1", &body).await;
    let [_, _] = twice(&app, me, &path, "daily-2", &body).await;
    let mut conn = app.db.connect().await;
    // Just inside the lifetime: still a replay.
    diesel::sql_query(
        "UPDATE idempotency_keys SET created_at = now() - interval '23 hours 59 minutes' \
         WHERE key = 'daily-1'",
    )
    .execute(&mut conn)
    .await
    .expect("age");
    let [inside, _] = twice(&app, me, &path, "daily-1", &body).await;
    assert_eq!(inside.1["id"], first.1["id"]);
    assert_eq!(count_evidence(&app, me, &w.a.apprenticeship).await, 2);

    // Past it: the same key and body are a new request.
    diesel::sql_query(
        "UPDATE idempotency_keys SET created_at = now() - interval '24 hours 1 second' \
         WHERE key = 'daily-1'",
    )
    .execute(&mut conn)
    .await
    .expect("age");
    let [after, replayed] = twice(&app, me, &path, "daily-1", &body).await;
    assert_eq!(after.0, 201);
    assert_ne!(after.1["id"], first.1["id"], "a new piece of evidence");
    assert_eq!(after, replayed, "the renewed key holds the new response");
    assert_eq!(count_evidence(&app, me, &w.a.apprenticeship).await, 3);

    diesel::sql_query(
        "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'daily-2'",
    )
    .execute(&mut conn)
    .await
    .expect("age");
    let removed = ksbfolio::db::idempotency::sweep_expired(&mut conn)
        .await
        .expect("sweep");
    assert_eq!(removed, 1);
    #[derive(diesel::QueryableByName)]
    struct Key {
        #[diesel(sql_type = diesel::sql_types::Text)]
        key: String,
    }
    let left: Vec<Key> = diesel::sql_query("SELECT key FROM idempotency_keys ORDER BY key")
        .load(&mut conn)
        .await
        .expect("keys");
    let left: Vec<String> = left.into_iter().map(|k| k.key).collect();
    assert!(left.contains(&"daily-1".to_string()), "{left:?}");
    assert!(!left.contains(&"daily-2".to_string()), "{left:?}");
}
