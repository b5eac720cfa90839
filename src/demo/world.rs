//! The shape of a demo data set: how many providers, employers and staff there are, and who each
//! apprenticeship belongs to. Pure: the same seed, size, day and catalogue give the same world.
//!
//! Sizes are fixed per organisation, so the data set grows by adding organisations, the way a
//! national service grows: a provider has about 500 ST0220 apprentices and 12 tutors, an employer
//! about 50 apprentices and 6 mentors. A provider's caseload is therefore the same size at
//! N = 1,000 and N = 10,000, which is what lets the benchmark compare the two fairly.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::ids::{self, Kind};
use super::rng::Rng;
use super::text;

pub const APPRENTICESHIPS_PER_PROVIDER: u64 = 500;
pub const TUTORS_PER_PROVIDER: u64 = 12;
pub const APPRENTICESHIPS_PER_EMPLOYER: u64 = 50;
pub const MENTORS_PER_EMPLOYER: u64 = 6;

/// The standard the apprenticeships follow: its id, its KSBs (id, code) in standard order, its
/// duties in order (code, indices into `ksbs`) and its published minimum of OTJ hours.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub standard_id: Uuid,
    pub ksbs: Vec<(Uuid, String)>,
    pub duties: Vec<(String, Vec<usize>)>,
    pub minimum_otj_hours: Option<i32>,
}

#[derive(Debug, Clone)]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub kind: &'static str,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: &'static str,
    pub organisation_id: Option<Uuid>,
    pub created_by_organisation_id: Option<Uuid>,
}

/// Who and when of one apprenticeship; its portfolio comes from `portfolio::generate`.
#[derive(Debug, Clone)]
pub struct Plan {
    pub k: u64,
    /// Numbers of the provider, tutor (within the provider), employer and mentor (within it).
    pub numbers: (u64, u64, u64, u64),
    pub id: Uuid,
    pub apprentice: Person,
    pub provider_id: Uuid,
    pub employer_id: Uuid,
    pub tutor_id: Uuid,
    /// Another tutor of the same provider, who reviews now and then.
    pub colleague_id: Uuid,
    pub mentor_id: Uuid,
    pub start_date: NaiveDate,
    pub expected_end_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    /// Share of the planned duration that has passed (above 1 when past the expected end).
    pub elapsed: f64,
    pub duration_days: i64,
}

#[derive(Debug, Clone)]
pub struct World {
    pub seed: u64,
    pub apprenticeships: u64,
    pub providers: u64,
    pub employers: u64,
    /// Every event happens before this instant (midnight UTC of the day of seeding).
    pub anchor: DateTime<Utc>,
    pub catalogue: Catalogue,
}

/// A random time of the working day (08:00 to 17:59) on `day`.
pub fn working_time(rng: &mut Rng, day: NaiveDate) -> DateTime<Utc> {
    let minutes = rng.range(8 * 60, 18 * 60 - 1);
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
        + Duration::minutes(minutes)
        + Duration::seconds(rng.range(0, 59))
}

impl World {
    pub fn new(
        seed: u64,
        apprenticeships: u64,
        anchor: DateTime<Utc>,
        catalogue: Catalogue,
    ) -> Self {
        Self {
            seed,
            apprenticeships,
            providers: apprenticeships.div_ceil(APPRENTICESHIPS_PER_PROVIDER),
            employers: apprenticeships.div_ceil(APPRENTICESHIPS_PER_EMPLOYER),
            anchor,
            catalogue,
        }
    }

    /// The e-mail domain of this data set: `demo-SEED.example` (`.example` is reserved, so no mail
    /// can ever reach anyone).
    pub fn domain(&self) -> String {
        format!("demo-{}.example", self.seed)
    }

    /// The random stream of row `number` of `kind`, apart from every apprenticeship's own.
    pub fn stream(kind: Kind, number: u64) -> u64 {
        ((kind as u64) << 48) | number
    }

    pub fn organisations(&self) -> Vec<Organisation> {
        let providers = (1..=self.providers).map(|p| Organisation {
            id: ids::id(Kind::ProviderOrg, self.seed, p),
            name: text::provider_name(p, self.seed),
            kind: "provider",
        });
        let employers = (1..=self.employers).map(|e| Organisation {
            id: ids::id(Kind::EmployerOrg, self.seed, e),
            name: text::employer_name(e, self.seed),
            kind: "employer",
        });
        providers.chain(employers).collect()
    }

