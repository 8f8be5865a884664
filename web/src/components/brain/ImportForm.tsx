/**
 * @module components/brain/ImportForm — pick a file (a `.brain` bundle, a mem0 dump or a Letta agent
 * file), see the dry run's report of what would be added, changed, deleted and skipped, then apply
 * exactly that. Into an existing AI (with a mode) or, with `aiUuid` null, into a new AI (named).
 */
import { Button, FileInput, Group, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { errorMessage, type Api, type BrainImportOptions, type ImportReport } from '../../api';
import { ImportReportView } from './ImportReportView';

type Source = NonNullable<BrainImportOptions['source']>;
type Mode = 'merge' | 'overwrite' | 'skip_existing';

const SOURCES = [
  { value: 'brain', label: '.brain bundle' },
  { value: 'mem0', label: 'mem0 get_all dump (JSON)' },
  { value: 'letta', label: 'Letta agent file (.af)' },
];
const MODES = [
  { value: 'merge', label: 'Merge: add what is missing, replace what differs' },
  { value: 'skip_existing', label: 'Skip existing: only add what is missing' },
  { value: 'overwrite', label: 'Overwrite: become the file (deletes what it lacks)' },
];

const sourceOf = (file: File): Source =>
  file.name.endsWith('.af') ? 'letta' : file.name.endsWith('.json') ? 'mem0' : 'brain';

interface Props {
  api: Api;
  /** Import into this AI; null: into a new AI. */
  aiUuid: string | null;
  onImported: (report: ImportReport) => void;
  onError: (message: string) => void;
}

export function ImportForm({ api, aiUuid, onImported, onError }: Props) {
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState<Source>('brain');
  const [mode, setMode] = useState<Mode>('merge');
  const [passphrase, setPassphrase] = useState('');
  const [name, setName] = useState('');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState<'dry' | 'apply' | null>(null);

  // Any change of what would be imported asks for a new dry run before Apply.
  const changed =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setReport(null);
    };

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(dryRun ? 'dry' : 'apply');
    try {
      const options: BrainImportOptions = {
        source,
        ...(aiUuid ? { mode } : {}),
        ...(dryRun ? { dry_run: 'true' } : {}),
        ...(passphrase ? { passphrase } : {}),
        ...(!aiUuid && name.trim() ? { ai_name: name.trim() } : {}),
      };
      const result = await api.importBrain(aiUuid, await file.text(), options);
      setReport(result);
      if (!dryRun) onImported(result);
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack gap="sm" data-testid="brain-import">
      <FileInput
        label="File to import"
        description="A .brain bundle, a mem0 .json dump or a Letta .af agent file"
        accept=".brain,.json,.af,application/x-ndjson,application/json,application/jose"
        value={file}
        clearable
        clearButtonProps={{ 'aria-label': 'Clear the file' }}
        onChange={(f) => {
          changed(setFile)(f);
          if (f) setSource(sourceOf(f));
        }}
        maw={520}
      />
      <Group grow maw={720} align="flex-start">
        <Select
          label="Kind of file"
          data={SOURCES}
          value={source}
          allowDeselect={false}
          onChange={(v) => changed(setSource)((v ?? 'brain') as Source)}
        />
        {aiUuid ? (
          <Select
            label="Mode"
            data={MODES}
            value={mode}
            allowDeselect={false}
            onChange={(v) => changed(setMode)((v ?? 'merge') as Mode)}
          />
        ) : (
          <TextInput
            label="New AI's name (optional)"
            placeholder="The file's name for it"
            value={name}
            onChange={(e) => changed(setName)(e.currentTarget.value)}
          />
        )}
      </Group>
      {source === 'brain' && (
        <PasswordInput
          label="Passphrase (for an encrypted file)"
          value={passphrase}
          onChange={(e) => changed(setPassphrase)(e.currentTarget.value)}
          maw={420}
        />
      )}
      <Group>
        <Button variant="default" disabled={!file} loading={busy === 'dry'} onClick={() => void run(true)}>
          Dry run
        </Button>
        <Button disabled={!report?.dry_run || busy !== null} loading={busy === 'apply'} onClick={() => void run(false)}>
          Import
        </Button>
      </Group>
      {report && <ImportReportView report={report} />}
    </Stack>
  );
}
