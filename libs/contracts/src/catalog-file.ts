import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AsyncApiDocument } from './asyncapi';

/** The committed event catalog (the repository's docs/asyncapi.json), for the catalog script and tests only. */
export const CATALOG_FILE = path.resolve(__dirname, '../../../docs/asyncapi.json');

export const readCommittedCatalog = (): AsyncApiDocument => JSON.parse(readFileSync(CATALOG_FILE, 'utf8')) as AsyncApiDocument;

export const catalogText = (document: AsyncApiDocument): string => `${JSON.stringify(document, null, 2)}\n`;
