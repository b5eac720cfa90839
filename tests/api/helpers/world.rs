//! A small, complete world: two providers, two employers, their staff, two apprentices and an
//! apprenticeship for each, built through the API as an admin (only the admin is a factory row).

use diesel_async::AsyncConnection;
use ksbfolio::db::users::{NewUser, insert};
use serde_json::{Value, json};
use uuid::Uuid;

use super::TestApp;
use super::app::TEST_HASHING;

pub const PASSWORD: &str = "correct horse battery staple";

/// Writes an admin row directly (the bootstrap the CLI does) and returns its e-mail.
pub async fn admin(app: &TestApp) -> String {
    let email = format!("admin-{}@ksbfolio.test", Uuid::new_v4().simple());
    let hash = ksbfolio::auth::password::hash(PASSWORD, TEST_HASHING).expect("hash");
    let mut conn = diesel_async::AsyncPgConnection::establish(&app.db.url)
        .await
        .expect("connect");
    insert(
        &mut conn,
        &NewUser {
            email: &email,
            name: "Ada Admin",
            role: ksbfolio::domain::identity::Role::Admin,
            organisation_id: None,
            created_by_organisation_id: None,
            password_hash: &hash,
        },
    )
    .await
    .expect("admin row");
    email
}

/// One side of the world: a provider, an employer, and their people.
pub struct Side {
    pub provider_org: String,
    pub employer_org: String,
    pub tutor: Person,
    pub mentor: Person,
    pub apprentice: Person,
    pub apprenticeship: String,
}

pub struct Person {
    pub id: String,
    pub email: String,
    pub token: String,
}

pub struct World {
    pub admin: Person,
    pub a: Side,
    pub b: Side,
}

pub async fn created(response: reqwest::Response) -> Value {
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, 201, "expected 201, got {status}: {body}");
    body
}

pub fn id(value: &Value) -> String {
    value["id"].as_str().expect("id").to_string()
}

impl World {
    pub async fn build(app: &TestApp) -> Self {
        let admin_email = admin(app).await;
        let admin_login = app.login(&admin_email, PASSWORD).await;
        let admin = Person {
            id: admin_login["user"]["id"].as_str().expect("id").to_string(),
            email: admin_email,
            token: admin_login["access_token"]
                .as_str()
                .expect("token")
                .to_string(),
        };
        let a = side(app, &admin.token, "A").await;
        let b = side(app, &admin.token, "B").await;
        Self { admin, a, b }
    }

    /// Every (role name, token) with the side it belongs to.
    pub fn people(&self) -> Vec<(&'static str, &Person)> {
        vec![
            ("admin", &self.admin),
            ("tutor A", &self.a.tutor),
            ("mentor A", &self.a.mentor),
            ("apprentice A", &self.a.apprentice),
            ("tutor B", &self.b.tutor),
            ("mentor B", &self.b.mentor),
            ("apprentice B", &self.b.apprentice),
        ]
    }
}

pub async fn organisation(app: &TestApp, admin: &str, name: &str, kind: &str) -> String {
    id(&created(
        app.post_as(
            admin,
            "/api/v1/organisations",
            &json!({ "name": name, "kind": kind }),
        )
        .await,
    )
    .await)
}

pub async fn user(app: &TestApp, creator: &str, role: &str, org: &str, name: &str) -> Person {
    let email = format!("{}-{}@ksbfolio.test", role, Uuid::new_v4().simple());
    let body = json!({
        "email": email, "name": name, "role": role, "organisation_id": org, "password": PASSWORD,
    });
    let user = created(app.post_as(creator, "/api/v1/users", &body).await).await;
    let token = app.token(&email, PASSWORD).await;
    Person {
        id: id(&user),
        email,
        token,
    }
}

async fn side(app: &TestApp, admin: &str, label: &str) -> Side {
    let provider_org = organisation(app, admin, &format!("Provider {label}"), "provider").await;
    let employer_org = organisation(app, admin, &format!("Employer {label}"), "employer").await;
    let tutor = user(
        app,
        admin,
        "provider",
        &provider_org,
        &format!("Tutor {label}"),
    )
    .await;
    let mentor = user(
        app,
        admin,
        "employer",
        &employer_org,
        &format!("Mentor {label}"),
    )
    .await;
    let apprentice = user(
        app,
        admin,
        "apprentice",
        &employer_org,
        &format!("Apprentice {label}"),
    )
    .await;
    let apprenticeship = id(&created(
        app.post_as(
            admin,
            "/api/v1/apprenticeships",
            &json!({
                "apprentice_id": apprentice.id, "standard": "ST0220",
                "employer_id": employer_org, "provider_id": provider_org,
                "mentor_id": mentor.id, "tutor_id": tutor.id,
                "start_date": "2025-09-01", "expected_end_date": "2027-08-31",
            }),
        )
        .await,
    )
    .await);
    Side {
        provider_org,
        employer_org,
        tutor,
        mentor,
        apprentice,
        apprenticeship,
    }
}
