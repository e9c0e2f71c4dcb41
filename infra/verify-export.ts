/**
 * `npm run verify-export -- <bundle.json> [--keys <pinned keys JSON>]`: checks a learner's verifiable export offline (no
 * network, no database; see docs/tamper-evidence.md, "Verifiable export"). Prints "verified: N events in M streams,
 * K checkpoints (U not yet covered)" and exits 0, or names the first problem and exits 1; 2 on a usage or read error.
 * Pinned keys: a JWKS (`{ "keys": [...] }`) for every service, or one per service (`{ "feedback": { "keys": [...] } }`).
 */
import { AuditExportBundle } from '@cbme/contracts';
import { readFileSync } from 'node:fs';
import { describeExportProblem, PinnedKeys, verifyExport } from '../libs/event-sourcing/src/store/verify-export';

function main(): number {
  const args = process.argv.slice(2);
  const keysAt = args.indexOf('--keys');
  const keysFile = keysAt >= 0 ? args[keysAt + 1] : undefined;
  const file = args.find((arg, i) => !arg.startsWith('--') && (keysAt < 0 || i !== keysAt + 1));
  if (!file || (keysAt >= 0 && !keysFile)) {
    console.error('usage: npm run verify-export -- <bundle.json> [--keys <pinned keys JSON>]');
    return 2;
  }
  let bundle: AuditExportBundle;
  let pinned: PinnedKeys | undefined;
  try {
    bundle = JSON.parse(readFileSync(file, 'utf8')) as AuditExportBundle;
    pinned = keysFile ? (JSON.parse(readFileSync(keysFile, 'utf8')) as PinnedKeys) : undefined;
  } catch (error) {
    console.error(`cannot read ${file}${keysFile ? ` or ${keysFile}` : ''}: ${(error as Error).message}`);
    return 2;
  }
  const started = process.hrtime.bigint();
  const report = verifyExport(bundle, pinned);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (report.problem) {
    console.log(`broken: ${describeExportProblem(report.problem)}`);
    return 1;
  }
  console.log(`verified: ${report.events} events in ${report.streams} streams, ${report.checkpoints} checkpoints (${report.notYetCovered} not yet covered)${pinned ? '' : ' with the keys in the bundle'}`);
  console.log(`checked in ${ms.toFixed(0)} ms (${Math.round(report.events / Math.max(ms / 1000, 1e-6))} events/s)`);
  return 0;
}

process.exitCode = main();
