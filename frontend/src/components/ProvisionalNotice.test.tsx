import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ProvisionalNotice } from './ProvisionalNotice';

describe('ProvisionalNotice', () => {
  it('says it in one plain sentence and explains on demand', async () => {
    render(<ProvisionalNotice mapping={{ status: 'provisional', note: 'Derived by hand from ST0220 v1.1; replace via import.' } as never} />);
    const notice = screen.getByTestId('provisional-mapping');
    expect(notice).toHaveTextContent('The duty figures are provisional');
    expect(notice).not.toHaveTextContent('import'); // no developer wording
    const summary = screen.getByText('What this means for you');
    expect(summary.closest('details')).not.toHaveAttribute('open');
    await userEvent.click(summary);
    expect(summary.closest('details')).toHaveAttribute('open');
    expect(screen.getByText(/nothing you have done is lost/)).toBeVisible();
  });

  it('is not shown for an official mapping', () => {
    const { container } = render(<ProvisionalNotice mapping={{ status: 'official', note: '' } as never} />);
    expect(container).toBeEmptyDOMElement();
  });
});
