import type { Cell } from './export.ts';
import type { FormulaKey } from './types.ts';

/** One column of a DataTable: `value` is exported (CSV/JSON) and, unless `text` is given, shown. */
export interface Column<R> {
  key: string;
  label: string;
  value: (row: R) => Cell;
  text?: (row: R) => string;
  href?: (row: R) => string | undefined;
  num?: boolean;
  /** Long text (a sentence) that wraps on a phone, where other cells keep to one line and the table scrolls. */
  wrap?: boolean;
  /** The formula behind the column's figure: an (i) in its header. */
  info?: FormulaKey;
}
