/**
 * @module components/consolidation/PlanPreview — a run's plan, exactly as stored: each move with
 * its reason, what extraction and the reflection will do, and the long-term memories proposed for
 * archiving (chosen with checkboxes and archived with one button). "Run this plan" executes it.
 */
import { Badge, Button, Checkbox, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { ConsolidationRun } from '@memory-weaver/protocol';
import { useState } from 'react';
import { extractionLine, reflectionLine, STATUS_COLOR } from './labels';

interface Props {
  run: ConsolidationRun;
  onRun?: () => Promise<void>;
  onAccept: (memoryIds: string[]) => Promise<void>;
}

export function PlanPreview({ run, onRun, onAccept }: Props) {
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  };
  const open = run.proposals.filter((p) => p.status === 'proposed');
  const extraction = extractionLine(run);
  return (
    <Stack gap="xs" data-testid="consolidation-plan">
      <Group justify="space-between">
        <Title order={4}>
          Plan {run.run_id.slice(0, 8)}{' '}
          <Badge color={STATUS_COLOR[run.status]} variant="filled">
            {run.status}
          </Badge>
        </Title>
        {onRun && run.status === 'planned' && (
          <Button loading={busy} onClick={() => void act(onRun)}>
            Run this plan
          </Button>
        )}
      </Group>
      <Text size="sm" data-testid="plan-summary">
        {`${String(run.actions.length)} ${run.actions.length === 1 ? 'move' : 'moves'} to the archive, ` +
          `${String(run.proposals.length)} ${run.proposals.length === 1 ? 'proposal' : 'proposals'}.`}
        {run.more ? ' More entries are due: another run continues.' : ''}
      </Text>
      {extraction && <Text size="sm">{extraction}</Text>}
      <Text size="sm" data-testid="plan-reflection">
        {reflectionLine(run)}
      </Text>
      {run.actions.length > 0 && (
        // A scrolled region is focusable and named, so a keyboard can scroll it (axe: scrollable-region-focusable).
        <div tabIndex={0} role="region" aria-label="Planned moves" style={{ maxHeight: 260, overflow: 'auto' }}>
          <Table striped withTableBorder data-testid="plan-moves">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Memory</Table.Th>
                <Table.Th>Move</Table.Th>
                <Table.Th>Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {run.actions.map((a) => (
                <Table.Tr key={a.memory_id} data-testid={`plan-move-${a.memory_id}`}>
                  <Table.Td>
                    <code>{a.memory_id}</code>
                  </Table.Td>
                  <Table.Td>
                    {a.from_memory_type} → {a.to_memory_type}
                  </Table.Td>
                  <Table.Td>{a.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {run.proposals.length > 0 && (
        <Stack gap={4} data-testid="plan-proposals">
          <Text size="sm" fw={600}>
            Proposed for archiving (long-term memories nobody retrieved)
          </Text>
          {run.proposals.map((p) => (
            <Checkbox
              key={p.memory_id}
              data-testid={`proposal-${p.memory_id}`}
              disabled={p.status !== 'proposed'}
              checked={chosen.includes(p.memory_id) || p.status === 'accepted'}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setChosen((c) => (on ? [...c, p.memory_id] : c.filter((id) => id !== p.memory_id)));
              }}
              label={`${p.memory_id}: ${p.reason}${p.status === 'proposed' ? '' : ` (${p.status})`}`}
            />
          ))}
          {open.length > 0 && (
            <Group>
              <Button
                size="xs"
                variant="default"
                disabled={chosen.length === 0}
                loading={busy}
                onClick={() =>
                  void act(async () => {
                    await onAccept(chosen);
                    setChosen([]);
                  })
                }
              >
                Archive selected
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Stack>
  );
}
