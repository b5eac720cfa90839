/** Small, realistic test data shaped like the API's answers. */
import type { Apprenticeship, Coverage, DutyCoverage, KsbStatus, Standard, TokenResponse, User } from '../api/types';

const DUTY_KSBS: Record<string, string[]> = {
  D1: ['K1', 'K2', 'K3', 'K4', 'S1', 'S2', 'S3', 'S4', 'B1', 'B2'],
  D2: ['K5', 'K6', 'K7', 'K8', 'K9', 'K10', 'S5', 'S6', 'S7', 'S8', 'S9', 'S10', 'B6'],
};

function dutiesOf(code: string): string[] {
  return Object.entries(DUTY_KSBS).flatMap(([duty, list]) => (list.includes(code) ? [duty] : []));
}

/** ST0220 as imported; `version` names another imported version of it. */
export function makeStandard(version = '1.1'): Standard {
  const ksbs: Standard['ksbs'] = [];
  const add = (code: string, kind: Standard['ksbs'][number]['kind'], text: string) =>
    ksbs.push({ code, kind, text, duties: dutiesOf(code) });
  for (let i = 1; i <= 44; i++) add(`K${i}`, 'knowledge', `Knowledge statement number ${i}`);
  for (let i = 1; i <= 44; i++) add(`S${i}`, 'skill', `Skill statement number ${i}`);
  for (let i = 1; i <= 6; i++) add(`B${i}`, 'behaviour', `Behaviour statement number ${i}`);
  const s7 = ksbs.find((k) => k.code === 'S7');
  if (s7) s7.text = 'Perform quality control and calibration of equipment';
  const k1 = ksbs.find((k) => k.code === 'K1');
  if (k1) k1.text = 'The legislation, standard operating procedures and codes of conduct that apply to own role';
  return {
    reference: 'ST0220',
    title: 'Healthcare science associate',
    level: 4,
    version,
    source: null,
    mapping: {
      status: 'provisional',
      note: 'The duty-to-KSB links are provisional.',
      source: 'data/standards/ST0220.json',
      updated_at: '2026-01-01T00:00:00Z',
    },
    duties: Object.entries(DUTY_KSBS).map(([code, list]) => ({ code, text: `Duty ${code} text`, ksbs: list })),
    ksbs,
  };
}

/** Ada's ST0220 apprenticeship (a1), on the version the fixtures' standard has unless told. */
export function makeApprenticeship(overrides: Partial<Apprenticeship> = {}): Apprenticeship {
  return {
    id: 'a1',
    apprentice_id: 'u-app',
    apprentice: { id: 'u-app', name: 'Ada Apprentice', email: 'ada@example.nhs.uk' },
    standard: 'ST0220',
    standard_version: '1.1',
    employer_id: 'o-emp',
    provider_id: 'o-pro',
    mentor_id: 'u-men',
    tutor_id: 'u-tut',
    start_date: '2025-09-01',
    expected_end_date: '2027-08-31',
    rpl_reduction_hours: 0,
    version: 1,
    created_at: '2025-09-01T09:00:00Z',
    review_state: 'on_time',
    unsigned_reviews: 0,
    unsigned_overdue: false,
    on_break: false,
    status: 'active',
    ...overrides,
  };
}

export function dutyCoverage(code: string, counts: Partial<Record<KsbStatus, number>>): DutyCoverage {
  const c = { signed_off: 0, evidenced: 0, in_progress: 0, not_started: 0, ...counts };
  const total = c.signed_off + c.evidenced + c.in_progress + c.not_started;
  return {
    code,
    text: `Duty ${code} text`,
    ksbs: total,
    ...c,
    percent_evidenced: total ? ((c.signed_off + c.evidenced) / total) * 100 : 0,
    percent_signed_off: total ? (c.signed_off / total) * 100 : 0,
  };
}

export function makeCoverage(statuses: Record<string, KsbStatus> = {}): Coverage {
  const standard = makeStandard();
  const ksbs = standard.ksbs.map((k) => ({
    code: k.code,
    kind: k.kind,
    status: statuses[k.code] ?? 'not_started',
    evidence: { draft: 0, submitted: 0, accepted: 0, changes_requested: 0 },
    signed_off_at: null,
    signed_off_by: null,
  }));
  return {
    apprenticeship_id: 'a1',
    standard: 'ST0220',
    standard_version: '1.1',
    mapping: { status: 'provisional', note: 'The duty-to-KSB links are provisional.' },
    totals: { ksbs: 94, not_started: 94, in_progress: 0, evidenced: 0, signed_off: 0 },
    duties: [dutyCoverage('D1', { not_started: 10 }), dutyCoverage('D2', { not_started: 13 })],
    ksbs,
  };
}

export const apprenticeUser: User = {
  id: 'u-app',
  email: 'ada@example.nhs.uk',
  name: 'Ada Apprentice',
  role: 'apprentice',
  organisation_id: 'org-emp',
  active: true,
  created_at: '2026-01-01T00:00:00Z',
};

export function tokens(overrides: Partial<TokenResponse> = {}): TokenResponse {
  return {
    access_token: 'access-1',
    token_type: 'Bearer',
    expires_in: 900,
    refresh_token: 'refresh-1',
    user: apprenticeUser,
    ...overrides,
  };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function problem(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ status, ...body }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

/** Ada's apprenticeship `a1` as `GET /apprenticeships/a1` answers it (the fields pages read). */
export const adaApprenticeship = {
  id: 'a1',
  apprentice_id: 'p1',
  apprentice: { id: 'p1', name: 'Ada Apprentice' },
  standard: 'ST0220',
  standard_version: '1.1',
  employer_id: 'o',
  provider_id: 'pr',
  mentor_id: 'm',
  tutor_id: 't',
  start_date: '2025-09-01',
  expected_end_date: '2027-08-31',
  created_at: '2025-09-01T09:00:00Z',
};
