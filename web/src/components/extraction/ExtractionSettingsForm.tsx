/**
 * @module components/extraction/ExtractionSettingsForm — an AI's extraction settings: the on/off
 * switch (saved at once), what to remember, where facts go, review mode and the personal-data
 * policy (saved with the button). Without a model the switch is off and disabled, and says why.
 */
import { Alert, Button, Group, Select, Stack, Switch, Text, Textarea } from '@mantine/core';
import {
  PERSONAL_DATA_POLICIES,
  type ExtractionStatus,
  type MemoryType,
  type PersonalDataPolicy,
  type UpdateExtractionSettings,
} from '@memory-weaver/protocol';
import { useState } from 'react';
import { TIER_LABEL, TIERS } from '../../tiers';

interface Props {
  status: ExtractionStatus;
  /** Saves and shows the new status; reports its own failures (never rejects). */
  onSave: (change: UpdateExtractionSettings) => Promise<void>;
}

const POLICY_LABEL: Record<PersonalDataPolicy, string> = {
  store: 'Store as said',
  redact: 'Redact (emails, phone numbers…)',
  reject: 'Reject the fact',
};

export function ExtractionSettingsForm({ status, onSave }: Props) {
  const s = status.settings;
  const [instructions, setInstructions] = useState(s.instructions);
  const [tier, setTier] = useState<MemoryType>(s.target_tier);
  const [review, setReview] = useState(s.review);
  const [policy, setPolicy] = useState<PersonalDataPolicy>(s.personal_data);
  const [saving, setSaving] = useState(false);
  const dirty =
    instructions !== s.instructions || tier !== s.target_tier || review !== s.review || policy !== s.personal_data;

  const save = async (change: UpdateExtractionSettings) => {
    setSaving(true);
    try {
      await onSave(change);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="sm" data-testid="extraction-settings">
      {!status.model_configured && (
        <Alert color="yellow" title="No model configured">
          Extraction needs a model, and this server has none configured, so it is off: nothing is learned from
          conversations until one is.
        </Alert>
      )}
      <Switch
        label="Learn from conversations"
        description={
          status.active
            ? `On: after each exchange, ${status.model ?? 'the model'} proposes facts worth keeping.`
            : 'Off: memories change only when a client or an administrator writes them.'
        }
        checked={s.enabled && status.model_configured}
        disabled={!status.model_configured || saving}
        onChange={(e) => void save({ enabled: e.currentTarget.checked })}
      />
      <Textarea
        label="What to remember"
        description="Added to the extraction prompt, in your words."
        value={instructions}
        onChange={(e) => setInstructions(e.currentTarget.value)}
        autosize
        minRows={2}
        maxLength={4000}
      />
      <Group grow align="flex-start">
        <Select
          label="New facts go to"
          data={TIERS.map((t) => ({ value: t, label: TIER_LABEL[t] }))}
          value={tier}
          onChange={(v) => v && setTier(v)}
          allowDeselect={false}
        />
        <Select
          label="Personal data"
          data={PERSONAL_DATA_POLICIES.map((p) => ({ value: p, label: POLICY_LABEL[p] }))}
          value={policy}
          onChange={(v) => v && setPolicy(v)}
          allowDeselect={false}
        />
      </Group>
      <Switch
        label="Review before storing"
        description="Candidates wait in the review queue until approved."
        checked={review}
        onChange={(e) => setReview(e.currentTarget.checked)}
      />
      <Group>
        <Button
          disabled={!dirty}
          loading={saving}
          onClick={() => void save({ instructions, target_tier: tier, review, personal_data: policy })}
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
