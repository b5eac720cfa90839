import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { makeCoverage, makeStandard } from '../test/fixtures';
import { renderApp } from '../test/render';
import { filterGrid, KsbGrid } from './KsbGrid';

describe('KsbGrid', () => {
  const standard = makeStandard();
  const coverage = makeCoverage({ S7: 'signed_off', K5: 'evidenced', S1: 'in_progress' });

  it('shows all 94 KSBs, each labelled with its status in words', () => {
    renderApp(<KsbGrid standard={standard} coverage={coverage.ksbs} apprenticeshipId="a1" />);
    const grid = screen.getByTestId('ksb-grid');
    expect(within(grid).getAllByRole('link')).toHaveLength(94);
    const s7 = within(grid).getByRole('link', { name: /^S7 Signed off/ });
    expect(s7).toHaveAttribute('href', '/apprenticeships/a1/ksbs/S7');
    expect(s7).toHaveClass('app-status--signed_off');
    expect(within(grid).getByRole('link', { name: /^K5 Evidenced/ })).toBeInTheDocument();
  });

  it('filters by type, duty and status together', async () => {
    const user = userEvent.setup();
    renderApp(<KsbGrid standard={standard} coverage={coverage.ksbs} apprenticeshipId="a1" />);
    await user.selectOptions(screen.getByLabelText('Duty'), 'D2');
    expect(within(screen.getByTestId('ksb-grid')).getAllByRole('link')).toHaveLength(13);
    await user.selectOptions(screen.getByLabelText('Type'), 'skill');
    expect(within(screen.getByTestId('ksb-grid')).getAllByRole('link')).toHaveLength(6);
    await user.selectOptions(screen.getByLabelText('Status'), 'signed_off');
    const links = within(screen.getByTestId('ksb-grid')).getAllByRole('link');
    expect(links.map((l) => l.getAttribute('data-ksb'))).toEqual(['S7']);
    expect(screen.getByText('Showing 1 of 94 KSBs')).toBeInTheDocument();
  });

  it('shows a tile’s statement while it has focus, and every statement when expanded', async () => {
    const user = userEvent.setup();
    renderApp(<KsbGrid standard={standard} coverage={coverage.ksbs} apprenticeshipId="a1" />);
    const s7 = within(screen.getByTestId('ksb-grid')).getByRole('link', { name: /^S7 Signed off/ });
    act(() => s7.focus());
    expect(screen.getByTestId('ksb-preview')).toHaveTextContent('S7: Perform quality control and calibration of equipment');
    await user.click(screen.getByRole('button', { name: 'Show KSB statements' }));
    expect(screen.getByRole('button', { name: 'Hide KSB statements' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.queryByTestId('ksb-preview')).toBeNull();
    expect(s7.querySelector('.app-ksb-grid__text')).toHaveTextContent('Perform quality control and calibration of equipment');
  });

  it('defines every status on the page', () => {
    renderApp(<KsbGrid standard={standard} coverage={coverage.ksbs} apprenticeshipId="a1" />);
    const key = screen.getByRole('list', { name: 'What the statuses mean' });
    expect(key).toHaveTextContent('Evidenced: the training provider has accepted evidence for it');
    expect(key).toHaveTextContent('Not started: no evidence for it yet');
    expect(within(key).getAllByRole('listitem')).toHaveLength(4);
  });

  it('treats KSBs missing from coverage as not started, sorted K, S, B', () => {
    const cells = filterGrid(standard, [], { kind: '', duty: 'D1', status: '' });
    expect(cells.map((c) => c.code)).toEqual(['K1', 'K2', 'K3', 'K4', 'S1', 'S2', 'S3', 'S4', 'B1', 'B2']);
    expect(new Set(cells.map((c) => c.status))).toEqual(new Set(['not_started']));
  });
});
