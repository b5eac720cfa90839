// A large portfolio for the performance budget, built only through the public API:
// `count` evidence items spread over every KSB of ST0220, most of them submitted, many accepted,
// some sent back, and a few KSBs signed off, so that coverage has every status to compute.
import { Api, seedStory } from './api.mjs';

/** Run `task(i)` for i in 0…n-1, at most `width` at a time. */
async function pool(n, width, task) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next;
      next += 1;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, n) }, worker));
}

const KINDS = ['observation', 'witness_testimony', 'reflective_account', 'work_product', 'professional_discussion'];

export async function seedPortfolio(baseUrl, adminEmail, adminPassword, count = 300) {
  const seed = await seedStory(baseUrl, adminEmail, adminPassword);
  const as = async (person) => {
    const api = new Api(baseUrl);
    await api.login(person.email, person.password);
    return api;
  };
  const apprentice = await as(seed.apprentice);
  const tutor = await as(seed.tutor);
  const mentor = await as(seed.mentor);

  const standard = await apprentice.call('GET', '/standards/ST0220');
  const codes = standard.ksbs.map((k) => k.code);
  const day = 86_400_000;
  const started = Date.parse(seed.apprenticeship.start_date);
  const items = new Array(count);

  // Evidence i covers two KSBs, walking the whole standard; dates spread over the months so far.
  await pool(count, 4, async (i) => {
    const ksbs = [...new Set([codes[i % codes.length], codes[(i * 7 + 3) % codes.length]])];
    const occurred = new Date(started + ((i * 37) % 170) * day).toISOString().slice(0, 10);
    items[i] = await apprentice.call(
      'POST',
      `/apprenticeships/${seed.apprenticeship.id}/evidence`,
      {
        title: `Portfolio item ${i + 1}: ${ksbs.join(' and ')}`,
        description: `Evidence ${i + 1} of ${count}, written to measure the progress page with a full portfolio.`,
        kind: KINDS[i % KINDS.length],
        occurred_on: occurred,
        ksbs,
      },
      { 'Idempotency-Key': `${seed.run}-portfolio-${i}` },
    );
  });
  // Four in five are submitted; of those, the tutor accepts half and sends a quarter back.
  const submitted = items.filter((_, i) => i % 5 !== 0);
  await pool(submitted.length, 4, async (j) => {
    await apprentice.call('POST', `/evidence/${submitted[j].id}/submit`);
    if (j % 4 < 2) {
      await tutor.call('POST', `/evidence/${submitted[j].id}/review`, { decision: 'accepted', feedback: 'Accepted.' });
    } else if (j % 4 === 2) {
      await tutor.call('POST', `/evidence/${submitted[j].id}/review`, { decision: 'changes_requested', feedback: 'Add more detail.' });
    }
  });
  // The mentor signs off up to twenty of the KSBs that now have accepted evidence.
  const queue = await mentor.call('GET', '/signoff-queue?limit=200');
  const ready = queue.items.find((q) => q.apprenticeship_id === seed.apprenticeship.id)?.ksbs ?? [];
  for (const ksb of ready.slice(0, 20)) {
    await mentor.call('POST', `/apprenticeships/${seed.apprenticeship.id}/signoffs`, { ksb, comment: 'Seen at work.' });
  }
  const list = await apprentice.call('GET', `/apprenticeships/${seed.apprenticeship.id}/evidence?limit=1`);
  if (list.total !== count) throw new Error(`expected ${count} evidence items, the API lists ${list.total}`);
  const coverage = await apprentice.call('GET', `/apprenticeships/${seed.apprenticeship.id}/coverage`);
  return { ...seed, evidenceCount: list.total, totals: coverage.totals };
}
