import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { ErrorSummary, summaryItems } from './ErrorSummary';

const validation = new ApiError(422, {
  title: 'Validation failed',
  detail: 'Validation failed',
  code: 'validation_failed',
  errors: [
    { field: 'title', message: 'Enter a title' },
    { field: 'ksbs', message: 'K99 is not a KSB of ST0220' },
  ],
});

function heading(container: HTMLElement, id: string | null | undefined) {
  return container.ownerDocument.getElementById(id ?? '');
}

describe('ErrorSummary', () => {
  it('gives two summaries on one page headings of their own', () => {
    const { container } = render(
      <>
        <ErrorSummary title="The form has a problem" items={[{ message: 'Enter a title' }]} />
        <ErrorSummary title="The panel has a problem" items={[{ message: 'Choose a date' }]} />
      </>,
    );
    const summaries = Array.from(container.querySelectorAll('.nhsuk-error-summary'));
    expect(summaries).toHaveLength(2);
    const ids = summaries.map((s) => s.getAttribute('aria-labelledby'));
    expect(new Set(ids).size).toBe(2);
    summaries.forEach((summary, i) => expect(summary).toContainElement(heading(container, ids[i])));
    expect(heading(container, ids[0])).toHaveTextContent('The form has a problem');
    expect(heading(container, ids[1])).toHaveTextContent('The panel has a problem');
  });

  it('links each field error to its input and focuses itself', () => {
    render(
      <>
        <ErrorSummary error={validation} fieldIds={{ title: 'evidence-title', ksbs: 'evidence-ksbs' }} />
        <input id="evidence-title" aria-label="Title" />
      </>,
    );
    const summary = screen.getByRole('alert').parentElement;
    expect(summary).toHaveFocus();
    expect(screen.getByRole('link', { name: 'Enter a title' })).toHaveAttribute('href', '#evidence-title');
    expect(screen.getByRole('link', { name: 'K99 is not a KSB of ST0220' })).toHaveAttribute('href', '#evidence-ksbs');
  });

  it('clicking a link moves focus to the field', async () => {
    const user = userEvent.setup();
    render(
      <>
        <ErrorSummary error={validation} fieldIds={{ title: 'evidence-title' }} />
        <input id="evidence-title" aria-label="Title" />
      </>,
    );
    Element.prototype.scrollIntoView = () => undefined;
    await user.click(screen.getByRole('link', { name: 'Enter a title' }));
    expect(screen.getByLabelText('Title')).toHaveFocus();
  });

  it('shows the detail of a non-field problem, such as the NHS number refusal', () => {
    const items = summaryItems(
      new ApiError(422, { code: 'nhs_number_detected', detail: 'The text contains what looks like an NHS number. Remove it.' }),
    );
    expect(items).toEqual([{ message: 'The text contains what looks like an NHS number. Remove it.' }]);
  });

  it('puts the field label in front of the server\'s field messages and skips a detail that only repeats them', () => {
    const error = new ApiError(422, {
      title: 'Unprocessable Entity',
      code: 'validation_failed',
      detail: "occurred_on: must not be in the future; ksbs[1]: Q1 is not a KSB of this apprenticeship's standard",
      errors: [
        { field: 'occurred_on', message: 'must not be in the future' },
        { field: 'ksbs[1]', message: "Q1 is not a KSB of this apprenticeship's standard" },
      ],
    });
    const items = summaryItems(error, { occurred_on: 'evidence-date', ksbs: 'evidence-ksbs' }, { occurred_on: 'Date it happened' });
    expect(items).toEqual([
      { href: '#evidence-date', message: 'Date it happened must not be in the future' },
      { href: '#evidence-ksbs', message: "Q1 is not a KSB of this apprenticeship's standard" },
    ]);
    expect(error.fieldMessage('ksbs')).toBe("Q1 is not a KSB of this apprenticeship's standard");
  });

  it('says when to try again after throttling', () => {
    const items = summaryItems(new ApiError(429, { detail: 'Too many sign-in attempts.' }, 30));
    expect(items[0]?.message).toBe('Too many sign-in attempts. Try again in 30 seconds.');
  });

  it('renders nothing without an error', () => {
    const { container } = render(<ErrorSummary error={null} />);
    expect(container).toBeEmptyDOMElement();
  });
});
