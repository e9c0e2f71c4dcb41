import { EventCatalog, EventDefinition } from './catalog';
import { ENVELOPE_VERSION, EnvelopeSchema } from './envelope';
import { jsonSchemaOf, JsonSchema } from './json-schema';
import { allPublicEvents } from './public-catalog';
import { CONTEXTS, contextOf, eventsTopic, transportKeysTopic } from './topics';

/*
 * The event catalog: an AsyncAPI 3.0 document of every public event, generated from the contracts (docs/asyncapi.json,
 * `npm run catalog`; served by each service at /asyncapi.json). A payload's schema is keyed `<type>.v<schemaVersion>`
 * in components.schemas, so a changed schema under an unchanged version can be told from the committed document.
 */

export type AsyncApiDocument = {
  asyncapi: string;
  components: { schemas: Record<string, JsonSchema>; messages: Record<string, object> };
  [key: string]: unknown;
};

const PREFIX = 'prefix';
const ENVELOPE = 'Envelope';
const TRANSPORT_KEY = 'TransportKey';

/** How a personal field travels (README, "Erasure"): what a consumer must know to read one. */
const SEALED_FIELD = 'Sealed for transport: `tpt1:<subject>:<iv>:<ciphertext+tag>` (base64url parts), AES-256-GCM under the '
  + 'subject\'s transport key of the publishing context, the subject as additional data. The key is on the context\'s '
  + 'transport-keys channel; once the subject is erased it is a tombstone there and the field reads "[erased]". A value '
  + 'without the prefix was published before transport encryption and is taken as it is.';

/** The components.schemas key of an event type's payload at one schema version. */
export const payloadSchemaKey = (type: string, schemaVersion: number): string => `${type}.v${schemaVersion}`;

