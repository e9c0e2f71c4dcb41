/** One line of a crosswalk as typed or uploaded: `old,new` or `old,new1;new2` (a header line `from,to` is skipped). */
export interface CrosswalkLine {
  from: string;
  to: string[];
}

/** The rows to send, and for each the line of the text it came from (the service numbers rows from 1 in the order sent). */
export function parseCrosswalk(text: string): { rows: CrosswalkLine[]; lines: number[] } {
  const rows: CrosswalkLine[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || (i === 0 && /^from\s*,\s*to$/i.test(line))) return;
    const [from, ...rest] = line.split(',');
    rows.push({ from: from.trim(), to: rest.join(',').split(/[;|]/).map((t) => t.trim()).filter(Boolean) });
    lines.push(i + 1);
  });
  return { rows, lines };
}

/** The competencies of the new version, `code,name` per line. */
export function parseCompetencies(text: string): { code: string; name: string }[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !/^code\s*,\s*name$/i.test(l)).map((l) => {
    const [code, ...name] = l.split(',');
    return { code: code.trim(), name: name.join(',').trim() };
  });
}

/** A refusal's row numbers turned back into the lines of the text. */
export const toTextLines = <T extends { line: number }>(problems: T[], lines: number[]): T[] => problems.map((p) => ({ ...p, line: lines[p.line - 1] ?? p.line }));
