#!/usr/bin/env node
// A throw-away, in-memory stand-in for the ksbfolio backend, for frontend work and for trying
// the e2e story before the real server exists. It follows the API contract loosely and is NOT
// the source of truth: the Rust backend is. Serves dist/ with an SPA fallback.
//
//   npm run build && node e2e/mock-server.mjs        # listens on 127.0.0.1:8181
//   KSBFOLIO_E2E_URL=http://127.0.0.1:8181 KSBFOLIO_E2E_ADMIN_EMAIL=admin@ksbfolio.test \
//     KSBFOLIO_E2E_ADMIN_PASSWORD=admin-password-123 npm run e2e
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const PORT = Number(process.env.PORT ?? 8181);
const DIST = new URL('../dist/', import.meta.url).pathname;
const STANDARD_FILE = new URL('../../data/standards/ST0220.json', import.meta.url).pathname;

const standard = existsSync(STANDARD_FILE)
  ? JSON.parse(readFileSync(STANDARD_FILE, 'utf8'))
  : {
      reference: 'ST0220', title: 'Healthcare science practitioner', level: 6, version: '1.1',
      mapping: { status: 'provisional', note: 'Provisional mapping (mock).' },
      duties: Array.from({ length: 10 }, (_, i) => ({ code: `D${i + 1}`, text: `Duty ${i + 1}`, ksbs: i === 1 ? ['K5', 'S7'] : [] })),
      ksbs: [
        ...Array.from({ length: 44 }, (_, i) => ({ code: `K${i + 1}`, kind: 'knowledge', text: `Knowledge ${i + 1}` })),
        ...Array.from({ length: 44 }, (_, i) => ({ code: `S${i + 1}`, kind: 'skill', text: `Skill ${i + 1}` })),
        ...Array.from({ length: 6 }, (_, i) => ({ code: `B${i + 1}`, kind: 'behaviour', text: `Behaviour ${i + 1}` })),
      ],
    };

const now = () => new Date().toISOString();
const db = { orgs: [], users: [], apprenticeships: [], evidence: [], signoffs: [], comments: [], attachments: [], revisions: [] };
const tokens = new Map(); // access → user id
const refresh = new Map(); // refresh → user id
db.users.push({
  id: randomUUID(), email: process.env.MOCK_ADMIN_EMAIL ?? 'admin@ksbfolio.test', name: 'Ada Admin', role: 'admin',
  organisation_id: null, active: true, password: process.env.MOCK_ADMIN_PASSWORD ?? 'admin-password-123',
});

class Problem extends Error {
  constructor(status, code, detail, errors) { super(detail); Object.assign(this, { status, code, detail, errors }); }
}
const publicUser = ({ password: _p, ...u }) => u;
const ref = (u) => ({ id: u.id, name: u.name });
const byId = (list, id) => list.find((x) => x.id === id);
const page = (items, q) => {
  const limit = Number(q.get('limit') ?? 50);
  const offset = Number(q.get('offset') ?? 0);
  return { items: items.slice(offset, offset + limit), total: items.length, limit, offset };
};
const NHS_NUMBER = /\b\d{3}\s?\d{3}\s?\d{4}\b/;

function issue(user) {
  const access = randomUUID();
  const refreshToken = randomUUID();
  tokens.set(access, user.id);
  refresh.set(refreshToken, user.id);
  return { access_token: access, token_type: 'Bearer', expires_in: 900, refresh_token: refreshToken, user: publicUser(user) };
}

function apprenticeshipView(a) {
  const u = (id) => byId(db.users, id);
  const o = (id) => byId(db.orgs, id);
  return {
    id: a.id, standard: 'ST0220', start_date: a.start_date, expected_end_date: a.expected_end_date, created_at: a.created_at,
    apprentice: { ...ref(u(a.apprentice_id)), email: u(a.apprentice_id).email },
    employer: ref(o(a.employer_id)), provider: ref(o(a.provider_id)), mentor: ref(u(a.mentor_id)), tutor: ref(u(a.tutor_id)),
  };
}

