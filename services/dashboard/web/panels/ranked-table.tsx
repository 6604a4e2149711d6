import type { ComponentChildren } from 'preact';
import { Empty } from './card.tsx';

/** A numeric column: its header, its `data-field` name and the text of a row's cell. */
export type RankedColumn<Row> = {
  header: string;
  field: string;
  text: (row: Row) => string;
  /** The exact value when the text is rounded or grouped (`data-exact`, read by the browser tests). */
  exact?: (row: Row) => string;
};

/**
 * Rows already ranked by the query (top lines, top clients): a name column, then numeric ones.
 * Each row carries its name as a `data-<keyAttr>` attribute and each number as `data-field`, the
 * hooks the browser tests read.
 */
export function RankedTable<Row>(props: {
  rows: Row[];
  none: ComponentChildren;
  nameHeader: string;
  name: (row: Row) => string;
  /** `line-id` gives every row `data-line-id="<name>"`. */
  keyAttr: string;
  columns: RankedColumn<Row>[];
  /** Attributes of the table itself (`data-testid`, `data-factory-id`). */
  tableAttrs?: Record<string, string | null>;
}) {
  if (props.rows.length === 0) return <Empty>{props.none}</Empty>;
  return (
    <table {...props.tableAttrs}>
      <thead>
        <tr>
          <th>{props.nameHeader}</th>
          {props.columns.map((c) => (
            <th class="num" key={c.field}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => {
          const name = props.name(row);
          return (
            <tr key={name} {...{ [`data-${props.keyAttr}`]: name }}>
              <td>{name}</td>
              {props.columns.map((c) => (
                <td class="num" key={c.field} data-field={c.field} data-exact={c.exact?.(row)}>
                  {c.text(row)}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
