/** @module components/SearchPanel — search every tier of one AI at once, by meaning and by words. */
import { Alert, Badge, Button, Card, Group, Stack, Text, TextInput } from '@mantine/core';
import type { SearchHit } from '@memory-weaver/protocol';
import { useState } from 'react';
import { errorMessage, type Api } from '../api';
import { TIER_LABEL } from '../tiers';

export function SearchPanel({ api, aiUuid }: { api: Api; aiUuid: string }) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <Stack>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void api.search(aiUuid, q).then(setHits, (err: unknown) => setError(errorMessage(err)));
        }}
      >
        <Group align="flex-end">
          <TextInput
            label="Search all tiers (by meaning and words)"
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            style={{ flex: 1 }}
          />
          <Button type="submit">Search</Button>
        </Group>
      </form>
      {error && <Alert color="red">{error}</Alert>}
      {hits?.length === 0 && <Text c="dimmed">Nothing found.</Text>}
      {hits?.map((h) => (
        <Card key={h.memory.memory_id} withBorder padding="sm">
          <Group gap="xs">
            <Badge>{TIER_LABEL[h.memory.memory_type]}</Badge>
            <Text size="xs" c="dimmed">
              score {h.score.toFixed(3)} · similarity {h.vector_similarity?.toFixed(2) ?? '—'}
            </Text>
          </Group>
          <Text mt={4}>{h.memory.content}</Text>
        </Card>
      ))}
    </Stack>
  );
}
