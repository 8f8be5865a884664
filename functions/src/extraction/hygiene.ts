/**
 * @module extraction/hygiene — what extraction decided for an AI, per day: derived from the jobs
 * (each records its decisions), so it is a view, never a second truth.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import type { ExtractionCounts, Hygiene } from '@memory-weaver/protocol';
import { countsOf, extractionsRef, rejectedByReason, type JobDoc } from './jobs.js';
import { countReview } from './review.js';

const DAY_MS = 86_400_000;
/** The most jobs one view reads. */
const MAX_JOBS = 2_000;

export async function hygiene(db: Firestore, aiUuid: string, now: Date, days: number): Promise<Hygiene> {
  const since = new Date(now.getTime() - days * DAY_MS);
  const [jobs, awaiting] = await Promise.all([
    extractionsRef(db, aiUuid).where('createdAt', '>=', Timestamp.fromDate(since)).limit(MAX_JOBS).get(),
    countReview(db, aiUuid),
  ]);
  const byDay = new Map<string, ExtractionCounts>();
  for (let t = since.getTime(); t <= now.getTime(); t += DAY_MS) byDay.set(dayOf(new Date(t)), zero());
  byDay.set(dayOf(now), byDay.get(dayOf(now)) ?? zero());
  const totals = zero();
  const reasons: Record<string, number> = {};
  for (const doc of jobs.docs) {
    const job = doc.data() as JobDoc;
    const day = byDay.get(dayOf(job.createdAt.toDate()));
    const counts = countsOf(job.applied);
    for (const k of Object.keys(counts) as (keyof ExtractionCounts)[]) {
      totals[k] += counts[k];
      if (day) day[k] += counts[k];
    }
    for (const [r, n] of Object.entries(rejectedByReason(job.applied))) reasons[r] = (reasons[r] ?? 0) + n;
  }
  return {
    days: [...byDay].map(([day, c]) => ({ day, ...c })).sort((a, b) => (a.day < b.day ? -1 : 1)),
    totals,
    rejected_by_reason: reasons,
    awaiting_review: awaiting,
  };
}

const zero = (): ExtractionCounts => ({ added: 0, duplicate: 0, superseded: 0, rejected: 0, queued: 0 });
const dayOf = (d: Date): string => d.toISOString().slice(0, 10);
