/**
 * NHS error summary for a failed form: one link per field error, pointing at the input with
 * that field's id (field names come from problem+json `errors[].field`). It takes focus when
 * it appears so keyboard and screen-reader users land on it.
 */
import { useEffect, useId, useRef } from 'react';
import { ApiError, baseField } from '../api/client';

export interface SummaryItem {
  /** id of the input to link to, or undefined for a message without a field */
  href?: string;
  message: string;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The server's field messages are relative to their field ("must not be in the future"). In the
 * summary, far from the field, they get the field's label in front ("Date it happened must not
 * be in the future"); messages that already start with a capital or a code stay as they are.
 */
export function fieldSentence(message: string, field: string, labels: Record<string, string> = {}): string {
  if (!/^[a-z]/.test(message)) return message;
  const base = baseField(field);
  const label = labels[field] ?? labels[base] ?? capitalise(base.replaceAll('_', ' '));
  return `${label} ${message}`;
}

/**
 * Turn an error into summary items; `fieldIds` maps API field names to input ids and
 * `fieldLabels` to the words the form shows for them.
 */
export function summaryItems(
  error: unknown,
  fieldIds: Record<string, string> = {},
  fieldLabels: Record<string, string> = {},
): SummaryItem[] {
  if (error instanceof ApiError) {
    if (error.fieldErrors.length > 0) {
      const items = error.fieldErrors.map((e) => {
        const id = fieldIds[e.field] ?? fieldIds[baseField(e.field)];
        return { href: id === undefined ? undefined : `#${id}`, message: fieldSentence(e.message, e.field, fieldLabels) };
      });
      // The server's detail for a plain validation failure only joins the field messages;
      // it is worth showing only when it says more (the NHS number refusal explains why).
      const repeatsFields = error.fieldErrors.every((e) => error.detail.includes(e.message));
      return error.detail && error.detail !== error.title && !repeatsFields
        ? [{ message: error.detail }, ...items]
        : items;
    }
    if (error.status === 429 && error.retryAfter !== null) {
      return [{ message: `${error.detail} Try again in ${error.retryAfter} seconds.` }];
    }
    return [{ message: error.detail }];
  }
  if (error instanceof Error) return [{ message: error.message }];
  return [{ message: 'Something went wrong.' }];
}

export function ErrorSummary({
  error,
  fieldIds,
  fieldLabels,
  items,
  title = 'There is a problem',
}: {
  /** the heading; what happened when part of the action succeeded */
  title?: string;
  error?: unknown;
  fieldIds?: Record<string, string>;
  fieldLabels?: Record<string, string>;
  /** client-side validation items, shown instead of `error` when given */
  items?: SummaryItem[];
}) {
  const ref = useRef<HTMLDivElement>(null);
  // Unique per summary: a page may show two at once (a form's and a panel's).
  const titleId = `error-summary-title-${useId()}`;
  const list = items ?? (error === undefined || error === null ? [] : summaryItems(error, fieldIds, fieldLabels));
  const key = list.map((i) => i.message).join('|');
  useEffect(() => {
    if (key) ref.current?.focus();
  }, [key, error]);
  if (list.length === 0) return null;
  return (
    <div className="nhsuk-error-summary" aria-labelledby={titleId} tabIndex={-1} ref={ref}>
      <div role="alert">
        <h2 className="nhsuk-error-summary__heading" id={titleId}>
          {title}
        </h2>
        <div className="nhsuk-error-summary__body">
          <ul className="nhsuk-list nhsuk-error-summary__list">
            {list.map((item, i) => (
              <li key={`${i}-${item.message}`}>
                {item.href ? (
                  <a
                    href={item.href}
                    onClick={(event) => {
                      // Move focus to the field itself, not just scroll to it.
                      const target = document.getElementById(item.href?.slice(1) ?? '');
                      if (target) {
                        event.preventDefault();
                        target.focus();
                        target.scrollIntoView({ block: 'center' });
                      }
                    }}
                  >
                    {item.message}
                  </a>
                ) : (
                  item.message
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

/** Message for one field from an ApiError or a client-side map. */
export function fieldError(
  error: unknown,
  field: string,
  local: Record<string, string | undefined> = {},
): string | undefined {
  if (local[field] !== undefined) return local[field];
  if (error instanceof ApiError) {
    const message = error.fieldMessage(field);
    return message === undefined ? undefined : capitalise(message);
  }
  return undefined;
}
