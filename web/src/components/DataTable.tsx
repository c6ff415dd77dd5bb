/**
 * `<DataTable columns rows rowKey />`: a plain accessible table in a horizontally scrolling box,
 * with optional row selection (checkboxes) and a row action (click or Enter opens details).
 */
import type { ReactNode } from 'react';
import { Empty } from './States';

export interface Column<T> {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  align?: 'left' | 'right';
}

export interface DataTableProps<T> {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  caption?: string;
  onOpen?: (row: T) => void;
  selected?: ReadonlySet<string>;
  onSelect?: (key: string, on: boolean) => void;
  onSelectAll?: (on: boolean) => void;
  selectLabel?: string;
  testId?: string;
}

export function DataTable<T>(props: DataTableProps<T>) {
  const { columns, rows, rowKey, onOpen, selected, onSelect, onSelectAll } = props;
  if (rows.length === 0) return <Empty />;
  const allOn = selected !== undefined && rows.every((r) => selected.has(rowKey(r)));
  return (
    <div className="table-wrap" data-testid={props.testId}>
      <table className="data-table">
        {props.caption && <caption className="sr-only">{props.caption}</caption>}
        <thead>
          <tr>
            {onSelect && (
              <th className="col-select">
                <input
                  type="checkbox"
                  aria-label={props.selectLabel ?? 'select all'}
                  checked={allOn}
                  onChange={(e) => onSelectAll?.(e.target.checked)}
                />
              </th>
            )}
            {columns.map((c) => (
              <th key={c.key} style={{ textAlign: c.align ?? 'left' }} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = rowKey(row);
            return (
              <tr
                key={key}
                className={onOpen ? 'clickable' : undefined}
                tabIndex={onOpen ? 0 : undefined}
                onClick={onOpen ? () => onOpen(row) : undefined}
                onKeyDown={
                  onOpen
                    ? (e) => {
                        if (e.key === 'Enter' && e.target === e.currentTarget) onOpen(row);
                      }
                    : undefined
                }
                data-key={key}
              >
                {onSelect && (
                  <td className="col-select" onClick={(e) => e.stopPropagation()}>
                    <input
                      type="checkbox"
                      aria-label={`select ${key}`}
                      checked={selected?.has(key) ?? false}
                      onChange={(e) => onSelect(key, e.target.checked)}
                    />
                  </td>
                )}
                {columns.map((c) => (
                  <td key={c.key} style={{ textAlign: c.align ?? 'left' }}>
                    {c.render(row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
