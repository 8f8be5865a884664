/**
 * @module pages/AiDetail — one AI's memory: the four tiers as tabs (drop a memory on a tab to move
 * it there), search across tiers, chat, what it learns from conversations (Learning), the event
 * log, and live updates from the relay (changes made elsewhere are highlighted). The panels do the
 * work; this page holds what they share.
 */
import { Alert, Button, Code, Group, Stack, Tabs, Title } from '@mantine/core';
import type { MemoryEvent, MemoryType } from '@memory-weaver/protocol';
import type { MemoryUpdate } from '@memory-weaver/sdk';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage, type Api } from '../api';
import { BrainPanel } from '../components/brain/BrainPanel';
import { importProgressOf, type ImportProgressState } from '../components/brain/progress';
import { ChatPanel } from '../components/ChatPanel';
import { ConsolidationPanel } from '../components/consolidation/ConsolidationPanel';
import { EventLogDrawer } from '../components/EventLogDrawer';
import { LearningPanel } from '../components/extraction/LearningPanel';
import { RelayBadge } from '../components/RelayBadge';
import { SearchPanel } from '../components/SearchPanel';
import { TierPanel } from '../components/TierPanel';
import { useHighlight } from '../highlight';
import { useLive } from '../live';
import { droppedMemory } from '../memoryDrag';
import { TIER_LABEL, TIERS } from '../tiers';

interface Props {
  api: Api;
  aiUuid: string;
  /** The signed-in admin's uid: their own changes are not highlighted. */
  me: string;
  onBack: () => void;
}

// Default export: App loads this page with React.lazy, which takes a module's default.
export default function AiDetail({ api, aiUuid, me, onBack }: Props) {
  const [tab, setTab] = useState<string>('working_memory');
  const [name, setName] = useState('');
  const [counts, setCounts] = useState<Record<MemoryType, number> | null>(null);
  // Bumped on every change to this AI's memory, here or elsewhere: the open tier reloads.
  const [version, setVersion] = useState(0);
  // Bumped on every extraction event (jobs, decisions): the Learning tab reloads.
  const [learning, setLearning] = useState(0);
  // The latest import_* event from the relay: the Export / import tab shows it as a progress bar.
  const [importProgress, setImportProgress] = useState<ImportProgressState | null>(null);
  const [highlight, light] = useHighlight();
  const [events, setEvents] = useState<MemoryEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refreshCounts = useCallback(
    () => void api.stats(aiUuid).then(setCounts, (e: unknown) => setError(errorMessage(e))),
    [api, aiUuid],
  );
  useEffect(() => {
    void api.listAis().then(
      (ais) => setName(ais.find((a) => a.ai_uuid === aiUuid)?.ai_name ?? aiUuid),
      (e: unknown) => setError(errorMessage(e)),
    );
    refreshCounts();
  }, [api, aiUuid, refreshCounts]);

  const changed = () => {
    setVersion((v) => v + 1);
    refreshCounts();
  };

  const relay = useLive(
    api,
    aiUuid,
    (u: MemoryUpdate) => {
      changed();
      if (u.extraction) setLearning((v) => v + 1);
      const progress = importProgressOf(u);
      if (progress) setImportProgress(progress);
      // Changes made elsewhere (by an AI client, another admin) light up; our own don't.
      if (u.memory_id && (u.actor.kind !== 'admin' || u.actor.id !== me)) light(u.memory_id);
    },
    () => {
      changed();
      setLearning((v) => v + 1);
    },
  );

  const move = async (memoryId: string, from: MemoryType, to: MemoryType) => {
    if (from === to) return;
    try {
      await api.moveMemory(aiUuid, from, memoryId, to);
      changed();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Group>
          <Button variant="default" size="xs" onClick={onBack}>
            ← All AIs
          </Button>
          <Title order={2}>{name || '…'}</Title>
          <RelayBadge state={relay} />
        </Group>
        <Button
          variant="default"
          onClick={() => void api.events(aiUuid).then(setEvents, (e: unknown) => setError(errorMessage(e)))}
        >
          Event log
        </Button>
      </Group>
      <Code>{aiUuid}</Code>
      {error && (
        <Alert color="red" role="alert" title="Something went wrong" withCloseButton onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      <Tabs value={tab} onChange={(v) => setTab(v ?? 'working_memory')} keepMounted={false}>
        <Tabs.List>
          {TIERS.map((t) => (
            <Tabs.Tab
              key={t}
              value={t}
              data-testid={`tab-${t}`}
              // A drop target must cancel dragover, or the browser never fires drop.
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => {
                e.preventDefault();
                const dropped = droppedMemory(e);
                if (dropped) void move(dropped.id, dropped.from, t);
              }}
            >
              {TIER_LABEL[t]} {counts ? `(${counts[t]})` : ''}
            </Tabs.Tab>
          ))}
          <Tabs.Tab value="search">Search</Tabs.Tab>
          <Tabs.Tab value="chat">Chat</Tabs.Tab>
          <Tabs.Tab value="learning">Learning</Tabs.Tab>
          <Tabs.Tab value="consolidation">Consolidation</Tabs.Tab>
          <Tabs.Tab value="brain">Export / import</Tabs.Tab>
        </Tabs.List>
        {TIERS.map((t) => (
          <Tabs.Panel key={t} value={t} pt="md">
            <TierPanel
              api={api}
              aiUuid={aiUuid}
              tier={t}
              version={version}
              highlight={highlight}
              onMove={move}
              onError={setError}
              onChanged={changed}
            />
          </Tabs.Panel>
        ))}
        <Tabs.Panel value="search" pt="md">
          <SearchPanel api={api} aiUuid={aiUuid} />
        </Tabs.Panel>
        <Tabs.Panel value="chat" pt="md">
          <ChatPanel api={api} aiUuid={aiUuid} />
        </Tabs.Panel>
        <Tabs.Panel value="consolidation" pt="md">
          <ConsolidationPanel api={api} aiUuid={aiUuid} version={version} onError={setError} onChanged={changed} />
        </Tabs.Panel>
        <Tabs.Panel value="learning" pt="md">
          <LearningPanel api={api} aiUuid={aiUuid} version={learning} onError={setError} onChanged={changed} />
        </Tabs.Panel>
        <Tabs.Panel value="brain" pt="md">
          <BrainPanel
            api={api}
            aiUuid={aiUuid}
            aiName={name}
            progress={importProgress}
            onError={setError}
            onChanged={changed}
          />
        </Tabs.Panel>
      </Tabs>
      <EventLogDrawer events={events} onClose={() => setEvents(null)} />
    </Stack>
  );
}
