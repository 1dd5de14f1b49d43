/** A column of one of the dashboard's tables. */
export interface Column {
  readonly label: string;
  /** Its classes: `num` (right-aligned figures), `wide-only` (hidden on narrow screens), ... */
  readonly class?: string;
  readonly title?: string;
  /** A heading for screen readers only (a column of buttons). */
  readonly srOnly?: boolean;
}

/** The header row of a table: one `<th scope="col">` a column; `false` leaves a column out. */
export function ColumnHeaders({ columns }: { columns: readonly (Column | false)[] }) {
  return (
    <thead>
      <tr>
        {columns.map(
          (c) =>
            c && (
              <th key={c.label} scope="col" class={c.class} title={c.title}>
                {c.srOnly ? <span class="sr-only">{c.label}</span> : c.label}
              </th>
            ),
        )}
      </tr>
    </thead>
  );
}
