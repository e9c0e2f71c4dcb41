import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { EnvelopeSchema, EventEnvelope, upcastEnvelope } from './envelope';
import { ERASED, personalPaths, personalSubjectField } from './personal';

type Class<T> = new () => T;
type Upcaster = (olderData: Record<string, unknown>) => Record<string, unknown>;

/**
 * One event type of the public contract: its stable `type` string, current schema version,
 * runtime schema of the payload, and upcasters that lift each older version by one step.
 */
export interface EventDefinition<TType extends string, TData> {
  type: TType;
  schemaVersion: number;
  schema: Class<TData>;
  /** upcasters[n] turns version n into version n + 1. */
  upcasters: Record<number, Upcaster>;
}

export function defineEvent<TType extends string, TData extends object>(
  type: TType,
  schema: Class<TData>,
  options: { schemaVersion?: number; upcasters?: Record<number, Upcaster> } = {},
): EventDefinition<TType, TData> {
  return { type, schema, schemaVersion: options.schemaVersion ?? 1, upcasters: options.upcasters ?? {} };
}

/** The event (type + payload) a decider emits, typed from its definition. */
export type EventOf<D> = D extends EventDefinition<infer T, infer P> ? { type: T; data: P } : never;

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

export function describeErrors(errors: ValidationError[], prefix = ''): string {
  return errors
    .flatMap((e) => {
      const path = prefix ? `${prefix}.${e.property}` : e.property;
      const own = Object.values(e.constraints ?? {}).map((message) => `${path}: ${message}`);
      return [...own, describeErrors(e.children ?? [], path)].filter(Boolean);
    })
    .join('; ');
}

export function validateWith<T extends object>(schema: Class<T>, plain: unknown, erasedPaths: string[] = []): ValidationResult<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { ok: false, reason: 'expected a JSON object' };
  }
  const instance = plainToInstance(schema, plain);
  const errors = withoutErased(validateSync(instance, VALIDATION), new Set(erasedPaths));
  return errors.length ? { ok: false, reason: describeErrors(errors) } : { ok: true, value: instance };
}

/**
 * The errors but those of a personal field that reads ERASED (an erased person's e-mail address is no address, and
 * is what the record must say): `paths` as `personalFields` gives them (`list[].title`).
 */
function withoutErased(errors: ValidationError[], paths: Set<string>, prefix = ''): ValidationError[] {
  if (paths.size === 0) return errors;
  return errors.flatMap((error) => {
    const path = /^\d+$/.test(error.property) && prefix ? `${prefix}[]` : prefix ? `${prefix}.${error.property}` : error.property;
    if (error.value === ERASED && paths.has(path)) return [];
    const children = withoutErased(error.children ?? [], paths, path);
    return error.constraints || children.length ? [Object.assign(error, { children })] : [];
  });
}

/**
 * The fields of `data` that `schema` declares, nested objects included (class-validator's whitelist strips every other
 * one): how a contract's allow-list is applied, so a field nobody declared public never leaves a service.
 */
export function declaredFields<T extends object>(schema: Class<T>, data: object): Record<string, unknown> {
  const instance = plainToInstance(schema, data);
  validateSync(instance, { whitelist: true });
  return Object.fromEntries(Object.entries(instanceToPlain(instance)).filter(([, value]) => value !== undefined));
}

/** All event types a service knows; validates and upcasts envelopes read from the store or from Kafka. */
export class EventCatalog {
  private readonly byType = new Map<string, EventDefinition<string, object>>();
  private readonly personal = new Map<string, { paths: string[]; subjectField?: string } | null>();
  /** each type's subject field, read once from its schema's metadata (every append and import asks, see PersonalDataCipher) */
  private readonly subjects = new Map<string, string | undefined>();

  constructor(definitions: EventDefinition<string, object>[]) {
    for (const d of definitions) {
      if (this.byType.has(d.type)) throw new Error(`event type ${d.type} defined twice`);
      this.byType.set(d.type, d);
    }
  }

  /**
   * The personal fields of a type's current schema (see `Personal`) and the field naming whom they are about
   * (undefined: the stream's subject); null for a type without personal fields.
   */
  personalFields(type: string): { paths: string[]; subjectField?: string } | null {
    if (!this.personal.has(type)) {
      const schema = this.byType.get(type)?.schema;
      const paths = schema ? personalPaths(schema) : [];
      this.personal.set(type, schema && paths.length ? { paths, subjectField: personalSubjectField(schema) } : null);
    }
    return this.personal.get(type) ?? null;
  }

  /** The field naming a type's subject, for the types whose events name one (the subject of the stream they start). */
  subjectField(type: string): string | undefined {
    const definition = this.byType.get(type);
    if (!definition) return undefined;
    if (!this.subjects.has(type)) this.subjects.set(type, personalSubjectField(definition.schema));
    return this.subjects.get(type);
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  currentVersion(type: string): number {
    const definition = this.byType.get(type);
    if (!definition) throw new Error(`unknown event type ${type}`);
    return definition.schemaVersion;
  }

  /**
   * Lifts an event written with an older envelope or payload schema to the current ones (pure; the stored event is
   * untouched). The one upcast of both stores and of the Kafka consumer.
   */
  upcast<E extends EventEnvelope>(stored: E): E {
    const envelope = upcastEnvelope(stored);
    const definition = this.byType.get(envelope.type);
    if (!definition || envelope.schemaVersion >= definition.schemaVersion) return envelope;
    let data = envelope.data as Record<string, unknown>;
    for (let v = envelope.schemaVersion; v < definition.schemaVersion; v++) {
      const step = definition.upcasters[v];
      if (!step) throw new Error(`no upcaster for ${envelope.type} v${v}`);
      data = step(data);
    }
    return { ...envelope, schemaVersion: definition.schemaVersion, data };
  }

  /**
   * The form of an event this catalog publishes: lifted to the current schema version, with only the payload fields its
   * schema declares; null for a type the catalog does not hold (private by default).
   */
  publicForm<E extends EventEnvelope>(event: E): E | null {
    const definition = this.byType.get(event.type);
    if (!definition) return null;
    const current = this.upcast(event);
    return { ...current, data: declaredFields(definition.schema, current.data as object) };
  }

  /** Checks an untrusted message: envelope shape, known type, supported version, payload schema (a personal field may read ERASED). */
  parse(raw: unknown): ValidationResult<EventEnvelope> {
    const envelope = validateWith(EnvelopeSchema, raw);
    if (!envelope.ok) return { ok: false, reason: `invalid envelope: ${envelope.reason}` };
    const definition = this.byType.get(envelope.value.type);
    if (!definition) return { ok: false, reason: `unknown event type ${envelope.value.type}` };
    if (envelope.value.schemaVersion > definition.schemaVersion) {
      return { ok: false, reason: `${definition.type} v${envelope.value.schemaVersion} is newer than this service knows (v${definition.schemaVersion})` };
    }
    let upcast: EventEnvelope;
    try {
      upcast = this.upcast({ ...(raw as EventEnvelope) });
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
    const data = validateWith(definition.schema, upcast.data, this.personalFields(upcast.type)?.paths);
    if (!data.ok) return { ok: false, reason: `invalid ${definition.type} payload: ${data.reason}` };
    return { ok: true, value: { ...upcast, causationId: upcast.causationId ?? null, data: { ...data.value } } };
  }
}
