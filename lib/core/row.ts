/** A record of a table or a chart's data: one value per column (null prints as "–"). */
export type Row = Record<string, string | number | boolean | null>;
