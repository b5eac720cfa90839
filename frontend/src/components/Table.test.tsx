import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Body, Cell, Head, Row, RowHeader, Table } from './Table';

function People({ responsive = false, scroll = false }: { responsive?: boolean; scroll?: boolean }) {
  return (
    <Table caption="2 people" captionId="people-caption" testId="people" responsive={responsive} scroll={scroll}>
      <Head columns={['Name', { label: 'Evidence', numeric: true }]} />
      <Body>
        <Row>
          <RowHeader heading="Name">Ada</RowHeader>
          <Cell heading="Evidence" numeric>
            12
          </Cell>
        </Row>
      </Body>
    </Table>
  );
}

describe('Table', () => {
  it('is a plain NHS table named by its caption', () => {
    render(<People />);
    const table = screen.getByRole('table', { name: '2 people' });
    expect(table).toHaveClass('nhsuk-table');
    expect(table).not.toHaveClass('nhsuk-table--responsive');
    expect(within(table).getByRole('rowheader', { name: 'Ada' })).toHaveClass('nhsuk-table__header');
    expect(within(table).getByRole('cell', { name: '12' })).toHaveClass('nhsuk-table__cell--numeric');
    expect(within(table).getByRole('columnheader', { name: 'Evidence' })).toHaveClass('nhsuk-table__header--numeric');
    expect(screen.queryByRole('region')).toBeNull();
  });

  it('scrolls inside a focusable region named by the caption', () => {
    render(<People scroll />);
    const region = screen.getByRole('region', { name: '2 people' });
    expect(region).toHaveAttribute('tabindex', '0');
    expect(within(region).getByTestId('people')).toBeInTheDocument();
  });

  it('responsive: explicit roles, and each cell names its column for the stacked layout', () => {
    render(<People responsive />);
    const table = screen.getByTestId('people');
    expect(table).toHaveClass('nhsuk-table--responsive');
    expect(table).toHaveAttribute('role', 'table');
    const cell = within(table).getByRole('cell');
    expect(cell).toHaveAttribute('role', 'cell');
    expect(cell.querySelector('.nhsuk-table__heading')).toHaveTextContent('Evidence');
    expect(cell.querySelector('.nhsuk-table__heading')).toHaveAttribute('aria-hidden', 'true');
    expect(within(table).getByRole('rowheader')).toHaveTextContent(/Name\s*Ada/);
  });
});
