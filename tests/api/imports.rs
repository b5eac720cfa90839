//! Loading a cohort from CSV: whole-file validation, nothing written for a bad file, re-uploads
//! that double nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::app::{assert_problem, spawn_mail_app};
use crate::helpers::smtp::SmtpServer;
use crate::helpers::spawn_app;
use crate::helpers::world::{World, user};

async fn import(app: &TestApp, token: &str, what: &str, csv: &str) -> reqwest::Response {
    app.as_user(token, Method::POST, &format!("/api/v1/imports/{what}"))
        .header("Content-Type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .expect("sent")
}

async fn total(app: &TestApp, token: &str, path: &str) -> i64 {
    let body: Value = app.get_as(token, path).await.json().await.expect("json");
    body["total"].as_i64().expect("total")
}

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field").to_string())
        .collect()
}

#[tokio::test]
async fn an_admin_imports_people_who_are_emailed_password_links_and_a_re_upload_doubles_nothing() {
    let smtp = SmtpServer::start().await;
    let app = spawn_mail_app(&smtp.url()).await;
    let w = World::build(&app).await;
    let csv = "email,name,role,organisation\n\
               new.apprentice@ksbfolio.test,Nia Apprentice,apprentice,Employer A\n\
               new.mentor@ksbfolio.test,Max Mentor,employer,Employer A\n\
               NEW.TUTOR@ksbfolio.test,Tom Tutor,provider,Provider B\n";
    let response = import(&app, &w.admin.token, "users", csv).await;
    assert_eq!(response.status().as_u16(), 201);
    let raw = response.text().await.expect("body");
    let body: Value = serde_json::from_str(&raw).expect("json");
    assert_eq!(
        (body["created"].as_i64(), body["unchanged"].as_i64()),
        (Some(3), Some(0))
    );
    assert_eq!(body["lines"][1]["password_link_sent"], true);
    // The importer never sees a way into the accounts: the link is in the e-mail only.
    assert!(
        !raw.contains("set-password") && !raw.contains("token"),
        "{raw}"
    );
    let message = smtp
        .wait_for_to("new.mentor@ksbfolio.test", 1)
        .await
        .remove(0);
    assert_eq!(message.subject, "ksbfolio: set your password");
    let set = app
        .post(
            "/api/v1/auth/password-link/redeem",
            &json!({ "token": message.token(), "new_password": "a passphrase of my own" }),
        )
        .await;
    assert_eq!(set.status().as_u16(), 204);
    app.login("new.mentor@ksbfolio.test", "a passphrase of my own")
        .await;
    smtp.wait_for_to("new.apprentice@ksbfolio.test", 1).await;
    smtp.wait_for_to("new.tutor@ksbfolio.test", 1).await;

    let users_before = total(&app, &w.admin.token, "/api/v1/users").await;
    let again: Value = import(&app, &w.admin.token, "users", csv)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (again["created"].as_i64(), again["unchanged"].as_i64()),
        (Some(0), Some(3))
    );
    assert_eq!(again["lines"][0]["password_link_sent"], false);
    assert_eq!(
        total(&app, &w.admin.token, "/api/v1/users").await,
        users_before
    );
}

#[tokio::test]
async fn a_file_with_bad_lines_names_each_line_and_field_and_writes_nothing() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let before = total(&app, &w.admin.token, "/api/v1/users").await;
    let csv = "email,name,role,organisation\n\
               good.one@ksbfolio.test,Good One,apprentice,Employer A\n\
               not-an-email,Bad Email,apprentice,Employer A\n\
               nowhere@ksbfolio.test,No Org,apprentice,Imaginary Trust\n\
               good.one@ksbfolio.test,Good Again,apprentice,Employer A\n";
    let problem = assert_problem(import(&app, &w.admin.token, "users", csv).await, 422).await;
    let named = fields(&problem);
    for expected in ["line 3: email", "line 4: organisation", "line 5: email"] {
        assert!(
            named.iter().any(|f| f == expected),
            "{expected} in {named:?}"
        );
    }
    assert!(!named.iter().any(|f| f.starts_with("line 2")), "{named:?}");
    assert_eq!(
        total(&app, &w.admin.token, "/api/v1/users").await,
        before,
        "nothing written"
    );

    let body = assert_problem(
        import(&app, &w.admin.token, "users", "mail,name\nx,y\n").await,
        422,
    )
    .await;
    assert_eq!(fields(&body), vec!["header"]);
    let response = app
        .as_user(&w.admin.token, Method::POST, "/api/v1/imports/users")
        .json(&json!({}))
        .send()
        .await
        .expect("sent");
    assert_problem(response, 415).await;
}

