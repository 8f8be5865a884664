/**
 * @module pages/AiDetail — one AI's memory: the four tiers as tabs (drop a memory on a tab to move
 * it there), paging and filtering, search across tiers, the event log, live updates from the relay
 * (changes made elsewhere are highlighted), and chat.
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Drawer,
  Group,
  Loader,
  Menu,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import type { Memory, MemoryEvent, SearchHit } from '@memory-weaver/protocol';
import type { MemoryUpdate } from '@memory-weaver/sdk';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage, type Api, type MemoryType } from '../api';
import { StatusBadge } from '../components/StatusBadge';
import { useLive } from '../live';
import { Chat } from './Chat';

const TIERS: MemoryType[] = ['working_memory', 'long_term_memory', 'personal_logs', 'archive'];
const LABEL: Record<MemoryType, string> = {
  working_memory: 'Working memory',
  long_term_memory: 'Long-term memory',
  personal_logs: 'Personal logs',
  archive: 'Archive',
};
const DRAG_TYPE = 'application/x-memory-weaver-memory';

interface Props {
  api: Api;
  aiUuid: string;
  me: string;
  onBack: () => void;
}

export default function AiDetail({ api, aiUuid, me, onBack }: Props) {
  const [tab, setTab] = useState<string>('working_memory');
  const [name, setName] = useState('');
  const [counts, setCounts] = useState<Record<MemoryType, number> | null>(null);
  const [version, setVersion] = useState(0);
  const [highlight, setHighlight] = useState<Set<string>>(new Set());
  const [events, setEvents] = useState<MemoryEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refreshCounts = useCallback(
    () => void api.stats(aiUuid).then(setCounts, (e) => setError(errorMessage(e))),
    [api, aiUuid],
  );
  useEffect(() => {
    void api.listAis().then(
      (ais) => setName(ais.find((a) => a.ai_uuid === aiUuid)?.ai_name ?? aiUuid),
      (e) => setError(errorMessage(e)),
    );
    refreshCounts();
  }, [api, aiUuid, refreshCounts]);

  const relay = useLive(api, aiUuid, (u: MemoryUpdate) => {
    setVersion((v) => v + 1);
    refreshCounts();
    // Changes made elsewhere (by an AI client, another admin) light up; our own don't.
    if (u.actor.kind !== 'admin' || u.actor.id !== me) {
      setHighlight((h) => new Set(h).add(u.memory_id));
      setTimeout(
        () =>
          setHighlight((h) => {
            const next = new Set(h);
            next.delete(u.memory_id);
            return next;
          }),
        4_000,
      );
    }
  });

  const move = async (memoryId: string, from: MemoryType, to: MemoryType) => {
    if (from === to) return;
    try {
      await api.moveMemory(aiUuid, from, memoryId, to);
      setVersion((v) => v + 1);
      refreshCounts();
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
          <StatusBadge testId="relay-status" tone={relay === 'live' ? 'ok' : relay === 'connecting' ? 'idle' : 'bad'}>
            {relay === 'live'
              ? 'live'
              : relay === 'connecting'
                ? 'connecting…'
                : 'relay offline: catching up on reconnect'}
          </StatusBadge>
        </Group>
        <Button
          variant="default"
          onClick={() => void api.events(aiUuid).then(setEvents, (e) => setError(errorMessage(e)))}
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
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => {
                e.preventDefault();
                const data = e.dataTransfer.getData(DRAG_TYPE);
                if (!data) return;
                const { id, from } = JSON.parse(data) as { id: string; from: MemoryType };
                void move(id, from, t);
              }}
            >
              {LABEL[t]} {counts ? `(${counts[t]})` : ''}
            </Tabs.Tab>
          ))}
          <Tabs.Tab value="search">Search</Tabs.Tab>
          <Tabs.Tab value="chat">Chat</Tabs.Tab>
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
              onChanged={() => (setVersion((v) => v + 1), refreshCounts())}
            />
          </Tabs.Panel>
        ))}
        <Tabs.Panel value="search" pt="md">
          <SearchPanel api={api} aiUuid={aiUuid} />
        </Tabs.Panel>
        <Tabs.Panel value="chat" pt="md">
          <Chat api={api} aiUuid={aiUuid} />
        </Tabs.Panel>
      </Tabs>
      <Drawer
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={events !== null}
        onClose={() => setEvents(null)}
        title="Event log"
        position="right"
        size="lg"
      >
        <Stack gap="xs">
          {events?.length === 0 && <Text c="dimmed">No changes yet.</Text>}
          {[...(events ?? [])].reverse().map((e) => (
            <Card key={e.event_id} withBorder padding="xs">
              <Group gap="xs">
                <Badge>{e.type}</Badge>
                <Text size="sm">
                  {e.from_memory_type ? `${LABEL[e.from_memory_type]} → ` : ''}
                  {LABEL[e.memory_type]} · <Code>{e.memory_id}</Code>
                </Text>
              </Group>
              <Text size="xs" c="dimmed">
                #{e.seq} · {new Date(e.at).toLocaleString()} · {e.actor.kind === 'admin' ? 'admin' : 'AI key'}{' '}
                {e.actor.id} · {e.via}
              </Text>
            </Card>
          ))}
        </Stack>
      </Drawer>
    </Stack>
  );
}

interface TierProps {
  api: Api;
  aiUuid: string;
  tier: MemoryType;
  version: number;
  highlight: Set<string>;
  onMove: (id: string, from: MemoryType, to: MemoryType) => Promise<void>;
  onError: (message: string) => void;
  onChanged: () => void;
}

function TierPanel({ api, aiUuid, tier, version, highlight, onMove, onError, onChanged }: TierProps) {
  const [memories, setMemories] = useState<Memory[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let stale = false;
    api.memories(aiUuid, tier, filter).then(
      (page) => {
        if (stale) return;
        setMemories(page.memories);
        setCursor(page.next_cursor);
      },
      (e) => onError(errorMessage(e)),
    );
    return () => {
      stale = true;
    };
  }, [api, aiUuid, tier, filter, version, onError]);

  const more = async () => {
    if (!cursor) return;
    const page = await api.memories(aiUuid, tier, filter, cursor);
    setMemories((m) => [...(m ?? []), ...page.memories]);
    setCursor(page.next_cursor);
  };

  return (
    <Stack>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!draft.trim()) return;
          setBusy(true);
          api
            .createMemory(aiUuid, tier, draft, { added_in: 'console' })
            .then(
              () => (setDraft(''), onChanged()),
              (err) => onError(errorMessage(err)),
            )
            .finally(() => setBusy(false));
        }}
      >
        <Group align="flex-end">
          <Textarea
            label={`New memory in ${LABEL[tier]}`}
            value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)}
            autosize
            minRows={1}
            style={{ flex: 1 }}
          />
          <Button type="submit" loading={busy}>
            Add
          </Button>
        </Group>
      </form>
      <TextInput
        label="Filter"
        placeholder="Words in the content"
        value={filter}
        onChange={(e) => setFilter(e.currentTarget.value)}
        maw={360}
      />
      {memories === null && <Loader role="status" aria-label="Loading memories" />}
      {memories?.length === 0 && (
        <Text c="dimmed">{filter ? 'No memory matches this filter.' : `${LABEL[tier]} is empty.`}</Text>
      )}
      {memories?.map((m) => (
        <MemoryCard
          key={m.memory_id}
          api={api}
          aiUuid={aiUuid}
          memory={m}
          lit={highlight.has(m.memory_id)}
          onMove={onMove}
          onError={onError}
          onChanged={onChanged}
        />
      ))}
      {cursor && (
        <Button variant="default" onClick={() => void more()}>
          Load more
        </Button>
      )}
    </Stack>
  );
}

interface CardProps {
  api: Api;
  aiUuid: string;
  memory: Memory;
  lit: boolean;
  onMove: (id: string, from: MemoryType, to: MemoryType) => Promise<void>;
  onError: (message: string) => void;
  onChanged: () => void;
}

function MemoryCard({ api, aiUuid, memory: m, lit, onMove, onError, onChanged }: CardProps) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(m.content);
  const by = (a: Memory['created_by']) =>
    a.kind === 'admin' ? `admin ${a.id.slice(0, 6)}` : `AI key ${a.id.slice(0, 6)}`;
  return (
    <Card
      withBorder
      padding="sm"
      draggable
      data-testid={`memory-${m.memory_id}`}
      data-highlighted={lit ? 'true' : 'false'}
      style={{
        borderColor: lit ? 'var(--mantine-color-yellow-6)' : undefined,
        background: lit ? 'var(--mantine-color-yellow-0)' : undefined,
        cursor: 'grab',
      }}
      onDragStart={(e) => e.dataTransfer.setData(DRAG_TYPE, JSON.stringify({ id: m.memory_id, from: m.memory_type }))}
    >
      {editing ? (
        <Stack gap="xs">
          <Textarea
            label="Content"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          <Group gap="xs">
            <Button
              size="xs"
              onClick={() =>
                void api.editMemory(aiUuid, m.memory_type, m.memory_id, text).then(
                  () => (setEditing(false), onChanged()),
                  (err) => onError(errorMessage(err)),
                )
              }
            >
              Save
            </Button>
            <Button size="xs" variant="default" onClick={() => (setEditing(false), setText(m.content))}>
              Cancel
            </Button>
          </Group>
        </Stack>
      ) : (
        <Text style={{ whiteSpace: 'pre-wrap' }}>{m.content}</Text>
      )}
      {Object.keys(m.metadata).length > 0 && (
        <Code block mt="xs">
          {JSON.stringify(m.metadata)}
        </Code>
      )}
      <Group justify="space-between" mt="xs">
        <Text size="xs" c="dimmed">
          {new Date(m.created_at).toLocaleString()} by {by(m.created_by)} via {m.source}
          {m.moved_from ? ` · moved from ${LABEL[m.moved_from]}` : ''}
          {m.updated_at !== m.created_at
            ? ` · edited ${new Date(m.updated_at).toLocaleString()} by ${by(m.updated_by)}`
            : ''}
        </Text>
        <Group gap={4}>
          <Button size="compact-xs" variant="default" onClick={() => setEditing(true)}>
            Edit
          </Button>
          <Menu>
            <Menu.Target>
              <Button size="compact-xs" variant="default">
                Move to…
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {TIERS.filter((t) => t !== m.memory_type).map((t) => (
                <Menu.Item key={t} onClick={() => void onMove(m.memory_id, m.memory_type, t)}>
                  {LABEL[t]}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          <Button
            size="compact-xs"
            color="red"
            variant="light"
            onClick={() =>
              void api
                .deleteMemory(aiUuid, m.memory_type, m.memory_id)
                .then(onChanged, (err) => onError(errorMessage(err)))
            }
          >
            Delete
          </Button>
        </Group>
      </Group>
    </Card>
  );
}

function SearchPanel({ api, aiUuid }: { api: Api; aiUuid: string }) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <Stack>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void api.search(aiUuid, q).then(setHits, (err) => setError(errorMessage(err)));
        }}
      >
        <Group align="flex-end">
          <TextInput
            label="Search all tiers (by meaning and words)"
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            style={{ flex: 1 }}
          />
          <Button type="submit">Search</Button>
        </Group>
      </form>
      {error && <Alert color="red">{error}</Alert>}
      {hits?.length === 0 && <Text c="dimmed">Nothing found.</Text>}
      {hits?.map((h) => (
        <Card key={h.memory.memory_id} withBorder padding="sm">
          <Group gap="xs">
            <Badge>{LABEL[h.memory.memory_type]}</Badge>
            <Text size="xs" c="dimmed">
              score {h.score.toFixed(3)} · similarity {h.vector_similarity?.toFixed(2) ?? '—'}
            </Text>
          </Group>
          <Text mt={4}>{h.memory.content}</Text>
        </Card>
      ))}
    </Stack>
  );
}
