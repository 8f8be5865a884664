/**
 * @module components/extraction/DecisionList — the latest extraction jobs: status, counts, the
 * error of a failed one (with Retry), and each decision with Undo (undone ones say so).
 */
import { Alert, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import type { ExtractionDecision, ExtractionJob } from '@memory-weaver/protocol';
import { DECISION_COLOR, DECISION_LABEL, reasonLabel, STATUS_COLOR, when } from './labels';

interface Props {
  jobs: ExtractionJob[];
  onUndo: (job: ExtractionJob, d: ExtractionDecision) => Promise<void>;
  onRetry: (job: ExtractionJob) => Promise<void>;
}

/** What Undo can reverse: a queued candidate is decided in the review queue; a secret was never kept. */
const undoable = (d: ExtractionDecision) =>
  !d.undone && d.decision !== 'queued' && (d.decision !== 'rejected' || d.content !== undefined);

export function DecisionRow({ d, onUndo }: { d: ExtractionDecision; onUndo?: () => void }) {
  return (
    <Group
      justify="space-between"
      wrap="nowrap"
      data-testid="extraction-decision"
      data-decision={d.decision}
      data-index={d.index}
    >
      <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
        <Badge color={DECISION_COLOR[d.decision]} variant="filled" style={{ flexShrink: 0 }}>
          {DECISION_LABEL[d.decision]}
        </Badge>
        <Text size="sm" td={d.undone ? 'line-through' : undefined} style={{ overflowWrap: 'anywhere' }}>
          {d.content ?? <em>(not shown)</em>}
          {d.reason ? ` · ${reasonLabel(d.reason)}` : ''}
        </Text>
        {d.undone && (
          <Badge color="gray" variant="outline" style={{ flexShrink: 0 }}>
            undone
          </Badge>
        )}
      </Group>
      {onUndo && undoable(d) && (
        <Button size="compact-xs" variant="default" onClick={onUndo}>
          Undo
        </Button>
      )}
    </Group>
  );
}

const countsText = (j: ExtractionJob) =>
  (Object.entries(j.counts) as [keyof ExtractionJob['counts'], number][])
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${String(n)} ${DECISION_LABEL[k]}`)
    .join(', ') || 'nothing proposed';

export function DecisionList({ jobs, onUndo, onRetry }: Props) {
  if (jobs.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No extraction yet: decisions show here after the next exchange.
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      {jobs.map((j) => (
        <Card key={j.extraction_id} withBorder padding="xs" data-testid={`extraction-job-${j.extraction_id}`}>
          <Group justify="space-between" mb={4}>
            <Group gap="xs">
              <Badge color={STATUS_COLOR[j.status]}>{j.status}</Badge>
              <Text size="xs" c="dimmed">
                {when(j.created_at)} · {j.source}
                {j.session_id ? ` · session ${j.session_id}` : ''}
              </Text>
            </Group>
            <Text size="xs">{countsText(j)}</Text>
          </Group>
          {j.error && (
            <Alert color="red" p="xs" mb={4} title={j.error.code}>
              <Group justify="space-between">
                <Text size="sm">{j.error.message}</Text>
                {j.status === 'failed' && (
                  <Button size="compact-xs" color="#c92a2a" variant="light" onClick={() => void onRetry(j)}>
                    Retry
                  </Button>
                )}
              </Group>
            </Alert>
          )}
          <Stack gap={4}>
            {j.decisions.map((d) => (
              <DecisionRow key={d.index} d={d} onUndo={() => void onUndo(j, d)} />
            ))}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
