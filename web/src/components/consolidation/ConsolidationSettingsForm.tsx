/**
 * @module components/consolidation/ConsolidationSettingsForm — an AI's consolidation settings: the
 * schedule and reflections (switches, saved at once), the working-memory age and the unretrieved
 * period (saved with the button).
 */
import { Button, Group, NumberInput, Stack, Switch, Text } from '@mantine/core';
import type { ConsolidationSettings, UpdateConsolidationSettings } from '@memory-weaver/protocol';
import { useState } from 'react';

interface Props {
  settings: ConsolidationSettings;
  /** Saves and shows the new settings; reports its own failures (never rejects). */
  onSave: (change: UpdateConsolidationSettings) => Promise<void>;
}

export function ConsolidationSettingsForm({ settings, onSave }: Props) {
  const [hours, setHours] = useState<number>(settings.working_memory_max_age_hours);
  const [days, setDays] = useState<number>(settings.unretrieved_days);
  const [saving, setSaving] = useState(false);
  const dirty = hours !== settings.working_memory_max_age_hours || days !== settings.unretrieved_days;
  const save = async (change: UpdateConsolidationSettings) => {
    setSaving(true);
    try {
      await onSave(change);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Stack gap="sm" data-testid="consolidation-settings">
      <Switch
        label="Consolidate every night"
        description="The scheduled run (03:00 UTC). A run on demand works either way."
        checked={settings.scheduled}
        disabled={saving}
        onChange={(e) => void save({ scheduled: e.currentTarget.checked })}
      />
      <Switch
        label="Write reflections"
        description="Each run writes what the AI learned in the period to its personal logs, naming its sources."
        checked={settings.reflections}
        disabled={saving}
        onChange={(e) => void save({ reflections: e.currentTarget.checked })}
      />
      <Group grow align="flex-start">
        <NumberInput
          label="Archive working memory after (hours)"
          description="Entries not changed for this long move to the archive."
          min={0}
          max={87_600}
          value={hours}
          onChange={(v) => setHours(typeof v === 'number' ? v : Number(v) || 0)}
        />
        <NumberInput
          label="Propose unretrieved memories after (days)"
          description="Long-term memories nobody retrieved for this long are proposed, never moved by a run."
          min={1}
          max={3_650}
          value={days}
          onChange={(v) => setDays(typeof v === 'number' ? v : Number(v) || 1)}
        />
      </Group>
      <Group>
        <Button
          disabled={!dirty}
          loading={saving}
          onClick={() => void save({ working_memory_max_age_hours: hours, unretrieved_days: days })}
        >
          Save settings
        </Button>
        {dirty && (
          <Text size="sm" c="dimmed">
            Unsaved changes
          </Text>
        )}
      </Group>
    </Stack>
  );
}
