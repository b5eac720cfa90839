/**
 * The provider's decision on one pending off-the-job entry: approve, or reject with a reason.
 * Used on the apprentice's OTJ page and in the OTJ queue; either way the entry's lists, the
 * apprenticeship's summary and the queue are refreshed.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { reviewOtj } from '../../api/otj';
import { ErrorSummary, fieldError } from '../../components/ErrorSummary';
import { TextInput } from '../../components/Fields';
import { invalidate } from '../../hooks/queries';
import { formatDate } from '../../lib/format';
import { formatMinutes } from '../../lib/otj';

interface Props {
  entry: { id: string; minutes: number; occurred_on: string };
  apprenticeshipId: string;
  /** words after "Approve"/"Reject" for screen readers, naming the entry */
  what?: string;
  onDone?: (decision: 'approved' | 'rejected') => void;
}

export function OtjDecision({ entry, apprenticeshipId, what, onDone }: Props) {
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: (decision: 'approved' | 'rejected') =>
      reviewOtj(entry.id, decision === 'rejected' ? { decision, reason } : { decision }),
    onSuccess: async (_, decision) => {
      await invalidate.otj(client, apprenticeshipId);
      onDone?.(decision);
    },
  });
  const reasonId = `otj-reason-${entry.id}`;
  const named = what ?? `${formatMinutes(entry.minutes)} on ${formatDate(entry.occurred_on)}`;
  return (
    <div>
      <ErrorSummary error={decide.error} fieldIds={{ reason: reasonId }} />
      <button type="button" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-2" onClick={() => decide.mutate('approved')} disabled={decide.isPending}>
        Approve<span className="nhsuk-u-visually-hidden"> {named}</span>
      </button>
      <TextInput id={reasonId} label="Reason to reject" value={reason} onChange={(e) => setReason(e.target.value)} error={fieldError(decide.error, 'reason')} />
      <button type="button" className="nhsuk-button nhsuk-button--warning nhsuk-u-margin-bottom-0" onClick={() => decide.mutate('rejected')} disabled={decide.isPending}>
        Reject<span className="nhsuk-u-visually-hidden"> {named}</span>
      </button>
    </div>
  );
}