export function buildAsyncApiDocument(definitions: EventDefinition<string, object>[] = allPublicEvents): AsyncApiDocument {
  const sorted = [...definitions].sort((a, b) => a.type.localeCompare(b.type));
  const catalog = new EventCatalog(definitions);
  const schemas: Record<string, JsonSchema> = { [ENVELOPE]: envelopeSchema() };
  const messages: Record<string, object> = {
    [TRANSPORT_KEY]: {
      name: TRANSPORT_KEY,
      title: 'a subject\'s transport key',
      contentType: 'text/plain',
      payload: {
        type: ['string', 'null'],
        description: 'The key (32 bytes) wrapped by the deployment\'s TRANSPORT_MASTER_KEY: `pii1:<subject>:<iv>:<ciphertext+tag>`, AES-256-GCM, the subject as additional data; null (a tombstone) once the subject is erased.',
      },
      bindings: { kafka: { key: { type: 'string', description: 'the subject (a person\'s user id)' }, bindingVersion: '0.5.0' } },
    },
  };
  for (const d of sorted) {
    const key = payloadSchemaKey(d.type, d.schemaVersion);
    schemas[key] = jsonSchemaOf(d.schema);
    const personal = catalog.personalFields(d.type);
    messages[d.type] = {
      name: d.type,
      ...(personal ? { 'x-personal': { fields: personal.paths, subject: personal.subjectField, encoding: SEALED_FIELD } } : {}),
      title: `${d.type} v${d.schemaVersion}`,
      contentType: 'application/json',
      headers: {
        type: 'object',
        properties: { type: { type: 'string', const: d.type }, schemaVersion: { type: 'string', const: String(d.schemaVersion) }, correlationId: { type: 'string' } },
        required: ['type', 'schemaVersion', 'correlationId'],
      },
      correlationId: { location: '$message.header#/correlationId' },
      payload: {
        allOf: [
          { $ref: `#/components/schemas/${ENVELOPE}` },
          {
            type: 'object',
            properties: { type: { const: d.type }, schemaVersion: { const: d.schemaVersion }, data: { $ref: `#/components/schemas/${key}` } },
          },
        ],
      },
      bindings: { kafka: { key: { type: 'string', description: 'the stream id (the envelope\'s streamId): one stream\'s events stay in one partition, in order' }, bindingVersion: '0.5.0' } },
    };
  }
  const channels = Object.fromEntries(CONTEXTS.map((context) => [
    `${context}Events`,
    {
      address: eventsTopic(`{${PREFIX}}`, context),
      description: `Every public event of the ${context} context, keyed by stream id.`,
      parameters: { [PREFIX]: { default: 'cbme', description: 'the deployment\'s namespace (CBME_NAMESPACE)' } },
      messages: Object.fromEntries(sorted.filter((d) => contextOf(d.type) === context).map((d) => [d.type, { $ref: `#/components/messages/${d.type}` }])),
    },
  ]).concat(CONTEXTS.map((context) => [
    `${context}TransportKeys`,
    {
      address: transportKeysTopic(`{${PREFIX}}`, context),
      description: `Compacted: the transport key of each subject whose personal fields the ${context} context publishes, announced before the first event that needs it; a tombstone once the subject is erased.`,
      parameters: { [PREFIX]: { default: 'cbme', description: 'the deployment\'s namespace (CBME_NAMESPACE)' } },
      messages: { [TRANSPORT_KEY]: { $ref: `#/components/messages/${TRANSPORT_KEY}` } },
    },
  ])));
  const operations = Object.fromEntries(CONTEXTS.flatMap((context) => [[
    `publish${context[0].toUpperCase()}${context.slice(1)}Events`,
    {
      action: 'send',
      summary: `The ${context} service's relay publishes its store's events, in order per stream, at least once (consumers are idempotent by eventId).`,
      channel: { $ref: `#/channels/${context}Events` },
      messages: sorted.filter((d) => contextOf(d.type) === context).map((d) => ({ $ref: `#/channels/${context}Events/messages/${d.type}` })),
    },
  ], [
    `publish${context[0].toUpperCase()}${context.slice(1)}TransportKeys`,
    {
      action: 'send',
      summary: `The ${context} service's relay announces a subject's transport key before the first event that needs it; its erasure writes the tombstone.`,
      channel: { $ref: `#/channels/${context}TransportKeys` },
      messages: [{ $ref: `#/channels/${context}TransportKeys/messages/${TRANSPORT_KEY}` }],
    },
  ]]));
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'CBME coaching platform: public events',
      version: `envelope-${ENVELOPE_VERSION}`,
      description: 'Every event the services publish on Kafka, generated from libs/contracts (`npm run catalog`). A message is an envelope whose `data` is the payload of its `type` at its `schemaVersion`; older versions are lifted by the contracts\' upcasters. The fields a message lists under `x-personal` travel sealed under the subject\'s transport key (see its `encoding`).',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { schemas, messages },
  };
}

function envelopeSchema(): JsonSchema {
  const schema = jsonSchemaOf(EnvelopeSchema);
  return { ...schema, description: `The envelope of every event (version ${ENVELOPE_VERSION}); \`data\` is the payload of its type.` };
}

/**
 * The (type, schemaVersion)s whose payload schema in `generated` differs from the one in `committed`: a contract
 * changed without a new schema version (bump it and add an upcaster). A version the committed document lacks is new.
 */
export function schemaChangesWithoutNewVersion(committed: AsyncApiDocument, generated: AsyncApiDocument): string[] {
  const changes: string[] = [];
  for (const [key, schema] of Object.entries(generated.components.schemas)) {
    const before = committed.components.schemas[key];
    if (before === undefined || sameJson(before, schema)) continue;
    changes.push(key === ENVELOPE
      ? `the envelope's schema changed under envelope version ${ENVELOPE_VERSION}: raise ENVELOPE_VERSION and lift the old one in upcastEnvelope`
      : `${key.replace(/\.v(\d+)$/, ' (schema version $1)')}: the payload schema changed under the same schema version: raise its schemaVersion and add an upcaster`);
  }
  return changes;
}

/** Key order does not matter; array order does (an enum's or a required list's order is as written). */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sorted(v)]));
  return value;
}
