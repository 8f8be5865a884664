/**
 * @module tests/fuzz/foundDefects — the defects the fuzz tier found, what each was and where it
 * was fixed; fixed-defects.test.ts keeps the exact input of each as a regression test and quotes
 * this when one comes back. (While a defect is open, the main fuzz files fail on its class: there
 * is no steering around it.)
 */
export interface FoundDefect {
  what: string;
  /** Where the fix is. */
  fixed: string;
}

export const FOUND_DEFECTS = {
  'content-encoding': {
    what: 'a body sent with `Content-Encoding: gzip` or `deflate` that does not inflate answered 500 internal',
    fixed: 'functions/src/http/errors.ts toApiError: client errors that body-parser marks with a 4xx status are 400s',
  },
  'path-escape': {
    what: 'a path parameter with a percent-escape that is not UTF-8 (`/v1/ais/%ZZ`) answered 500 internal',
    fixed: "functions/src/http/errors.ts toApiError: Express's URIError from decode_param is a 400",
  },
  'cursor-id': {
    what: 'a page cursor whose id has a "/" or is reserved (`__x__`) answered 500 internal (after ~7 s)',
    fixed: 'packages/core/src/cursor.ts decodeCursor takes only ids Firestore takes',
  },
  'date-range': {
    what: '`created_after`/`created_before` outside 0001–9999 answered 500 internal (a RangeError)',
    fixed: 'the list query schema refuses times Firestore cannot hold',
  },
  'lone-surrogate': {
    what: 'a lone surrogate (`"\\ud800"`) in stored text answered 500 internal, after ~8 s for memory writes',
    fixed:
      "functions/src/http/body.ts: every body is checked with the protocol's jsonProblem (packages/protocol/src/json.ts) after parsing",
  },
  'deep-json': {
    what: 'a body nested 100,000 deep (in metadata, or anywhere with an Idempotency-Key) answered 500 internal (stack overflow)',
    fixed:
      'functions/src/http/body.ts refuses bodies nested deeper than MAX_JSON_DEPTH; MetadataSchema checks storability (bounded) before it serialises',
  },
  'relay-message-unstorable': {
    what: 'a relay `message` whose payload Firestore can\'t store (a lone surrogate, a key "" or "__x__", [[1]], deep nesting) was acknowledged with `internal`',
    fixed:
      'packages/protocol/src/socket.ts MessageSchema checks storableProblem; relay/src/ack.ts checks jsonProblem before any schema',
  },
  'relay-ack-without-payload': {
    what: 'an event emitted with only an ack callback (`emitWithAck("heartbeat")`) was never acknowledged',
    fixed: 'relay/src/ack.ts dispatch: the ack is the last argument when it is a function',
  },
} satisfies Record<string, FoundDefect>;

export type DefectId = keyof typeof FOUND_DEFECTS;
