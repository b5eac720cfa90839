import { QueryClient, type QueryKey } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { invalidate, keys } from './keys';

/** A cache holding one fresh answer for each key, as pages leave it. */
function cacheWith(queryKeys: QueryKey[]): QueryClient {
  const client = new QueryClient();
  for (const key of queryKeys) client.setQueryData(key, { cached: true });
  return client;
}

function staleOnes(client: QueryClient, queryKeys: QueryKey[]): QueryKey[] {
  return queryKeys.filter((key) => client.getQueryState(key)?.isInvalidated === true);
}

const caseload = keys.caseload('progress', 'mine');
const caseloadOrganisation = keys.caseload('-progress', 'organisation');
const reviewQueue = keys.reviewQueue({ scope: 'mine', limit: 25, offset: 0 });
const signoffQueue = keys.signoffQueue({ scope: 'organisation' });
const otjQueue = keys.otjQueue({});
const inbox = keys.inbox({ limit: 50 });

describe('invalidate.evidence', () => {
  it('leaves neither the caseload, any queue nor the inbox stale after an evidence change', async () => {
    const touched = [
      keys.evidence('e1'),
      keys.revisions('e1'),
      keys.attachments('e1'),
      keys.evidenceList('a1', { status: 'submitted', limit: 25 }),
      keys.evidenceList('a1', {}),
      keys.coverage('a1'),
      reviewQueue,
      signoffQueue,
      caseload,
      caseloadOrganisation,
      inbox,
    ];
    const untouched = [keys.evidence('e2'), keys.comments('e1'), keys.coverage('a2'), keys.users({}), keys.otj('a1'), otjQueue];
    const client = cacheWith([...touched, ...untouched]);
    await invalidate.evidence(client, { apprenticeshipId: 'a1', evidenceId: 'e1' });
    expect(staleOnes(client, touched)).toEqual(touched);
    expect(staleOnes(client, untouched)).toEqual([]);
  });

  it('marks the lists, coverage, queues and caseload when the evidence itself is gone', async () => {
    const touched = [keys.evidenceList('a1', {}), keys.coverage('a1'), reviewQueue, signoffQueue, caseload];
    const client = cacheWith([...touched, keys.evidence('e1')]);
    await invalidate.evidence(client, { apprenticeshipId: 'a1' });
    expect(staleOnes(client, touched)).toEqual(touched);
  });
});

describe('the other resources', () => {
  it('a sign-off marks the sign-offs, coverage, the sign-off queue, the caseload and the inbox', async () => {
    const touched = [keys.signoffs('a1'), keys.coverage('a1'), signoffQueue, caseload, inbox];
    const client = cacheWith([...touched, reviewQueue, keys.signoffs('a2')]);
    await invalidate.signoffs(client, 'a1');
    expect(staleOnes(client, [...touched, reviewQueue, keys.signoffs('a2')])).toEqual(touched);
  });

  it('off-the-job time marks the entries, the summary, the queue, the caseload and the inbox', async () => {
    const touched = [keys.otj('a1'), keys.otjSummary('a1'), otjQueue, caseload, inbox];
    const client = cacheWith([...touched, keys.coverage('a1')]);
    await invalidate.otj(client, 'a1');
    expect(staleOnes(client, [...touched, keys.coverage('a1')])).toEqual(touched);
  });

  it('a progress review marks the reviews, open reviews, the apprenticeship, the caseload and the inbox', async () => {
    const touched = [keys.reviews('a1'), keys.review('r1'), keys.apprenticeship('a1'), caseload, inbox];
    const client = cacheWith([...touched, keys.apprenticeship('a2')]);
    await invalidate.reviews(client, 'a1');
    expect(staleOnes(client, [...touched, keys.apprenticeship('a2')])).toEqual(touched);
  });

  it('a comment marks only its thread', async () => {
    const client = cacheWith([keys.comments('e1'), keys.evidence('e1'), caseload, inbox]);
    await invalidate.comments(client, 'e1');
    expect(staleOnes(client, [keys.comments('e1'), keys.evidence('e1'), caseload, inbox])).toEqual([keys.comments('e1')]);
  });

  it('users, organisations and enrolments mark every list and picker of theirs', async () => {
    const users = [keys.users({ q: 'ada' }), keys.allUsers('apprentice')];
    const enrolments = [keys.apprenticeships({ limit: 100 }), caseload];
    const client = cacheWith([...users, ...enrolments, keys.organisations()]);
    await invalidate.users(client);
    await invalidate.organisations(client);
    await invalidate.apprenticeships(client);
    expect(staleOnes(client, [...users, ...enrolments, keys.organisations()])).toEqual([...users, ...enrolments, keys.organisations()]);
  });
});

describe('invalidate.apprenticeship and invalidate.breaks', () => {
  it('marks the apprenticeship (and its change form), its OTJ summary, the lists, the caseload and the inbox after a change', async () => {
    const touched = [keys.apprenticeship('a1'), keys.apprenticeshipForChange('a1'), keys.otjSummary('a1'), keys.gateway('a1'), keys.apprenticeships({ limit: 50 }), caseload, caseloadOrganisation, inbox];
    const untouched = [keys.apprenticeship('a2'), keys.breaks('a1'), keys.reviews('a1'), keys.coverage('a1')];
    const client = cacheWith([...touched, ...untouched]);
    await invalidate.apprenticeship(client, 'a1');
    expect(staleOnes(client, touched)).toEqual(touched);
    expect(staleOnes(client, untouched)).toEqual([]);
  });

  it('marks the breaks and everything a break moves (deadline, expected end, expected time) after a break starts or ends', async () => {
    const touched = [keys.breaks('a1'), keys.apprenticeship('a1'), keys.otjSummary('a1'), caseload, inbox];
    const untouched = [keys.breaks('a2'), keys.coverage('a1'), keys.otj('a1')];
    const client = cacheWith([...touched, ...untouched]);
    await invalidate.breaks(client, 'a1');
    expect(staleOnes(client, touched)).toEqual(touched);
    expect(staleOnes(client, untouched)).toEqual([]);
  });
});
