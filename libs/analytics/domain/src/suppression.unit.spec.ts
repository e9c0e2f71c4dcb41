import { Position, suppressCells } from './suppression';

/** A table with row totals (last column) and column totals (last row), every cell counting distinct learners. */
function twoWay(body: number[][]) {
  const rows = body.map((row) => [...row, row.reduce((a, b) => a + b, 0)]);
  const totals = rows[0].map((_, c) => rows.reduce((sum, row) => sum + row[c], 0));
  const grid = [...rows, totals];
  const R = body.length;
  const C = body[0].length;
  const lines = [
    ...grid.map((_, r) => ({ cells: Array.from({ length: C }, (_, c) => [r, c] as Position), total: [r, C] as Position })),
    ...grid[0].map((_, c) => ({ cells: Array.from({ length: R }, (_, r) => [r, c] as Position), total: [R, c] as Position })),
  ];
  return { grid, lines };
}

/** What a caller can work out: for each line with a published total, the sum of its suppressed cells. */
function derivableGroups(grid: number[][], suppressed: boolean[][], lines: { cells: Position[]; total: Position }[]) {
  return lines.filter(({ total }) => !suppressed[total[0]][total[1]])
    .map(({ cells }) => cells.filter(([r, c]) => suppressed[r][c]))
    .filter((hidden) => hidden.length > 0)
    .map((hidden) => ({ count: hidden.length, learners: hidden.reduce((sum, [r, c]) => sum + grid[r][c], 0) }));
}

describe('small-cell suppression', () => {
  it('suppresses a cell describing 1 to k-1 learners, and keeps zeros and cells of k or more', () => {
    const suppressed = suppressCells({ populations: [[[0, 1, 9, 10, 40]]], lines: [] }, 10);
    expect(suppressed).toEqual([[false, true, true, false, false]]);
  });

  it('a lone suppressed cell in a row forces a second suppression in that row (and the columns stay safe)', () => {
    const { grid, lines } = twoWay([
      [3, 20, 25],
      [30, 40, 50],
      [35, 45, 55],
    ]);
    const suppressed = suppressCells({ populations: [grid], lines }, 10);
    expect(suppressed[0][0]).toBe(true);
    expect(suppressed[0].slice(0, 3).filter(Boolean).length).toBeGreaterThanOrEqual(2);
    // the column of the first suppression needs a second one too, and so on until every line is safe
    for (const group of derivableGroups(grid, suppressed, lines)) {
      expect(group.count).toBeGreaterThanOrEqual(2);
      expect(group.learners >= 10 || group.learners === 0).toBe(true);
    }
  });

  it('two small cells in one line are not enough when together they still describe fewer than k learners', () => {
    const { grid, lines } = twoWay([[3, 4, 30, 40]]);
    const suppressed = suppressCells({ populations: [grid], lines }, 10);
    const hidden = grid[0].slice(0, 4).filter((_, c) => suppressed[0][c]);
    // 3 + 4 = 7 < 10: a third cell (the next smallest, 30) is suppressed as well
    expect(hidden).toEqual([3, 4, 30]);
    expect(derivableGroups(grid, suppressed, lines).every((g) => g.learners >= 10)).toBe(true);
  });

  it('suppresses the total when the line cannot be made safe (a whole row below k)', () => {
    const { grid, lines } = twoWay([[2, 3]]);
    const suppressed = suppressCells({ populations: [grid], lines }, 10);
    expect(suppressed[0]).toEqual([true, true, true]);
    expect(derivableGroups(grid, suppressed, lines).every((g) => g.learners === 0 || g.learners >= 10)).toBe(true);
  });

  it('guards against differencing: a filtered cell is suppressed when the unfiltered one minus it describes 1 to k-1 learners', () => {
    // filtered (competency X): 25 learners; the same cell without the filter: 28; the difference: 3 learners
    const suppressed = suppressCells({ populations: [[[25, 40]], [[3, 0]]], lines: [] }, 10);
    expect(suppressed).toEqual([[true, false]]);
  });

  it('follows derived cells: a ratio is hidden when any cell it is computed from is', () => {
    const suppressed = suppressCells({ populations: [[[4, 30, 30]]], lines: [], derived: [{ cell: [0, 2], from: [[0, 0], [0, 1]] }] }, 10);
    expect(suppressed).toEqual([[true, false, true]]);
  });

  it('honours the threshold it is given (k = 5)', () => {
    expect(suppressCells({ populations: [[[4, 5]]], lines: [] }, 5)).toEqual([[true, false]]);
  });

  it('never leaves a derivable group below k in random two-way tables', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let run = 0; run < 200; run++) {
      const columns = 2 + Math.floor(random() * 4);
      const body = Array.from({ length: 2 + Math.floor(random() * 4) }, () => Array.from({ length: columns }, () => Math.floor(random() * 30)));
      const { grid, lines } = twoWay(body);
      const suppressed = suppressCells({ populations: [grid], lines }, 10);
      grid.forEach((row, r) => row.forEach((value, c) => {
        if (value > 0 && value < 10) expect(suppressed[r][c]).toBe(true);
      }));
      for (const group of derivableGroups(grid, suppressed, lines)) {
        expect(group.count).toBeGreaterThanOrEqual(2);
        expect(group.learners === 0 || group.learners >= 10).toBe(true);
      }
    }
  });
});
