/**
 * @module pages/ApiReference — the API's reference, rendered from the OpenAPI document the API
 * serves (`GET /v1/openapi.json`, through the SDK) by Swagger UI. Loaded on demand: the renderer is
 * ~1.6 MB of its own, bundled (no CDN), and runs under the console's Content-Security-Policy (no
 * eval, no remote script). "Try it out" calls go to this origin with the administrator's ID token.
 */
import 'swagger-ui-react/swagger-ui.css';
import './ApiReference.css';
import { Alert, Loader, Stack, Title } from '@mantine/core';
import type { OpenApiDocument } from '@memory-weaver/sdk';
import { useEffect, useState } from 'react';
import SwaggerUI from 'swagger-ui-react';
import { errorMessage, type Api } from '../api';

type SwaggerRequest = Parameters<NonNullable<Parameters<typeof SwaggerUI>[0]['requestInterceptor']>>[0];

export default function ApiReference({ api }: { api: Api }) {
  const [doc, setDoc] = useState<OpenApiDocument | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api.openApi().then(setDoc, (e: unknown) => setError(errorMessage(e)));
  }, [api]);

  // Only requests to this origin carry the token: a document could name another server.
  const authorize = async (req: SwaggerRequest): Promise<SwaggerRequest> => {
    if (new URL(String(req.url), window.location.href).origin === window.location.origin) {
      (req.headers as Record<string, string>).Authorization = `Bearer ${await api.token()}`;
    }
    return req;
  };

  return (
    <Stack gap="xs">
      <Title order={2}>API reference</Title>
      {error && (
        <Alert color="red" title="Could not load the API description">
          {error}
        </Alert>
      )}
      {!doc && !error && <Loader role="status" aria-label="Loading the API reference" />}
      {doc && (
        <div data-testid="api-reference">
          <SwaggerUI spec={doc} docExpansion="list" requestInterceptor={authorize} />
        </div>
      )}
    </Stack>
  );
}
