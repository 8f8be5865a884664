/**
 * @module json — which JSON values the API takes, beyond what each body's schema says.
 *
 * JSON can carry text that is not Unicode: an escape such as `"\ud800"` is a lone surrogate, which
 * no UTF-8 can encode and Firestore refuses to store (I-JSON, RFC 7493 §2.1, forbids it for that
 * reason). And JSON can nest without bound, while everything that walks a value (serialising it,
 * fingerprinting it, storing it) recurses. Both are refused where a value enters (an HTTP body, a
 * socket payload), so nothing behind that door meets them.
 */

/** How deep a request body or socket payload may nest (objects and arrays); far more than any body needs. */
export const MAX_JSON_DEPTH = 64;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string is well-formed UTF-16: no surrogate without its pair. */
export const isWellFormedText = (text: string): boolean => !LONE_SURROGATE.test(text);

export interface JsonProblem {
  /** Where, as `$.a.b[0]`. */
  path: string;
  message: string;
}

const childPath = (path: string, key: string | number): string =>
  typeof key === 'number'
    ? `${path}[${String(key)}]`
    : /^[A-Za-z_][\w]*$/.test(key)
      ? `${path}.${key}`
      : `${path}[${JSON.stringify(key.replace(LONE_SURROGATE, '\ufffd'))}]`;

/**
 * The first reason `value` (already parsed) is not JSON we take: a string or key with a lone
 * surrogate, or nesting deeper than `maxDepth`. Iterative, so any depth is safe to check.
 */
export function jsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | null {
  const pending: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '$' }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: item, depth, path } = next;
    if (typeof item === 'string') {
      if (!isWellFormedText(item))
        return { path, message: 'text must be well-formed Unicode (it has a lone surrogate)' };
      continue;
    }
    if (item === null || typeof item !== 'object' || ArrayBuffer.isView(item)) continue;
    if (depth >= maxDepth) return { path, message: `JSON may nest at most ${String(maxDepth)} levels` };
    if (Array.isArray(item)) {
      item.forEach((child: unknown, i) => pending.push({ value: child, depth: depth + 1, path: childPath(path, i) }));
      continue;
    }
    for (const [key, child] of Object.entries(item)) {
      if (!isWellFormedText(key)) {
        return { path: childPath(path, key), message: 'a key must be well-formed Unicode (it has a lone surrogate)' };
      }
      pending.push({ value: child, depth: depth + 1, path: childPath(path, key) });
    }
  }
  return null;
}

/** How deep stored free-form values (memory metadata, relay messages) may nest: Firestore's limit is 20. */
export const MAX_STORED_DEPTH = 10;

/**
 * Why Firestore would refuse to store `value` as document fields, or null. Firestore can't store an
 * array directly inside an array, reserves field names of the form `__name__` and the empty name,
 * refuses text that is not well-formed Unicode, and nests at most 20 levels; a value that breaks
 * those rules is bad input (400), not a storage failure (500). `what` names the value in the message.
 */
export function storableProblem(value: unknown, what: string, depth = 0, inArray = false): string | null {
  if (depth > MAX_STORED_DEPTH) return `${what} nests deeper than ${String(MAX_STORED_DEPTH)} levels`;
  if (typeof value === 'string') return isWellFormedText(value) ? null : `${what} text must be well-formed Unicode`;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    if (inArray) return `${what} may not hold an array directly inside an array`;
    for (const item of value) {
      const problem = storableProblem(item, what, depth + 1, true);
      if (problem) return problem;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === '' || /^__.*__$/.test(key) || !isWellFormedText(key)) {
      return `${what} key ${JSON.stringify(key.replace(LONE_SURROGATE, '\ufffd'))} is not allowed`;
    }
    const problem = storableProblem(item, what, depth + 1, false);
    if (problem) return problem;
  }
  return null;
}
