/** Conversation on a piece of evidence between apprentice, mentor and tutor. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { addComment } from '../../api/evidence';
import { ErrorSummary, fieldError } from '../../components/ErrorSummary';
import { Textarea } from '../../components/Fields';
import { EmptyState, QueryView } from '../../components/QueryState';
import { invalidate, useComments } from '../../hooks/queries';
import { formatDateTime, ROLE_LABELS } from '../../lib/format';

export function Comments({ evidenceId }: { evidenceId: string }) {
  const query = useComments(evidenceId);
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [empty, setEmpty] = useState(false);
  const add = useMutation({
    mutationFn: () => addComment(evidenceId, body.trim()),
    onSuccess: async () => {
      setBody('');
      await invalidate.comments(queryClient, evidenceId);
    },
  });

  function handle(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setEmpty(body.trim() === '');
    if (body.trim() !== '') add.mutate();
  }

  return (
    <section aria-labelledby="comments-title">
      <h2 id="comments-title">Comments</h2>
      <QueryView query={query} label="Loading comments">
        {(comments) =>
          comments.length === 0 ? (
            <EmptyState>No comments yet.</EmptyState>
          ) : (
            <ul className="nhsuk-list">
              {comments.map((c) => (
                <li key={c.id} className="nhsuk-u-margin-bottom-4">
                  <strong>{c.author.name}</strong> ({ROLE_LABELS[c.author.role]}), {formatDateTime(c.created_at)}
                  <p className="app-pre-wrap nhsuk-u-margin-bottom-0">{c.body}</p>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
      {empty ? (
        <ErrorSummary items={[{ href: '#comment-body', message: 'Enter a comment' }]} />
      ) : (
        <ErrorSummary error={add.error} fieldIds={{ body: 'comment-body' }} fieldLabels={{ body: 'Comment' }} />
      )}
      <form onSubmit={handle} noValidate>
        <Textarea
          id="comment-body"
          label="Add a comment"
          rows={3}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          error={empty ? 'Enter a comment' : fieldError(add.error, 'body')}
        />
        <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={add.isPending}>
          Add comment
        </button>
      </form>
    </section>
  );
}
