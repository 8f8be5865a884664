/**
 * @module components/SearchPanel — search every tier of one AI at once, by words and meaning
 * (or by one of them), with each hit's two signals drawn side by side: why it ranks where it does.
 */
import { Alert, Badge, Button, Card, Group, Progress, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import type { SearchHit, SearchMode } from '@memory-weaver/protocol';
import { useState } from 'react';
import { errorMessage, type Api } from '../api';
import { TIER_LABEL } from '../tiers';

const MODES: { value: SearchMode; label: string }[] = [
  { value: 'hybrid', label: 'Words and meaning' },
  { value: 'keyword', label: 'Words' },
  { value: 'vector', label: 'Meaning' },
];

export function SearchPanel({ api, aiUuid }: { api: Api; aiUuid: string }) {
  const [q, setQ] = useState('');
  const [mode, setMode] = useState<SearchMode>('hybrid');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // BM25 has no fixed scale: the bars show each hit's words score against the best of this search.
  const topKeyword = Math.max(0, ...(hits ?? []).map((h) => h.keyword_score ?? 0));
  return (
    <Stack>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          void api.search(aiUuid, q, mode).then(setHits, (err: unknown) => setError(errorMessage(err)));
        }}
      >
        <Group align="flex-end">
          <TextInput
            label="Search all tiers"
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            style={{ flex: 1 }}
          />
          <SegmentedControl aria-label="Rank by" value={mode} onChange={(v) => setMode(v)} data={MODES} />
          <Button type="submit">Search</Button>
        </Group>
      </form>
      {error && <Alert color="red">{error}</Alert>}
      {hits?.length === 0 && <Text c="dimmed">Nothing found.</Text>}
      {hits?.map((h) => (
        <Card key={h.memory.memory_id} withBorder padding="sm" data-testid="search-hit">
          <Group gap="xs" justify="space-between" wrap="nowrap">
            <Group gap="xs">
              <Badge>{TIER_LABEL[h.memory.memory_type]}</Badge>
              <Text size="xs" c="dimmed">
                score {h.score.toFixed(3)}
              </Text>
            </Group>
            <Stack gap={2} w={180}>
              <Group gap={4} wrap="nowrap">
                <Text size="xs" w={60}>
                  words
                </Text>
                <Progress
                  aria-label="words"
                  value={topKeyword > 0 ? ((h.keyword_score ?? 0) / topKeyword) * 100 : 0}
                  style={{ flex: 1 }}
                />
              </Group>
              <Group gap={4} wrap="nowrap">
                <Text size="xs" w={60}>
                  meaning
                </Text>
                <Progress
                  aria-label="meaning"
                  color="teal"
                  value={Math.max(0, h.vector_similarity ?? 0) * 100}
                  style={{ flex: 1 }}
                />
              </Group>
            </Stack>
          </Group>
          <Text mt={4}>{h.memory.content}</Text>
        </Card>
      ))}
    </Stack>
  );
}
