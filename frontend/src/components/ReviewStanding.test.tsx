import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ReviewStanding as Standing } from '../api/types';
import { ReviewStanding } from './ReviewStanding';

const base: Standing = { review_state: 'overdue', unsigned_reviews: 2, unsigned_overdue: true, on_break: false, next_review_due_by: '2026-03-31', last_review_on: null };

describe('review standing', () => {
  it('says the state, the due date and the unsigned reviews in words, and links to the reviews', () => {
    render(
      <MemoryRouter>
        <ReviewStanding standing={base} reviewsHref="/apprenticeships/a1/reviews" who="Ada" />
      </MemoryRouter>,
    );
    expect(screen.getByText('Review overdue')).toHaveClass('nhsuk-tag--red');
    expect(screen.getByText('Due by 31 March 2026')).toBeInTheDocument();
    expect(screen.getByText('2 unsigned reviews')).toBeInTheDocument();
    expect(screen.getByText(/unsigned for over 14 days/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Reviews\s*of Ada/ })).toHaveAttribute('href', '/apprenticeships/a1/reviews');
  });

  it('shows a break instead of a deadline', () => {
    render(<ReviewStanding standing={{ ...base, review_state: 'on_time', on_break: true, next_review_due_by: null, unsigned_reviews: 0 }} />);
    expect(screen.getByText('On a break')).toBeInTheDocument();
    expect(screen.getByText('On a break in learning: no review falls due')).toBeInTheDocument();
    expect(screen.queryByText(/unsigned/)).not.toBeInTheDocument();
  });
});
