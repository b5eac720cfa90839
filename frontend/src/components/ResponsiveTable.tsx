/**
 * The NHS design system's responsive table: a normal table from the desktop breakpoint, and
 * below it each row becomes a stack of "heading: value" lines, so no column is ever off-screen
 * on a phone. Screen readers keep the table semantics through the explicit roles (the CSS
 * changes `display`, which would otherwise drop them).
 */
import type { HTMLAttributes, ReactNode, ThHTMLAttributes } from 'react';

export function ResponsiveTable({ caption, captionId, testId, className, children }: { caption: ReactNode; captionId?: string; testId?: string; className?: string; children: ReactNode }) {
  return (
    <table className={`nhsuk-table nhsuk-table--responsive${className ? ` ${className}` : ''}`} role="table" data-testid={testId} aria-labelledby={captionId}>
      <caption className="nhsuk-table__caption nhsuk-table__caption--s" id={captionId}>
        {caption}
      </caption>
      {children}
    </table>
  );
}

/** The header row; each column header is a `ColumnHeader`. */
export function ResponsiveHead({ children }: { children: ReactNode }) {
  return (
    <thead className="nhsuk-table__head" role="rowgroup">
      <tr className="nhsuk-table__row" role="row">
        {children}
      </tr>
    </thead>
  );
}

export function ColumnHeader({ children, numeric, ...rest }: { children: ReactNode; numeric?: boolean } & ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th className={`nhsuk-table__header${numeric ? ' nhsuk-table__header--numeric' : ''}`} scope="col" role="columnheader" {...rest}>
      {children}
    </th>
  );
}

export function ResponsiveRow({ children, ...rest }: { children: ReactNode } & HTMLAttributes<HTMLTableRowElement>) {
  return (
    <tr className="nhsuk-table__row" role="row" {...rest}>
      {children}
    </tr>
  );
}

/** A data cell with its column's name, shown only below the desktop breakpoint. */
export function Cell({ heading, children, className }: { heading: string; children: ReactNode; className?: string }) {
  return (
    <td className={`nhsuk-table__cell${className ? ` ${className}` : ''}`} role="cell">
      <span className="nhsuk-table__heading" aria-hidden="true">
        {heading}{' '}
      </span>
      <span>{children}</span>
    </td>
  );
}

/** The row's first cell, naming the row (the apprentice, the user …). */
export function RowHeader({ heading, children }: { heading: string; children: ReactNode }) {
  return (
    <th className="nhsuk-table__header" scope="row" role="rowheader">
      <span className="nhsuk-table__heading" aria-hidden="true">
        {heading}{' '}
      </span>
      <span>{children}</span>
    </th>
  );
}
