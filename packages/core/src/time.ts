/** @module time — Firestore timestamps to the API's ISO strings. */
import { Timestamp } from 'firebase-admin/firestore';

export const iso = (value: unknown): string => (value instanceof Timestamp ? value.toDate().toISOString() : '');
export const isoOrNull = (value: unknown): string | null => (value instanceof Timestamp ? iso(value) : null);

/** The source of "now" for stored times; injectable so tests and benches can control it. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
