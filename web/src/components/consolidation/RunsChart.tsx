/**
 * @module components/consolidation/RunsChart — moves per run, oldest first (a stacked bar chart,
 * recharts, loaded with the tab): moved, skipped, proposals accepted; the totals in words for
 * screen readers.
 */
import { Stack, Text, Title } from '@mantine/core';
import type { ConsolidationRun } from '@memory-weaver/protocol';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

// Hex, not CSS variables: SVG presentation attributes don't take var().
const SERIES = [
  { key: 'moved', name: 'Moved', color: '#12b886' },
  { key: 'skipped', name: 'Skipped', color: '#868e96' },
  { key: 'accepted', name: 'Proposals accepted', color: '#228be6' },
] as const;

export function RunsChart({ runs }: { runs: ConsolidationRun[] }) {
  const data = runs
    .filter((r) => !r.dry_run || r.status !== 'planned')
    .map((r) => ({ run: r.created_at.slice(5, 16).replace('T', ' '), ...r.counts }))
    .reverse();
  const moved = data.reduce((n, d) => n + d.moved, 0);
  const summary = `Last ${String(data.length)} runs: ${String(moved)} moved to the archive.`;
  return (
    <Stack gap="sm">
      <Title order={4}>Moves per run</Title>
      <Text size="sm" data-testid="runs-summary">
        {summary}
      </Text>
      <figure data-testid="runs-chart" aria-label={`Moves per consolidation run. ${summary}`} style={{ margin: 0 }}>
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="run" fontSize={12} />
            <YAxis allowDecimals={false} fontSize={12} />
            <Tooltip />
            <Legend formatter={(name: string) => <span style={{ color: 'var(--mantine-color-text)' }}>{name}</span>} />
            {SERIES.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.name} stackId="runs" fill={s.color} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </Stack>
  );
}
