/**
 * Small-cell suppression for de-identified tables.
 *
 * A table is a grid of cells; each cell describes some learners. It has one population per "view": its own
 * (the learners behind the value), and, for a filtered query, the learners behind the difference between
 * the same cell without the filter and with it (what a caller would get by subtracting two overlapping
 * queries). Rules, for a threshold k:
 *
 * 1. Primary: a cell is suppressed when, in any view, it describes between 1 and k - 1 learners.
 * 2. Complementary: a line is a set of cells whose sum is published as a total (a row of a table with a
 *    row-total column, a column with a total row). If a line with a published total holds suppressed cells,
 *    subtracting the published ones from the total gives the sum of the suppressed ones; so a line must hold
 *    at least two suppressed cells, and together they must describe 0 or at least k learners in every view.
 *    Otherwise one more cell of the line is suppressed (one that makes the line safe at once if there is one,
 *    describing as few learners as possible); when none is left, the total is. Repeated until every line is safe (suppressing in a column can break a row).
 * 3. Derived cells (ratios, medians) are suppressed when any cell they are computed from is, or when their
 *    own population is below k.
 * `forced` cells are suppressed first, like primary ones (the caller found them too close to a nested value
 * published elsewhere).
 */
export type Position = readonly [row: number, column: number];

export interface SuppressionProblem {
  /** populations[view][row][column]; view 0 is the cell's own learners */
  populations: number[][][];
  lines: { cells: Position[]; total: Position }[];
  derived?: { cell: Position; from: Position[] }[];
  forced?: Position[];
}

export const describesTooFew = (count: number, k: number) => count > 0 && count < k;

/** Which cells to suppress (true = suppressed), for threshold k. Pure and deterministic. */
export function suppressCells(problem: SuppressionProblem, k: number): boolean[][] {
  const { populations } = problem;
  const own = populations[0];
  const suppressed = own.map((row) => row.map(() => false));
  const pop = (view: number, [r, c]: Position) => populations[view]?.[r]?.[c] ?? 0;
  const isSuppressed = ([r, c]: Position) => suppressed[r][c];
  const suppress = ([r, c]: Position) => {
    suppressed[r][c] = true;
  };

  own.forEach((row, r) => row.forEach((_, c) => {
    if (populations.some((_view, v) => describesTooFew(pop(v, [r, c]), k))) suppress([r, c]);
  }));
  (problem.forced ?? []).forEach(suppress);

  const viewSums = (cells: Position[]) => populations.map((_view, v) => cells.reduce((sum, p) => sum + pop(v, p), 0));
  const safe = (hidden: Position[]) => hidden.length === 0 || (hidden.length >= 2 && viewSums(hidden).every((sum) => !describesTooFew(sum, k)));

  for (let changed = true; changed;) {
    changed = false;
    for (const { cells, total } of problem.lines) {
      const hidden = cells.filter(isSuppressed);
      if (isSuppressed(total) || safe(hidden)) continue;
      // prefer a cell that makes the line safe at once, then one that helps a view still below k; fewest learners first
      const short = viewSums(hidden).map((sum) => describesTooFew(sum, k));
      const key = (p: Position) => [
        safe([...hidden, p]) ? 0 : 1,
        populations.some((_view, v) => short[v] && pop(v, p) > 0) ? 0 : 1,
        pop(0, p), p[0], p[1],
      ];
      const candidates = cells.filter((p) => !isSuppressed(p)).sort((a, b) => compareKeys(key(a), key(b)));
      suppress(candidates[0] ?? total);
      changed = true;
    }
  }

  for (const { cell, from } of problem.derived ?? []) {
    if (from.some(isSuppressed)) suppress(cell);
  }
  return suppressed;
}

const compareKeys = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
};