function canSee(user, a) {
  if (user.role === 'admin') return true;
  if (user.role === 'apprentice') return a.apprentice_id === user.id;
  if (user.role === 'employer') return a.mentor_id === user.id || a.employer_id === user.organisation_id;
  return a.tutor_id === user.id || a.provider_id === user.organisation_id;
}

function apprenticeshipFor(user, id) {
  const a = byId(db.apprenticeships, id);
  if (!a || !canSee(user, a)) throw new Problem(404, 'not_found', 'No such apprenticeship.');
  return a;
}

function evidenceFor(user, id) {
  const e = byId(db.evidence, id);
  if (!e) throw new Problem(404, 'not_found', 'No such evidence.');
  apprenticeshipFor(user, e.apprenticeship_id);
  return e;
}

const etag = (e) => `"${createHash('sha1').update(`${e.id}:${e.version}`).digest('hex').slice(0, 16)}"`;
function evidenceView(e) {
  const reviews = e.reviews.map((r) => ({ ...r, reviewer: ref(byId(db.users, r.reviewer_id)) }));
  const latest = reviews.at(-1);
  const { version: _v, reviews: _r, ...rest } = e;
  return { ...rest, reviews, feedback: latest?.feedback ?? null };
}

function coverage(a) {
  const activeSignoffs = db.signoffs.filter((s) => s.apprenticeship_id === a.id && !s.revoked_at);
  const evidence = db.evidence.filter((e) => e.apprenticeship_id === a.id && e.status !== 'withdrawn');
  const ksbs = standard.ksbs.map((k) => {
    const mine = evidence.filter((e) => e.ksbs.includes(k.code));
    const count = (s) => mine.filter((e) => e.status === s).length;
    const counts = { draft: count('draft'), submitted: count('submitted'), accepted: count('accepted'), changes_requested: count('changes_requested') };
    const signoff = activeSignoffs.find((s) => s.ksb === k.code);
    const status = signoff ? 'signed_off' : counts.accepted ? 'evidenced' : mine.length ? 'in_progress' : 'not_started';
    return { code: k.code, kind: k.kind, status, evidence: counts, signed_off_at: signoff?.created_at ?? null, signed_off_by: signoff ? ref(byId(db.users, signoff.by)) : null };
  });
  const tally = (codes) => {
    const t = { not_started: 0, in_progress: 0, evidenced: 0, signed_off: 0 };
    for (const c of codes) t[ksbs.find((k) => k.code === c).status] += 1;
    return t;
  };
  const duties = standard.duties.map((d) => {
    const t = tally(d.ksbs);
    const n = d.ksbs.length || 1;
    return { code: d.code, text: d.text, ksbs: d.ksbs, ...t, percent_evidenced: ((t.evidenced + t.signed_off) / n) * 100, percent_signed_off: (t.signed_off / n) * 100 };
  });
  return { apprenticeship_id: a.id, standard: 'ST0220', totals: { ksbs: ksbs.length, ...tally(ksbs.map((k) => k.code)) }, duties, ksbs };
}

function require(body, fields) {
  const errors = fields.filter((f) => body?.[f] === undefined || body[f] === '' || (Array.isArray(body[f]) && body[f].length === 0)).map((field) => ({ field, message: `Enter ${field.replace(/_/g, ' ')}` }));
  if (errors.length) throw new Problem(422, 'validation_failed', 'Some details need correcting.', errors);
}

function checkEvidenceText(body) {
  for (const f of ['title', 'description']) {
    if (typeof body[f] === 'string' && NHS_NUMBER.test(body[f])) {
      throw new Problem(422, 'nhs_number_detected', 'The text contains what looks like an NHS number. Remove it before saving.', [{ field: f, message: 'Remove the NHS number' }]);
    }
  }
  for (const code of body.ksbs ?? []) {
    if (!standard.ksbs.some((k) => k.code === code)) throw new Problem(422, 'validation_failed', 'Unknown KSB.', [{ field: 'ksbs', message: `${code} is not a KSB of ST0220` }]);
  }
}

