/** @module pages/AiList — every AI instance: find, create or import from a file (key shown once), rename, rotate, revoke, delete. */
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Loader,
  Menu,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage, type AiInstance, type Api, type MemoryType } from '../api';
import { ImportForm } from '../components/brain/ImportForm';
import { StatusBadge } from '../components/StatusBadge';
import { TIER_SHORT, TIERS } from '../tiers';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

type Dialog =
  | { kind: 'create' }
  | { kind: 'import' }
  | { kind: 'key'; title: string; apiKey: string }
  | { kind: 'rename'; ai: AiInstance }
  | { kind: 'delete'; ai: AiInstance }
  | null;

export function AiList({ api, onOpen }: { api: Api; onOpen: (aiUuid: string) => void }) {
  const [ais, setAis] = useState<AiInstance[] | null>(null);
  const [counts, setCounts] = useState<Record<string, Record<MemoryType, number>>>({});
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  // The list shows as soon as it arrives; the memory counts fill in after it.
  const show = useCallback(
    async (list: AiInstance[]) => {
      setAis(list);
      setError(null);
      const entries = await Promise.all(list.map(async (a) => [a.ai_uuid, await api.stats(a.ai_uuid)] as const));
      setCounts(Object.fromEntries(entries));
    },
    [api],
  );
  // State is set only in the promise's callbacks, never while an effect runs (react-hooks/set-state-in-effect).
  const load = useCallback(
    () =>
      api
        .listAis()
        .then(show)
        .catch((err: unknown) => setError(errorMessage(err))),
    [api, show],
  );
  useEffect(() => void load(), [load]);

  const act = async (run: () => Promise<void>) => {
    setBusy(true);
    try {
      await run();
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const shown = (ais ?? []).filter((a) => a.ai_name.toLowerCase().includes(filter.toLowerCase()));
  const dialogAi = dialog && (dialog.kind === 'rename' || dialog.kind === 'delete') ? dialog.ai : null;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>AI instances</Title>
        <Group gap="xs">
          <Button variant="default" onClick={() => setDialog({ kind: 'import' })}>
            Import AI
          </Button>
          <Button
            onClick={() => {
              setName('');
              setDialog({ kind: 'create' });
            }}
          >
            New AI
          </Button>
        </Group>
      </Group>
      <TextInput
        label="Filter by name"
        placeholder="Type a name"
        value={filter}
        onChange={(e) => setFilter(e.currentTarget.value)}
        maw={360}
      />
      {error && (
        <Alert color="red" role="alert" title="Something went wrong">
          {error}
        </Alert>
      )}
      {ais === null && !error && <Loader role="status" aria-label="Loading AI instances" />}
      {ais !== null && shown.length === 0 && (
        <Text c="dimmed">
          {ais.length === 0 ? 'No AI instances yet: create the first one.' : 'No AI matches this filter.'}
        </Text>
      )}
      {shown.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover aria-label="AI instances">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>UUID</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last active</Table.Th>
                <Table.Th>Memories</Table.Th>
                <Table.Th>Client</Table.Th>
                <Table.Th>Key</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((ai) => (
                <Table.Tr key={ai.ai_uuid} data-testid={`ai-row-${ai.ai_name}`}>
                  <Table.Td>
                    <Button variant="subtle" px={4} onClick={() => onOpen(ai.ai_uuid)}>
                      {ai.ai_name}
                    </Button>
                  </Table.Td>
                  <Table.Td>
                    <Code>{ai.ai_uuid.slice(0, 8)}…</Code>
                  </Table.Td>
                  <Table.Td>{when(ai.created_at)}</Table.Td>
                  <Table.Td>{when(ai.last_active_at)}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {TIERS.map((t) => (
                        <Badge key={t} title={t}>
                          {TIER_SHORT[t]} {counts[ai.ai_uuid]?.[t] ?? '…'}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {ai.connected ? (
                      <StatusBadge tone="ok">connected</StatusBadge>
                    ) : (
                      <StatusBadge tone="idle">not connected</StatusBadge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {ai.api_key_prefix ? (
                      <Code>{ai.api_key_prefix}…</Code>
                    ) : (
                      <StatusBadge tone="warn">revoked</StatusBadge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Menu position="bottom-end">
                      <Menu.Target>
                        <ActionIcon variant="default" aria-label={`Actions for ${ai.ai_name}`}>
                          ⋯
                        </ActionIcon>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item onClick={() => onOpen(ai.ai_uuid)}>Open</Menu.Item>
                        <Menu.Item
                          onClick={() => {
                            setName(ai.ai_name);
                            setDialog({ kind: 'rename', ai });
                          }}
                        >
                          Rename
                        </Menu.Item>
                        <Menu.Item
                          onClick={() =>
                            act(async () => {
                              const k = await api.rotateKey(ai.ai_uuid);
                              setDialog({ kind: 'key', title: `New key for ${ai.ai_name}`, apiKey: k.api_key });
                              await load();
                            })
                          }
                        >
                          Rotate key
                        </Menu.Item>
                        <Menu.Item
                          onClick={() =>
                            act(async () => {
                              await api.revokeKey(ai.ai_uuid);
                              await load();
                            })
                          }
                        >
                          Revoke key
                        </Menu.Item>
                        <Menu.Item color="red" onClick={() => setDialog({ kind: 'delete', ai })}>
                          Delete
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={dialog?.kind === 'create' || dialog?.kind === 'rename'}
        onClose={() => setDialog(null)}
        title={dialog?.kind === 'rename' ? 'Rename AI' : 'New AI instance'}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              if (dialog?.kind === 'rename') {
                await api.updateAi(dialog.ai.ai_uuid, { ai_name: name });
                setDialog(null);
              } else {
                const created = await api.createAi(name);
                setDialog({ kind: 'key', title: `${created.ai_name} is ready`, apiKey: created.api_key ?? '' });
              }
              await load();
            });
          }}
        >
          <Stack>
            <TextInput
              label="Name"
              required
              data-autofocus
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy}>
              {dialog?.kind === 'rename' ? 'Rename' : 'Create'}
            </Button>
          </Stack>
        </form>
      </Modal>

      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={dialog?.kind === 'import'}
        onClose={() => setDialog(null)}
        title="Import an AI from a file"
        size="xl"
      >
        <ImportForm
          api={api}
          aiUuid={null}
          onImported={(report) => {
            setDialog({ kind: 'key', title: `${report.ai_name} is imported`, apiKey: report.api_key ?? '' });
            void load();
          }}
          onError={setError}
        />
      </Modal>

      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={dialog?.kind === 'key'}
        onClose={() => setDialog(null)}
        title={dialog?.kind === 'key' ? dialog.title : ''}
      >
        {dialog?.kind === 'key' && (
          <Stack>
            <Text size="sm">
              This is the AI's API key. It is shown this once: copy it now and give it to the AI client.
            </Text>
            <Code block data-testid="new-api-key">
              {dialog.apiKey}
            </Code>
            <CopyButton value={dialog.apiKey}>
              {({ copied, copy }) => <Button onClick={copy}>{copied ? 'Copied' : 'Copy key'}</Button>}
            </CopyButton>
          </Stack>
        )}
      </Modal>

      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={dialog?.kind === 'delete'}
        onClose={() => setDialog(null)}
        title={dialogAi ? `Delete ${dialogAi.ai_name}?` : ''}
      >
        {dialogAi && (
          <Stack>
            <Text>
              This deletes {dialogAi.ai_name} for good:{' '}
              {TIERS.map((t) => `${counts[dialogAi.ai_uuid]?.[t] ?? 0} ${TIER_SHORT[t]}`).join(', ')} memories, its
              event log, its chat sessions, and its API key.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDialog(null)}>
                Keep it
              </Button>
              <Button
                color="red"
                loading={busy}
                onClick={() =>
                  act(async () => {
                    await api.deleteAi(dialogAi.ai_uuid);
                    setDialog(null);
                    await load();
                  })
                }
              >
                Delete {dialogAi.ai_name}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
