import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/*
 * JSON Schema derived from class-validator decorators: the one reading of what a class's validators accept, used for
 * the event catalog (AsyncAPI, from the contracts' schemas) and for the services' OpenAPI request schemas.
 */

/** The JSON Schema (draft-07) subset the derivation writes. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: (string | number | null)[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  description?: string;
  [more: string]: unknown;
}

export type Constructor = new (...args: never[]) => unknown;

/** What one property's validators accept. */
export interface PropertyRule {
  /** false under @IsOptional or @ValidateIf: the property may be absent (or null) */
  required: boolean;
  isArray: boolean;
  /** the class of a @ValidateNested property (its @Type, else its declared type) */
  nested?: Constructor;
  /** constraints on the value, or on the array as a whole */
  own: JsonSchema;
  /** constraints on each element (validators with `each`, or of an array) */
  items: JsonSchema;
}

interface ValidationStorage {
  validationMetadatas: Map<Constructor, ValidationMetadata[]>;
  getTargetValidationMetadatas(target: Constructor, schema: string, always: boolean, strictGroups: boolean): ValidationMetadata[];
}

// class-transformer keeps @Type(() => X) in a storage its index does not export (class-validator-jsonschema reads it too)
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: { findTypeMetadata(target: Constructor, property: string): { typeFunction: () => unknown } | undefined };
};

const PRIMITIVES: unknown[] = [String, Number, Boolean, Object];

/** Every class that has class-validator decorators. */
export function validatedClasses(): Constructor[] {
  return [...(getMetadataStorage() as unknown as ValidationStorage).validationMetadatas.keys()].filter((c) => typeof c === 'function');
}

/** A class's validated properties, in declaration order, with their validators. */
export function validatedProperties(target: Constructor): Map<string, ValidationMetadata[]> {
  const storage = getMetadataStorage() as unknown as ValidationStorage;
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of storage.getTargetValidationMetadatas(target, '', true, false)) {
    if (m.type === ValidationTypes.WHITELIST) continue;
    byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
  }
  return byProperty;
}

/** What a property's validators accept; throws on a validator it cannot state (add it here). */
export function propertyRule(target: Constructor, property: string, metadata: ValidationMetadata[]): PropertyRule {
  const designType = Reflect.getMetadata('design:type', target.prototype, property);
  const own: JsonSchema = {};
  const items: JsonSchema = {};
  let isArray = designType === Array;
  let nested: unknown;
  let notEmpty = false;
  let required = true;
  for (const m of metadata) {
    const into = m.each ? items : own;
    const [first] = (m.constraints ?? []) as unknown[];
    if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      required = false;
      continue;
    }
    if (m.type === ValidationTypes.NESTED_VALIDATION) {
      nested = defaultMetadataStorage.findTypeMetadata(target, property)?.typeFunction() ?? designType;
      continue;
    }
    switch (m.name) {
      case 'isString': into.type = 'string'; break;
      case 'isInt': into.type = 'integer'; break;
      case 'isNumber': into.type = 'number'; break;
      case 'isBoolean': into.type = 'boolean'; break;
      case 'isIn': {
        const values = first as (string | number)[];
        Object.assign(into, { enum: [...values], type: typeof values[0] === 'number' ? 'number' : 'string' });
        break;
      }
      case 'isIso8601': Object.assign(into, { type: 'string', format: 'date-time' }); break;
      case 'isUuid': Object.assign(into, { type: 'string', format: 'uuid' }); break;
      case 'isEmail': Object.assign(into, { type: 'string', format: 'email' }); break;
      case 'matches': Object.assign(into, { type: into.type ?? 'string', pattern: first instanceof RegExp ? first.source : String(first) }); break;
      case 'maxLength': into.maxLength = first as number; break;
      case 'minLength': into.minLength = first as number; break;
      case 'max': into.maximum = first as number; break;
      case 'min': into.minimum = first as number; break;
      case 'arrayMaxSize': own.maxItems = first as number; break;
      case 'arrayMinSize': own.minItems = first as number; break;
      case 'isArray': isArray = true; break;
      case 'isNotEmpty': notEmpty = true; break;
      case 'isObject': into.type = 'object'; break;
      default: throw new Error(`${target.name}.${property}: no JSON Schema mapping for the validator ${m.name ?? m.type}; add one in json-schema.ts`);
    }
  }
  const element = isArray ? items : own;
  if (notEmpty && (element.type ?? 'string') === 'string') element.minLength = Math.max(1, element.minLength ?? 1);
  const nestedClass = typeof nested === 'function' && !PRIMITIVES.includes(nested) ? (nested as Constructor) : undefined;
  return { required, isArray, ...(nestedClass ? { nested: nestedClass } : {}), own, items };
}

/**
 * The JSON Schema of what validating a plain object into `target` accepts (whitelist, no unknown properties), nested
 * classes inline. An optional property may also be null; a @ValidateIf's condition is code, so its checks are stated
 * as if it held, and the property may be absent or null.
 */
export function jsonSchemaOf(target: Constructor): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [property, metadata] of validatedProperties(target)) {
    const rule = propertyRule(target, property, metadata);
    if (rule.required) required.push(property);
    const element = rule.nested ? jsonSchemaOf(rule.nested) : iso8601AsTaken(rule.isArray ? rule.items : rule.own);
    const value = rule.isArray ? { ...rule.own, type: 'array', items: element } : element;
    properties[property] = rule.required ? value : orNull(value);
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

/** @IsISO8601 takes an instant or a calendar date (a target date): `date-time` alone would refuse the dates. */
function iso8601AsTaken(schema: JsonSchema): JsonSchema {
  if (schema.format !== 'date-time') return schema;
  const { format: _instant, ...rest } = schema;
  return { ...rest, anyOf: [{ format: 'date-time' }, { format: 'date' }] };
}

function orNull(schema: JsonSchema): JsonSchema {
  if (schema.type === undefined) return schema; // any value already
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return { ...schema, type: [...types, 'null'], ...(schema.enum ? { enum: [...schema.enum, null] } : {}) };
}
