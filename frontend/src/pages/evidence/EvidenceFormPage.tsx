/**
 * Add evidence (/apprenticeships/:id/evidence/new) or edit it (/evidence/:id/edit): save as a
 * draft, or save and submit for review. Edits send If-Match with the ETag read on load, so a
 * change made elsewhere in the meantime is refused (412) rather than overwritten.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { createEvidence, submitEvidence, updateEvidence } from '../../api/evidence';
import { EVIDENCE_KINDS, type EvidenceInput } from '../../api/types';
import { ErrorSummary, fieldError, type SummaryItem } from '../../components/ErrorSummary';
import { Select, Textarea, TextInput } from '../../components/Fields';
import { KsbPicker } from '../../components/KsbPicker';
import { PageHeading } from '../../components/PageHeading';
import { EmptyState, ErrorState, Loading, QueryView } from '../../components/QueryState';
import { useEvidence, useStandard } from '../../hooks/queries';
import { KIND_LABELS } from '../../lib/format';
import { EVIDENCE_FIELD_IDS, EVIDENCE_FIELD_LABELS, todayIso, validateEvidence, type EvidenceDraft } from './validate';

/** Thrown when the save worked but the submit did not: the page shows the saved draft. */
class SavedButNotSubmitted extends Error {
  constructor(
    readonly id: string,
    readonly failure: unknown,
  ) {
    super('saved but not submitted');
  }
}

async function submitAfterSave(id: string): Promise<void> {
  try {
    await submitEvidence(id);
  } catch (cause) {
    throw new SavedButNotSubmitted(id, cause);
  }
}

const EMPTY: EvidenceDraft = { title: '', description: '', kind: '', occurred_on: '', ksbs: [] };

export default function EvidenceFormPage() {
  const { apprenticeshipId, evidenceId } = useParams();
  if (evidenceId !== undefined) return <EditEvidence evidenceId={evidenceId} />;
  return (
    <EvidenceForm
      title="Add evidence"
      backTo={`/apprenticeships/${apprenticeshipId ?? ''}`}
      initial={EMPTY}
      editable
      resubmit={false}
      save={async (input, submit) => {
        const created = await createEvidence(apprenticeshipId ?? '', input);
        if (submit) await submitAfterSave(created.id);
        return created.id;
      }}
    />
  );
}

function EditEvidence({ evidenceId }: { evidenceId: string }) {
  const query = useEvidence(evidenceId);
  return (
    <QueryView query={query} label="Loading evidence">
      {({ evidence, etag }) => {
        const editable = evidence.status === 'draft' || evidence.status === 'changes_requested';
        if (!editable) {
          return (
            <>
              <PageHeading title="Edit evidence" />
              <EmptyState>
                This evidence cannot be changed now. <Link to={`/evidence/${evidence.id}`}>Go back to it</Link>.
              </EmptyState>
            </>
          );
        }
        return (
          <EvidenceForm
            key={etag ?? evidence.updated_at}
            title="Edit evidence"
            backTo={`/evidence/${evidence.id}`}
            initial={{
              title: evidence.title,
              description: evidence.description,
              kind: evidence.kind,
              occurred_on: evidence.occurred_on.slice(0, 10),
              ksbs: evidence.ksbs,
            }}
            editable
            resubmit={evidence.status === 'changes_requested'}
            feedback={evidence.feedback ?? undefined}
            reload={() => void query.refetch()}
            save={async (input, submit) => {
              await updateEvidence(evidence.id, etag, input);
              if (submit) await submitAfterSave(evidence.id);
              return evidence.id;
            }}
          />
        );
      }}
    </QueryView>
  );
}

