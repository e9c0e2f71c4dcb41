import { HistoryCsvOptions, historyCsvRows } from '@cbme/contracts';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { HistoryLineError } from './history-import';

export interface HistoryCsvConversion {
  /** rows that could not be read as records (they are not in the JSON Lines file) */
  errors: HistoryLineError[];
  /** the file is not CSV from some line on, or its header is unusable: nothing after that line was read */
  unreadable: boolean;
}

/**
 * Rewrites a CSV history file as JSON Lines, streamed, one record on the line its CSV row starts on (the lines between
 * are blank, and blank lines are numbered and skipped), so validation, the job and every error keep the CSV's line
 * numbers and nothing downstream knows the file was CSV. A row that is no record leaves its line blank and is
 * returned as an error.
 */
export async function csvAsHistoryLines(csvPath: string, jsonlPath: string, options: HistoryCsvOptions): Promise<HistoryCsvConversion> {
  const out = createWriteStream(jsonlPath, { encoding: 'utf8' });
  const result: HistoryCsvConversion = { errors: [], unreadable: false };
  let written = 0;
  try {
    for await (const row of historyCsvRows(createReadStream(csvPath), options)) {
      if (!('record' in row)) {
        result.errors.push({ line: row.line, ...(row.sourceId ? { sourceId: row.sourceId } : {}), reasons: row.reasons });
        result.unreadable ||= row.unreadable === true;
        continue;
      }
      const text = '\n'.repeat(row.line - 1 - written) + JSON.stringify(row.record) + '\n';
      written = row.line;
      if (!out.write(text)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await finished(out);
  }
  return result;
}