function revise(e, user) {
  db.revisions.push({ id: randomUUID(), evidence_id: e.id, title: e.title, ksbs: [...e.ksbs], status: e.status, created_at: now(), author: ref(user) });
}

const routes = [];
const route = (method, pattern, handler) => routes.push({ method, re: new RegExp(`^${pattern.replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`), handler });

route('POST', '/auth/login', ({ body }) => {
  const user = db.users.find((u) => u.email === body?.email && u.password === body?.password && u.active);
  if (!user) throw new Problem(401, 'invalid_credentials', 'The email address or password is not right.');
  return issue(user);
}, false);
route('POST', '/auth/refresh', ({ body }) => {
  const id = refresh.get(body?.refresh_token);
  if (!id) throw new Problem(401, 'invalid_refresh_token', 'Sign in again.');
  refresh.delete(body.refresh_token);
  return issue(byId(db.users, id));
});
route('POST', '/auth/logout', ({ body }) => { refresh.delete(body?.refresh_token); return null; });
route('GET', '/me', ({ user }) => publicUser(user));
route('GET', '/standards', () => ({ items: [{ reference: standard.reference, title: standard.title, level: standard.level, version: standard.version }], total: 1, limit: 50, offset: 0 }));
route('GET', '/standards/ST0220', () => standard);
route('GET', '/organisations', ({ q }) => page(db.orgs, q));
route('POST', '/organisations', ({ body }) => { require(body, ['name', 'kind']); const o = { id: randomUUID(), name: body.name, kind: body.kind, created_at: now() }; db.orgs.push(o); return [201, o]; });
route('GET', '/users', ({ q }) => page(db.users.filter((u) => (!q.get('role') || u.role === q.get('role')) && (!q.get('organisation_id') || u.organisation_id === q.get('organisation_id'))).map(publicUser), q));
route('POST', '/users', ({ body }) => {
  require(body, ['email', 'name', 'role', 'password']);
  if (db.users.some((u) => u.email === body.email)) throw new Problem(409, 'email_taken', 'That email address is already used.', [{ field: 'email', message: 'That email address is already used' }]);
  const u = { id: randomUUID(), active: true, ...body }; db.users.push(u); return [201, publicUser(u)];
});
route('PATCH', '/users/:id', ({ params, body }) => { const u = byId(db.users, params.id); if (!u) throw new Problem(404, 'not_found', 'No such user.'); Object.assign(u, { active: body.active }); return publicUser(u); });
route('GET', '/apprenticeships', ({ user, q }) => page(db.apprenticeships.filter((a) => canSee(user, a)).map(apprenticeshipView), q));
route('POST', '/apprenticeships', ({ body }) => {
  require(body, ['apprentice_id', 'employer_id', 'provider_id', 'mentor_id', 'tutor_id', 'start_date', 'expected_end_date']);
  const a = { id: randomUUID(), created_at: now(), ...body }; db.apprenticeships.push(a); return [201, apprenticeshipView(a)];
});
route('GET', '/apprenticeships/:id', ({ user, params }) => apprenticeshipView(apprenticeshipFor(user, params.id)));
route('GET', '/apprenticeships/:id/coverage', ({ user, params }) => coverage(apprenticeshipFor(user, params.id)));
route('GET', '/apprenticeships/:id/evidence', ({ user, params, q }) => {
  apprenticeshipFor(user, params.id);
  const list = db.evidence.filter((e) => e.apprenticeship_id === params.id && (!q.get('status') || e.status === q.get('status')) && (!q.get('kind') || e.kind === q.get('kind')) && (!q.get('ksb') || e.ksbs.includes(q.get('ksb'))));
  return page(list.map(evidenceView), q);
});
route('POST', '/apprenticeships/:id/evidence', ({ user, params, body }) => {
  const a = apprenticeshipFor(user, params.id);
  if (a.apprentice_id !== user.id) throw new Problem(403, 'forbidden', 'Only the apprentice adds evidence.');
  require(body, ['title', 'description', 'kind', 'occurred_on', 'ksbs']);
  checkEvidenceText(body);
  const e = { id: randomUUID(), apprenticeship_id: a.id, title: body.title, description: body.description, kind: body.kind, occurred_on: body.occurred_on, ksbs: body.ksbs, status: 'draft', created_at: now(), updated_at: now(), version: 1, reviews: [] };
  db.evidence.push(e); revise(e, user);
  return [201, evidenceView(e)];
});
route('GET', '/evidence/:id', ({ user, params }) => { const e = evidenceFor(user, params.id); return [200, evidenceView(e), { etag: etag(e) }]; });
route('PATCH', '/evidence/:id', ({ user, params, body, headers }) => {
  const e = evidenceFor(user, params.id);
  if (!headers['if-match']) throw new Problem(428, 'precondition_required', 'Send If-Match with the ETag.');
  if (headers['if-match'] !== etag(e)) throw new Problem(412, 'precondition_failed', 'The evidence changed since you read it.');
  if (!['draft', 'changes_requested'].includes(e.status)) throw new Problem(409, 'invalid_transition', 'This evidence cannot be edited now.');
  checkEvidenceText(body);
  for (const f of ['title', 'description', 'kind', 'occurred_on', 'ksbs']) if (body[f] !== undefined) e[f] = body[f];
  e.version += 1; e.updated_at = now(); revise(e, user);
  return [200, evidenceView(e), { etag: etag(e) }];
});
route('DELETE', '/evidence/:id', ({ user, params }) => {
  const e = evidenceFor(user, params.id);
  if (e.status !== 'draft') throw new Problem(409, 'invalid_transition', 'Only drafts can be deleted.');
  db.evidence = db.evidence.filter((x) => x !== e); return null;
});
const transition = (from, to) => ({ user, params, body }) => {
  const e = evidenceFor(user, params.id);
  if (!from.includes(e.status)) throw new Problem(409, 'invalid_transition', `Evidence that is ${e.status} cannot become ${to}.`);
  if (to === 'withdrawn' && !body?.reason) throw new Problem(422, 'validation_failed', 'Give a reason.', [{ field: 'reason', message: 'Enter a reason' }]);
  e.status = to; e.version += 1; e.updated_at = now(); if (to === 'submitted') e.submitted_at = now(); revise(e, user);
  return evidenceView(e);
};
route('POST', '/evidence/:id/submit', transition(['draft', 'changes_requested'], 'submitted'));
route('POST', '/evidence/:id/withdraw', transition(['submitted'], 'withdrawn'));
route('POST', '/evidence/:id/review', ({ user, params, body }) => {
  if (user.role !== 'provider') throw new Problem(403, 'forbidden', 'Only the training provider reviews evidence.');
  const e = evidenceFor(user, params.id);
  if (e.status !== 'submitted') throw new Problem(409, 'invalid_transition', 'Only submitted evidence can be reviewed.');
  if (body.decision === 'changes_requested' && !body.feedback) throw new Problem(422, 'validation_failed', 'Feedback is required.', [{ field: 'feedback', message: 'Enter feedback' }]);
  e.reviews.push({ decision: body.decision, feedback: body.feedback ?? '', reviewer_id: user.id, created_at: now() });
  e.status = body.decision; e.version += 1; e.updated_at = now(); revise(e, user);
  return evidenceView(e);
});
route('GET', '/evidence/:id/revisions', ({ user, params }) => { evidenceFor(user, params.id); return db.revisions.filter((r) => r.evidence_id === params.id); });
route('GET', '/evidence/:id/comments', ({ user, params, q }) => { evidenceFor(user, params.id); return page(db.comments.filter((c) => c.evidence_id === params.id), q); });
route('POST', '/evidence/:id/comments', ({ user, params, body }) => { evidenceFor(user, params.id); require(body, ['body']); const c = { id: randomUUID(), evidence_id: params.id, body: body.body, author: ref(user), created_at: now() }; db.comments.push(c); return [201, c]; });
route('GET', '/evidence/:id/attachments', ({ user, params }) => { evidenceFor(user, params.id); return db.attachments.filter((x) => x.evidence_id === params.id).map(({ evidence_id: _e, bytes: _b, ...a }) => a); });
route('POST', '/evidence/:id/attachments', ({ user, params, raw, headers }) => {
  evidenceFor(user, params.id);
  const text = raw.toString('latin1');
  const filename = /filename="([^"]+)"/.exec(text)?.[1] ?? 'upload.bin';
  const type = /Content-Type: ([^\r\n]+)/i.exec(text.split('\r\n\r\n')[0] ?? '')?.[1] ?? 'application/octet-stream';
  const boundary = /boundary=(.+)$/.exec(headers['content-type'] ?? '')?.[1] ?? '';
  const start = text.indexOf('\r\n\r\n') + 4;
  const end = text.lastIndexOf(`\r\n--${boundary}`);
  const bytes = raw.subarray(start, end > start ? end : raw.length);
  const a = { id: randomUUID(), evidence_id: params.id, filename, content_type: type, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), created_at: now(), bytes };
  db.attachments.push(a); const { bytes: _b, evidence_id: _e, ...view } = a; return [201, view];
});
route('GET', '/evidence/:id/attachments/:aid', ({ user, params }) => {
  evidenceFor(user, params.id);
  const a = db.attachments.find((x) => x.id === params.aid && x.evidence_id === params.id);
  if (!a) throw new Problem(404, 'not_found', 'No such attachment.');
  return { file: a };
});
route('GET', '/apprenticeships/:id/signoffs', ({ user, params, q }) => { apprenticeshipFor(user, params.id); return page(db.signoffs.filter((s) => s.apprenticeship_id === params.id).map(({ by, ...s }) => ({ ...s, signed_off_by: ref(byId(db.users, by)) })), q); });
route('POST', '/apprenticeships/:id/signoffs', ({ user, params, body }) => {
  const a = apprenticeshipFor(user, params.id);
  if (user.role !== 'employer') throw new Problem(403, 'forbidden', 'Only the workplace mentor signs off.');
  require(body, ['ksb', 'comment']);
  if (db.signoffs.some((s) => s.apprenticeship_id === a.id && s.ksb === body.ksb && !s.revoked_at)) throw new Problem(409, 'already_signed_off', `${body.ksb} is already signed off.`);
  const s = { id: randomUUID(), apprenticeship_id: a.id, ksb: body.ksb, comment: body.comment, by: user.id, created_at: now(), revoked_at: null, revoked_reason: null };
  db.signoffs.push(s); const { by, ...view } = s; return [201, { ...view, signed_off_by: ref(byId(db.users, by)) }];
});
route('POST', '/apprenticeships/:id/signoffs/:sid/revoke', ({ user, params, body }) => {
  apprenticeshipFor(user, params.id); require(body, ['reason']);
  const s = byId(db.signoffs, params.sid); Object.assign(s, { revoked_at: now(), revoked_reason: body.reason });
  const { by, ...view } = s; return { ...view, signed_off_by: ref(byId(db.users, by)) };
});
route('GET', '/review-queue', ({ user, q }) => page(db.evidence.filter((e) => e.status === 'submitted' && canSee(user, byId(db.apprenticeships, e.apprenticeship_id))).sort((a, b) => a.submitted_at.localeCompare(b.submitted_at)).map((e) => {
  const a = byId(db.apprenticeships, e.apprenticeship_id);
  return { evidence_id: e.id, title: e.title, kind: e.kind, ksbs: e.ksbs, submitted_at: e.submitted_at, apprenticeship_id: a.id, apprentice: ref(byId(db.users, a.apprentice_id)) };
}), q));
route('GET', '/signoff-queue', ({ user, q }) => page(db.apprenticeships.filter((a) => canSee(user, a)).map((a) => ({
  apprenticeship_id: a.id, apprentice: ref(byId(db.users, a.apprentice_id)), ksbs: coverage(a).ksbs.filter((k) => k.status === 'evidenced').map((k) => k.code),
})).filter((x) => x.ksbs.length > 0), q));
route('GET', '/caseload', ({ user, q }) => {
  const rows = db.apprenticeships.filter((a) => canSee(user, a)).map((a) => {
    const c = coverage(a);
    const times = db.evidence.filter((e) => e.apprenticeship_id === a.id).map((e) => e.updated_at).sort();
    return { apprenticeship_id: a.id, apprentice: ref(byId(db.users, a.apprentice_id)), start_date: a.start_date, expected_end_date: a.expected_end_date, totals: c.totals, duties: c.duties.map(({ code, percent_evidenced, percent_signed_off }) => ({ code, percent_evidenced, percent_signed_off })), last_activity_at: times.at(-1) ?? null };
  });
  rows.sort((x, y) => (x.totals.signed_off - y.totals.signed_off) * (q.get('sort') === '-progress' ? -1 : 1));
  return page(rows, q);
});

