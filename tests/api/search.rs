//! Search on the long admin lists: `q` on the apprenticeships and the organisations, within the
//! caller's scope, in a fixed number of statements whatever the page size.

use serde_json::{Value, json};

use crate::helpers::app::assert_problem;
use crate::helpers::world::{World, created, id, organisation, user};
use crate::helpers::{TestApp, spawn_app};
use crate::queues::get;

/// The ids of a page's items, sorted.
fn ids(body: &Value) -> Vec<String> {
    let mut ids: Vec<String> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(id)
        .collect();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<&String>) -> Vec<String> {
    ids.sort();
    ids.into_iter().cloned().collect()
}

/// The names of a page's items, in the page's order.
fn names(body: &Value) -> Vec<&str> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|o| o["name"].as_str().expect("name"))
        .collect()
}

/// `n` more apprentices named "Extra i", enrolled with side A's employer and provider.
async fn enrol_extra(app: &TestApp, w: &World, n: usize) -> Vec<String> {
    let mut enrolled = Vec::new();
    for i in 0..n {
        let apprentice = user(
            app,
            &w.admin.token,
            "apprentice",
            &w.a.employer_org,
            &format!("Extra {i}"),
        )
        .await;
        let body = created(
            app.post_as(
                &w.admin.token,
                "/api/v1/apprenticeships",
                &json!({
                    "apprentice_id": apprentice.id, "standard": "ST0220",
                    "employer_id": w.a.employer_org, "provider_id": w.a.provider_org,
                    "mentor_id": w.a.mentor.id, "tutor_id": w.a.tutor.id,
                    "start_date": "2025-09-01", "expected_end_date": "2027-08-31",
                }),
            )
            .await,
        )
        .await;
        enrolled.push(id(&body));
    }
    enrolled
}

#[tokio::test]
async fn apprenticeships_are_found_by_the_apprentices_name_or_email_and_the_organisations_names() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (a, b) = (&w.a.apprenticeship, &w.b.apprenticeship);
    let admin = w.admin.token.as_str();
    let search = |token: &str, q: &str| {
        let path = format!("/api/v1/apprenticeships?q={q}");
        let token = token.to_string();
        let app = &app;
        async move { get(app, &token, &path).await.0 }
    };
    let local_part = w.b.apprentice.email.split('@').next().expect("local part");
    for (q, expected) in [
        ("apprentice%20a", vec![a]),
        ("APPRENTICE", vec![a, b]),
        (local_part.to_uppercase().as_str(), vec![b]),
        ("employer%20b", vec![b]),
        ("Provider%20A", vec![a]),
        ("provider", vec![a, b]),
        // Blank is no search; LIKE's wildcards are literal; names of others match nothing.
        ("%20%20", vec![a, b]),
        ("%25", vec![]),
        ("_", vec![]),
        ("Mentor%20A", vec![]),
        ("Tutor", vec![]),
    ] {
        let body = search(admin, q).await;
        assert_eq!(ids(&body), sorted(expected.clone()), "q={q}");
        assert_eq!(body["total"], expected.len(), "q={q}");
    }
    // The scope still holds: tutor B finds only side B's apprenticeship.
    assert_eq!(
        ids(&search(&w.b.tutor.token, "apprentice").await),
        vec![b.clone()]
    );
    assert!(ids(&search(&w.b.tutor.token, "apprentice%20a").await).is_empty());
    assert_eq!(
        ids(&search(&w.a.apprentice.token, "a").await),
        vec![a.clone()]
    );
    let long = "x".repeat(201);
    let body = assert_problem(
        app.get_as(admin, &format!("/api/v1/apprenticeships?q={long}"))
            .await,
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "q");
}

#[tokio::test]
async fn a_searched_page_of_apprenticeships_is_paged_newest_first() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let extra = enrol_extra(&app, &w, 3).await;
    let (body, _) = get(
        &app,
        &w.admin.token,
        "/api/v1/apprenticeships?q=extra&limit=2&offset=1",
    )
    .await;
    assert_eq!(body["total"], 3);
    let page: Vec<String> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(id)
        .collect();
    assert_eq!(page, vec![extra[1].clone(), extra[0].clone()]);
}

#[tokio::test]
async fn organisations_are_found_by_name_within_what_the_caller_may_see() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let admin = w.admin.token.as_str();
    organisation(&app, admin, "Northern Care 100% Trust", "employer").await;
    let search = |token: &str, q: &str| {
        let path = format!("/api/v1/organisations?q={q}");
        let token = token.to_string();
        let app = &app;
        async move { get(app, &token, &path).await.0 }
    };
    for (q, expected) in [
        ("provider", vec!["Provider A", "Provider B"]),
        ("EMPLOYER%20b", vec!["Employer B"]),
        ("%20r%20A%20", vec!["Employer A", "Provider A"]),
        ("100%25", vec!["Northern Care 100% Trust"]),
        ("0%25%20T", vec!["Northern Care 100% Trust"]),
        ("1_0", vec![]),
    ] {
        let body = search(admin, q).await;
        assert_eq!(names(&body), expected, "q={q}");
        assert_eq!(body["total"], expected.len(), "q={q}");
    }
    let body = search(admin, "a&kind=employer").await;
    assert_eq!(names(&body), vec!["Employer A", "Northern Care 100% Trust"]);
    // Provider staff see employers and their own provider only, searched or not.
    assert_eq!(
        names(&search(&w.a.tutor.token, "provider").await),
        vec!["Provider A"]
    );
    let long = "x".repeat(201);
    let body = assert_problem(
        app.get_as(admin, &format!("/api/v1/organisations?q={long}"))
            .await,
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "q");
}

#[tokio::test]
async fn searched_lists_run_a_fixed_number_of_statements_whatever_the_page_size() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let admin = w.admin.token.as_str();
    let paths = [
        "/api/v1/apprenticeships?q=employer%20a&limit=100",
        "/api/v1/apprenticeships?q=extra&limit=100",
        "/api/v1/organisations?q=employer&limit=100",
        "/api/v1/organisations?q=extra&limit=100",
    ];
    // The first apprenticeship read fills the catalogue cache: warm it before counting.
    get(&app, admin, "/api/v1/apprenticeships").await;
    let mut before = Vec::new();
    for path in paths {
        before.push(get(&app, admin, path).await);
    }
    enrol_extra(&app, &w, 4).await;
    for i in 0..4 {
        organisation(&app, admin, &format!("Extra employer {i}"), "employer").await;
    }
    for (path, (body_before, queries)) in paths.iter().zip(before) {
        let (body, after) = get(&app, admin, path).await;
        assert!(
            body["total"].as_i64() > body_before["total"].as_i64(),
            "{path} has more rows now"
        );
        assert_eq!(
            after, queries,
            "{path}: {queries} statements before, {after} with more rows"
        );
    }
}