    fn staff_member(&self, kind: Kind, org_kind: Kind, org: u64, j: u64) -> Person {
        let number = ids::staff_number(org, j);
        let mut rng = Rng::new(self.seed, Self::stream(kind, number));
        let (first, last) = text::person(&mut rng);
        let (tag, role) = if kind == Kind::Tutor {
            ("t", "provider")
        } else {
            ("m", "employer")
        };
        Person {
            id: ids::id(kind, self.seed, number),
            email: format!(
                "{}.{tag}{org}-{j}@{}",
                text::local_part(first, last),
                self.domain()
            ),
            name: format!("{first} {last}"),
            role,
            organisation_id: Some(ids::id(org_kind, self.seed, org)),
            created_by_organisation_id: None,
        }
    }

    pub fn tutor(&self, provider: u64, j: u64) -> Person {
        self.staff_member(Kind::Tutor, Kind::ProviderOrg, provider, j)
    }

    pub fn mentor(&self, employer: u64, j: u64) -> Person {
        self.staff_member(Kind::Mentor, Kind::EmployerOrg, employer, j)
    }

    pub fn admin(&self) -> Person {
        Person {
            id: ids::id(Kind::Admin, self.seed, 1),
            email: format!("admin@{}", self.domain()),
            name: "Demo Administrator".into(),
            role: "admin",
            organisation_id: None,
            created_by_organisation_id: None,
        }
    }

    /// The admin, every tutor and every mentor.
    pub fn staff(&self) -> Vec<Person> {
        let tutors = (1..=self.providers)
            .flat_map(|p| (1..=TUTORS_PER_PROVIDER).map(move |j| (p, j)))
            .map(|(p, j)| self.tutor(p, j));
        let mentors = (1..=self.employers)
            .flat_map(|e| (1..=MENTORS_PER_EMPLOYER).map(move |j| (e, j)))
            .map(|(e, j)| self.mentor(e, j));
        std::iter::once(self.admin())
            .chain(tutors)
            .chain(mentors)
            .collect()
    }

    /// Apprenticeship `k` (from 1) and the random stream its portfolio continues with.
    pub fn plan(&self, k: u64) -> (Plan, Rng) {
        let mut rng = Rng::new(self.seed, k);
        // Round robin keeps every provider at the same size; employers are drawn at random.
        let provider = (k - 1) % self.providers + 1;
        let employer = rng.range(1, self.employers as i64) as u64;
        let tutor = rng.range(1, TUTORS_PER_PROVIDER as i64) as u64;
        let colleague = tutor % TUTORS_PER_PROVIDER + 1;
        let mentor = rng.range(1, MENTORS_PER_EMPLOYER as i64) as u64;
        let months = *rng.pick(&[18i64, 24, 24, 24, 30]);
        let duration_days = months * 365 / 12;
        let elapsed = 0.03 + rng.unit() * 1.12;
        let elapsed_days = ((elapsed * duration_days as f64) as i64).max(10);
        let today = self.anchor.date_naive();
        let start_date = today - Duration::days(elapsed_days);
        let lead = Duration::days(rng.range(1, 21));
        let created_at = working_time(&mut rng, start_date - lead);
        let (first, last) = text::person(&mut rng);
        let provider_id = ids::id(Kind::ProviderOrg, self.seed, provider);
        let apprentice = Person {
            id: ids::id(Kind::Apprentice, self.seed, k),
            email: format!("{}.{k}@{}", text::local_part(first, last), self.domain()),
            name: format!("{first} {last}"),
            role: "apprentice",
            organisation_id: Some(ids::id(Kind::EmployerOrg, self.seed, employer)),
            created_by_organisation_id: Some(provider_id),
        };
        let plan = Plan {
            k,
            numbers: (provider, tutor, employer, mentor),
            id: ids::id(Kind::Apprenticeship, self.seed, k),
            apprentice,
            provider_id,
            employer_id: ids::id(Kind::EmployerOrg, self.seed, employer),
            tutor_id: ids::id(Kind::Tutor, self.seed, ids::staff_number(provider, tutor)),
            colleague_id: ids::id(
                Kind::Tutor,
                self.seed,
                ids::staff_number(provider, colleague),
            ),
            mentor_id: ids::id(Kind::Mentor, self.seed, ids::staff_number(employer, mentor)),
            start_date,
            expected_end_date: start_date + Duration::days(duration_days),
            created_at,
            elapsed: elapsed_days as f64 / duration_days as f64,
            duration_days,
        };
        (plan, rng)
    }
}
