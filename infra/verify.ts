/**
 * `npm run verify -- <service> [--collection events|inbox] [--keys <audit-keys URL or JSON file>]`: walks the service's
 * event store (and its inbox) and prints the first broken link or "verified: N events, M checkpoints"; exits 1 on a
 * break. Reads MONGO_URL, and MONGO_DB or CBME_NAMESPACE as the services do (see docs/tamper-evidence.md). Checkpoint
 * signatures are checked against the keys given (the service's `GET /.well-known/audit-keys`), else only their roots.
 */
import { AuditPublicKey, describeVerification, verifyEventStore } from '@cbme/event-sourcing';
import mongoose from 'mongoose';
import { readFileSync } from 'node:fs';

const SERVICES = ['identity', 'coaching', 'feedback', 'analytics'];

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const service = args[0];
  const option = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
  const only = option('collection');
  const keysFrom = option('keys');
  if (!service || !SERVICES.includes(service)) {
    console.error(`usage: npm run verify -- <${SERVICES.join('|')}> [--collection events|inbox] [--keys <URL or file>]`);
    return 2;
  }
  const url = process.env.MONGO_URL;
  if (!url) {
    console.error('MONGO_URL is not set (eval "$(bash infra/local/stack.sh env)")');
    return 2;
  }
  const dbName = process.env.MONGO_DB || `${(process.env.CBME_NAMESPACE || 'cbme').replace(/-/g, '_')}_${service}`;
  const keys = keysFrom ? await readKeys(keysFrom) : undefined;
  if (!keys) console.log('no --keys: checkpoint signatures are not checked, only their Merkle roots');
  const connection = await mongoose.createConnection(url, { dbName, serverSelectionTimeoutMS: 5_000 }).asPromise();
  try {
    const existing = new Set((await connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
    let broken = false;
    for (const collection of only ? [only] : ['events', 'inbox']) {
      if (!existing.has(collection)) continue;
      const started = Date.now();
      const report = await verifyEventStore(connection, { collection, keys });
      const seconds = (Date.now() - started) / 1000;
      console.log(`${dbName}.${collection}: ${describeVerification(report)} in ${seconds.toFixed(1)} s`);
      broken ||= report.broken !== undefined;
    }
    return broken ? 1 : 0;
  } finally {
    await connection.close();
  }
}

async function readKeys(from: string): Promise<AuditPublicKey[]> {
  const body = /^https?:\/\//.test(from) ? await (await fetch(from)).json() : JSON.parse(readFileSync(from, 'utf8'));
  return (body as { keys: AuditPublicKey[] }).keys;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(2);
});
