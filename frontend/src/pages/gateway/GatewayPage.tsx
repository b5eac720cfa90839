/**
 * The gateway of one apprenticeship: the readiness checklist (each unmet check says what is
 * missing and links to where it is done), the declarations in their order with who has
 * declared, English and maths for provider staff, the withdrawal of a declaration, and the
 * downloads of the end-point assessment pack (PDF) and the whole portfolio (ZIP).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Link, useParams } from 'react-router';
import { declareGateway, downloadPortfolio, putEnglishMaths, withdrawGateway, type PortfolioFormat } from '../../api/gateway';
import {
  FUNCTIONAL_SKILL_STATUSES,
  type FunctionalSkillStatus,
  type Gateway,
  type GatewayCheck,
  type GatewayCheckCode,
  type GatewayState,
  type ReviewParty,
} from '../../api/types';
import { useUser } from '../../auth/AuthContext';
import { Confirmation } from '../../components/Confirmation';
import { ErrorSummary, fieldError } from '../../components/ErrorSummary';
import { Select, Textarea } from '../../components/Fields';
import { PageHeading } from '../../components/PageHeading';
import { QueryView } from '../../components/QueryState';
import { invalidate, useGateway } from '../../hooks/queries';
import { formatDate, formatDateTime } from '../../lib/format';
import { PARTY_LABELS } from '../../lib/reviews';
import { signingRole } from '../reviews/ReviewsPage';

export const CHECK_LABELS: Record<GatewayCheckCode, string> = {
  all_ksbs_evidenced: 'Every KSB has accepted evidence',
  skills_behaviours_signed_off: 'The employer has signed off every skill and behaviour',
  otj_plan_met: 'The planned off-the-job training is approved',
  reviews_current: 'Progress reviews are up to date and signed',
  english_maths: 'English and maths are achieved or exempt',
};

const STATE_LABELS: Record<GatewayState, string> = {
  on_programme: 'On programme',
  ready: 'Ready for gateway',
  declared: 'At gateway',
};

const SKILL_LABELS: Record<FunctionalSkillStatus, string> = {
  pending: 'Pending',
  achieved: 'Achieved',
  exempt: 'Exempt',
};

/** Where an unmet check is put right. */
function fixLink(code: GatewayCheckCode, apprenticeshipId: string): { to: string; text: string } | null {
  switch (code) {
    case 'all_ksbs_evidenced':
    case 'skills_behaviours_signed_off':
      return { to: `/apprenticeships/${apprenticeshipId}`, text: 'See progress per KSB' };
    case 'otj_plan_met':
      return { to: `/apprenticeships/${apprenticeshipId}/otj`, text: 'See off-the-job training' };
    case 'reviews_current':
      return { to: `/apprenticeships/${apprenticeshipId}/reviews`, text: 'See progress reviews' };
    case 'english_maths':
      return null;
  }
}

function CheckItem({ check, apprenticeshipId }: { check: GatewayCheck; apprenticeshipId: string }) {
  const link = check.met ? null : fixLink(check.code, apprenticeshipId);
  return (
    <li className="app-gateway-check" data-testid={`check-${check.code}`}>
      <strong className={`nhsuk-tag ${check.met ? 'nhsuk-tag--green' : 'nhsuk-tag--red'}`}>{check.met ? 'Met' : 'Not met'}</strong>{' '}
      <strong>{CHECK_LABELS[check.code]}</strong>
      <p className="nhsuk-u-margin-bottom-1">{check.detail}</p>
      {link && (
        <p>
          <Link to={link.to}>
            {link.text}
            <span className="nhsuk-u-visually-hidden"> ({CHECK_LABELS[check.code].toLowerCase()})</span>
          </Link>
        </p>
      )}
    </li>
  );
}

