//! Apprenticeships: one file per verb (`create`, `list`, `get`, `update`), the response
//! (`response`), and the checks creating and updating share (the OTJ plan, each party's standing).

pub mod create;
pub mod get;
pub mod list;
pub mod response;
pub mod update;

use uuid::Uuid;

use crate::db::users;
use crate::domain::identity::Role;
use crate::domain::otj;
use crate::error::FieldError;

/// Checks an OTJ plan: bounds, and the funding rules' floor (`domain::otj::check_plan`),
/// which names `planned_otj_hours` and says the floor and why.
pub fn plan_errors(
    planned_otj_hours: Option<i32>,
    rpl_reduction_hours: i32,
    minimum_otj_hours: Option<i32>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let max = otj::MAX_PLAN_HOURS;
    if !(0..=max).contains(&rpl_reduction_hours) {
        errors.push(FieldError::new(
            "rpl_reduction_hours",
            format!("must be between 0 and {max}"),
        ));
    } else if let Some(planned) = planned_otj_hours {
        if planned > max {
            errors.push(FieldError::new(
                "planned_otj_hours",
                format!("must be at most {max} hours"),
            ));
        } else if let Err(below) = otj::check_plan(planned, rpl_reduction_hours, minimum_otj_hours)
        {
            errors.push(FieldError::new("planned_otj_hours", below.0));
        }
    }
    errors
}

/// Whether `user` is active, of `role`, in `organisation`: what every party must be.
pub fn is_active_member(user: Option<&users::User>, role: Role, organisation: Uuid) -> bool {
    user.is_some_and(|u| {
        u.role == role.as_str() && u.organisation_id == Some(organisation) && u.active
    })
}
