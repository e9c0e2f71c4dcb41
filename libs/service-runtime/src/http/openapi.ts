import { INestApplication, ParseUUIDPipe, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { ApiProperty, ApiResponse, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { Constructor, HISTORY_ID, propertyRule, ROLES, validatedClasses, validatedProperties } from '@cbme/contracts';
import { PUBLIC } from '../auth/auth.guard';
import { ParseIdPipe } from './ids';
import { READ_YOUR_WRITES } from './read-your-writes';

/*
 * The OpenAPI documents (/docs, /docs-json). Services run through @swc-node/register, so the Nest CLI swagger
 * plugin never sees them: a request DTO's schema is derived from its class-validator decorators (propertyRule in
 * @cbme/contracts, which also gives the event catalog's schemas: one place for the rule and its documentation),
 * completed by @ApiExample; responses are named with @ApiResult.
 */

export type { SchemaObject };

const EXAMPLE = 'cbme:api-example';
const RESULT = 'cbme:api-result';
const UUID_EXAMPLE = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const INSTANT_EXAMPLE = '2026-09-01T09:00:00.000Z';

interface ExampleDoc {
  example: unknown;
  description?: string;
  /** e.g. `date` for a calendar date, where the validator (ISO 8601) also takes instants */
  format?: string;
}

/** What a DTO property's validators cannot say: an example value, and what the field means. */
export function ApiExample(example: unknown, more: Omit<ExampleDoc, 'example'> = {}): PropertyDecorator {
  return (target, key) => Reflect.defineMetadata(EXAMPLE, { example, ...more }, target, key);
}

/** The success response's body: a schema (see `schema`) or a class with @ApiProperty fields. Its status is the route's. */
export function ApiResult(body: SchemaObject | (new (...args: never[]) => unknown), description = 'done'): MethodDecorator {
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(RESULT, { body, description }, descriptor.value as object);
    return descriptor;
  };
}

/** Short builders for response schemas, each with an example. */
export const schema = {
  string: (example: string, more: SchemaObject = {}): SchemaObject => ({ type: 'string', example, ...more }),
  uuid: (): SchemaObject => ({ type: 'string', format: 'uuid', example: UUID_EXAMPLE }),
  instant: (): SchemaObject => ({ type: 'string', format: 'date-time', example: INSTANT_EXAMPLE }),
  date: (example = '2027-06-30'): SchemaObject => ({ type: 'string', format: 'date', example }),
  integer: (example = 1): SchemaObject => ({ type: 'integer', example }),
  number: (example = 0.5): SchemaObject => ({ type: 'number', example }),
  boolean: (example = true): SchemaObject => ({ type: 'boolean', example }),
  enum: (values: readonly (string | number)[], example = values[0]): SchemaObject => ({ type: typeof values[0] === 'number' ? 'number' : 'string', enum: [...values], example }),
  nullable: (inner: SchemaObject): SchemaObject => ({ ...inner, nullable: true }),
  array: (items: SchemaObject): SchemaObject => ({ type: 'array', items }),
  /** an object with these properties, all present except the `optional` ones */
  object: (properties: Record<string, SchemaObject>, optional: string[] = []): SchemaObject => {
    const required = Object.keys(properties).filter((p) => !optional.includes(p));
    return { type: 'object', properties, ...(required.length ? { required } : {}) };
  },
  /** keys chosen by data (ids, codes): values of one shape */
  map: (values: SchemaObject, description: string): SchemaObject => ({ type: 'object', additionalProperties: values, description }),
  /** data whose shape is the event's or the file's own */
  any: (description: string): SchemaObject => ({ type: 'object', additionalProperties: true, description }),
};

/** Examples for the path parameters, which every service names alike. */
const PATH_EXAMPLES: Record<string, string> = {
  schoolId: 'medicine', learnerId: 'lea-1', coachId: 'coa-1', userId: 'lea-1', communityId: 'house-osler', frameworkId: 'medicine-epas',
  role: 'coach', name: 'goals-by-status', jobId: '1', importId: UUID_EXAMPLE, dialogueId: UUID_EXAMPLE, goalId: UUID_EXAMPLE, meetingId: UUID_EXAMPLE,
};

const POSITION_PATTERN = '^[0-9]{1,15}$';

/** What every success may carry for read-your-writes (ReadYourWritesInterceptor). */
const RESPONSE_HEADERS = {
  [READ_YOUR_WRITES.written]: { description: `the position in this service's event store of the last commit this request appended (none if it appended nothing); send it back as ${READ_YOUR_WRITES.readAfter} to read your own write`, schema: { type: 'string', pattern: POSITION_PATTERN, example: '42' } },
  [READ_YOUR_WRITES.behind]: { description: `\`true\` when the read models had not applied ${READ_YOUR_WRITES.readAfter} in time: the answer may not show that write yet`, schema: { type: 'string', enum: ['true'] } },
};

/** The JSON body of every refusal (ErrorFilter). */
const ERROR_BODY: SchemaObject = schema.object(
  {
    statusCode: schema.integer(400),
    error: schema.string('Bad Request'),
    message: schema.string('invalid request'),
    details: { type: 'array', items: {}, description: 'the reasons: validation messages, or the bad rows of a file with their line' },
    expected: { description: 'on 409 version-conflict: the version the request expected' },
    actual: { description: 'on 409 version-conflict: the stream\'s version' },
  },
  ['details', 'expected', 'actual'],
);

/** Builds a service's document (served at /docs-json and /docs). */
export function buildOpenApiDocument(app: INestApplication, title: string): OpenAPIObject {
  documentValidatedClasses();
  const routes = describeRoutes(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(title)
      .setVersion('0.1')
      .setDescription('Sign in at identity\'s POST /auth/login and send the access token as `Authorization: Bearer <token>`. Every refusal is a JSON error body (4XX). A JSON body may hold at most 100 kB (413 beyond).')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'an access token from identity (15 min)' }, 'bearer')
      .addSecurityRequirements('bearer')
      .addGlobalParameters(
        { name: 'x-school-id', in: 'header', required: false, description: 'the school this request acts in (default: your only school; `*` institution-wide for an institution admin)', schema: { type: 'string', maxLength: 64, example: 'medicine' } },
        { name: 'x-acting-role', in: 'header', required: false, description: 'the role this request acts in (default: your highest role in that school)', schema: { type: 'string', enum: ROLES.filter((r) => r !== 'system'), example: 'learner' } },
        { name: READ_YOUR_WRITES.readAfter, in: 'header', required: false, description: `read your writes: answer only after this service's read models have applied this position (an ${READ_YOUR_WRITES.written} this service answered), waiting at most ${READ_YOUR_WRITES.maxWaitMs / 1000} s; then ${READ_YOUR_WRITES.behind} says whether they had`, schema: { type: 'string', pattern: POSITION_PATTERN, example: '42' } },
      )
      .build(),
  );
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Error: ERROR_BODY } };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const route = routes.get(`${method} ${path}`);
      if (route?.isPublic) operation.security = [];
      for (const parameter of operation.parameters ?? []) {
        if (!('in' in parameter) || parameter.in !== 'path') continue;
        const written = (parameter.schema ?? {}) as SchemaObject; // an @ApiParam's example wins
        parameter.schema = { type: 'string', ...route?.checkedParameters.get(parameter.name), ...(PATH_EXAMPLES[parameter.name] ? { example: PATH_EXAMPLES[parameter.name] } : {}), ...written };
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        if (response && /^2/.test(status) && !('$ref' in response)) response.headers = { ...RESPONSE_HEADERS, ...response.headers };
      }
      operation.responses['4XX'] ??= { description: 'refused: invalid input (400), no or bad token (401), not allowed (403), unknown (404), state or version conflict (409), body over 100 kB (413), rule violated (422)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
  }
  // the validation pipe refuses properties a DTO does not name
  const validated = new Set(validatedClasses().map((c) => c.name));
  for (const [name, component] of Object.entries(document.components.schemas ?? {})) {
    if (validated.has(name) && 'properties' in component) component.additionalProperties = false;
  }
  return document;
}

