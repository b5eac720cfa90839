//! The words of the demo data: people, organisations, and what a Healthcare Science Associate
//! writes about their work. Plain English, no patient details and no long digit runs (the NHS
//! number guard would refuse them through the API, so the demo data does not hold them either).

use super::rng::Rng;

const FIRST: &[&str] = &[
    "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Ivy", "Muhammad",
    "Freya", "Leo", "Grace", "Harry", "Aisha", "Jack", "Priya", "Oscar", "Zara", "Theo", "Chloe",
    "Kwame", "Ella", "Tomasz", "Sophie", "Ravi", "Niamh", "Callum", "Fatima", "Dylan", "Hannah",
    "Rhys", "Amara", "Ethan", "Lily", "Yusuf", "Megan", "Kai", "Ruby", "Owen",
];

const LAST: &[&str] = &[
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Khan", "Wood", "Jackson", "Clarke", "Ahmed", "Hughes", "Edwards", "Lewis", "Okafor", "Nowak",
    "Murphy", "Campbell", "Singh", "Kaur", "Price", "Morgan", "Begum", "Mensah", "Reid", "Ali",
];

const PLACES: &[&str] = &[
    "Ashford",
    "Barnsley",
    "Bedford",
    "Bolton",
    "Bradford",
    "Brighton",
    "Bristol",
    "Cambridge",
    "Carlisle",
    "Chester",
    "Colchester",
    "Coventry",
    "Derby",
    "Doncaster",
    "Dudley",
    "Durham",
    "Exeter",
    "Gateshead",
    "Gloucester",
    "Harrogate",
    "Hull",
    "Ipswich",
    "Kendal",
    "Lancaster",
    "Leeds",
    "Leicester",
    "Lincoln",
    "Luton",
    "Maidstone",
    "Norwich",
    "Nottingham",
    "Oldham",
    "Oxford",
    "Plymouth",
    "Preston",
    "Reading",
    "Salford",
    "Sheffield",
    "Stockport",
    "Sunderland",
    "Swindon",
    "Taunton",
    "Truro",
    "Wakefield",
    "Warrington",
    "Wigan",
    "Worcester",
    "York",
];

const PROVIDER_KINDS: &[&str] = &[
    "College of Healthcare Science",
    "Health Sciences Academy",
    "University Technical College",
    "School of Life Sciences",
    "Training Partnership",
];

const EMPLOYER_KINDS: &[&str] = &[
    "Teaching Hospitals NHS Foundation Trust",
    "NHS Foundation Trust",
    "Hospitals NHS Trust",
    "Pathology Partnership",
    "Community Diagnostic Centre",
];

fn one(rng: &mut Rng, list: &'static [&'static str]) -> &'static str {
    list[rng.below(list.len() as u64) as usize]
}

/// A person's first and last name.
pub fn person(rng: &mut Rng) -> (&'static str, &'static str) {
    (one(rng, FIRST), one(rng, LAST))
}

/// An e-mail-safe lower-case form of a name.
pub fn local_part(first: &str, last: &str) -> String {
    format!("{}.{}", first.to_lowercase(), last.to_lowercase())
}

/// Organisation names are unique within a seed by their number; the seed tag keeps two seeds
/// apart in one database (names are unique whatever their case).
pub fn provider_name(number: u64, seed: u64) -> String {
    let place = PLACES[(number as usize - 1) % PLACES.len()];
    let kind = PROVIDER_KINDS[(number as usize - 1) / PLACES.len() % PROVIDER_KINDS.len()];
    format!("{place} {kind} {number} (demo {seed})")
}

pub fn employer_name(number: u64, seed: u64) -> String {
    let place = PLACES[(number as usize * 7 + 3) % PLACES.len()];
    let kind = EMPLOYER_KINDS[(number as usize - 1) % EMPLOYER_KINDS.len()];
    format!("{place} {kind} {number} (demo {seed})")
}

const ACTIVITIES: &[&str] = &[
    "Calibrated the blood gas analyser before the morning run",
    "Ran internal quality control on the haematology analyser",
    "Processed urgent samples from the emergency department",
    "Recorded a resting 12-lead ECG in outpatients",
    "Set up a 24-hour ambulatory blood pressure monitor",
    "Performed spirometry with reversibility testing",
    "Checked and restocked the phlebotomy trolley",
    "Investigated a haemolysed sample with the duty scientist",
    "Completed a COSHH assessment for a new reagent",
    "Took part in the external quality assessment round",
    "Handed over the analyser maintenance log to the late shift",
    "Supported an audiology hearing screen clinic",
    "Prepared media and plated cultures in microbiology",
    "Updated a standard operating procedure after a change in method",
    "Explained a test procedure to an anxious patient",
    "Presented a case at the departmental teaching session",
    "Logged and followed up a non-conformance report",
    "Shadowed the point-of-care testing coordinator on a ward audit",
    "Performed a daily radiation safety check in nuclear medicine",
    "Reviewed my caseload of blood film requests with the senior scientist",
    "Helped train a new starter on sample reception",
    "Completed mandatory information governance training",
    "Checked reagent lot numbers and expiry dates at stock take",
    "Took part in a fire evacuation drill for the laboratory",
];

