/**
 * @module openapi — the OpenAPI 3.1 document of the HTTP API, generated from the route table
 * (routes.ts) by zod's own JSON Schema output (`z.toJSONSchema`, draft 2020-12, which is the
 * dialect OpenAPI 3.1 uses): no second description to keep in step, and no generator dependency.
 * Request bodies and query parameters are described as zod reads them (`io: 'input'`), answers as
 * the API writes them (`io: 'output'`). Shapes named in registry.ts become `components/schemas`.
 */
import { z } from 'zod';
import { ErrorBodySchema } from './errors.js';
import { wireRegistry } from './registry.js';
import { PATH_PARAMS, ROUTES, pathParams, type RouteSpec } from './routes.js';

type Json = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
}

const TAGS = [
  { name: 'service', description: 'Health and this description' },
  { name: 'seed', description: "The seed's contract, kept exactly for existing AI clients" },
  { name: 'ais', description: 'AI instances, their keys, counts and event log' },
  { name: 'memories', description: 'Memories by tier, and search across tiers' },
  { name: 'chat', description: 'Chat grounded in memory, the context preview and sessions' },
  { name: 'extraction', description: 'Memory that learns from conversations: settings, jobs, review, hygiene' },
];

const SECURITY = {
  apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'mwk_<key id>.<secret>', description: "An AI's API key" },
  adminToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Firebase Auth ID token whose custom claims include `admin: true`',
  },
};

const SECURITY_BY_AUTH: Record<RouteSpec['auth'], Json[]> = {
  none: [],
  admin: [{ adminToken: [] }],
  caller: [{ apiKey: [] }, { adminToken: [] }],
};

/**
 * Converts schemas one at a time and gathers the named ones into `components/schemas`. A name met
 * twice with different JSON (an input and an output that differ) is a mistake in the protocol,
 * not something to paper over: it throws.
 */
class SchemaCollector {
  readonly components: Record<string, Json> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): Json {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      metadata: wireRegistry,
      // `z.custom` and the like become `{}` ("any JSON") instead of failing the whole document.
      unrepresentable: 'any',
      // A time says `format: date-time`; zod also writes its regex as `pattern`, from which
      // renderers build nonsense examples ("0667-09-30T23:26…"). The format says it all.
      override: (ctx) => {
        const out = ctx.jsonSchema as Json;
        if (out.format === 'date-time') delete out.pattern;
      },
    }) as Json;
    const { $schema: _dialect, $defs, ...rest } = json;
    for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, Json>)) {
      const moved = relink(def) as Json;
      const known = this.components[id];
      if (known && JSON.stringify(known) !== JSON.stringify(moved)) {
        throw new Error(`schema "${id}" has two shapes in the OpenAPI document (input and output differ?)`);
      }
      this.components[id] = moved;
    }
    return relink(rest) as Json;
  }
}

/** `#/$defs/X` (one schema's own definitions) becomes `#/components/schemas/X` (the document's). */
function relink(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relink);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, '#/components/schemas/') : relink(v),
    ]),
  );
}

const jsonContent = (schema: Json) => ({ 'application/json': { schema } });

function operation(route: RouteSpec, schemas: SchemaCollector, errorBody: Json): Json {
  const parameters: Json[] = pathParams(route.path).map((name) => {
    const schema = PATH_PARAMS[name];
    if (!schema) throw new Error(`${route.method.toUpperCase()} ${route.path}: no schema for path parameter "${name}"`);
    return { name, in: 'path', required: true, schema: schemas.convert(schema, 'input') };
  });
  for (const [name, field] of Object.entries(route.query?.shape ?? {})) {
    const schema = field as z.ZodType;
    parameters.push({
      name,
      in: 'query',
      required: !schema.safeParse(undefined).success,
      schema: schemas.convert(schema, 'input'),
    });
  }
  if (route.idempotent) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Retries with the same key get the first answer back (header `Idempotent-Replayed: true`)',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
    });
  }
  const responses: Json = {};
  for (const [status, schema] of Object.entries(route.responses)) {
    const content: Json = jsonContent(schemas.convert(schema, 'output'));
    if (route.stream && status === '200') {
      content['text/event-stream'] = {
        schema: schemas.convert(route.stream, 'output'),
        description: 'With `stream: true`: one `data:` line per chunk of this shape, then `data: [DONE]`',
      };
    }
    responses[status] = { description: route.summary, content };
  }
  responses.default = {
    description: 'An error: `{ error: { code, message, details, request_id } }`',
    content: jsonContent(errorBody),
  };
  return {
    operationId: operationId(route),
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    security: SECURITY_BY_AUTH[route.auth],
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: jsonContent(schemas.convert(route.body, 'input')) } }
      : {}),
    responses,
  };
}

/** `post /v1/ais/{ai_uuid}/memories/{memory_type}` → `post_v1_ais_ai_uuid_memories_memory_type`. */
const operationId = (route: RouteSpec): string =>
  `${route.method}_${route.path
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')}`;

/** The whole document. `routes` is the table by default; tests hand in others. */
export function openApiDocument(routes: readonly RouteSpec[] = ROUTES, version = '1'): OpenApiDocument {
  const schemas = new SchemaCollector();
  const errorBody = schemas.convert(ErrorBodySchema, 'output');
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    if (item[route.method]) throw new Error(`${route.method.toUpperCase()} ${route.path} is in the route table twice`);
    item[route.method] = operation(route, schemas, errorBody);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Memory Weaver API',
      version,
      description:
        'A real-time memory backend for AI agents. Errors are always `{ "error": { "code", "message", "details" } }`; ' +
        'times are ISO 8601. Generated from the zod schemas of `@memory-weaver/protocol`. ' +
        'Agents can also reach their memory through MCP (Streamable HTTP at `/mcp`, JSON-RPC; its tools and ' +
        'resources describe themselves through `tools/list` and `resources/list`, so it has no paths here).',
    },
    servers: [{ url: '/' }],
    tags: TAGS,
    paths,
    components: { schemas: schemas.components, securitySchemes: SECURITY },
  };
}
