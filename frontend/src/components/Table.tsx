/**
 * The one table markup of the app (NHS design system classes), in two forms:
 *
 * - `responsive`: the NHS responsive table. From the desktop breakpoint it is a normal table;
 *   below it each row becomes a stack of "heading: value" lines, so no column is ever
 *   off-screen on a phone. Screen readers keep the table semantics through explicit roles (the
 *   CSS changes `display`, which would otherwise drop them). Every `Cell` and `RowHeader` then
 *   names its column in `heading`.
 * - otherwise a plain table; with `scroll` it sits in a focusable region that scrolls sideways,
 *   so the page itself still reflows at 320 px (WCAG 1.4.10).
 */
import { createContext, useContext, type HTMLAttributes, type ReactNode, type ThHTMLAttributes } from 'react';

const Responsive = createContext(false);

function classes(...names: (string | false | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}

export function Table({
  caption,
  captionId,
  captionSize = 's',
  testId,
  className,
  responsive = false,
  scroll = false,
  children,
}: {
  caption: ReactNode;
  /** required with `scroll`: the region is named by the caption */
  captionId?: string;
  captionSize?: 's' | 'm';
  testId?: string;
  className?: string;
  responsive?: boolean;
  scroll?: boolean;
  children: ReactNode;
}) {
  const table = (
    <table
      className={classes('nhsuk-table', responsive && 'nhsuk-table--responsive', className)}
      role={responsive ? 'table' : undefined}
      data-testid={testId}
      aria-labelledby={responsive ? captionId : undefined}
    >
      <caption className={`nhsuk-table__caption nhsuk-table__caption--${captionSize}`} id={captionId}>
        {caption}
      </caption>
      <Responsive value={responsive}>{children}</Responsive>
    </table>
  );
  if (!scroll) return table;
  return (
    <div className="app-table-scroll" tabIndex={0} role="region" aria-labelledby={captionId}>
      {table}
    </div>
  );
}

/** A column of `Head`'s list: its name, numeric columns right-aligned; `false` or `undefined` leaves it out. */
export type Column = string | { label: string; numeric: true } | false | undefined;

/** The header row: `columns` by name, or `ColumnHeader`s (and sortable ones) as children. */
export function Head({ columns = [], children }: { columns?: readonly Column[]; children?: ReactNode }) {
  const responsive = useContext(Responsive);
  return (
    <thead className="nhsuk-table__head" role={responsive ? 'rowgroup' : undefined}>
      <tr className="nhsuk-table__row" role={responsive ? 'row' : undefined}>
        {columns.map((column) =>
          !column ? null : typeof column === 'string' ? (
            <ColumnHeader key={column}>{column}</ColumnHeader>
          ) : (
            <ColumnHeader key={column.label} numeric>
              {column.label}
            </ColumnHeader>
          ),
        )}
        {children}
      </tr>
    </thead>
  );
}

export function Body({ children }: { children: ReactNode }) {
  const responsive = useContext(Responsive);
  return (
    <tbody className="nhsuk-table__body" role={responsive ? 'rowgroup' : undefined}>
      {children}
    </tbody>
  );
}

export function ColumnHeader({ children, numeric, className, ...rest }: { children: ReactNode; numeric?: boolean } & ThHTMLAttributes<HTMLTableCellElement>) {
  const responsive = useContext(Responsive);
  return (
    <th className={classes('nhsuk-table__header', numeric && 'nhsuk-table__header--numeric', className)} scope="col" role={responsive ? 'columnheader' : undefined} {...rest}>
      {children}
    </th>
  );
}

export function Row({ children, ...rest }: { children: ReactNode } & HTMLAttributes<HTMLTableRowElement>) {
  const responsive = useContext(Responsive);
  return (
    <tr className="nhsuk-table__row" role={responsive ? 'row' : undefined} {...rest}>
      {children}
    </tr>
  );
}

/** The column's name, shown before the value only below the desktop breakpoint. */
function Labelled({ heading, children }: { heading: string | undefined; children: ReactNode }) {
  const responsive = useContext(Responsive);
  if (!responsive) return children;
  return (
    <>
      <span className="nhsuk-table__heading" aria-hidden="true">
        {heading}{' '}
      </span>
      <span>{children}</span>
    </>
  );
}

/** A data cell; `heading` (its column's name) is needed in a responsive table. */
export function Cell({ heading, numeric, className, children }: { heading?: string; numeric?: boolean; className?: string; children: ReactNode }) {
  const responsive = useContext(Responsive);
  return (
    <td className={classes('nhsuk-table__cell', numeric && 'nhsuk-table__cell--numeric', className)} role={responsive ? 'cell' : undefined}>
      <Labelled heading={heading}>{children}</Labelled>
    </td>
  );
}

/** The row's first cell, naming the row (the apprentice, the user, the duty …). */
export function RowHeader({ heading, className, children }: { heading?: string; className?: string; children: ReactNode }) {
  const responsive = useContext(Responsive);
  return (
    <th className={classes('nhsuk-table__header', className)} scope="row" role={responsive ? 'rowheader' : undefined}>
      <Labelled heading={heading}>{children}</Labelled>
    </th>
  );
}
