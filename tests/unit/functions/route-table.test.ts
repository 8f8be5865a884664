/**
 * The route table (packages/protocol/src/routes.ts) and the OpenAPI document made from it list
 * exactly the routes the Express app answers: a route added to the app and not to the table (or
 * the other way round) fails here, named, with what to do.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { HTTP_METHODS, openApiDocument, ROUTES } from '@memory-weaver/protocol';
import { createApp } from '../../../functions/src/app.js';
import { loadConfig } from '../../../functions/src/config.js';

/**
 * Emulator-only routes (routes/bench.ts), mounted only under the Functions emulator; and `/mcp`,
 * a JSON-RPC endpoint whose tools and resources describe themselves through MCP (`tools/list`),
 * which the document's description points to (functions/src/mcp/).
 */
const EXCLUDED = /^(\/v1\/_bench|\/mcp)(\/|$)/;

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  name?: string;
  regexp?: RegExp & { fast_slash?: boolean };
  handle?: { stack?: Layer[] };
}

/**
 * Where a router is mounted. Express 4 keeps only the compiled pattern of `app.use('/v1', router)`
 * (`/^\/v1\/?(?=\/|$)/i`), so the prefix is read back from it; a pattern it can't read fails loudly.
 */
function mountPath(layer: Layer): string {
  if (!layer.regexp || layer.regexp.fast_slash) return '';
  const match = /^\^((?:\\\/[\w.-]+)*)\\\/\?\(\?=\\\/\|\$\)$/.exec(layer.regexp.source);
  if (!match?.[1]) throw new Error(`can't read the mount path of a router from ${String(layer.regexp)}`);
  return match[1].replace(/\\\//g, '/');
}

/** Every `METHOD /path` the app routes, with `:name` written `{name}` as OpenAPI writes it. */
function appRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      return paths.flatMap((p) => {
        if (typeof p !== 'string') throw new Error(`a route path that is not a string: ${String(p)}`);
        const path = `${prefix}${p}`.replace(/:(\w+)/g, '{$1}');
        return Object.keys(layer.route?.methods ?? {})
          .filter((m) => m !== '_all')
          .map((m) => `${m.toUpperCase()} ${path}`);
      });
    }
    if (layer.name === 'router' && layer.handle?.stack) return appRoutes(layer.handle.stack, prefix + mountPath(layer));
    return [];
  });
}

function theApp() {
  const embedder = { id: 'none', dimensions: 512, embed: () => Promise.reject(new Error('not in this test')) };
  // Building the app reads nothing: the routes are all this test looks at.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- reason: no Firestore call is made while the app is built
  const db = {} as Firestore;
  return createApp({
    db,
    verifyIdToken: () => Promise.reject(new Error('not in this test')),
    embedder,
    llm: loadConfig({}).llm,
    model: null,
  });
}

describe('the route table', () => {
  const app = theApp() as unknown as { _router: { stack: Layer[] } };
  const routed = [...new Set(appRoutes(app._router.stack))].filter((r) => !EXCLUDED.test(r.split(' ')[1] ?? ''));
  const doc = openApiDocument();
  const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => (HTTP_METHODS as readonly string[]).includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );

  it('finds the routes of the app (the walk itself works)', () => {
    expect(routed).toContain('GET /v1/healthz');
    expect(routed).toContain('POST /create_memory');
    expect(routed).toContain('DELETE /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}');
  });

  it('has every route the app answers', () => {
    const missing = routed.filter((r) => !documented.includes(r));
    expect(
      missing,
      `routes the app answers but the route table doesn't list: add each to ROUTES in packages/protocol/src/routes.ts:\n  ${missing.join('\n  ')}`,
    ).toEqual([]);
  });

  it('has nothing the app does not answer', () => {
    const extra = documented.filter((r) => !routed.includes(r));
    expect(
      extra,
      `routes in packages/protocol/src/routes.ts that the app doesn't answer: remove them, or mount the route:\n  ${extra.join('\n  ')}`,
    ).toEqual([]);
  });

  it('lists each route once, with a schema for every answer and path parameter', () => {
    expect(documented.length).toBe(ROUTES.length);
    for (const route of ROUTES) expect(Object.keys(route.responses).length, route.path).toBeGreaterThan(0);
  });

  it('is an OpenAPI 3.1 document whose every reference resolves', () => {
    expect(doc.openapi).toBe('3.1.0');
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs)
      expect(doc.components.schemas, `unresolved $ref ${String(ref)}`).toHaveProperty(String(ref));
    expect(JSON.stringify(doc)).not.toContain('#/$defs/');
  });
});
