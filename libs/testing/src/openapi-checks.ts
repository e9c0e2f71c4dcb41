import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Test } from '@nestjs/testing';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import oas30 from './openapi-3.0.schema.json';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a document is walked by key, every level alike
type Json = Record<string, any>;
type Controller = new (...args: never[]) => unknown;

/** The official OpenAPI 3.0 schema (2021-09-28) is draft-04: its two draft-04 idioms restated for Ajv's draft-07. */
function oas30Validator() {
  const schema = JSON.parse(JSON.stringify(oas30)) as Json;
  delete schema['id'];
  delete schema['$schema'];
  schema['definitions']['Schema']['properties']['multipleOf'] = { type: 'number', exclusiveMinimum: 0 };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** A DTO's properties as its class-validator decorators name them, and which of them are required. */
function validatedProperties(dto: Controller): { all: string[]; required: string[] } {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).filter((m) => m.type !== ValidationTypes.WHITELIST);
  const all = [...new Set(metadata.map((m) => m.propertyName))].sort();
  const optional = new Set(metadata.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.propertyName));
  return { all, required: all.filter((p) => !optional.has(p)) };
}

/**
 * What is missing or wrong in a service's OpenAPI document, compared with its controllers: the document must be
 * valid OpenAPI 3.0; each @Body() and @Query() DTO must appear with exactly its validated properties (types,
 * required, an example each); every operation needs a success response with a schema and the JSON error body.
 */
export function openApiProblems(document: Json, controllers: Controller[]): string[] {
  const problems: string[] = [];
  const validate = oas30Validator();
  if (!validate(document)) problems.push(...(validate.errors ?? []).slice(0, 10).map((e) => `not OpenAPI 3.0: ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
  const schemas = (document['components']?.['schemas'] ?? {}) as Record<string, Json>;
  const resolve = (schema: Json | undefined): Json | undefined => (schema?.['$ref'] ? schemas[String(schema['$ref']).replace('#/components/schemas/', '')] : schema);
  if (!schemas['Error']?.['properties']?.['message']) problems.push('no shared Error schema');
  if (!document['components']?.['securitySchemes']?.['bearer']) problems.push('no bearer security scheme');

  const checkSchema = (where: string, name: string, schema: Json | undefined, seen = new Set<string>()) => {
    const dto = resolve(schema);
    if (!dto) return problems.push(`${where}: no schema`);
    for (const [property, value] of Object.entries((dto['properties'] ?? {}) as Record<string, Json>)) {
      const nested = value['$ref'] ?? value['items']?.['$ref'] ?? value['allOf']?.[0]?.['$ref'];
      if (nested) {
        const nestedName = String(nested).replace('#/components/schemas/', '');
        if (!seen.has(nestedName)) checkSchema(`${where}.${property}`, nestedName, { $ref: nested }, new Set([...seen, nestedName]));
        continue;
      }
      if (!value['type']) problems.push(`${where}.${property}: no type`);
      if (value['example'] === undefined) problems.push(`${where}.${property}: no example`);
    }
    return undefined;
  };

  for (const controller of controllers) {
    if ((Reflect.getMetadata('swagger/apiExcludeController', controller) as boolean[] | undefined)?.[0]) continue;
    const prototype = controller.prototype as Record<string, unknown>;
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[key];
      if (key === 'constructor' || typeof handler !== 'function' || !Reflect.hasMetadata(PATH_METADATA, handler)) continue;
      const path = `/${base}/${String(Reflect.getMetadata(PATH_METADATA, handler))}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1').replace(/:(\w+)/g, '{$1}');
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod].toLowerCase();
      const where = `${method.toUpperCase()} ${path}`;
      const operation = document['paths']?.[path]?.[method] as Json | undefined;
      if (!operation) {
        problems.push(`${where}: not in the document`);
        continue;
      }
      const success = Object.entries((operation['responses'] ?? {}) as Record<string, Json>).filter(([status]) => /^2/.test(status));
      const redirects = Object.keys(operation['responses'] ?? {}).some((status) => /^3/.test(status));
      if (!redirects && !success.some(([, r]) => Object.values((r['content'] ?? {}) as Record<string, Json>).some((c) => c['schema']))) problems.push(`${where}: no 2xx response schema`);
      if (operation['responses']?.['4XX']?.['content']?.['application/json']?.['schema']?.['$ref'] !== '#/components/schemas/Error') problems.push(`${where}: no 4XX error body`);
      const headers = ((operation['parameters'] ?? []) as Json[]).filter((p) => p['in'] === 'header').map((p) => p['name']);
      if (!headers.includes('x-school-id') || !headers.includes('x-acting-role')) problems.push(`${where}: x-school-id and x-acting-role not documented`);

      const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, key) ?? []) as Controller[];
      const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, key) ?? {}) as Record<string, { index: number; data?: unknown }>);
      for (const [type, arg] of args) {
        const dto = types[arg.index];
        if (arg.data !== undefined || !dto || !getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).length) continue;
        const expected = validatedProperties(dto);
        if (type.startsWith(`${RouteParamtypes.BODY}:`)) {
          const schema = operation['requestBody']?.['content']?.['application/json']?.['schema'] as Json | undefined;
          const documented = resolve(schema);
          const properties = Object.keys(documented?.['properties'] ?? {}).sort();
          if (JSON.stringify(properties) !== JSON.stringify(expected.all)) problems.push(`${where} body ${dto.name}: documents [${properties}], validates [${expected.all}]`);
          const required = [...((documented?.['required'] ?? []) as string[])].sort();
          if (JSON.stringify(required) !== JSON.stringify(expected.required)) problems.push(`${where} body ${dto.name}: requires [${required}], validates as required [${expected.required}]`);
          checkSchema(`${where} body`, dto.name, schema);
        }
        if (type.startsWith(`${RouteParamtypes.QUERY}:`)) {
          const query = ((operation['parameters'] ?? []) as Json[]).filter((p) => p['in'] === 'query');
          const names = query.map((p) => String(p['name'])).sort();
          if (JSON.stringify(names) !== JSON.stringify(expected.all)) problems.push(`${where} query ${dto.name}: documents [${names}], validates [${expected.all}]`);
          for (const p of query) {
            if (!!p['required'] !== expected.required.includes(p['name'])) problems.push(`${where} query ${p['name']}: required ${!!p['required']}`);
            if (!p['schema']?.['type']) problems.push(`${where} query ${p['name']}: no type`);
            if (p['schema']?.['example'] === undefined && p['example'] === undefined) problems.push(`${where} query ${p['name']}: no example`);
          }
        }
      }
    }
  }
  return problems;
}

/** The problems of the document `build` makes for these controllers, built without servers (every dependency a stub). */
export async function openApiProblemsOf(controllers: Controller[], build: (app: INestApplication) => object): Promise<string[]> {
  const module = await Test.createTestingModule({ controllers }).useMocker(() => ({})).compile();
  return openApiProblems(build(module.createNestApplication()) as Json, controllers);
}
