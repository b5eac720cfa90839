import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { makeStandard } from '../test/fixtures';
import { KsbPicker } from './KsbPicker';

function Harness({ initial = [] as string[] }) {
  const [selected, setSelected] = useState(initial);
  return <KsbPicker id="ksbs" standard={makeStandard()} selected={selected} onChange={setSelected} />;
}

describe('KsbPicker', () => {
  it('says the duty mapping is provisional', () => {
    render(<Harness />);
    expect(screen.getByTestId('provisional-mapping')).toHaveTextContent('provisional');
  });

  it('searches by code and shows the match under its duty', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.type(screen.getByLabelText('Search KSBs'), 's7');
    expect(screen.getByText('1 of 94 KSBs match')).toBeInTheDocument();
    const box = screen.getByRole('checkbox', { name: /S7 Perform quality control/ });
    expect(box.closest('details')?.querySelector('summary')).toHaveTextContent('D2');
  });

  it('searches by words and ticking adds the code to the chosen list, sorted', async () => {
    const user = userEvent.setup();
    render(<Harness initial={['S10']} />);
    await user.type(screen.getByLabelText('Search KSBs'), 'calibration');
    await user.click(screen.getByRole('checkbox', { name: /S7/ }));
    expect(screen.getByTestId('ksb-picker-selected')).toHaveTextContent('Chosen: S7, S10');
    await user.click(screen.getByRole('checkbox', { name: /S7/ }));
    expect(screen.getByTestId('ksb-picker-selected')).toHaveTextContent('Chosen: S10');
  });

  it('a KSB under two duties is ticked in both places at once', async () => {
    const user = userEvent.setup();
    const standard = makeStandard();
    standard.duties.push({ code: 'D3', text: 'Duty D3 text', ksbs: ['S7'] });
    function Two() {
      const [selected, setSelected] = useState<string[]>([]);
      return <KsbPicker id="ksbs" standard={standard} selected={selected} onChange={setSelected} />;
    }
    render(<Two />);
    await user.type(screen.getByLabelText('Search KSBs'), 'S7');
    const boxes = screen.getAllByRole('checkbox', { name: /S7/ });
    expect(boxes).toHaveLength(2);
    await user.click(boxes[0] as HTMLElement);
    for (const box of screen.getAllByRole('checkbox', { name: /S7/ })) expect(box).toBeChecked();
    const d3 = screen.getByText(/D3: Duty D3 text/);
    expect(within(d3).getByText(/1 chosen/, { exact: false })).toBeTruthy();
  });
});
