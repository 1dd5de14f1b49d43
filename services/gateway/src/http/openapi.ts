import { z } from 'zod/v4';
import type { RestRoute } from '@tickstream/contracts';
import { REST_META, REST_ROUTES, errorBodySchema } from '@tickstream/contracts';

// Generated from the contracts' route table and zod schemas (JSON Schema 2020-12, the dialect
// of OpenAPI 3.1), so it says what the gateway validates and answers; a test checks the router
// mounts exactly these routes.

type JsonSchema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';
// zod emits a format and the regular expression it checks; the format says it more readably.
const FORMATS_WITH_PATTERN = new Set(['uuid', 'date-time', 'date', 'email']);

function tidy({ jsonSchema }: { jsonSchema: JsonSchema }): void {
  // A component's name is zod metadata, not a JSON Schema keyword.
  delete jsonSchema.id;
  if (typeof jsonSchema.format === 'string' && FORMATS_WITH_PATTERN.has(jsonSchema.format))
    delete jsonSchema.pattern;
  // z.number().int() bounds itself to the safe integers; every JSON integer reader assumes as much.
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
}

/** Turns zod schemas into OpenAPI schemas, collecting the named ones as components. */
class SchemaWriter {
  readonly components: Record<string, JsonSchema> = {};

  write(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, { io, metadata: REST_META, override: tidy }) as JsonSchema;
    const { $defs, ...root } = json as JsonSchema & { $defs?: Record<string, JsonSchema> };
    delete root.$schema; // the document's dialect is 2020-12 already
    for (const [name, def] of Object.entries($defs ?? {})) this.add(name, def);
    const id = REST_META.get(schema)?.id;
    if (id === undefined) return pointAtComponents(root);
    this.add(id, root);
    return { $ref: COMPONENTS + id };
  }

  private add(name: string, schema: JsonSchema): void {
    const tidied = pointAtComponents(schema);
    const known = this.components[name];
    if (known && JSON.stringify(known) !== JSON.stringify(tidied))
      throw new Error(`two different schemas are named ${name}`);
    this.components[name] = tidied;
  }
}

function pointAtComponents(schema: JsonSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', `"${COMPONENTS}`)) as JsonSchema;
}

const errorAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `${COMPONENTS}Error` } } },
});

function operation(route: RestRoute, schemas: SchemaWriter): JsonSchema {
  const params = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = route.query ? schemas.write(route.query, 'input') : undefined;
  const queryParams = Object.entries((query?.properties ?? {}) as Record<string, JsonSchema>).map(
    ([name, schema]) => ({
      name,
      in: 'query',
      required: ((query?.required ?? []) as string[]).includes(name),
      schema,
    }),
  );
  const { ok } = route;
  const okContent = ok.schema
    ? { content: { 'application/json': { schema: schemas.write(ok.schema, 'output') } } }
    : ok.contentType
      ? { content: { [ok.contentType]: { schema: { type: 'string' } } } }
      : {};
  const errors: Record<string, string> = {};
  if (route.body || route.query) errors['400'] = 'VALIDATION_FAILED (details name each field), INVALID_JSON';
  if (route.body)
    errors['415'] =
      'UNSUPPORTED_MEDIA_TYPE: the body is not UTF-8 application/json, or in an unsupported Content-Encoding';
  if (route.access !== 'public') errors['401'] = 'UNAUTHORIZED, TOKEN_INVALID or TOKEN_EXPIRED';
  if (route.access === 'admin') errors['403'] = 'FORBIDDEN: not an admin';
  Object.assign(errors, route.errors);
  return {
    summary: route.summary,
    tags: [route.tag],
    security: route.access === 'public' ? [] : [{ bearerAuth: [] }],
    ...(params.length + queryParams.length > 0 ? { parameters: [...params, ...queryParams] } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemas.write(route.body, 'input') } },
          },
        }
      : {}),
    responses: {
      [String(ok.status)]: { description: ok.description, ...okContent },
      ...Object.fromEntries(Object.entries(errors).map(([status, what]) => [status, errorAnswer(what)])),
    },
  };
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: JsonSchema };
  [key: string]: unknown;
}

/** The OpenAPI 3.1 description of every route of `createApiRouter`, relative to its mount point. */
export function openApiDocument(routes: readonly RestRoute[] = REST_ROUTES): OpenApiDocument {
  const schemas = new SchemaWriter();
  schemas.write(errorBodySchema, 'output');
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method] = operation(route, schemas);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tickstream gateway API',
      version: '1.0.0',
      description: 'See docs/API.md for the auth flow, errors and rate limits.',
    },
    servers: [{ url: '/api' }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: schemas.components,
    },
  };
}
