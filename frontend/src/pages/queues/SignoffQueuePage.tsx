/** Employer: KSBs with accepted evidence that are waiting for workplace sign-off. */
import { useState } from 'react';
import type { ListScope } from '../../api/types';
import { Link } from 'react-router';
import { useUser } from '../../auth/AuthContext';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { ScopeSwitch, whose } from '../../components/ScopeSwitch';
import { EmptyState, QueryView } from '../../components/QueryState';
import { useSignoffQueue } from '../../hooks/queries';

const LIMIT = 25;

export default function SignoffQueuePage() {
  const [offset, setOffset] = useState(0);
  const [scope, setScope] = useState<ListScope>('mine');
  const query = useSignoffQueue({ scope, limit: LIMIT, offset });
  // Administrators see the queue; only the apprentice's employer may sign off (403 otherwise).
  const canSignOff = useUser().role === 'employer';
  return (
    <>
      <PageHeading title="Sign-off queue" />
      <p>KSBs whose evidence the training provider has accepted, waiting for you to sign them off.</p>
      {canSignOff && (
        <ScopeSwitch
          id="signoff-scope"
          value={scope}
          onChange={(s) => { setScope(s); setOffset(0); }}
          mineLabel="Apprentices I mentor"
          organisationLabel="Everyone at my employer"
        />
      )}
      <QueryView query={query} label="Loading the sign-off queue">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Nothing is waiting for sign-off.</EmptyState>
          ) : (
            <>
              {canSignOff && <p className="nhsuk-body-s">KSBs waiting: {whose(page.total, 'apprentices', scope)}.</p>}
              <ul className="nhsuk-list" data-testid="signoff-queue">
                {page.items.map((item) => (
                  <li key={item.apprenticeship_id} className="nhsuk-u-margin-bottom-5">
                    <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-2">
                      <Link to={`/apprenticeships/${item.apprenticeship_id}`}>{item.apprentice.name}</Link>
                    </h2>
                    <ul className="nhsuk-list app-inline-actions" aria-label={`KSBs to sign off for ${item.apprentice.name}`}>
                      {item.ksbs.map((code) => (
                        <li key={code}>
                          <Link to={`/apprenticeships/${item.apprenticeship_id}/ksbs/${code}`}>{canSignOff ? `Sign off ${code}` : code}</Link>
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
              <Pagination total={page.total} limit={page.limit || LIMIT} offset={page.offset} onChange={setOffset} />
            </>
          )
        }
      </QueryView>
    </>
  );
}
