import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { dutyCoverage } from '../test/fixtures';
import { DutyBars } from './DutyBars';

describe('DutyBars', () => {
  const duties = [
    dutyCoverage('D1', { signed_off: 10 }),
    dutyCoverage('D2', { signed_off: 1, evidenced: 2, in_progress: 3, not_started: 7 }),
  ];

  it('writes each duty’s figures in words next to its bar', () => {
    render(<DutyBars duties={duties} />);
    expect(screen.getByTestId('duty-D2-figures')).toHaveTextContent('1 of 13 signed off, 2 evidenced, 3 in progress, 7 not started');
    expect(screen.getByTestId('duty-D1-figures')).toHaveTextContent('10 of 10 signed off');
  });

  it('draws segments whose widths add up to 100% and skips empty ones', () => {
    const { container } = render(<DutyBars duties={duties} />);
    const d2 = container.querySelector('[data-duty="D2"] .app-duty-bars__bar');
    const widths = [...(d2?.querySelectorAll<HTMLElement>('.app-duty-bars__segment') ?? [])].map((el) => el.style.width);
    expect(widths).toEqual(['8%', '15%', '23%', '54%']);
    const d1 = container.querySelector('[data-duty="D1"] .app-duty-bars__bar');
    expect(d1?.querySelectorAll('.app-duty-bars__segment')).toHaveLength(1);
    expect(d1?.getAttribute('aria-hidden')).toBe('true');
  });

  it('has a table twin with the same numbers', () => {
    render(<DutyBars duties={duties} />);
    const table = screen.getByRole('table', { name: /progress by duty/i });
    const row = within(table).getByRole('row', { name: /^D2/ });
    expect(within(row).getAllByRole('cell').map((c) => c.textContent).slice(0, 6)).toEqual(['1', '2', '3', '7', '13', '8%']);
  });

  it('marks the time elapsed on every bar and says it in words and in the table', () => {
    const { container } = render(<DutyBars duties={duties} elapsed={{ percent: 40, from: '2025-09-01', to: '2027-08-31' }} />);
    expect(screen.getByTestId('time-elapsed')).toHaveTextContent('40% of the planned period (1 September 2025 to 31 August 2027) has passed');
    expect(screen.getByTestId('duty-D2-elapsed').style.left).toBe('40%');
    expect(container.querySelector('[data-duty="D2"] .app-duty-bars__bar')?.getAttribute('aria-hidden')).toBe('true');
    expect(screen.getByTestId('duty-D2-figures')).toHaveTextContent('7 not started; time elapsed 40%');
    const table = screen.getByRole('table', { name: /progress by duty/i });
    const row = within(table).getByRole('row', { name: /^D2/ });
    expect(within(row).getAllByRole('cell').at(-1)).toHaveTextContent('40%');
  });
});
