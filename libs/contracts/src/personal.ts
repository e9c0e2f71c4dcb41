import { Constructor, propertyRule, validatedProperties } from './json-schema';

/*
 * Personal data, marked where an event is defined (issue 16, crypto-shredding): a store encrypts the marked fields with
 * the key of the person they are about (the event's subject) and destroys that key to erase them.
 */

/** What a personal field of an erased person reads as, in every store, read model and received event. */
export const ERASED = '[erased]';

const personal = new WeakMap<object, Set<string>>();
const subjects = new WeakMap<object, string>();

/** Marks a string field (or array of strings) as personal data of the event's subject: stored encrypted, erasable. */
export function Personal(): PropertyDecorator {
  return (prototype, property) => {
    const own = personal.get(prototype) ?? new Set<string>();
    own.add(String(property));
    personal.set(prototype, own);
  };
}

/**
 * Marks the field naming whom the event's personal fields are about. Without it a schema's `learnerId` is its subject;
 * a schema with neither (a dialogue's entry) takes its stream's subject (the first event of the stream that names one).
 */
export function PersonalSubject(): PropertyDecorator {
  return (prototype, property) => {
    subjects.set(prototype, String(property));
  };
}

/** Reads a mark along the prototype chain, so a stored form inherits its public form's marks. */
function inherited<T>(marks: WeakMap<object, T>, schema: Constructor): T[] {
  const found: T[] = [];
  for (let prototype = schema.prototype; prototype && prototype !== Object.prototype; prototype = Object.getPrototypeOf(prototype)) {
    const mark = marks.get(prototype);
    if (mark !== undefined) found.push(mark);
  }
  return found;
}

/**
 * The personal fields of a schema as paths: `text`, `assessor.name`, `focusAreas[].title` (nested classes of
 * @ValidateNested properties included).
 */
export function personalPaths(schema: Constructor): string[] {
  const marked = new Set(inherited(personal, schema).flatMap((set) => [...set]));
  const paths: string[] = [];
  for (const [property, metadata] of validatedProperties(schema)) {
    const rule = propertyRule(schema, property, metadata);
    if (marked.has(property)) paths.push(property);
    else if (rule.nested) paths.push(...personalPaths(rule.nested).map((inner) => `${property}${rule.isArray ? '[]' : ''}.${inner}`));
  }
  return paths;
}

/** The field naming the subject of a schema's personal fields, if the schema has one (see PersonalSubject). */
export function personalSubjectField(schema: Constructor): string | undefined {
  const [explicit] = inherited(subjects, schema);
  if (explicit) return explicit;
  return validatedProperties(schema).has('learnerId') ? 'learnerId' : undefined;
}

/**
 * A copy of `data` with each string at the given paths (or each string of an array there) replaced by `change(value)`;
 * everything else, absent and null values included, as it was.
 */
export function mapPaths(data: Record<string, unknown>, paths: string[], change: (value: string) => string): Record<string, unknown> {
  let result = data;
  for (const path of paths) result = mapPath(result, path.split('.'), change) as Record<string, unknown>;
  return result;
}

function mapPath(value: unknown, [head, ...rest]: string[], change: (value: string) => string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const each = head.endsWith('[]');
  const key = each ? head.slice(0, -2) : head;
  if (!(key in record)) return value;
  const at = (inner: unknown) => (rest.length ? mapPath(inner, rest, change) : changeStrings(inner, change));
  const current = record[key];
  return { ...record, [key]: each && Array.isArray(current) ? current.map(at) : at(current) };
}

const changeStrings = (value: unknown, change: (value: string) => string): unknown =>
  typeof value === 'string' ? change(value) : Array.isArray(value) ? value.map((item) => changeStrings(item, change)) : value;
