/**
 * @module components/MemoryCard — one memory: its content (editable in place), metadata and history,
 * with Edit, Move to… and Delete, where it came from and its versions (History, Restore); drag it
 * onto a tier's tab to move it there.
 */
import { Button, Card, Code, Group, Menu, Stack, Text, Textarea } from '@mantine/core';
import type { Actor, Memory, MemoryType } from '@memory-weaver/protocol';
import { useState } from 'react';
import { actorLabel } from '../actors';
import { errorMessage, type Api } from '../api';
import { startMemoryDrag } from '../memoryDrag';
import { MemoryProvenance } from './extraction/MemoryProvenance';
import { TIER_LABEL, TIERS } from '../tiers';

interface Props {
  api: Api;
  aiUuid: string;
  memory: Memory;
  /** Changed elsewhere a moment ago: shown in yellow. */
  lit: boolean;
  onMove: (id: string, from: MemoryType, to: MemoryType) => Promise<void>;
  onError: (message: string) => void;
  onChanged: () => void;
}

const by = (a: Actor) => `${actorLabel(a)} ${a.id.slice(0, 6)}`;
const when = (iso: string) => new Date(iso).toLocaleString();

export function MemoryCard({ api, aiUuid, memory: m, lit, onMove, onError, onChanged }: Props) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(m.content);
  const fail = (err: unknown) => onError(errorMessage(err));

  const save = () =>
    void api.editMemory(aiUuid, m.memory_type, m.memory_id, text).then(() => {
      setEditing(false);
      onChanged();
    }, fail);
  const cancel = () => {
    setEditing(false);
    setText(m.content);
  };

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
      onDragStart={(e) => startMemoryDrag(e, m)}
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
            <Button size="xs" onClick={save}>
              Save
            </Button>
            <Button size="xs" variant="default" onClick={cancel}>
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
          {when(m.created_at)} by {by(m.created_by)} via {m.source}
          {m.moved_from ? ` · moved from ${TIER_LABEL[m.moved_from]}` : ''}
          {m.updated_at !== m.created_at ? ` · edited ${when(m.updated_at)} by ${by(m.updated_by)}` : ''}
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
                  {TIER_LABEL[t]}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          <Button
            size="compact-xs"
            color="red"
            variant="light"
            onClick={() => void api.deleteMemory(aiUuid, m.memory_type, m.memory_id).then(onChanged, fail)}
          >
            Delete
          </Button>
        </Group>
      </Group>
      <MemoryProvenance api={api} aiUuid={aiUuid} memory={m} onError={onError} onChanged={onChanged} />
    </Card>
  );
}
