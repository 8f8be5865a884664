/**
 * @module components/brain/ExportForm — download the AI as a `.brain` file: optionally with its
 * event log and stored vectors, optionally encrypted with a passphrase (sent in a header, kept
 * nowhere).
 */
import { Button, Checkbox, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { errorMessage, type Api } from '../../api';
import { brainFileName, saveAs } from './download';

interface Props {
  api: Api;
  aiUuid: string;
  aiName: string;
  onError: (message: string) => void;
}

export function ExportForm({ api, aiUuid, aiName, onError }: Props) {
  const [passphrase, setPassphrase] = useState('');
  const [events, setEvents] = useState(false);
  const [vectors, setVectors] = useState(false);
  const [busy, setBusy] = useState(false);
  const tooShort = passphrase !== '' && passphrase.length < 8;

  const download = async () => {
    setBusy(true);
    try {
      const include = [...(events ? (['events'] as const) : []), ...(vectors ? (['vectors'] as const) : [])];
      const text = await api.exportBrain(aiUuid, { include, ...(passphrase ? { passphrase } : {}) });
      saveAs(text, brainFileName(aiName), passphrase ? 'application/jose' : 'application/x-ndjson');
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm" data-testid="brain-export">
      <Text size="sm">
        Every memory of the four tiers with its history, and the chat sessions, as one verified file.
      </Text>
      <Group gap="lg">
        <Checkbox label="Include the event log" checked={events} onChange={(e) => setEvents(e.currentTarget.checked)} />
        <Checkbox
          label="Include stored vectors"
          checked={vectors}
          onChange={(e) => setVectors(e.currentTarget.checked)}
        />
      </Group>
      <PasswordInput
        label="Passphrase (optional)"
        description="Encrypts the file; the same passphrase opens it on import. At least 8 characters."
        value={passphrase}
        error={tooShort ? 'At least 8 characters' : undefined}
        onChange={(e) => setPassphrase(e.currentTarget.value)}
        maw={420}
      />
      <Group>
        <Button onClick={() => void download()} loading={busy} disabled={tooShort}>
          Download .brain
        </Button>
      </Group>
    </Stack>
  );
}