function serveStatic(req, res) {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = join(DIST, path);
  if (!file.startsWith(DIST) || !existsSync(file) || path.endsWith('/')) file = join(DIST, 'index.html');
  if (!existsSync(file)) { res.writeHead(503).end('Run npm run build first.'); return; }
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.map': 'application/json' };
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
}

createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const raw = Buffer.concat(chunks);
  const url = new URL(req.url, 'http://x');
  if (!url.pathname.startsWith('/api/v1/')) return serveStatic(req, res);
  const path = url.pathname.slice('/api/v1'.length);
  const send = (status, body, headers = {}) => {
    const isProblem = status >= 400;
    res.writeHead(status, { 'content-type': isProblem ? 'application/problem+json' : 'application/json', ...headers });
    res.end(body === null ? undefined : JSON.stringify(body));
  };
  try {
    const match = routes.map((r) => ({ r, m: r.method === req.method && r.re.exec(path) })).find((x) => x.m);
    if (!match) throw new Problem(404, 'not_found', `No route for ${req.method} ${path}.`);
    let user = null;
    const open = ['/auth/login', '/auth/refresh', '/auth/logout'].includes(path);
    if (!open) {
      const id = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      user = id ? byId(db.users, id) : null;
      if (!user) throw new Problem(401, 'unauthorized', 'Sign in to continue.');
    }
    const json = (req.headers['content-type'] ?? '').includes('json') && raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    const out = await match.r.handler({ user, params: match.m.groups ?? {}, q: url.searchParams, body: json ?? {}, raw, headers: req.headers });
    if (out === null) { res.writeHead(204).end(); return; }
    if (out?.file) {
      res.writeHead(200, { 'content-type': out.file.content_type, 'content-disposition': `attachment; filename="${out.file.filename}"` }).end(out.file.bytes);
      return;
    }
    const [status, body, headers] = Array.isArray(out) && typeof out[0] === 'number' ? out : [200, out, {}];
    send(status, body, headers);
  } catch (e) {
    if (e instanceof Problem) send(e.status, { type: `urn:ksbfolio:problem:${e.code}`, title: e.code, status: e.status, detail: e.detail, code: e.code, ...(e.errors ? { errors: e.errors } : {}) });
    else { console.error(e); send(500, { type: 'about:blank', title: 'Internal', status: 500, detail: 'Mock server error', code: 'internal' }); }
  }
}).listen(PORT, '127.0.0.1', () => console.log(`mock ksbfolio API + dist on http://127.0.0.1:${PORT}`));
