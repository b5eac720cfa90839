//! The two file shapes a standard arrives in, turned into a [`StandardDocument`]
//! ([`StandardDocument::from_json`] reads either, then validates the whole).

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use super::standard::{
    DocumentErrors, DutyDoc, KsbDoc, KsbKind, Mapping, MappingStatus, StandardDocument,
};

impl StandardDocument {
    /// Reads either file shape; `source_name` is recorded as the provenance of the links.
    pub fn from_json(json: &str, source_name: &str) -> Result<Self, DocumentErrors> {
        let value: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| DocumentErrors(vec![format!("the file is not valid JSON: {e}")]))?;
        let document = if value.get("referenceNumber").is_some() {
            from_skills_england(value, source_name)?
        } else {
            from_native(value, source_name)?
        };
        document.validate()?;
        Ok(document)
    }
}

fn shape_error(shape: &str, e: serde_json::Error) -> DocumentErrors {
    DocumentErrors(vec![format!("the file is not in the {shape} shape: {e}")])
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NativeMapping {
    status: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
struct NativeDuty {
    code: String,
    text: String,
    ksbs: Vec<String>,
}

#[derive(Deserialize)]
struct NativeKsb {
    code: String,
    kind: String,
    text: String,
}

#[derive(Deserialize)]
struct NativeFile {
    reference: String,
    title: String,
    version: String,
    level: i32,
    source: Option<String>,
    mapping: Option<NativeMapping>,
    #[serde(default)]
    minimum_otj_hours: Option<i32>,
    duties: Vec<NativeDuty>,
    ksbs: Vec<NativeKsb>,
}

/// ksbfolio's own shape (`data/standards/*.json`). Without a `mapping` block the links are taken
/// as provisional: only a file that says so is treated as the official record.
pub fn from_native(value: Value, source_name: &str) -> Result<StandardDocument, DocumentErrors> {
    let file: NativeFile =
        serde_json::from_value(value).map_err(|e| shape_error("ksbfolio standard", e))?;
    let mut errors = Vec::new();
    let status = match &file.mapping {
        None => MappingStatus::Provisional,
        Some(m) => MappingStatus::parse(&m.status).unwrap_or_else(|| {
            errors.push(format!(
                "mapping.status `{}` is neither provisional nor official",
                m.status
            ));
            MappingStatus::Provisional
        }),
    };
    let ksbs = file
        .ksbs
        .into_iter()
        .filter_map(|k| match KsbKind::parse(&k.kind) {
            Some(kind) => Some(KsbDoc {
                code: k.code,
                kind,
                text: k.text,
            }),
            None => {
                errors.push(format!(
                    "KSB {} has kind `{}`, not knowledge, skill or behaviour",
                    k.code, k.kind
                ));
                None
            }
        })
        .collect();
    if !errors.is_empty() {
        return Err(DocumentErrors(errors));
    }
    Ok(StandardDocument {
        reference: file.reference,
        version: file.version,
        title: file.title,
        level: file.level,
        source: file.source,
        minimum_otj_hours: file.minimum_otj_hours,
        mapping: Mapping {
            status,
            note: file.mapping.map(|m| m.note).unwrap_or_default(),
            source: source_name.to_string(),
        },
        duties: file
            .duties
            .into_iter()
            .map(|d| DutyDoc {
                code: d.code,
                text: d.text,
                ksbs: d.ksbs,
            })
            .collect(),
        ksbs,
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeKnowledge {
    knowledge_id: String,
    detail: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeSkill {
    skill_id: String,
    detail: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeBehaviour {
    behaviour_id: String,
    detail: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeDuty {
    #[serde(rename = "dutyID")]
    duty_id: String,
    duty_detail: String,
    #[serde(default)]
    mapped_knowledge: Vec<String>,
    #[serde(default)]
    mapped_skills: Vec<String>,
    #[serde(default)]
    mapped_behaviour: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeFile {
    reference_number: String,
    title: String,
    version: String,
    level: i32,
    /// The standard's published minimum of off-the-job training hours, where the record
    /// carries one (records published before per-standard minimums carry none).
    #[serde(default)]
    minimum_otj_hours: Option<i32>,
    #[serde(default)]
    knowledges: Vec<SeKnowledge>,
    #[serde(default)]
    skills: Vec<SeSkill>,
    #[serde(default)]
    behaviours: Vec<SeBehaviour>,
    duties: Vec<SeDuty>,
}

/// The Skills England (IfATE) API shape. Codes K1…, S1…, B1…, D1… follow list order; duties refer
/// to KSBs by id. This is the published record, so its links are official.
pub fn from_skills_england(
    value: Value,
    source_name: &str,
) -> Result<StandardDocument, DocumentErrors> {
    let file: SeFile =
        serde_json::from_value(value).map_err(|e| shape_error("Skills England API", e))?;
    let mut errors = Vec::new();
    let mut ksbs = Vec::new();
    let mut by_id: HashMap<String, String> = HashMap::new();
    let mut add = |id: String, kind: KsbKind, prefix: char, n: usize, text: String| {
        let code = format!("{prefix}{n}");
        if by_id.insert(id.clone(), code.clone()).is_some() {
            errors.push(format!("id {id} is used by more than one KSB"));
        }
        ksbs.push(KsbDoc { code, kind, text });
    };
    for (i, k) in file.knowledges.into_iter().enumerate() {
        add(k.knowledge_id, KsbKind::Knowledge, 'K', i + 1, k.detail);
    }
    for (i, s) in file.skills.into_iter().enumerate() {
        add(s.skill_id, KsbKind::Skill, 'S', i + 1, s.detail);
    }
    for (i, b) in file.behaviours.into_iter().enumerate() {
        add(b.behaviour_id, KsbKind::Behaviour, 'B', i + 1, b.detail);
    }

    let duties = file
        .duties
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let code = format!("D{}", i + 1);
            let ksbs = d
                .mapped_knowledge
                .iter()
                .chain(&d.mapped_skills)
                .chain(&d.mapped_behaviour)
                .filter_map(|id| match by_id.get(id) {
                    Some(code) => Some(code.clone()),
                    None => {
                        errors.push(format!("duty {code} ({}) maps unknown id {id}", d.duty_id));
                        None
                    }
                })
                .collect();
            DutyDoc {
                code,
                text: d.duty_detail,
                ksbs,
            }
        })
        .collect();
    if !errors.is_empty() {
        return Err(DocumentErrors(errors));
    }
    Ok(StandardDocument {
        reference: file.reference_number,
        version: file.version,
        title: file.title,
        level: file.level,
        source: None,
        minimum_otj_hours: file.minimum_otj_hours,
        mapping: Mapping {
            status: MappingStatus::Official,
            note: "Duty-to-KSB links imported from the published Skills England record.".into(),
            source: source_name.to_string(),
        },
        duties,
        ksbs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../tests/fixtures/ST0220-skills-england-format.json");
    const NATIVE: &str = include_str!("../../data/standards/ST0220.json");

    #[test]
    fn the_skills_england_sample_reads_as_the_same_ksbs_as_the_bundled_file() {
        let se = StandardDocument::from_json(SAMPLE, "sample").expect("valid");
        let native = StandardDocument::from_json(NATIVE, "bundled").expect("valid");
        assert_eq!(se.ksbs, native.ksbs);
        assert_eq!(se.mapping.status, MappingStatus::Official);
        assert_eq!(se.duties.len(), 10);
    }

    #[test]
    fn a_skills_england_record_carries_its_minimum_of_otj_hours_when_it_has_one() {
        let mut value: Value = serde_json::from_str(SAMPLE).expect("json");
        let without = from_skills_england(value.clone(), "sample.json").expect("reads");
        assert_eq!(without.minimum_otj_hours, None);
        value["minimumOtjHours"] = Value::from(408);
        let with = from_skills_england(value, "sample.json").expect("reads");
        assert_eq!(with.minimum_otj_hours, Some(408));
    }

    #[test]
    fn an_unknown_id_in_a_skills_england_duty_is_named() {
        let mut value: Value = serde_json::from_str(SAMPLE).expect("json");
        value["duties"][2]["mappedSkills"]
            .as_array_mut()
            .expect("array")
            .push("not-an-id".into());
        let errors = from_skills_england(value, "sample").expect_err("refused");
        assert_eq!(errors.0.len(), 1);
        assert!(errors.0[0].starts_with("duty D3"));
        assert!(errors.0[0].ends_with("maps unknown id not-an-id"));
    }
}
