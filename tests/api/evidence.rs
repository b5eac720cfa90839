//! Evidence: validation, the workflow, ETags, revisions, comments and the NHS number rule.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::app::assert_problem;
use crate::helpers::portfolio::{act, id, log, review, submit, withdraw};
use crate::helpers::spawn_app;
use crate::helpers::world::World;

fn fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field").to_string())
        .collect()
}

#[tokio::test]
async fn logging_evidence_creates_a_draft_mapped_to_its_ksbs() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let body = log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Calibrated the analyser",
        &["s7", "K5"],
    )
    .await;
    assert_eq!(body["status"], "draft");
    assert_eq!(
        body["ksbs"],
        json!(["K5", "S7"]),
        "upper-cased, in standard order"
    );
    assert_eq!(body["version"], 1);
}

#[tokio::test]
async fn invalid_evidence_is_refused_naming_each_field() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let path = format!("/api/v1/apprenticeships/{}/evidence", w.a.apprenticeship);
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(2)).date_naive();
    let body = assert_problem(
        app.post_as(
            &w.a.apprentice.token,
            &path,
            &json!({ "title": "", "kind": "observation", "occurred_on": tomorrow, "ksbs": ["S7", "K99", "S7"] }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        fields(&body),
        vec!["title", "occurred_on", "ksbs[1]", "ksbs[2]"]
    );
    assert!(body["detail"].as_str().expect("detail").contains("K99"));
    let body = assert_problem(
        app.post_as(&w.a.apprentice.token, &path, &json!({ "title": "T", "kind": "observation", "occurred_on": "2025-01-01", "ksbs": [] })).await,
        422,
    )
    .await;
    assert_eq!(
        fields(&body),
        vec!["occurred_on", "ksbs"],
        "before the start (2025-09-01), no KSBs"
    );
    let body = assert_problem(
        app.post_as(
            &w.a.apprentice.token,
            &path,
            &json!({ "title": "T", "kind": "poem", "occurred_on": "2026-01-01", "ksbs": ["S1"] }),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&body), vec!["kind"]);
}

#[tokio::test]
async fn nhs_numbers_with_a_valid_check_digit_are_refused_everywhere() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let path = format!("/api/v1/apprenticeships/{}/evidence", w.a.apprenticeship);
    let evidence = |title: &str, description: &str| json!({ "title": title, "description": description, "kind": "observation", "occurred_on": "2026-01-01", "ksbs": ["S1"] });
    for (title, description, field) in [
        ("Patient 9434765919", "", "title"),
        ("Ward round", "Seen: 943 476 5919 today", "description"),
    ] {
        let body = assert_problem(
            app.post_as(&w.a.apprentice.token, &path, &evidence(title, description))
                .await,
            422,
        )
        .await;
        assert_eq!(fields(&body), vec![field]);
        assert!(
            body["detail"]
                .as_str()
                .expect("detail")
                .contains("NHS number")
        );
    }
    // Ten digits with a wrong check digit are not an NHS number.
    log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Extension 9434765910",
        &["S1"],
    )
    .await;
    let draft = id(&log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Draft",
        &["S1"],
    )
    .await);
    let (status, body) = act(
        &app,
        &w.a.tutor.token,
        &format!("/api/v1/evidence/{draft}/comments"),
        Some(json!({ "body": "Is this 9434765919?" })),
    )
    .await;
    assert_eq!((status, fields(&body)), (422, vec!["body".to_string()]));
}

