// Set-up through the public API as the seeded admin: organisations, people, an apprenticeship.
import { randomUUID } from 'node:crypto';

export class Api {
  constructor(baseUrl) {
    this.base = `${baseUrl.replace(/\/$/, '')}/api/v1`;
    this.token = null;
  }

  async call(method, path, body, headers = {}) {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      throw new Error(`${method} ${path} → ${response.status}: ${data?.detail ?? text}`);
    }
    return data;
  }

  async login(email, password) {
    const tokens = await this.call('POST', '/auth/login', { email, password });
    this.token = tokens.access_token;
    return tokens.user;
  }
}

/**
 * Creates a provider and an employer, a tutor, a mentor and an apprentice, and enrols the
 * apprentice on ST0220 (started 180 days ago), with names unique to this run.
 */
export async function seedStory(baseUrl, adminEmail, adminPassword) {
  const api = new Api(baseUrl);
  await api.login(adminEmail, adminPassword);
  const run = randomUUID().slice(0, 8);
  const password = `E2e-${randomUUID()}`;

  const provider = await api.call('POST', '/organisations', { name: `E2E College ${run}`, kind: 'provider' });
  const employer = await api.call('POST', '/organisations', { name: `E2E Hospital Trust ${run}`, kind: 'employer' });

  const person = async (role, name, organisation) => {
    const email = `${role}.${run}@e2e.ksbfolio.test`;
    const user = await api.call('POST', '/users', { email, name, role, organisation_id: organisation.id, password });
    return { ...user, email, password };
  };
  const tutor = await person('provider', `Tess Tutor ${run}`, provider);
  const mentor = await person('employer', `Mo Mentor ${run}`, employer);
  const apprentice = await person('apprentice', `Ada Apprentice ${run}`, employer);

  const today = new Date();
  const start = new Date(today.getTime() - 180 * 86_400_000).toISOString().slice(0, 10);
  const end = new Date(today.getTime() + 540 * 86_400_000).toISOString().slice(0, 10);
  const apprenticeship = await api.call('POST', '/apprenticeships', {
    apprentice_id: apprentice.id,
    standard: 'ST0220',
    employer_id: employer.id,
    provider_id: provider.id,
    mentor_id: mentor.id,
    tutor_id: tutor.id,
    start_date: start,
    expected_end_date: end,
  });
  return { run, provider, employer, tutor, mentor, apprentice, apprenticeship };
}
