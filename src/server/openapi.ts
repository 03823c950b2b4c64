import { z } from 'zod';
import type { RouteDef } from './route.js';
import { ErrorResponse } from './route.js';

function schemaOf(t: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(t, { target: 'draft-2020-12', unrepresentable: 'any', io });
}

/** OpenAPI 3.1 document generated from the route table, so it cannot drift from the routes. */
export function openApiDocument(routes: readonly RouteDef[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', r.params],
      ['query', r.query],
    ] as const) {
      if (!schema) continue;
      const json = schemaOf(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: s });
      }
    }
    const ok = String(r.status ?? 200);
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/\/(\w)/g, (_m, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '')}`,
      'x-mizan-access': r.access,
      parameters,
      responses: {
        [ok]: { description: 'Success', content: r.binaryResponse ? { '*/*': { schema: { type: 'string', format: 'binary' } } } : r.response ? { 'application/json': { schema: schemaOf(r.response, 'output') } } : undefined },
        default: { description: 'Error', content: { 'application/json': { schema: schemaOf(ErrorResponse, 'output') } } },
      },
    };
    if (r.access !== 'public') op.security = [{ session: [] }, { bearer: [] }];
    const content: Record<string, unknown> = {};
    if (r.body) content['application/json'] = { schema: schemaOf(r.body, 'input') };
    for (const type of r.streamedBody?.mediaTypes ?? []) content[type] = { schema: { type: 'string', description: `the raw body, at most ${r.streamedBody!.limit} bytes` } };
    if (r.rawBody) op.requestBody = { required: true, description: `The file itself, at most ${r.rawBody.limit} bytes`, content: { '*/*': { schema: { type: 'string', format: 'binary' } } } };
    else if (Object.keys(content).length > 0) op.requestBody = { required: true, content };
    (paths[path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Mizan API',
      version,
      description: 'The shared, verifiable record of a ceasefire. Every write appends a signed entry to a public RFC 6962 log; see /log/checkpoint.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'mizan_session', description: 'Cookie writes also need the X-CSRF-Token header' },
        bearer: { type: 'http', scheme: 'bearer', description: 'API token from `mizan token create`' },
      },
    },
    paths,
  };
}
