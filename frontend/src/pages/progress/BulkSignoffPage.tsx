/**
 * Sign off several KSBs of one apprentice with one confirmation (the mentor only). The KSBs come
 * from the sign-off queue's selection (`?ksbs=S7,K5`); each is shown as on its own KSB page (its
 * statement and the accepted evidence behind it), above one form with one optional comment. The
 * server signs off all of them or none: a refusal names the KSB, and nothing is signed off.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { createSignoffs } from '../../api/apprenticeships';
import type { Evidence, KsbStatus } from '../../api/types';
import { Confirmation } from '../../components/Confirmation';
import { EvidenceLinks } from '../../components/EvidenceLinks';
import { ErrorSummary, fieldError } from '../../components/ErrorSummary';
import { Textarea } from '../../components/Fields';
import { PageHeading } from '../../components/PageHeading';
import { EmptyState, ErrorState, Loading } from '../../components/QueryState';
import { KsbStatusTag } from '../../components/Tags';
import { WhoseWork } from '../../components/WhoseWork';
import { invalidate, useApprenticeship, useCatalogue, useCoverage, useEvidenceList } from '../../hooks/queries';
import { nameOf } from '../../lib/format';
import { listInWords, selectedCodes } from '../../lib/signoff';

function KsbSection({ code, text, status, evidence }: { code: string; text: string; status: KsbStatus; evidence: Evidence[] }) {
  const headingId = `bulk-${code}`;
  return (
    <section className="nhsuk-card" aria-labelledby={headingId} data-ksb={code}>
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading nhsuk-heading-m" id={headingId}>
          {code}
        </h2>
        <p className="nhsuk-body-l">{text}</p>
        <p>
          Status: <KsbStatusTag status={status} />
        </p>
        {status !== 'evidenced' && (
          <p className="nhsuk-body-s">{status === 'signed_off' ? `${code} is already signed off.` : `${code} has no accepted evidence yet.`} The sign-off will be refused while it is selected.</p>
        )}
        <h3 className="nhsuk-heading-s">Accepted evidence for {code}</h3>
        {evidence.length === 0 ? (
          <p>None.</p>
        ) : (
          <EvidenceLinks items={evidence} />
        )}
      </div>
    </section>
  );
}

export default function BulkSignoffPage() {
  const { apprenticeshipId = '' } = useParams();
  const [params] = useSearchParams();
  const codes = selectedCodes(params.get('ksbs'));
  const queryClient = useQueryClient();
  const coverage = useCoverage(apprenticeshipId);
  const evidence = useEvidenceList(apprenticeshipId, { status: 'accepted', limit: 200 });
  const apprenticeship = useApprenticeship(apprenticeshipId);
  const standard = useCatalogue(apprenticeship.data);
  const [comment, setComment] = useState('');
  const [done, setDone] = useState<string[] | null>(null);

  const signOff = useMutation({
    mutationFn: () => createSignoffs(apprenticeshipId, { ksbs: codes, comment: comment.trim() }),
    onSuccess: async (made) => {
      setDone(made.items.map((s) => s.ksb));
      setComment('');
      await invalidate.signoffs(queryClient, apprenticeshipId);
    },
  });

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(null);
    signOff.mutate();
  }

  const name = apprenticeship.data ? nameOf(apprenticeship.data.apprentice) : undefined;
  const failed = standard.error ?? coverage.error ?? evidence.error ?? apprenticeship.error;
  let body;
  if (failed) {
    body = <ErrorState error={failed} retry={() => void Promise.all([standard.refetch(), coverage.refetch(), evidence.refetch(), apprenticeship.refetch()])} />;
  } else if (!standard.data || !coverage.data || !evidence.data || !apprenticeship.data) {
    body = <Loading label="Loading the KSBs to sign off" />;
  } else if (codes.length === 0) {
    body = <EmptyState>No KSBs are selected. Choose them in the sign-off queue.</EmptyState>;
  } else if (done) {
    body = (
      <>
        <Confirmation key={done.join(',')} testId="bulk-signoff-done">
          <p>
            {listInWords(done)} signed off for {name}.
          </p>
        </Confirmation>
        <p>
          <Link to="/signoff-queue">Back to the sign-off queue</Link>
        </p>
        <p>
          <Link to="/inbox">Back to your inbox</Link>
        </p>
      </>
    );
  } else {
    const ksbs = standard.data.ksbs;
    const statuses = coverage.data.ksbs;
    const accepted = evidence.data.items;
    const unknown = codes.filter((c) => !ksbs.some((k) => k.code === c));
    body = (
      <>
        <WhoseWork apprenticeship={apprenticeship.data} standardTitle={standard.data.title} />
        <ErrorSummary error={signOff.error} fieldIds={{ comment: 'bulk-signoff-comment', ksbs: 'bulk-signoff-submit' }} />
        {unknown.length > 0 && <p>Not KSBs of this standard: {unknown.join(', ')}.</p>}
        {codes
          .filter((c) => !unknown.includes(c))
          .map((code) => (
            <KsbSection
              key={code}
              code={code}
              text={ksbs.find((k) => k.code === code)?.text ?? ''}
              status={statuses.find((k) => k.code === code)?.status ?? 'not_started'}
              evidence={accepted.filter((e) => e.ksbs.includes(code))}
            />
          ))}
        <form onSubmit={submit} noValidate>
          <Textarea
            id="bulk-signoff-comment"
            label={`Your comment on ${listInWords(codes)} (optional)`}
            hint="One comment for every KSB signed off here, for example what you have seen the apprentice do in the workplace. The apprentice and their tutor will see it."
            rows={4}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            error={fieldError(signOff.error, 'comment')}
          />
          <button className="nhsuk-button" type="submit" id="bulk-signoff-submit" disabled={signOff.isPending}>
            Sign off {codes.length === 1 ? codes[0] : `these ${codes.length} KSBs`}
          </button>
        </form>
      </>
    );
  }

  return (
    <>
      <p className="nhsuk-u-margin-bottom-3">
        <Link to="/signoff-queue">Back to the sign-off queue</Link>
      </p>
      <PageHeading title={`Sign off ${codes.length === 1 ? codes[0] : `${codes.length} KSBs`}`} caption={name ?? 'Sign-off'} />
      {body}
    </>
  );
}
