/*
 * `npm run catalog`: writes docs/asyncapi.json from the contracts. Refuses when a payload schema changed under a
 * schema version the committed document already has (raise the version and add an upcaster instead); `-- --force`
 * writes anyway, for a change of the derivation itself (json-schema.ts) that changes no event.
 */
import 'reflect-metadata';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildAsyncApiDocument, schemaChangesWithoutNewVersion } from '../asyncapi';
import { CATALOG_FILE, catalogText, readCommittedCatalog } from '../catalog-file';

const generated = buildAsyncApiDocument();
const changes = existsSync(CATALOG_FILE) ? schemaChangesWithoutNewVersion(readCommittedCatalog(), generated) : [];
if (changes.length && !process.argv.includes('--force')) {
  process.stderr.write(`not written: ${changes.join('\n')}\n`);
  process.exit(1);
}
writeFileSync(CATALOG_FILE, catalogText(generated));
const events = Object.keys(generated.components.messages).filter((name) => name.includes(".")).length;
process.stdout.write(`${path.relative(process.cwd(), CATALOG_FILE)}: ${events} event types\n`);
