/** @module components/brain/ImportProgressBar — the running (or last) import of this AI, live from its event stream. */
import { Progress, Stack, Text } from '@mantine/core';
import type { ImportProgressState } from './progress';

const LABEL: Record<ImportProgressState['phase'], string> = {
  started: 'started',
  progress: 'importing',
  finished: 'finished',
  failed: 'failed',
};

export function ImportProgressBar({ progress }: { progress: ImportProgressState }) {
  const percent = progress.total === 0 ? 100 : Math.round((progress.done / progress.total) * 100);
  const text = `${String(progress.done)} of ${String(progress.total)} · ${LABEL[progress.phase]}${
    progress.reason ? ` (${progress.reason})` : ''
  }`;
  return (
    <Stack gap={4} data-testid="import-progress" data-phase={progress.phase}>
      <Text size="sm">Import {text}</Text>
      <Progress
        value={percent}
        color={progress.phase === 'failed' ? '#c92a2a' : '#087f5b'}
        aria-label={`Import progress: ${text}`}
        animated={progress.phase === 'started' || progress.phase === 'progress'}
      />
    </Stack>
  );
}