#[tokio::test]
async fn provider_staff_import_apprentices_only_and_others_may_not_import() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let csv = "email,name,role,organisation\n\
               cohort.one@ksbfolio.test,Cohort One,apprentice,Employer B\n\
               planted@ksbfolio.test,Planted Mentor,employer,Employer A\n";
    let problem = assert_problem(import(&app, &w.a.tutor.token, "users", csv).await, 422).await;
    assert_eq!(fields(&problem), vec!["line 3: role"]);
    let ok = import(
        &app,
        &w.a.tutor.token,
        "users",
        &csv.lines().take(2).collect::<Vec<_>>().join("\n"),
    )
    .await;
    assert_eq!(ok.status().as_u16(), 201);
    for token in [&w.a.mentor.token, &w.a.apprentice.token] {
        assert_problem(import(&app, token, "users", csv).await, 403).await;
        assert_problem(import(&app, token, "apprenticeships", csv).await, 403).await;
    }
    let anonymous = app
        .request(Method::POST, "/api/v1/imports/users")
        .header("Content-Type", "text/csv")
        .body(csv)
        .send()
        .await
        .expect("sent");
    assert_eq!(anonymous.status().as_u16(), 401);
}

#[tokio::test]
async fn enrolments_import_whole_or_not_at_all_and_a_re_upload_doubles_nothing() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let admin = &w.admin.token;
    let one = user(&app, admin, "apprentice", &w.a.employer_org, "Cohort One").await;
    let two = user(&app, admin, "apprentice", &w.a.employer_org, "Cohort Two").await;
    let header = "apprentice_email,standard,employer,provider,mentor_email,tutor_email,start_date,expected_end_date,planned_otj_hours\n";
    let line = |email: &str, start: &str| {
        format!(
            "{email},ST0220,Employer A,Provider A,{},{},{start},2028-08-31,400\n",
            w.a.mentor.email, w.a.tutor.email
        )
    };
    let good = format!(
        "{header}{}{}",
        line(&one.email, "2026-09-01"),
        line(&two.email, "2026-09-01")
    );
    let before = total(&app, admin, "/api/v1/apprenticeships").await;

    // Line 4 enrols an apprentice who already is: the whole file is refused.
    let bad = format!("{good}{}", line(&w.a.apprentice.email, "2026-09-01"));
    let problem = assert_problem(
        import(&app, &w.a.tutor.token, "apprenticeships", &bad).await,
        422,
    )
    .await;
    assert_eq!(fields(&problem), vec!["line 4"]);
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("already enrolled"))
    );
    assert_eq!(
        total(&app, admin, "/api/v1/apprenticeships").await,
        before,
        "nothing written"
    );

    let body: Value = import(&app, &w.a.tutor.token, "apprenticeships", &good)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (body["created"].as_i64(), body["unchanged"].as_i64()),
        (Some(2), Some(0)),
        "{body}"
    );
    let again: Value = import(&app, &w.a.tutor.token, "apprenticeships", &good)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (again["created"].as_i64(), again["unchanged"].as_i64()),
        (Some(0), Some(2))
    );
    assert_eq!(
        total(&app, admin, "/api/v1/apprenticeships").await,
        before + 2
    );

    // Provider B's staff cannot enrol provider A's cohort: each line says why.
    let problem = assert_problem(
        import(
            &app,
            &w.b.tutor.token,
            "apprenticeships",
            &format!("{header}{}", line("someone@ksbfolio.test", "2026-09-01")),
        )
        .await,
        422,
    )
    .await;
    assert!(
        fields(&problem).iter().all(|f| f.starts_with("line 2")),
        "{problem}"
    );
}
