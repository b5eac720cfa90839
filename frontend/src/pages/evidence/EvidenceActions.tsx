/** What can be done to evidence in its current status, by whom. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { deleteEvidence, submitEvidence, withdrawEvidence } from '../../api/evidence';
import type { Evidence, Role } from '../../api/types';
import { ErrorSummary, fieldError, type SummaryItem } from '../../components/ErrorSummary';
import { Textarea } from '../../components/Fields';
import { invalidate, keys } from '../../hooks/queries';

export function EvidenceActions({ evidence, role }: { evidence: Evidence; role: Role }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [withdrawing, setWithdrawing] = useState(false);
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<SummaryItem[]>([]);

  const refresh = () => invalidate.evidence(queryClient, { apprenticeshipId: evidence.apprenticeship_id, evidenceId: evidence.id });

  const submit = useMutation({ mutationFn: () => submitEvidence(evidence.id), onSuccess: refresh });
  const withdraw = useMutation({
    mutationFn: () => withdrawEvidence(evidence.id, reason.trim()),
    onSuccess: async () => {
      setWithdrawing(false);
      setReason('');
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteEvidence(evidence.id),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: keys.evidence(evidence.id) });
      await invalidate.evidence(queryClient, { apprenticeshipId: evidence.apprenticeship_id });
      void navigate(`/apprenticeships/${evidence.apprenticeship_id}/evidence`);
    },
  });

  const error = submit.error ?? withdraw.error ?? remove.error;

  function handleWithdraw(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (reason.trim() === '') {
      setLocal([{ href: '#withdraw-reason', message: 'Enter why you are withdrawing this evidence' }]);
      return;
    }
    setLocal([]);
    withdraw.mutate();
  }

  const editable = evidence.status === 'draft' || evidence.status === 'changes_requested';
  // The server lets the apprentice withdraw anything that has left draft and is not withdrawn.
  const withdrawable = evidence.status !== 'draft' && evidence.status !== 'withdrawn';
  const summary =
    local.length > 0 ? <ErrorSummary items={local} /> : <ErrorSummary error={error} fieldIds={{ reason: 'withdraw-reason' }} />;

  // Only the apprenticeship's training provider staff may review; the server refuses others.
  if (role === 'provider') {
    return evidence.status === 'submitted' ? (
      <p>
        <Link className="nhsuk-button" to={`/evidence/${evidence.id}/review`}>
          Review this evidence
        </Link>
      </p>
    ) : null;
  }
  if (role !== 'apprentice') return null;

  return (
    <section aria-label="Actions">
      {summary}
      {editable && (
        <div className="app-inline-actions">
          <button className="nhsuk-button" type="button" onClick={() => submit.mutate()} disabled={submit.isPending}>
            {evidence.status === 'changes_requested' ? 'Resubmit for review' : 'Submit for review'}
          </button>
          <Link className="nhsuk-button nhsuk-button--secondary" to={`/evidence/${evidence.id}/edit`}>
            Edit
          </Link>
        </div>
      )}
      {evidence.status === 'draft' &&
        (confirmDelete ? (
          <div className="nhsuk-warning-callout">
            <h2 className="nhsuk-warning-callout__label">
              <span role="text">
                <span className="nhsuk-u-visually-hidden">Important: </span>Delete this draft?
              </span>
            </h2>
            <p>This cannot be undone. Any files attached to it are deleted too.</p>
            <div className="app-inline-actions">
              <button className="nhsuk-button nhsuk-button--warning" type="button" onClick={() => remove.mutate()} disabled={remove.isPending}>
                Yes, delete this draft
              </button>
              <button className="app-button-as-link" type="button" onClick={() => setConfirmDelete(false)}>
                No, keep it
              </button>
            </div>
          </div>
        ) : (
          <p>
            <button className="app-button-as-link" type="button" onClick={() => setConfirmDelete(true)}>
              Delete this draft
            </button>
          </p>
        ))}
      {withdrawable &&
        (withdrawing ? (
          <form onSubmit={handleWithdraw} noValidate>
            <Textarea
              id="withdraw-reason"
              label="Why are you withdrawing it?"
              hint={evidence.status === 'accepted' ? 'Withdrawn evidence no longer counts towards its KSBs.' : undefined}
              rows={3}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              error={local[0]?.message ?? fieldError(withdraw.error, 'reason')}
            />
            <div className="app-inline-actions">
              <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={withdraw.isPending}>
                Withdraw evidence
              </button>
              <button className="app-button-as-link" type="button" onClick={() => setWithdrawing(false)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <p>
            <button className="app-button-as-link" type="button" onClick={() => setWithdrawing(true)}>
              Withdraw this evidence
            </button>
          </p>
        ))}
    </section>
  );
}
