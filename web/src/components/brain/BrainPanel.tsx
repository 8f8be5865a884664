/**
 * @module components/brain/BrainPanel — the AI page's "Export / import" tab: download the AI as a
 * `.brain` file, and import a file into it (dry run, then apply), with the import's progress live
 * from the AI's event stream (the page passes on the latest `import_*` event it received).
 */
import { SimpleGrid, Stack, Title } from '@mantine/core';
import type { Api } from '../../api';
import { ExportForm } from './ExportForm';
import { ImportForm } from './ImportForm';
import { ImportProgressBar } from './ImportProgressBar';
import type { ImportProgressState } from './progress';

interface Props {
  api: Api;
  aiUuid: string;
  aiName: string;
  progress: ImportProgressState | null;
  onError: (message: string) => void;
  /** An import wrote: the tiers reload. */
  onChanged: () => void;
}

export function BrainPanel({ api, aiUuid, aiName, progress, onError, onChanged }: Props) {
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl" data-testid="brain-panel">
      <Stack>
        <Title order={3}>Export</Title>
        <ExportForm api={api} aiUuid={aiUuid} aiName={aiName} onError={onError} />
      </Stack>
      <Stack>
        <Title order={3}>Import into this AI</Title>
        <ImportForm api={api} aiUuid={aiUuid} onImported={onChanged} onError={onError} />
        {progress && <ImportProgressBar progress={progress} />}
      </Stack>
    </SimpleGrid>
  );
}
