/**
 * @module http/requestGate — admits a request before any route runs: the per-address limit, then,
 * when it carries credentials, the start of its authentication attempt (http/limits.ts), which the
 * route settles as soon as it knows the outcome, or the end of the request does.
 */
import type { RequestHandler } from 'express';
import { addressKey } from './clientAddress.js';
import type { Limits } from './limits.js';
import { requestFacts } from './requestContext.js';

export function requestGate(limits: Limits): RequestHandler {
  return (req, res, next) => {
    const facts = requestFacts(res);
    // `req.ip` follows the app's `trust proxy` setting (see app.ts).
    facts.address = addressKey(req.ip);
    limits.admitAddress(facts.address);
    const header = req.get('authorization');
    if (header !== undefined) {
      const credential = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? header;
      const attempt = limits.beginAuth(facts.address, credential);
      facts.auth = attempt;
      const settle = () => {
        attempt.settle(res.statusCode);
      };
      res.once('finish', settle);
      res.once('close', settle);
    }
    next();
  };
}
