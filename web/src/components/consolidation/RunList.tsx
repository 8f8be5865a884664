/**
 * @module components/consolidation/RunList — the AI's recent runs, newest first: status, counts,
 * what became of extraction and the reflection, and Undo for a run that moved something.
 */
import { Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import type { ConsolidationRun } from '@memory-weaver/protocol';
import { extractionLine, reflectionLine, STATUS_COLOR } from './labels';

interface Props {
  runs: ConsolidationRun[];
  onUndo: (run: ConsolidationRun) => Promise<void>;
  onShow: (run: ConsolidationRun) => void;
}

export function RunList({ runs, onUndo, onShow }: Props) {
  if (runs.length === 0) return <Text c="dimmed">No runs yet.</Text>;
  return (
    <Stack gap="xs">
      {runs.map((r) => {
        const c = r.counts;
        const extraction = extractionLine(r);
        const undoable = r.status !== 'undone' && r.status !== 'planned' && c.moved + c.accepted - c.undone > 0;
        return (
          <Card key={r.run_id} withBorder padding="xs" data-testid={`consolidation-run-${r.run_id}`}>
            <Group justify="space-between" wrap="nowrap">
              <Group gap="xs">
                <Badge color={STATUS_COLOR[r.status]} variant="filled">
                  {r.status}
                </Badge>
                <Text size="sm">{new Date(r.created_at).toLocaleString()}</Text>
                {r.dry_run && <Text size="sm">(dry run)</Text>}
              </Group>
              <Group gap="xs">
                <Button size="compact-xs" variant="default" onClick={() => onShow(r)}>
                  Show
                </Button>
                {undoable && (
                  <Button size="compact-xs" color="#c92a2a" onClick={() => void onUndo(r)}>
                    Undo
                  </Button>
                )}
              </Group>
            </Group>
            <Text size="sm" data-testid="run-counts">
              {`${String(c.planned)} planned, ${String(c.moved)} moved, ${String(c.skipped)} skipped, ` +
                `${String(c.proposed)} proposed, ${String(c.accepted)} accepted, ${String(c.undone)} undone`}
              {r.stopped_reason ? `; stopped: ${r.stopped_reason}` : ''}
            </Text>
            {extraction && <Text size="xs">{extraction}</Text>}
            <Text size="xs">{reflectionLine(r)}</Text>
          </Card>
        );
      })}
    </Stack>
  );
}
