/**
 * Add evidence (/apprenticeships/:id/evidence/new) or edit it (/evidence/:id/edit), with its
 * files, in one step: "Save and submit" saves, uploads each file and submits, in that order;
 * "Save as draft" saves and uploads. If a file cannot be attached the evidence stays a draft,
 * the form stays open on it (so a second click edits it, never duplicates it) and the file says
 * why. Edits send If-Match with the ETag read on load (or the one the last save or removal
 * returned), so a change made elsewhere in the meantime is refused (412) rather than
 * overwritten.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { createEvidence, removeAttachment, submitEvidence, updateEvidence, uploadAttachment } from '../../api/evidence';
import { EVIDENCE_KINDS, type Attachment, type EvidenceInput } from '../../api/types';
import { ErrorSummary, fieldError, type SummaryItem } from '../../components/ErrorSummary';
import { Select, Textarea, TextInput } from '../../components/Fields';
import { KsbPicker } from '../../components/KsbPicker';
import { PageHeading } from '../../components/PageHeading';
import { EmptyState, ErrorState, Loading, QueryView } from '../../components/QueryState';
import { invalidate, useApprenticeship, useAttachments, useCatalogue, useEvidence } from '../../hooks/queries';
import { KIND_LABELS } from '../../lib/format';
import { FileQueue, queue, queuedId, type QueuedFile } from './FileQueue';
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
      apprenticeshipId={apprenticeshipId ?? ''}
      initial={EMPTY}
      resubmit={false}
      target={null}
      create={(input) => createEvidence(apprenticeshipId ?? '', input)}
    />
  );
}

function EditEvidence({ evidenceId }: { evidenceId: string }) {
  const query = useEvidence(evidenceId);
  // The form keeps its own ETag (from each save and removal), so it is remounted only when the
  // person asks for the latest version, never under their typing or their queued files.
  const [reloads, setReloads] = useState(0);
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
            key={`${evidence.id}-${String(reloads)}`}
            title="Edit evidence"
            backTo={`/evidence/${evidence.id}`}
            apprenticeshipId={evidence.apprenticeship_id}
            initial={{
              title: evidence.title,
              description: evidence.description,
              kind: evidence.kind,
              occurred_on: evidence.occurred_on.slice(0, 10),
              ksbs: evidence.ksbs,
            }}
            resubmit={evidence.status === 'changes_requested'}
            feedback={evidence.feedback ?? undefined}
            reload={() => {
              void query.refetch().then(() => setReloads((n) => n + 1));
            }}
            target={{ id: evidence.id, etag }}
            create={() => Promise.reject(new Error('already saved'))}
          />
        );
      }}
    </QueryView>
  );
}

interface Target {
  id: string;
  etag: string;
}

interface Outcome {
  id: string;
  submitted: boolean;
  attached: number;
  failed: QueuedFile[];
}

function plural(n: number, one: string, many: string): string {
  return `${String(n)} ${n === 1 ? one : many}`;
}

function EvidenceForm({
  title,
  backTo,
  apprenticeshipId,
  initial,
  resubmit,
  feedback,
  reload,
  target: initialTarget,
  create,
}: {
  title: string;
  backTo: string;
  /** whose portfolio: its catalogue is the one offered, its lists and figures change */
  apprenticeshipId: string;
  initial: EvidenceDraft;
  resubmit: boolean;
  feedback?: string;
  reload?: () => void;
  /** the evidence being edited; null until new evidence is first saved */
  target: Target | null;
  create: (input: EvidenceInput) => Promise<{ id: string; version: number }>;
}) {
  const apprenticeship = useApprenticeship(apprenticeshipId);
  const standard = useCatalogue(apprenticeship.data);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<EvidenceDraft>(initial);
  const [local, setLocal] = useState<Partial<Record<keyof EvidenceInput, string>>>({});
  const [target, setTarget] = useState<Target | null>(initialTarget);
  const [files, setFiles] = useState<QueuedFile[]>([]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [removed, setRemoved] = useState<string | null>(null);
  const attachments = useAttachments(target?.id ?? '', target !== null);

  const patch = (key: string, change: Partial<QueuedFile>) =>
    setFiles((all) => all.map((f) => (f.key === key ? { ...f, ...change } : f)));

  async function run(input: EvidenceInput, submit: boolean, pending: QueuedFile[]): Promise<Outcome> {
    let saved: Target;
    if (target === null) {
      const created = await create(input);
      saved = { id: created.id, etag: `"${String(created.version)}"` };
    } else {
      const updated = await updateEvidence(target.id, target.etag, input);
      saved = { id: target.id, etag: updated.etag };
    }
    setTarget(saved);
    const failed: QueuedFile[] = [];
    let attached = 0;
    for (const item of pending) {
      patch(item.key, { state: 'uploading', sent: 0, error: undefined });
      try {
        await uploadAttachment(saved.id, item.file, ({ loaded, total }) =>
          patch(item.key, { sent: Math.round((loaded / Math.max(total, 1)) * item.file.size) }),
        );
        patch(item.key, { state: 'attached', sent: item.file.size });
        attached += 1;
      } catch (cause) {
        const error = cause instanceof ApiError ? cause.detail : 'The file could not be sent. Try again.';
        patch(item.key, { state: 'failed', error });
        failed.push({ ...item, state: 'failed', error });
      }
    }
    // Stop before submitting: evidence is never sent for review without the files it is about.
    if (failed.length > 0) return { id: saved.id, submitted: false, attached, failed };
    if (submit) await submitAfterSave(saved.id);
    return { id: saved.id, submitted: submit, attached, failed };
  }

  const mutation = useMutation({
    mutationFn: ({ input, submit, pending }: { input: EvidenceInput; submit: boolean; pending: QueuedFile[] }) =>
      run(input, submit, pending),
    onMutate: () => {
      setOutcome(null);
      setRemoved(null);
    },
    onSuccess: async (result) => {
      const { id, submitted, attached, failed } = result;
      await invalidate.evidence(queryClient, { apprenticeshipId, evidenceId: id });
      if (failed.length > 0) {
        // The attached ones are listed with the evidence's files now.
        setFiles((all) => all.filter((f) => f.state !== 'attached'));
        setOutcome(result);
        return;
      }
      const files = attached > 0 ? ` with ${plural(attached, 'file', 'files')} attached` : '';
      void navigate(`/evidence/${id}`, {
        state: { message: submitted ? `Submitted for review${files}.` : `Saved as a draft${files}.` },
      });
    },
    onError: (error) => {
      // Never leave the user on a form whose save already happened: a second click would
      // create a duplicate. Show the saved evidence and why the submit failed.
      if (error instanceof SavedButNotSubmitted) {
        void invalidate.evidence(queryClient, { apprenticeshipId, evidenceId: error.id });
        const detail = error.failure instanceof ApiError ? error.failure.detail : 'Try again.';
        void navigate(`/evidence/${error.id}`, {
          state: { message: `Saved as a draft but not submitted: ${detail}` },
        });
      }
    },
  });

  const removal = useMutation({
    mutationFn: async (attachment: Attachment) => {
      if (target === null) throw new Error('not saved yet');
      const etag = await removeAttachment(target.id, attachment.id);
      setTarget({ id: target.id, etag: etag ?? target.etag });
      return attachment;
    },
    onMutate: () => setRemoved(null),
    onSuccess: async (attachment) => {
      setRemoved(`Removed ${attachment.filename}.`);
      // A removal makes a new version (and revision) of the evidence.
      await invalidate.evidence(queryClient, { apprenticeshipId, evidenceId: target?.id });
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
      pending: files.filter((f) => f.state !== 'attached'),
    });
  }

  const localItems: SummaryItem[] = (Object.keys(EVIDENCE_FIELD_IDS) as (keyof EvidenceInput)[]).flatMap((field) => {
    const message = local[field];
    return message ? [{ href: `#${EVIDENCE_FIELD_IDS[field] ?? field}`, message }] : [];
  });
  const server = mutation.error ?? removal.error;
  const failedItems: SummaryItem[] = (outcome?.failed ?? []).map((f) => ({
    href: `#${queuedId(f.key)}`,
    message: `${f.file.name} could not be attached: ${f.error ?? 'try again'}`,
  }));
  const stale = server instanceof ApiError && (server.status === 412 || server.status === 428);
  const message = (field: keyof EvidenceInput) =>
    local[field] ?? fieldError(server, field);

  const failed = apprenticeship.error ?? standard.error;
  if (failed) return <ErrorState error={failed} retry={() => void Promise.all([apprenticeship.refetch(), standard.refetch()])} />;
  if (!apprenticeship.data || !standard.data) return <Loading label="Loading the standard" />;

  return (
    <>
      <p className="nhsuk-u-margin-bottom-3">
        <Link to={backTo}>Back</Link>
      </p>
      {localItems.length > 0 ? (
        <ErrorSummary items={localItems} />
      ) : outcome ? (
        <ErrorSummary
          title={`Saved as a draft; ${plural(outcome.failed.length, 'file', 'files')} could not be attached`}
          items={failedItems}
        />
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
        <FileQueue
          files={files}
          attached={attachments.data ?? []}
          busy={mutation.isPending || removal.isPending}
          onAdd={(added) => setFiles((all) => [...all, ...queue(added)])}
          onRemove={(key) => setFiles((all) => all.filter((f) => f.key !== key))}
          onRemoveAttached={(a) => removal.mutate(a)}
        />
        {removed && (
          <div className="nhsuk-inset-text" role="status" tabIndex={-1} ref={(el) => el?.focus()}>
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>{removed}</p>
          </div>
        )}
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
