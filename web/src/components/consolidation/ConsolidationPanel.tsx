/**
 * @module components/consolidation/ConsolidationPanel — the AI page's "Consolidation" tab: its
 * settings, a dry-run preview (exactly the moves and proposals a run would make) with "Run this
 * plan", the recent runs with their counts and Undo, proposals accepted, and moves per run as a chart.
 */
import { Button, Group, Loader, SimpleGrid, Stack, Title } from '@mantine/core';
import type { ConsolidationRun, ConsolidationSettings, UpdateConsolidationSettings } from '@memory-weaver/protocol';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { errorMessage, type Api } from '../../api';
import { ConsolidationSettingsForm } from './ConsolidationSettingsForm';
import { PlanPreview } from './PlanPreview';
import { RunList } from './RunList';

// The chart (recharts) loads with its own chunk, when the tab first shows it.
const RunsChart = lazy(() => import('./RunsChart').then((m) => ({ default: m.RunsChart })));

interface Props {
  api: Api;
  aiUuid: string;
  /** Bumped on memory changes: the runs reload. */
  version: number;
  onError: (message: string) => void;
  /** Memories moved here (a run, an undo, accepted proposals): the tiers reload. */
  onChanged: () => void;
}

export function ConsolidationPanel({ api, aiUuid, version, onError, onChanged }: Props) {
  const [settings, setSettings] = useState<ConsolidationSettings | null>(null);
  const [runs, setRuns] = useState<ConsolidationRun[] | null>(null);
  const [shown, setShown] = useState<ConsolidationRun | null>(null);
  const [previewing, setPreviewing] = useState(false);

  const load = useCallback(() => {
    const fail = (e: unknown) => onError(errorMessage(e));
    void api.consolidationSettings(aiUuid).then(setSettings, fail);
    void api.consolidations(aiUuid).then((r) => {
      setRuns(r);
      // The run on show follows its stored state.
      setShown((s) => (s ? (r.find((x) => x.run_id === s.run_id) ?? s) : s));
    }, fail);
  }, [api, aiUuid, onError]);
  useEffect(() => load(), [load, version]);

  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      onChanged();
    } catch (e) {
      onError(errorMessage(e));
    }
    load();
  };
  const save = async (change: UpdateConsolidationSettings) => {
    try {
      setSettings(await api.updateConsolidationSettings(aiUuid, change));
    } catch (e) {
      onError(errorMessage(e));
    }
  };
  const preview = async () => {
    setPreviewing(true);
    try {
      setShown(await api.previewConsolidation(aiUuid));
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setPreviewing(false);
    }
    load();
  };

  if (!settings || !runs) return <Loader size="sm" aria-label="Loading" />;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl" data-testid="consolidation-panel">
      <Stack>
        <Title order={3}>Settings</Title>
        <ConsolidationSettingsForm settings={settings} onSave={save} />
        <Suspense fallback={<Loader size="sm" aria-label="Loading the chart" />}>
          <RunsChart runs={runs} />
        </Suspense>
      </Stack>
      <Stack>
        <Group justify="space-between">
          <Title order={3}>Runs</Title>
          <Button variant="default" loading={previewing} onClick={() => void preview()}>
            Preview a run (dry run)
          </Button>
        </Group>
        {shown && (
          <PlanPreview
            key={shown.run_id}
            run={shown}
            onRun={() => act(async () => setShown(await api.executeConsolidation(aiUuid, shown.run_id)))}
            onAccept={(ids) => act(() => api.acceptProposals(aiUuid, shown.run_id, ids))}
          />
        )}
        <RunList runs={runs} onShow={setShown} onUndo={(r) => act(() => api.undoConsolidation(aiUuid, r.run_id))} />
      </Stack>
    </SimpleGrid>
  );
}
