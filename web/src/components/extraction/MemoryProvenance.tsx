/**
 * @module components/extraction/MemoryProvenance — on a memory card: "Why?" (for a memory
 * extraction wrote: its job and decisions, the session and turns, confirmations, what superseded
 * it) and "History" (its earlier versions, each with Restore). Each loads on its first click.
 */
import { Badge, Button, Code, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import type { ExtractionJob, Memory, MemoryVersions } from '@memory-weaver/protocol';
import { useState } from 'react';
import { actorLabel } from '../../actors';
import { errorMessage, type Api } from '../../api';
import { TIER_LABEL } from '../../tiers';
import { DecisionRow } from './DecisionList';
import { when } from './labels';

interface Props {
  api: Api;
  aiUuid: string;
  memory: Memory;
  onError: (message: string) => void;
  onChanged: () => void;
}

type Open = 'why' | 'history' | null;

export function MemoryProvenance({ api, aiUuid, memory: m, onError, onChanged }: Props) {
  const [open, setOpen] = useState<Open>(null);
  const [job, setJob] = useState<ExtractionJob | null>(null);
  const [history, setHistory] = useState<MemoryVersions | null>(null);
  const fail = (e: unknown) => onError(errorMessage(e));

  const toggle = (which: Exclude<Open, null>) => {
    if (open === which) {
      setOpen(null);
      return;
    }
    setOpen(which);
    if (which === 'why' && m.origin?.kind === 'extraction') {
      setJob(null);
      void api.extraction(aiUuid, m.origin.job_id).then(setJob, fail);
    }
    if (which === 'history') {
      setHistory(null);
      void api.memoryVersions(aiUuid, m.memory_type, m.memory_id).then(setHistory, fail);
    }
  };
  const restore = (versionId: string) =>
    void api.restoreVersion(aiUuid, m.memory_type, m.memory_id, versionId).then(() => {
      setOpen(null);
      onChanged();
    }, fail);

  const explainable = m.origin !== undefined || m.confirmations !== undefined || m.superseded_by !== undefined;
  return (
    <>
      <Group gap={4} mt={4}>
        {explainable && (
          <Button size="compact-xs" variant="default" onClick={() => toggle('why')} aria-expanded={open === 'why'}>
            Why does it believe this?
          </Button>
        )}
        <Button
          size="compact-xs"
          variant="default"
          onClick={() => toggle('history')}
          aria-expanded={open === 'history'}
        >
          History
        </Button>
      </Group>
      {open === 'why' && (
        <Paper withBorder p="xs" mt={4} data-testid="memory-why">
          <Stack gap={4}>
            {m.origin && (
              <Text size="sm">
                Written by {m.origin.kind} job <Code>{m.origin.job_id}</Code>
                {m.origin.session_id ? (
                  <>
                    {' '}
                    from session <Code>{m.origin.session_id}</Code>
                  </>
                ) : (
                  ' (no session)'
                )}
                {m.origin.turn_ids.length > 0 && (
                  <>
                    , turns{' '}
                    {m.origin.turn_ids.map((t) => (
                      <Code key={t} mr={4}>
                        {t}
                      </Code>
                    ))}
                  </>
                )}
              </Text>
            )}
            {m.confirmations && (
              <Text size="sm">
                Stated again {m.confirmations.count} time{m.confirmations.count === 1 ? '' : 's'}, last{' '}
                {when(m.confirmations.last_at)} (job <Code>{m.confirmations.last_job_id}</Code>).
              </Text>
            )}
            {m.superseded_by && (
              <Text size="sm">
                Superseded by <Code>{m.superseded_by}</Code>.
              </Text>
            )}
            {m.origin?.kind === 'extraction' &&
              (job ? (
                <Stack gap={2} data-testid="memory-why-job">
                  <Text size="xs" c="dimmed">
                    The job ({job.status}, {when(job.created_at)}, {job.source}) decided:
                  </Text>
                  {job.decisions.map((d) => (
                    <div
                      key={d.index}
                      style={{ fontWeight: d.memory_id === m.memory_id ? 600 : undefined }}
                      data-this-memory={d.memory_id === m.memory_id ? 'true' : 'false'}
                    >
                      <DecisionRow d={d} />
                    </div>
                  ))}
                </Stack>
              ) : (
                <Loader size="xs" aria-label="Loading the job" />
              ))}
          </Stack>
        </Paper>
      )}
      {open === 'history' && (
        <Paper withBorder p="xs" mt={4} data-testid="memory-history">
          {!history ? (
            <Loader size="xs" aria-label="Loading the history" />
          ) : history.versions.length === 0 ? (
            <Text size="sm" c="dimmed">
              No earlier versions.
            </Text>
          ) : (
            <Stack gap={6}>
              {history.versions.map((v) => (
                <Group key={v.version_id} justify="space-between" wrap="nowrap" data-testid="memory-version">
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {v.memory.content}
                    </Text>
                    <Text size="xs" c="dimmed">
                      <Badge size="xs" variant="light" mr={4}>
                        {v.change}
                      </Badge>
                      in {TIER_LABEL[v.memory.memory_type]} until {when(v.replaced_at)} by {actorLabel(v.replaced_by)}
                    </Text>
                  </Stack>
                  <Button size="compact-xs" variant="default" onClick={() => restore(v.version_id)}>
                    Restore
                  </Button>
                </Group>
              ))}
            </Stack>
          )}
        </Paper>
      )}
    </>
  );
}
