/** @module identity — a caller as the wire sees it: the credential it sent and the identity it is told. */
import type { AuthenticatePayload, Identity } from '@memory-weaver/protocol';
import type { Principal } from '@memory-weaver/core';

export const credentialOf = (p: AuthenticatePayload) => ('api_key' in p ? p.api_key : p.token);

export const identityOf = (p: Principal): Identity =>
  p.kind === 'admin' ? { role: 'admin', ai_uuid: null } : { role: 'ai', ai_uuid: p.aiUuid };