#[tokio::test]
async fn every_allowed_and_refused_transition() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor) = (&w.a.apprentice.token, &w.a.tutor.token);
    let e = id(&log(&app, me, &w.a.apprenticeship, "Work", &["S7"]).await);

    // draft: cannot be reviewed or withdrawn
    assert_eq!(review(&app, tutor, &e, "accepted", "").await.0, 409);
    let (status, body) = withdraw(&app, me, &e, "changed my mind").await;
    assert_eq!(status, 409);
    assert!(body["detail"].as_str().expect("detail").contains("delete"));
    // draft → submitted; submitted cannot be submitted or edited
    assert_eq!(submit(&app, me, &e).await.1["status"], "submitted");
    assert_eq!(submit(&app, me, &e).await.0, 409);
    // feedback is required to send back
    assert_eq!(
        review(&app, tutor, &e, "changes_requested", " ").await.0,
        422
    );
    // submitted → changes_requested → (edit) → submitted → accepted
    let (status, body) = review(
        &app,
        tutor,
        &e,
        "changes_requested",
        "Say what you calibrated.",
    )
    .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("changes_requested"))
    );
    assert_eq!(body["feedback"], "Say what you calibrated.");
    assert_eq!(
        review(&app, tutor, &e, "accepted", "").await.0,
        409,
        "not submitted"
    );
    assert_eq!(submit(&app, me, &e).await.1["status"], "submitted");
    assert_eq!(
        review(&app, tutor, &e, "accepted", "Good").await.1["status"],
        "accepted"
    );
    // accepted: frozen, not deletable, but can be withdrawn
    let etag = app
        .get_as(me, &format!("/api/v1/evidence/{e}"))
        .await
        .headers()["etag"]
        .clone();
    let response = app
        .as_user(me, Method::PATCH, &format!("/api/v1/evidence/{e}"))
        .header("if-match", etag)
        .json(&json!({ "title": "New" }))
        .send()
        .await
        .expect("sent");
    let body = assert_problem(response, 409).await;
    assert!(body["detail"].as_str().expect("detail").contains("frozen"));
    let response = app
        .as_user(me, Method::DELETE, &format!("/api/v1/evidence/{e}"))
        .send()
        .await
        .expect("sent");
    assert_problem(response, 409).await;
    let (status, body) = withdraw(&app, me, &e, "Duplicate of another piece").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("withdrawn")));
    assert_eq!(body["withdrawn_reason"], "Duplicate of another piece");
    assert_eq!(withdraw(&app, me, &e, "again").await.0, 409);
    assert_eq!(submit(&app, me, &e).await.0, 409);
    // still in the record
    assert_eq!(
        app.get_as(me, &format!("/api/v1/evidence/{e}"))
            .await
            .status()
            .as_u16(),
        200
    );
}

#[tokio::test]
async fn only_a_draft_can_be_deleted_and_it_is_gone() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let me = &w.a.apprentice.token;
    let e = id(&log(&app, me, &w.a.apprenticeship, "Scratch", &["K1"]).await);
    let response = app
        .as_user(me, Method::DELETE, &format!("/api/v1/evidence/{e}"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 204);
    assert_problem(app.get_as(me, &format!("/api/v1/evidence/{e}")).await, 404).await;
}

#[tokio::test]
async fn only_the_right_people_act_on_evidence() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let e = id(&log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Work",
        &["S7"],
    )
    .await);
    // The mentor sees it but may not submit it; the apprentice may not review it.
    assert_eq!(submit(&app, &w.a.mentor.token, &e).await.0, 403);
    assert_eq!(submit(&app, &w.a.apprentice.token, &e).await.0, 200);
    assert_eq!(
        review(&app, &w.a.apprentice.token, &e, "accepted", "")
            .await
            .0,
        403
    );
    assert_eq!(
        review(&app, &w.a.mentor.token, &e, "accepted", "").await.0,
        403
    );
    // Another provider's tutor does not even see it.
    assert_eq!(
        review(&app, &w.b.tutor.token, &e, "accepted", "").await.0,
        404
    );
    assert_eq!(
        app.get_as(&w.b.apprentice.token, &format!("/api/v1/evidence/{e}"))
            .await
            .status()
            .as_u16(),
        404
    );
}

async fn patch(
    app: &crate::helpers::TestApp,
    token: &str,
    e: &str,
    if_match: Option<&str>,
    body: Value,
) -> reqwest::Response {
    let mut request = app
        .as_user(token, Method::PATCH, &format!("/api/v1/evidence/{e}"))
        .json(&body);
    if let Some(tag) = if_match {
        request = request.header("if-match", tag);
    }
    request.send().await.expect("sent")
}

#[tokio::test]
async fn edits_need_the_current_etag() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let me = &w.a.apprentice.token;
    let e = id(&log(&app, me, &w.a.apprenticeship, "First title", &["S7"]).await);
    let got = app.get_as(me, &format!("/api/v1/evidence/{e}")).await;
    let etag = got.headers()["etag"].to_str().expect("etag").to_string();
    assert_eq!(etag, "\"1\"");

    assert_problem(
        patch(&app, me, &e, None, json!({ "title": "x" })).await,
        428,
    )
    .await;
    let ok = patch(
        &app,
        me,
        &e,
        Some(&etag),
        json!({ "title": "Second title", "ksbs": ["S7", "S8"] }),
    )
    .await;
    assert_eq!(ok.status().as_u16(), 200);
    assert_eq!(ok.headers()["etag"], "\"2\"");
    let body: Value = ok.json().await.expect("json");
    assert_eq!(body["ksbs"], json!(["S7", "S8"]));
    assert_problem(
        patch(&app, me, &e, Some(&etag), json!({ "title": "Stale" })).await,
        412,
    )
    .await;
}