function Declarations({ gateway }: { gateway: Gateway }) {
  const client = useQueryClient();
  const role = signingRole(useUser().role);
  const [done, setDone] = useState<string | null>(null);
  const declare = useMutation({
    mutationFn: () => declareGateway(gateway.apprenticeship_id),
    onSuccess: async (after) => {
      setDone(after.state === 'declared' ? 'Declared. All three parties have declared: the portfolio is frozen at gateway.' : 'Declared.');
      await invalidate.gateway(client, gateway.apprenticeship_id);
    },
  });
  const current = gateway.declarations.filter((d) => d.current);
  const order: ReviewParty[] = ['provider', 'apprentice', 'employer'];
  const myTurn = role !== null && gateway.next_to_declare === role && gateway.ready;
  return (
    <section aria-labelledby="declarations-heading">
      <h2 id="declarations-heading">Declarations</h2>
      <p>The training provider declares first, then the apprentice, then the employer, each on the portfolio as it is when they declare.</p>
      <ol data-testid="declarations">
        {order.map((party) => {
          const made = current.find((d) => d.role === party);
          return (
            <li key={party}>
              {PARTY_LABELS[party]}: {made ? `declared by ${made.signer.name}, ${formatDateTime(made.signed_at)}` : 'not yet declared'}
            </li>
          );
        })}
      </ol>
      {gateway.declarations.some((d) => !d.current) && (
        <details className="nhsuk-details">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">Earlier declarations that no longer count</span>
          </summary>
          <div className="nhsuk-details__text">
            <ul>
              {gateway.declarations
                .filter((d) => !d.current)
                .map((d) => (
                  <li key={d.id}>
                    {PARTY_LABELS[d.role]}: {d.signer.name}, {formatDateTime(d.signed_at)}
                    {d.void_reason ? ` (void: ${d.void_reason})` : ' (made on an earlier portfolio)'}
                  </li>
                ))}
            </ul>
          </div>
        </details>
      )}
      {done && (
        <Confirmation key={done} testId="gateway-confirmation">
          <p>{done}</p>
        </Confirmation>
      )}
      <ErrorSummary error={declare.error} />
      {myTurn && (
        <button type="button" className="nhsuk-button" onClick={() => declare.mutate()} disabled={declare.isPending}>
          Declare ready for end-point assessment as {PARTY_LABELS[role].toLowerCase()}
        </button>
      )}
      {role !== null && !myTurn && gateway.ready && gateway.next_to_declare && (
        <p>Waiting for the {PARTY_LABELS[gateway.next_to_declare].toLowerCase()} to declare.</p>
      )}
    </section>
  );
}

function EnglishMathsForm({ gateway }: { gateway: Gateway }) {
  const client = useQueryClient();
  const recorded = gateway.english_maths;
  const [english, setEnglish] = useState<FunctionalSkillStatus>(recorded?.english ?? 'pending');
  const [maths, setMaths] = useState<FunctionalSkillStatus>(recorded?.maths ?? 'pending');
  const [note, setNote] = useState(recorded?.note ?? '');
  const [saved, setSaved] = useState(0);
  const save = useMutation({
    mutationFn: () => putEnglishMaths(gateway.apprenticeship_id, { english, maths, note }),
    onSuccess: async () => {
      setSaved((n) => n + 1);
      await invalidate.gateway(client, gateway.apprenticeship_id);
    },
  });
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate();
  };
  const options = FUNCTIONAL_SKILL_STATUSES.map((s) => ({ value: s, label: SKILL_LABELS[s] }));
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="english-maths-heading">
      <h2 id="english-maths-heading">English and maths</h2>
      {saved > 0 && (
        <Confirmation key={saved} testId="english-maths-saved">
          <p>English and maths saved.</p>
        </Confirmation>
      )}
      <ErrorSummary error={save.error} />
      <Select id="english" label="English" value={english} options={options} onChange={(e) => setEnglish(e.target.value as FunctionalSkillStatus)} error={fieldError(save.error, 'english')} />
      <Select id="maths" label="Maths" value={maths} options={options} onChange={(e) => setMaths(e.target.value as FunctionalSkillStatus)} error={fieldError(save.error, 'maths')} />
      <Textarea id="note" label="Note (optional)" hint="The certificate or the reason for an exemption. No patient data." value={note} onChange={(e) => setNote(e.target.value)} error={fieldError(save.error, 'note')} rows={3} />
      {recorded && (
        <p className="nhsuk-body-s">
          Last recorded by {recorded.recorded_by.name}, {formatDateTime(recorded.recorded_at)}.
        </p>
      )}
      <button type="submit" className="nhsuk-button nhsuk-button--secondary" disabled={save.isPending}>
        Save English and maths
      </button>
    </form>
  );
}

