/**
 * @module components/extraction/HygieneCharts — what extraction decided per day (a stacked bar
 * chart, recharts) and its rejections by reason; the totals in words for screen readers.
 */
import { Group, Progress, Stack, Text, Title } from '@mantine/core';
import type { Hygiene } from '@memory-weaver/protocol';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { reasonLabel } from './labels';

// Hex, not CSS variables: SVG presentation attributes don't take var(). Mantine's 6 shades.
const SERIES = [
  { key: 'added', name: 'Added', color: '#12b886' },
  { key: 'duplicate', name: 'Duplicates', color: '#868e96' },
  { key: 'superseded', name: 'Superseded', color: '#228be6' },
  { key: 'rejected', name: 'Rejected', color: '#fa5252' },
  { key: 'queued', name: 'Awaiting review', color: '#fab005' },
] as const;

export function HygieneCharts({ hygiene }: { hygiene: Hygiene }) {
  const t = hygiene.totals;
  const reasons = Object.entries(hygiene.rejected_by_reason).sort((a, b) => b[1] - a[1]);
  const most = Math.max(1, ...reasons.map(([, n]) => n));
  const summary =
    `Last ${String(hygiene.days.length)} days: ${String(t.added)} added, ${String(t.duplicate)} duplicates, ` +
    `${String(t.superseded)} superseded, ${String(t.rejected)} rejected; ${String(hygiene.awaiting_review)} awaiting review.`;
  return (
    <Stack gap="sm">
      <Title order={4}>Hygiene</Title>
      <Text size="sm" data-testid="hygiene-summary">
        {summary}
      </Text>
      <figure data-testid="hygiene-chart" aria-label={`Extraction decisions per day. ${summary}`} style={{ margin: 0 }}>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={hygiene.days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} fontSize={12} />
            <YAxis allowDecimals={false} fontSize={12} />
            <Tooltip />
            <Legend formatter={(name: string) => <span style={{ color: 'var(--mantine-color-text)' }}>{name}</span>} />
            {SERIES.map((s) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stackId="decisions"
                fill={s.color}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <Title order={5}>Rejected, by reason</Title>
      {reasons.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing rejected.
        </Text>
      ) : (
        <Stack gap={4} data-testid="rejected-by-reason">
          {reasons.map(([reason, n]) => (
            <Group key={reason} gap="xs" wrap="nowrap">
              <Text size="sm" w={140}>
                {reasonLabel(reason)}
              </Text>
              <Progress
                value={(n / most) * 100}
                color="red"
                w={160}
                aria-label={`${reasonLabel(reason)}: ${String(n)}`}
              />
              <Text size="sm">{n}</Text>
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
