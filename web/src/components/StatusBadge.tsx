/**
 * @module components/StatusBadge — a status shown as dark text with a coloured dot: coloured badges
 * with white or tinted text fall under the 4.5:1 contrast that WCAG AA asks of small text.
 */
import { Badge } from '@mantine/core';

const DOT = { ok: '#2f9e44', idle: '#868e96', bad: '#e03131', warn: '#f08c00' } as const;

export function StatusBadge({ tone, children, testId }: { tone: keyof typeof DOT; children: string; testId?: string }) {
  return (
    <Badge
      data-testid={testId}
      leftSection={
        <span
          aria-hidden
          style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: DOT[tone] }}
        />
      }
    >
      {children}
    </Badge>
  );
}
