/** @module cursor — opaque page cursors: a (timestamp, document id) position, base64url JSON. */
import { Timestamp } from 'firebase-admin/firestore';
import { invalidArgument } from './errors.js';

/** The cursor's JSON form. */
interface CursorJson {
  seconds: number;
  nanos: number;
  id: string;
}

export function encodeCursor(at: Timestamp, id: string): string {
  const position: CursorJson = { seconds: at.seconds, nanos: at.nanoseconds, id };
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Timestamp; id: string } {
  try {
    const p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorJson>;
    if (
      Number.isInteger(p.seconds) &&
      Number.isInteger(p.nanos) &&
      typeof p.id === 'string' &&
      p.id.length > 0 &&
      p.id.length <= 128 &&
      // A document id the store can take: no "/", not a reserved __…__ id (those fail in Firestore).
      /^[A-Za-z0-9_-]+$/.test(p.id) &&
      !/^__.*__$/.test(p.id)
    ) {
      return { at: new Timestamp(p.seconds as number, p.nanos as number), id: p.id };
    }
  } catch {
    // fall through to the client error below
  }
  throw invalidArgument('cursor is not a cursor this API returned', { field: 'cursor' });
}