function WithdrawForm({ gateway }: { gateway: Gateway }) {
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const [withdrawn, setWithdrawn] = useState(false);
  const withdraw = useMutation({
    mutationFn: () => withdrawGateway(gateway.apprenticeship_id, reason),
    onSuccess: async () => {
      setWithdrawn(true);
      setReason('');
      await invalidate.gateway(client, gateway.apprenticeship_id);
    },
  });
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    withdraw.mutate();
  };
  if (withdrawn && gateway.declarations.every((d) => !d.current)) {
    return (
      <Confirmation testId="withdrawn">
        <p>Declarations withdrawn. The portfolio can change again.</p>
      </Confirmation>
    );
  }
  if (!gateway.declarations.some((d) => d.voided_at === null || d.voided_at === undefined)) return null;
  return (
    <details className="nhsuk-details">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">Withdraw the declarations</span>
      </summary>
      <div className="nhsuk-details__text">
        <form onSubmit={onSubmit} noValidate>
          <ErrorSummary error={withdraw.error} />
          <Textarea id="withdraw-reason" label="Why is the apprentice no longer at gateway?" value={reason} onChange={(e) => setReason(e.target.value)} error={fieldError(withdraw.error, 'reason')} rows={3} />
          <button type="submit" className="nhsuk-button nhsuk-button--warning" disabled={withdraw.isPending}>
            Withdraw the declarations
          </button>
        </form>
      </div>
    </details>
  );
}

const DOWNLOADS: { format: PortfolioFormat; label: string; holds: string }[] = [
  {
    format: 'pdf',
    label: 'Download the end-point assessment pack (PDF)',
    holds:
      'The cover, coverage by duty, the mapping of evidence to KSBs, every accepted evidence item, the sign-offs, the signed progress reviews and the off-the-job training, with a contents page. Accessible: tagged, with headings and table headers.',
  },
  {
    format: 'zip',
    label: 'Download the whole portfolio (ZIP)',
    holds: 'The pack, every file as it was uploaded, the mapping as a spreadsheet (mapping.csv) and everything as data (portfolio.json), to keep or to take to another training provider.',
  },
];

/** The portfolio's downloads: fetched with the bearer token, then saved. */
function Downloads({ apprenticeshipId }: { apprenticeshipId: string }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<PortfolioFormat | null>(null);
  async function download(format: PortfolioFormat) {
    if (busy) return;
    setError(null);
    setBusy(format);
    try {
      await downloadPortfolio(apprenticeshipId, format);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }
  return (
    <section aria-labelledby="downloads-heading">
      <h2 id="downloads-heading">Download the portfolio</h2>
      <ErrorSummary error={error} />
      <ul className="nhsuk-list" data-testid="portfolio-downloads">
        {DOWNLOADS.map((d) => (
          <li key={d.format}>
            <button type="button" className="app-button-as-link" onClick={() => void download(d.format)}>
              {d.label}
            </button>
            <p className="nhsuk-body-s">{d.holds}</p>
          </li>
        ))}
      </ul>
      <p role="status" className="nhsuk-body-s">
        {busy === 'pdf' ? 'Preparing the PDF…' : busy === 'zip' ? 'Preparing the ZIP…' : ''}
      </p>
    </section>
  );
}

export default function GatewayPage() {
  const { apprenticeshipId = '' } = useParams();
  const gateway = useGateway(apprenticeshipId);
  const isProvider = useUser().role === 'provider';
  return (
    <>
      <PageHeading title="Gateway to end-point assessment" />
      <p>
        <Link to={`/apprenticeships/${apprenticeshipId}`}>Back to progress</Link>
      </p>
      <QueryView query={gateway} label="Loading the gateway checks">
        {(g) => (
          <>
            <p>
              <strong className={`nhsuk-tag ${g.state === 'on_programme' ? 'nhsuk-tag--grey' : 'nhsuk-tag--green'}`} data-testid="gateway-state">
                {STATE_LABELS[g.state]}
              </strong>
              {g.declared_at && <> since {formatDate(g.declared_at)}: the portfolio is frozen.</>}
            </p>
            <section aria-labelledby="checks-heading">
              <h2 id="checks-heading">Readiness checks</h2>
              <p>
                {g.checks.filter((c) => c.met).length} of {g.checks.length} checks met. They are worked out from the portfolio itself.
              </p>
              <ul className="nhsuk-list app-gateway-checks">
                {g.checks.map((check) => (
                  <CheckItem key={check.code} check={check} apprenticeshipId={apprenticeshipId} />
                ))}
              </ul>
            </section>
            <Declarations gateway={g} />
            {isProvider && g.state !== 'declared' && <EnglishMathsForm gateway={g} />}
            {isProvider && <WithdrawForm gateway={g} />}
            <Downloads apprenticeshipId={apprenticeshipId} />
          </>
        )}
      </QueryView>
    </>
  );
}