const CONTEXT: &[&str] = &[
    "This took place during a busy Monday shift with two staff off sick.",
    "I was working under the supervision of a registered clinical scientist.",
    "The department had recently changed to a new analyser platform.",
    "It was my first time doing this without direct supervision.",
    "My mentor had asked me to take the lead on this task for the week.",
    "This was part of the rotation plan agreed at my last progress review.",
];

const ACTIONS: &[&str] = &[
    "I followed the standard operating procedure step by step and recorded each result.",
    "I checked the results against the acceptance limits before releasing anything.",
    "I escalated an unexpected result to the duty scientist straight away.",
    "I documented what I did in the laboratory information system.",
    "I made sure the patient's identity was confirmed before starting.",
    "I cleaned down the work area and disposed of waste in the right streams.",
    "I asked for feedback from the senior staff who observed me.",
];

const LEARNING: &[&str] = &[
    "I learned why the order of checks matters when time is short.",
    "Next time I will prepare the consumables before the session starts.",
    "I now understand how quality control links to patient safety.",
    "Reflecting on it, I would communicate the delay to the ward sooner.",
    "It showed me the limits of my own competence and when to ask for help.",
    "I want to practise this again so that I become more confident.",
];

const CHANGES: &[&str] = &[
    "Please say more about what you would do differently next time.",
    "Link this more clearly to the KSBs you have chosen; the behaviour is not shown yet.",
    "Add the witness statement from your mentor before resubmitting.",
    "The account describes the task but not your own role in it; please expand.",
    "Remove the ward name and any detail that could identify the patient.",
];

const PRAISE: &[&str] = &[
    "",
    "",
    "Good, clear account with honest reflection.",
    "Well evidenced; this covers the criteria.",
    "Accepted. Nice link between practice and theory.",
];

const COMMENTS: &[&str] = &[
    "I have added the photo of the maintenance log to the attachments.",
    "Thanks, I will talk this through at our next one-to-one.",
    "Can you check the SOP version you quote? It was updated last month.",
    "Great work on this, the ward sister mentioned it too.",
    "I was there for this one and can confirm it happened as described.",
    "Please remember to keep patient details out of the description.",
];

const WITHDRAWN: &[&str] = &[
    "Logged against the wrong apprenticeship period.",
    "Duplicate of an earlier entry.",
    "Replaced by a fuller reflective account.",
];

const REVOKED: &[&str] = &[
    "Signed off by mistake before the observation was complete.",
    "Needs a further observation after the change of rotation.",
];

pub const EDIT_NOTE: &str = " I have added more detail after reading my notes again.";
pub const FEEDBACK_NOTE: &str = " Updated in response to the reviewer's feedback.";

pub fn title(rng: &mut Rng) -> &'static str {
    one(rng, ACTIVITIES)
}

/// Three to five sentences, ending with the KSBs it shows.
pub fn description(rng: &mut Rng, codes: &[&str]) -> String {
    let mut text = String::with_capacity(480);
    text.push_str(one(rng, CONTEXT));
    text.push(' ');
    text.push_str(one(rng, ACTIONS));
    if rng.chance(0.6) {
        text.push(' ');
        text.push_str(one(rng, ACTIONS));
    }
    text.push(' ');
    text.push_str(one(rng, LEARNING));
    text.push_str(" This shows ");
    text.push_str(&codes.join(", "));
    text.push('.');
    text
}

pub fn changes_feedback(rng: &mut Rng) -> &'static str {
    one(rng, CHANGES)
}

pub fn praise(rng: &mut Rng) -> &'static str {
    one(rng, PRAISE)
}

pub fn comment(rng: &mut Rng) -> &'static str {
    one(rng, COMMENTS)
}

pub fn withdrawal_reason(rng: &mut Rng) -> &'static str {
    one(rng, WITHDRAWN)
}

pub fn revocation_reason(rng: &mut Rng) -> &'static str {
    one(rng, REVOKED)
}