#[tokio::test]
async fn of_two_racing_edits_with_one_etag_exactly_one_wins() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let me = &w.a.apprentice.token;
    for round in 0..5 {
        let e = id(&log(&app, me, &w.a.apprenticeship, "Race", &["S7"]).await);
        let (a, b) = tokio::join!(
            patch(
                &app,
                me,
                &e,
                Some("\"1\""),
                json!({ "title": format!("A{round}") })
            ),
            patch(
                &app,
                me,
                &e,
                Some("\"1\""),
                json!({ "title": format!("B{round}") })
            ),
        );
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 412], "round {round}");
        let revisions: Value = app
            .get_as(me, &format!("/api/v1/evidence/{e}/revisions"))
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(
            revisions["items"].as_array().expect("items").len(),
            2,
            "one creation, one edit"
        );
    }
}

#[tokio::test]
async fn every_version_is_kept_as_a_revision() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let me = &w.a.apprentice.token;
    let e = id(&log(&app, me, &w.a.apprenticeship, "v1", &["S7"]).await);
    assert_eq!(
        patch(
            &app,
            me,
            &e,
            Some("\"1\""),
            json!({ "title": "v2", "description": "More detail" })
        )
        .await
        .status()
        .as_u16(),
        200
    );
    submit(&app, me, &e).await;
    let revisions: Value = app
        .get_as(&w.a.tutor.token, &format!("/api/v1/evidence/{e}/revisions"))
        .await
        .json()
        .await
        .expect("json");
    let items = revisions["items"].as_array().expect("items");
    let summary: Vec<(i64, &str, &str)> = items
        .iter()
        .map(|r| {
            (
                r["version"].as_i64().expect("v"),
                r["title"].as_str().expect("t"),
                r["status"].as_str().expect("s"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, "v1", "draft"),
            (2, "v2", "draft"),
            (3, "v2", "submitted")
        ]
    );
    assert_eq!(items[1]["description"], "More detail");
    assert_eq!(items[0]["author"]["id"], w.a.apprentice.id.as_str());
}

#[tokio::test]
async fn everyone_who_sees_evidence_can_comment_on_it() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let e = id(&log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Work",
        &["S7"],
    )
    .await);
    let path = format!("/api/v1/evidence/{e}/comments");
    for (token, text) in [
        (&w.a.tutor.token, "Add the date"),
        (&w.a.mentor.token, "I witnessed this"),
        (&w.a.apprentice.token, "Done"),
    ] {
        let (status, body) = act(&app, token, &path, Some(json!({ "body": text }))).await;
        assert_eq!(status, 201, "{body}");
    }
    assert_eq!(
        act(&app, &w.b.tutor.token, &path, Some(json!({ "body": "x" })))
            .await
            .0,
        404
    );
    let thread: Value = app
        .get_as(&w.admin.token, &path)
        .await
        .json()
        .await
        .expect("json");
    let bodies: Vec<&str> = thread["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["body"].as_str().expect("b"))
        .collect();
    assert_eq!(bodies, vec!["Add the date", "I witnessed this", "Done"]);
    assert_eq!(thread["items"][0]["author"]["role"], "provider");
}

#[tokio::test]
async fn the_evidence_list_filters_by_status_ksb_and_kind() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let me = &w.a.apprentice.token;
    let s7 = id(&log(&app, me, &w.a.apprenticeship, "S7 work", &["S7"]).await);
    log(&app, me, &w.a.apprenticeship, "K1 work", &["K1"]).await;
    submit(&app, me, &s7).await;
    let list = |query: &'static str| {
        let app = &app;
        let path = format!(
            "/api/v1/apprenticeships/{}/evidence?{query}",
            w.a.apprenticeship
        );
        async move {
            let body: Value = app.get_as(me, &path).await.json().await.expect("json");
            (
                body["total"].as_i64().expect("total"),
                body["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .map(|i| i["title"].as_str().expect("t").to_string())
                    .collect::<Vec<_>>(),
            )
        }
    };
    assert_eq!(
        list("status=submitted").await,
        (1, vec!["S7 work".to_string()])
    );
    assert_eq!(list("ksb=k1").await, (1, vec!["K1 work".to_string()]));
    assert_eq!(list("kind=observation").await.0, 2);
    assert_eq!(list("kind=work_product").await.0, 0);
    assert_eq!(list("limit=1").await.1.len(), 1);
}

#[tokio::test]
async fn weak_or_wildcard_etags_do_not_pass_for_the_current_version() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let me = &w.a.apprentice.token;
    let e = id(&log(&app, me, &w.a.apprenticeship, "Title", &["S7"]).await);
    assert_problem(
        patch(&app, me, &e, Some("W/\"1\""), json!({ "title": "Weak" })).await,
        412,
    )
    .await;
    assert_problem(
        patch(&app, me, &e, Some("*"), json!({ "title": "Any" })).await,
        428,
    )
    .await;
    let ok = patch(
        &app,
        me,
        &e,
        Some("\"7\", \"1\""),
        json!({ "title": "Listed" }),
    )
    .await;
    assert_eq!(
        ok.status().as_u16(),
        200,
        "one of several listed tags matches"
    );
}
