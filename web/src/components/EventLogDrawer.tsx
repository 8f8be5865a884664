/** @module components/EventLogDrawer — an AI's change history, newest first, in a side drawer. */
import { Badge, Card, Code, Drawer, Group, Stack, Text } from '@mantine/core';
import type { MemoryEvent } from '@memory-weaver/protocol';
import { actorLabel } from '../actors';
import { TIER_LABEL } from '../tiers';

interface Props {
  /** The log to show; null keeps the drawer closed. */
  events: MemoryEvent[] | null;
  onClose: () => void;
}

export function EventLogDrawer({ events, onClose }: Props) {
  return (
    <Drawer
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened={events !== null}
      onClose={onClose}
      title="Event log"
      position="right"
      size="lg"
    >
      <Stack gap="xs">
        {events?.length === 0 && <Text c="dimmed">No changes yet.</Text>}
        {/* The API lists events oldest first; the latest change is what the reader came for. */}
        {[...(events ?? [])].reverse().map((e) => (
          <Card key={e.event_id} withBorder padding="xs">
            <Group gap="xs">
              <Badge>{e.type}</Badge>
              <Text size="sm">
                {e.from_memory_type ? `${TIER_LABEL[e.from_memory_type]} → ` : ''}
                {e.memory_type && e.memory_id ? (
                  <>
                    {TIER_LABEL[e.memory_type]} · <Code>{e.memory_id}</Code>
                  </>
                ) : (
                  <>extraction {e.extraction?.extraction_id}</>
                )}
                {e.extraction?.decision ? ` · ${e.extraction.decision}` : ''}
                {e.extraction?.reason ? ` (${e.extraction.reason})` : ''}
              </Text>
            </Group>
            <Text size="xs" c="dimmed">
              #{e.seq} · {new Date(e.at).toLocaleString()} · {actorLabel(e.actor)} {e.actor.id} · {e.via}
            </Text>
          </Card>
        ))}
      </Stack>
    </Drawer>
  );
}