function EvidenceForm({
  title,
  backTo,
  initial,
  resubmit,
  feedback,
  reload,
  save,
}: {
  title: string;
  backTo: string;
  initial: EvidenceDraft;
  editable: boolean;
  resubmit: boolean;
  feedback?: string;
  reload?: () => void;
  save: (input: EvidenceInput, submit: boolean) => Promise<string>;
}) {
  const standard = useStandard();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<EvidenceDraft>(initial);
  const [local, setLocal] = useState<Partial<Record<keyof EvidenceInput, string>>>({});

  const mutation = useMutation({
    mutationFn: ({ input, submit }: { input: EvidenceInput; submit: boolean }) => save(input, submit),
    onSuccess: async (id, { submit }) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['evidence', id] }),
        queryClient.invalidateQueries({ queryKey: ['evidence-list'] }),
        queryClient.invalidateQueries({ queryKey: ['coverage'] }),
      ]);
      void navigate(`/evidence/${id}`, {
        state: { message: submit ? 'Your evidence has been submitted for review.' : 'Your draft has been saved.' },
      });
    },
    onError: (error) => {
      // Never leave the user on a form whose save already happened: a second click would
      // create a duplicate. Show the saved evidence and why the submit failed.
      if (error instanceof SavedButNotSubmitted) {
        void queryClient.invalidateQueries({ queryKey: ['evidence-list'] });
        const detail = error.failure instanceof ApiError ? error.failure.detail : 'Try again.';
        void navigate(`/evidence/${error.id}`, {
          state: { message: `Your evidence was saved but not submitted: ${detail}` },
        });
      }
    },
  });

  function handle(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = event.nativeEvent.submitter as HTMLButtonElement | null;
    const submit = submitter?.value === 'submit';
    const problems = validateEvidence(draft, todayIso());
    setLocal(problems);
    if (Object.keys(problems).length > 0 || draft.kind === '') return;
    mutation.mutate({
      input: { ...draft, kind: draft.kind, title: draft.title.trim(), description: draft.description.trim() },
      submit,
    });
  }

  const localItems: SummaryItem[] = (Object.keys(EVIDENCE_FIELD_IDS) as (keyof EvidenceInput)[]).flatMap((field) => {
    const message = local[field];
    return message ? [{ href: `#${EVIDENCE_FIELD_IDS[field] ?? field}`, message }] : [];
  });
  const server = mutation.error;
  const stale = server instanceof ApiError && (server.status === 412 || server.status === 428);
  const message = (field: keyof EvidenceInput) =>
    local[field] ?? fieldError(server, field);

  if (standard.error) return <ErrorState error={standard.error} retry={() => void standard.refetch()} />;
  if (!standard.data) return <Loading label="Loading the standard" />;

  return (
    <>
      <p className="nhsuk-u-margin-bottom-3">
        <Link to={backTo}>Back</Link>
      </p>
      {localItems.length > 0 ? (
        <ErrorSummary items={localItems} />
      ) : stale ? (
        <ErrorSummary
          items={[
            {
              message:
                'This evidence was changed somewhere else after you opened it. Reload it to see the latest version, then make your changes again.',
            },
          ]}
        />
      ) : (
        <ErrorSummary error={server} fieldIds={EVIDENCE_FIELD_IDS} fieldLabels={EVIDENCE_FIELD_LABELS} />
      )}
      {stale && reload && (
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={reload}>
          Reload the latest version
        </button>
      )}
      <PageHeading title={title} />
      {feedback && (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <h2 className="nhsuk-heading-s">Feedback from your tutor</h2>
          <p className="app-pre-wrap">{feedback}</p>
        </div>
      )}
      <form onSubmit={handle} noValidate>
        <TextInput
          id={EVIDENCE_FIELD_IDS.title ?? 'evidence-title'}
          name="title"
          label="Title"
          value={draft.title}
          onChange={(e) => setDraft({ ...draft, title: e.target.value })}
          error={message('title')}
        />
        <Textarea
          id={EVIDENCE_FIELD_IDS.description ?? 'evidence-description'}
          name="description"
          label="What did you do, and what does it show?"
          hint="Do not include anything that identifies a patient, such as an NHS number, name or date of birth."
          rows={8}
          value={draft.description}
          onChange={(e) => setDraft({ ...draft, description: e.target.value })}
          error={message('description')}
        />
        <Select
          id={EVIDENCE_FIELD_IDS.kind ?? 'evidence-kind'}
          name="kind"
          label="Type of evidence"
          value={draft.kind}
          onChange={(e) => setDraft({ ...draft, kind: e.target.value as EvidenceDraft['kind'] })}
          options={[{ value: '', label: 'Choose a type' }, ...EVIDENCE_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))]}
          error={message('kind')}
        />
        <TextInput
          id={EVIDENCE_FIELD_IDS.occurred_on ?? 'evidence-occurred-on'}
          name="occurred_on"
          label="Date it happened"
          type="date"
          className="nhsuk-input--width-10"
          max={todayIso()}
          value={draft.occurred_on}
          onChange={(e) => setDraft({ ...draft, occurred_on: e.target.value })}
          error={message('occurred_on')}
        />
        <KsbPicker
          id={EVIDENCE_FIELD_IDS.ksbs ?? 'evidence-ksbs'}
          standard={standard.data}
          selected={draft.ksbs}
          onChange={(ksbs) => setDraft({ ...draft, ksbs })}
          error={message('ksbs')}
        />
        <p className="nhsuk-body-s">You can add files (photos, documents) after saving.</p>
        <div className="app-inline-actions">
          <button className="nhsuk-button" type="submit" name="action" value="submit" disabled={mutation.isPending}>
            {resubmit ? 'Save and resubmit' : 'Save and submit for review'}
          </button>
          <button className="nhsuk-button nhsuk-button--secondary" type="submit" name="action" value="draft" disabled={mutation.isPending}>
            {resubmit || title.startsWith('Edit') ? 'Save changes' : 'Save as draft'}
          </button>
        </div>
      </form>
    </>
  );
}
