/**
 * Employer: KSBs with accepted evidence waiting for workplace sign-off, grouped by apprentice.
 * Each KSB shows its code, its full statement and the accepted evidence behind it (title, type,
 * date, a link), so the mentor knows what they are asked to confirm before opening it. The
 * mentor selects several KSBs of one apprentice (or all of them) and signs them off together
 * on one page with one confirmation.
 */
import { useState, type SubmitEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { ListScope, SignoffQueueItem } from '../../api/types';
import { useUser } from '../../auth/AuthContext';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { EvidenceLinks } from '../../components/EvidenceLinks';
import { Checkbox } from '../../components/Fields';
import { Body, Cell, ColumnHeader, Head, Row, RowHeader, Table } from '../../components/Table';
import { ScopeSwitch, whose } from '../../components/ScopeSwitch';
import { EmptyState, QueryView } from '../../components/QueryState';
import { useSignoffQueue } from '../../hooks/queries';
import { bulkSignoffPath } from '../../lib/signoff';

const LIMIT = 25;

function KsbTable({ item, canSignOff, selected, toggle }: { item: SignoffQueueItem; canSignOff: boolean; selected: string[]; toggle: (code: string) => void }) {
  const name = item.apprentice.name;
  return (
    <Table responsive caption={<span className="nhsuk-u-visually-hidden">KSBs waiting for sign-off for {name}</span>}>
      <Head>
        {canSignOff && <ColumnHeader>Select</ColumnHeader>}
        <ColumnHeader>KSB</ColumnHeader>
        <ColumnHeader>Statement</ColumnHeader>
        <ColumnHeader>Accepted evidence</ColumnHeader>
        <ColumnHeader>
          <span className="nhsuk-u-visually-hidden">Action</span>
        </ColumnHeader>
      </Head>
      <Body>
        {item.waiting.map((ksb) => (
          <Row key={ksb.code} data-ksb={ksb.code}>
            {canSignOff && (
              <Cell heading="Select">
                <span className="nhsuk-checkboxes nhsuk-checkboxes--small">
                  <Checkbox
                    id={`select-${item.apprenticeship_id}-${ksb.code}`}
                    label={
                      <>
                        <span className="nhsuk-u-visually-hidden">Select </span>
                        {ksb.code}
                        <span className="nhsuk-u-visually-hidden"> of {name}</span>
                      </>
                    }
                    checked={selected.includes(ksb.code)}
                    onChange={() => toggle(ksb.code)}
                  />
                </span>
              </Cell>
            )}
            <RowHeader heading="KSB">{ksb.code}</RowHeader>
            <Cell heading="Statement">{ksb.text}</Cell>
            <Cell heading="Accepted evidence">
              {ksb.evidence.length === 0 ? (
                'None listed'
              ) : (
                <EvidenceLinks items={ksb.evidence} className="nhsuk-list nhsuk-u-margin-bottom-0" />
              )}
            </Cell>
            <Cell heading="Action">
              <Link to={`/apprenticeships/${item.apprenticeship_id}/ksbs/${ksb.code}`}>
                {canSignOff ? `Sign off ${ksb.code}` : `Open ${ksb.code}`}{' '}
                <span className="nhsuk-u-visually-hidden">for {name}</span>
              </Link>
            </Cell>
          </Row>
        ))}
      </Body>
    </Table>
  );
}

function ApprenticeGroup({ item, canSignOff }: { item: SignoffQueueItem; canSignOff: boolean }) {
  const name = item.apprentice.name;
  const headingId = `signoff-${item.apprenticeship_id}`;
  const count = item.waiting.length;
  const navigate = useNavigate();
  const [selected, setSelected] = useState<string[]>([]);
  const [missing, setMissing] = useState(false);
  const errorId = `signoff-select-error-${item.apprenticeship_id}`;
  const toggle = (code: string) => {
    setMissing(false);
    setSelected((now) => (now.includes(code) ? now.filter((c) => c !== code) : [...now, code]));
  };
  function signOffSelected(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (selected.length === 0) {
      setMissing(true);
      return;
    }
    // In the queue's (standard) order, whatever order they were ticked in.
    const codes = item.waiting.map((k) => k.code).filter((c) => selected.includes(c));
    void navigate(bulkSignoffPath(item.apprenticeship_id, codes));
  }
  const table = <KsbTable item={item} canSignOff={canSignOff} selected={selected} toggle={toggle} />;
  return (
    <section className="nhsuk-u-margin-bottom-7" aria-labelledby={headingId} data-apprenticeship={item.apprenticeship_id}>
      <h2 className="nhsuk-heading-m nhsuk-u-margin-bottom-2" id={headingId}>
        {name}
      </h2>
      <p className="nhsuk-body-s">
        {count} KSB{count === 1 ? '' : 's'} waiting. <Link to={`/apprenticeships/${item.apprenticeship_id}`}>See {name}’s portfolio</Link>
      </p>
      {canSignOff && count > 1 && (
        <p>
          <Link to={bulkSignoffPath(item.apprenticeship_id, item.waiting.map((k) => k.code))}>
            Sign off all {count} KSBs <span className="nhsuk-u-visually-hidden">of {name}</span> together
          </Link>
        </p>
      )}
      {canSignOff ? (
        <form onSubmit={signOffSelected} noValidate>
          <div className={`nhsuk-form-group${missing ? ' nhsuk-form-group--error' : ''}`}>
            {missing && (
              <span className="nhsuk-error-message" id={errorId} role="alert">
                <span className="nhsuk-u-visually-hidden">Error:</span> Select at least one of {name}’s KSBs to sign off
              </span>
            )}
            {table}
          </div>
          <button className="nhsuk-button nhsuk-button--secondary" type="submit" aria-describedby={missing ? errorId : undefined}>
            Sign off the selected KSBs <span className="nhsuk-u-visually-hidden">of {name}</span>
          </button>
        </form>
      ) : (
        table
      )}
    </section>
  );
}

export default function SignoffQueuePage() {
  const [offset, setOffset] = useState(0);
  const [scope, setScope] = useState<ListScope>('mine');
  const query = useSignoffQueue({ scope, limit: LIMIT, offset });
  // Administrators see the queue; only the apprenticeship's own mentor may sign off (403 otherwise).
  const canSignOff = useUser().role === 'employer';
  return (
    <>
      <PageHeading title="Sign-off queue" />
      <p>KSBs whose evidence the training provider has accepted, waiting for workplace sign-off. Check the statement and the evidence, then open a KSB to sign it off, or select several of one apprentice’s KSBs to sign them off together.</p>
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
              <div data-testid="signoff-queue">
                {page.items.map((item) => (
                  <ApprenticeGroup key={item.apprenticeship_id} item={item} canSignOff={canSignOff} />
                ))}
              </div>
              <Pagination total={page.total} limit={page.limit || LIMIT} offset={page.offset} onChange={setOffset} />
            </>
          )
        }
      </QueryView>
    </>
  );
}
