/**
 * @module components/extraction/LearningPanel — the AI page's "Learning" tab: extraction's
 * settings, hygiene charts, the review queue and the recent decisions (undoable). It reloads when
 * `version` changes: the page bumps it on every extraction event from the relay.
 */
import { Loader, SimpleGrid, Stack, Title } from '@mantine/core';
import type {
  ExtractionDecision,
  ExtractionJob,
  ExtractionStatus,
  Hygiene,
  ReviewItem,
  UpdateExtractionSettings,
} from '@memory-weaver/protocol';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { errorMessage, type Api } from '../../api';
import { DecisionList } from './DecisionList';
import { ExtractionSettingsForm } from './ExtractionSettingsForm';
import { ReviewQueue } from './ReviewQueue';

// The charts (recharts, ~300 KB) load with their own chunk, when the tab first shows them.
const HygieneCharts = lazy(() => import('./HygieneCharts').then((m) => ({ default: m.HygieneCharts })));

interface Props {
  api: Api;
  aiUuid: string;
  /** Bumped on extraction events from the relay: everything here reloads. */
  version: number;
  onError: (message: string) => void;
  /** A memory changed here (undo, approve): the tiers reload. */
  onChanged: () => void;
}

export function LearningPanel({ api, aiUuid, version, onError, onChanged }: Props) {
  const [status, setStatus] = useState<ExtractionStatus | null>(null);
  const [hygiene, setHygiene] = useState<Hygiene | null>(null);
  const [jobs, setJobs] = useState<ExtractionJob[] | null>(null);
  const [review, setReview] = useState<ReviewItem[] | null>(null);

  const load = useCallback(() => {
    const fail = (e: unknown) => onError(errorMessage(e));
    void api.extractionStatus(aiUuid).then(setStatus, fail);
    void api.hygiene(aiUuid).then(setHygiene, fail);
    void api.extractions(aiUuid).then(setJobs, fail);
    void api.review(aiUuid).then(setReview, fail);
  }, [api, aiUuid, onError]);
  useEffect(() => load(), [load, version]);

  const act = async (work: () => Promise<unknown>, memoryChanged = true) => {
    try {
      await work();
      if (memoryChanged) onChanged();
    } catch (e) {
      onError(errorMessage(e));
    }
    load();
  };

  const save = async (change: UpdateExtractionSettings) => {
    try {
      setStatus(await api.updateExtraction(aiUuid, change));
    } catch (e) {
      onError(errorMessage(e));
    }
  };
  const undo = (j: ExtractionJob, d: ExtractionDecision) =>
    act(() => api.undoDecision(aiUuid, j.extraction_id, d.index));
  const retry = (j: ExtractionJob) => act(() => api.retryExtraction(aiUuid, j.extraction_id), false);
  const decide = (i: ReviewItem, approve: boolean) =>
    act(() => (approve ? api.approveReview(aiUuid, i.review_id) : api.rejectReview(aiUuid, i.review_id)), approve);

  if (!status) return <Loader size="sm" aria-label="Loading" />;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl" data-testid="learning-panel">
      <Stack>
        <Title order={3}>Settings</Title>
        <ExtractionSettingsForm status={status} onSave={save} />
        {hygiene && (
          <Suspense fallback={<Loader size="sm" aria-label="Loading the charts" />}>
            <HygieneCharts hygiene={hygiene} />
          </Suspense>
        )}
      </Stack>
      <Stack>
        <Title order={3}>Review queue {review && review.length > 0 ? `(${String(review.length)})` : ''}</Title>
        {review && <ReviewQueue items={review} onDecide={decide} />}
        <Title order={3}>Recent decisions</Title>
        {jobs && <DecisionList jobs={jobs} onUndo={undo} onRetry={retry} />}
      </Stack>
    </SimpleGrid>
  );
}
