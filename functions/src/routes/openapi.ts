/**
 * @module routes/openapi — `GET /v1/openapi.json`: the API's OpenAPI 3.1 description, generated
 * from the protocol's route table (packages/protocol/src/routes.ts). A description holds nothing
 * secret, so it asks for no credential; it is rate-limited per address like every other route.
 */
import { Router } from 'express';
import { openApiDocument } from '@memory-weaver/protocol';
import { noteRoute } from '../http/requestContext.js';

export function openApiRoutes(): Router {
  const r = Router();
  // Generated on first request (~0.1 s), then kept: the table can't change while the process runs.
  let body: string | null = null;
  r.get('/v1/openapi.json', (req, res) => {
    noteRoute(req, res);
    body ??= JSON.stringify(openApiDocument());
    res.type('application/json').send(body);
  });
  return r;
}
