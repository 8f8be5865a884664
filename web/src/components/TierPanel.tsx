/** @module components/TierPanel — one tier of an AI's memory: add a memory, filter, page through the cards. */
import { Button, Group, Loader, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { Memory, MemoryType } from '@memory-weaver/protocol';
import { useEffect, useState } from 'react';
import { errorMessage, type Api } from '../api';
import { TIER_LABEL } from '../tiers';
import { MemoryCard } from './MemoryCard';

interface Props {
  api: Api;
  aiUuid: string;
  tier: MemoryType;
  /** Bumped by the page whenever this AI's memory changed; the first page is read again. */
  version: number;
  /** Ids of memories changed elsewhere a moment ago. */
  highlight: ReadonlySet<string>;
  onMove: (id: string, from: MemoryType, to: MemoryType) => Promise<void>;
  onError: (message: string) => void;
  onChanged: () => void;
}

export function TierPanel({ api, aiUuid, tier, version, highlight, onMove, onError, onChanged }: Props) {
  const [memories, setMemories] = useState<Memory[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // Typing in the filter starts a request per keystroke; only the latest may fill the list.
    let stale = false;
    api.memories(aiUuid, tier, filter).then(
      (page) => {
        if (stale) return;
        setMemories(page.memories);
        setCursor(page.next_cursor);
      },
      (e: unknown) => onError(errorMessage(e)),
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

  const add = () => {
    if (!draft.trim()) return;
    setBusy(true);
    api
      .createMemory(aiUuid, tier, draft, { added_in: 'console' })
      .then(
        () => {
          setDraft('');
          onChanged();
        },
        (err: unknown) => onError(errorMessage(err)),
      )
      .finally(() => setBusy(false));
  };

  return (
    <Stack>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <Group align="flex-end">
          <Textarea
            label={`New memory in ${TIER_LABEL[tier]}`}
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
        <Text c="dimmed">{filter ? 'No memory matches this filter.' : `${TIER_LABEL[tier]} is empty.`}</Text>
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
