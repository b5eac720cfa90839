//! `GET /api/v1/schemas/portfolio.json`: the JSON Schema (draft 2020-12) of `portfolio.json`,
//! made from the same types the export serialises, so the two cannot drift apart.

use actix_web::{HttpResponse, get};
use serde_json::{Value, json};
use utoipa::{PartialSchema, ToSchema};

use super::{FORMAT, PortfolioExport};

/// Rewrites OpenAPI component references into the schema's own `$defs`.
fn local_refs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref")
                && let Some(name) = target.strip_prefix("#/components/schemas/")
            {
                *target = format!("#/$defs/{name}");
            }
            map.values_mut().for_each(local_refs);
        }
        Value::Array(items) => items.iter_mut().for_each(local_refs),
        _ => {}
    }
}

/// The schema document.
pub fn portfolio_schema() -> Value {
    let mut components = Vec::new();
    <PortfolioExport as ToSchema>::schemas(&mut components);
    let mut defs = serde_json::Map::new();
    for (name, schema) in components {
        defs.insert(name, serde_json::to_value(schema).unwrap_or(Value::Null));
    }
    let mut root = serde_json::to_value(PortfolioExport::schema()).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut root {
        map.insert(
            "$schema".into(),
            "https://json-schema.org/draft/2020-12/schema".into(),
        );
        map.insert("$id".into(), "/api/v1/schemas/portfolio.json".into());
        map.insert(
            "title".into(),
            format!("ksbfolio portfolio export ({FORMAT})").into(),
        );
        map.insert("$defs".into(), Value::Object(defs));
    }
    local_refs(&mut root);
    root
}

/// The JSON Schema of `portfolio.json` in the portfolio export. Public: it describes a format.
#[utoipa::path(
    tag = "portfolio",
    responses((status = 200, description = "a JSON Schema (draft 2020-12)", content_type = "application/schema+json")),
)]
#[get("/schemas/portfolio.json")]
pub async fn get_portfolio_schema() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/schema+json")
        .json(json!(portfolio_schema()))
}
