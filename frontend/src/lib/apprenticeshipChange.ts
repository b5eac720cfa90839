/**
 * The "Change the apprenticeship" form's rules: the off-the-job floor as the funding rules set
 * it (the server's `domain::otj::floor_hours`, said in words for the hint), what the form's
 * fields must hold before anything is sent, and the PATCH body of only what changed.
 */
import type { Apprenticeship, ApprenticeshipUpdate } from '../api/types';

/** The funding rules' least number of planned off-the-job hours, whatever the standard says. */
export const FUNDED_MINIMUM_HOURS = 187;

/** The most hours a plan or a reduction may be (as the server checks). */
export const MAX_PLAN_HOURS = 20_000;

/** The least a plan may be: the standard's published minimum less prior learning, never below 187. */
export function floorHours(minimum: number | null | undefined, rpl: number): number {
  if (minimum === null || minimum === undefined) return FUNDED_MINIMUM_HOURS;
  return Math.max(FUNDED_MINIMUM_HOURS, minimum - rpl);
}

/** The floor and why, as a sentence for the hint under the planned hours. */
export function floorText(minimum: number | null | undefined, rpl: number): string {
  const floor = floorHours(minimum, rpl);
  if (minimum === null || minimum === undefined) {
    return `At least ${floor} hours: the standard publishes no minimum, and the funding rules require at least ${FUNDED_MINIMUM_HOURS} hours of off-the-job training.`;
  }
  if (minimum - rpl > FUNDED_MINIMUM_HOURS) {
    return `At least ${floor} hours: the standard's published minimum of ${minimum} hours less ${rpl} hours of recognised prior learning.`;
  }
  return `At least ${floor} hours: the funding rules never allow fewer than ${FUNDED_MINIMUM_HOURS}, even though the standard's minimum of ${minimum} hours less ${rpl} hours of recognised prior learning would be ${minimum - rpl}.`;
}

/** What the form holds: text as typed. */
export interface ChangeDraft {
  planned_otj_hours: string;
  rpl_reduction_hours: string;
  mentor_id: string;
  tutor_id: string;
  expected_end_date: string;
}

export function draftOf(a: Apprenticeship): ChangeDraft {
  return {
    planned_otj_hours: a.planned_otj_hours === null || a.planned_otj_hours === undefined ? '' : String(a.planned_otj_hours),
    rpl_reduction_hours: String(a.rpl_reduction_hours),
    mentor_id: a.mentor_id,
    tutor_id: a.tutor_id,
    expected_end_date: a.expected_end_date,
  };
}

function wholeHours(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

/**
 * The form's own checks, by API field name: whole numbers within range, a date after the
 * start. The floor itself is left to the server, whose message says the floor and why.
 */
export function validateChange(draft: ChangeDraft, current: Apprenticeship): Record<string, string> {
  const errors: Record<string, string> = {};
  const planned = draft.planned_otj_hours.trim();
  if (planned === '') {
    if (current.planned_otj_hours !== null && current.planned_otj_hours !== undefined) {
      errors.planned_otj_hours = 'Enter the planned off-the-job hours; a plan can be changed but not removed';
    }
  } else if (wholeHours(planned) === null) {
    errors.planned_otj_hours = 'Enter the planned off-the-job hours as a whole number, like 400';
  } else if ((wholeHours(planned) ?? 0) > MAX_PLAN_HOURS) {
    errors.planned_otj_hours = `Enter at most ${MAX_PLAN_HOURS.toLocaleString('en-GB')} planned hours`;
  }
  const rpl = wholeHours(draft.rpl_reduction_hours);
  if (rpl === null) errors.rpl_reduction_hours = 'Enter the hours of recognised prior learning as a whole number, or 0';
  else if (rpl > MAX_PLAN_HOURS) errors.rpl_reduction_hours = `Enter at most ${MAX_PLAN_HOURS.toLocaleString('en-GB')} hours of recognised prior learning`;
  if (draft.mentor_id === '') errors.mentor_id = 'Choose the workplace mentor';
  if (draft.tutor_id === '') errors.tutor_id = 'Choose the tutor';
  if (draft.expected_end_date === '') errors.expected_end_date = 'Enter the expected end date';
  else if (draft.expected_end_date <= current.start_date) errors.expected_end_date = 'The expected end date must be after the start date';
  return errors;
}

/** The PATCH body: only the fields that differ from the apprenticeship as loaded. */
export function changesOf(draft: ChangeDraft, current: Apprenticeship): ApprenticeshipUpdate {
  const changes: ApprenticeshipUpdate = {};
  const planned = wholeHours(draft.planned_otj_hours);
  if (planned !== null && planned !== current.planned_otj_hours) changes.planned_otj_hours = planned;
  const rpl = wholeHours(draft.rpl_reduction_hours);
  if (rpl !== null && rpl !== current.rpl_reduction_hours) changes.rpl_reduction_hours = rpl;
  if (draft.mentor_id !== current.mentor_id) changes.mentor_id = draft.mentor_id;
  if (draft.tutor_id !== current.tutor_id) changes.tutor_id = draft.tutor_id;
  if (draft.expected_end_date !== current.expected_end_date) changes.expected_end_date = draft.expected_end_date;
  return changes;
}