interface Route {
  isPublic: boolean;
  /** what a ParseUUIDPipe or ParseIdPipe checks of a path parameter */
  checkedParameters: Map<string, SchemaObject>;
}

/** Applies @ApiResult as a response with the route's status; lists the routes that need no token. */
function describeRoutes(app: INestApplication): Map<string, Route> {
  const reflector = new Reflector();
  const routes = new Map<string, Route>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype) continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      const base = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
      for (const key of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[key];
        if (key === 'constructor' || typeof handler !== 'function' || !Reflect.hasMetadata(PATH_METADATA, handler)) continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const status = (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (method === RequestMethod.POST ? 201 : 200);
        const result = Reflect.getMetadata(RESULT, handler) as { body: SchemaObject | (new () => unknown); description: string } | undefined;
        if (result) {
          const body = typeof result.body === 'function' ? { type: result.body } : { schema: result.body };
          ApiResponse({ status, description: result.description, ...body }, { overrideExisting: false })(prototype, key, Object.getOwnPropertyDescriptor(prototype, key) as PropertyDescriptor);
        }
        const path = `/${base}/${String(Reflect.getMetadata(PATH_METADATA, handler))}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1').replace(/:(\w+)/g, '{$1}');
        const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, metatype, key) ?? {}) as Record<string, { data?: unknown; pipes?: unknown[] }>);
        const checkedParameters = new Map(args.filter(([type]) => type.startsWith(`${RouteParamtypes.PARAM}:`)).flatMap(([, arg]): [string, SchemaObject][] => {
          const checks = (pipe: new (...args: never[]) => unknown) => arg.pipes?.some((p) => p === pipe || p instanceof pipe);
          if (checks(ParseUUIDPipe)) return [[String(arg.data), { format: 'uuid' }]];
          return checks(ParseIdPipe) ? [[String(arg.data), { pattern: HISTORY_ID.source }]] : [];
        }));
        routes.set(`${RequestMethod[method].toLowerCase()} ${path}`, { isPublic: !!reflector.getAllAndOverride<boolean>(PUBLIC, [handler, metatype]), checkedParameters });
      }
    }
  }
  return routes;
}

/** Every class with class-validator decorators (DTOs, and contract schemas, never referenced) gets its @ApiProperty fields. */
export function documentValidatedClasses(): void {
  for (const target of validatedClasses()) {
    for (const [property, metadata] of validatedProperties(target)) {
      // what an author wrote with @ApiProperty tells more than the derived docs; types and constraints stay the validators'
      const written = (Reflect.getMetadata(API_MODEL_PROPERTIES, target.prototype, property) ?? {}) as Record<string, unknown>;
      const docs = Object.fromEntries(DOC_KEYS.filter((k) => written[k] !== undefined).map((k) => [k, written[k]]));
      ApiProperty({ ...propertyOptions(target, property, metadata), ...docs })(target.prototype as object, property);
    }
  }
}

const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';
const DOC_KEYS = ['example', 'examples', 'description', 'title', 'deprecated', 'default'];

/** The @ApiProperty options that say what the property's validators accept (propertyRule), with an example. */
export function propertyOptions(target: Constructor, property: string, metadata: ValidationMetadata[]): Record<string, unknown> {
  const { required, isArray, nested, own, items } = propertyRule(target, property, metadata);
  const element = (isArray ? items : own) as SchemaObject;
  const doc = (Reflect.getMetadata(EXAMPLE, target.prototype, property) as ExampleDoc | undefined) ?? undefined;
  const example = doc?.example ?? (nested ? undefined : exampleOf(element, isArray));
  const format = doc?.format ?? element.format;
  const common = { required, ...(doc?.description ? { description: doc.description } : {}), ...(example !== undefined ? { example } : {}) };
  if (nested) return { ...common, type: nested, isArray, ...(isArray ? { maxItems: own.maxItems, minItems: own.minItems } : {}) };
  if (isArray) return { ...common, type: 'array', maxItems: own.maxItems, minItems: own.minItems, items: { type: 'string', ...items, ...(format ? { format } : {}) } };
  return { ...common, type: 'string', ...own, ...(format ? { format } : {}) };
}

/** An example a reader can send, where the constraint alone decides one. */
function exampleOf(element: SchemaObject, isArray: boolean): unknown {
  const one = (): unknown => {
    if (element.enum) return element.enum[0];
    if (element.format === 'uuid') return UUID_EXAMPLE;
    if (element.format === 'date-time') return INSTANT_EXAMPLE;
    if (element.format === 'email') return 'learner@demo-university.edu';
    if (element.type === 'integer' || element.type === 'number') return element.minimum ?? 1;
    if (element.type === 'boolean') return false;
    return undefined;
  };
  const value = one();
  return value === undefined ? undefined : isArray ? [value] : value;
}
