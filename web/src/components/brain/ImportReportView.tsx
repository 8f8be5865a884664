/**
 * @module components/brain/ImportReportView — what an import did, or (dry run) would do: counts of
 * added, changed, deleted and skipped items, then the items themselves (the first ones of each).
 */
import { Badge, Group, Stack, Table, Text } from '@mantine/core';
import type { ImportPlanItem } from '@memory-weaver/protocol';
import type { ImportReport } from '../../api';
import { TIER_LABEL } from '../../tiers';

/** Items listed per kind of outcome: a large import's report would otherwise draw thousands of rows. */
const SHOWN = 50;

const OUTCOMES = [
  ['added', 'would add', 'added', '#087f5b'],
  ['changed', 'would change', 'changed', '#1864ab'],
  ['deleted', 'would delete', 'deleted', '#c92a2a'],
  ['skipped', 'would skip', 'skipped', '#495057'],
] as const;

export function ImportReportView({ report }: { report: ImportReport }) {
  const rows = OUTCOMES.flatMap(([key, , done]) =>
    report[key].slice(0, SHOWN).map((item: ImportPlanItem) => ({ outcome: done, item })),
  );
  return (
    <Stack gap="xs" data-testid="import-report">
      <Text fw={500}>
        {report.dry_run ? 'Dry run: nothing was written.' : `Imported into ${report.ai_name}.`} Mode {report.mode}.
      </Text>
      <Group gap="xs">
        {OUTCOMES.map(([key, would, done, color]) => (
          <Badge key={key} color={color} data-testid={`import-count-${key}`}>
            {report.dry_run ? would : done} {report.counts[key]}
          </Badge>
        ))}
      </Group>
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={480} mah={320}>
          <Table striped aria-label="Import items">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Id</Table.Th>
                <Table.Th>Tier</Table.Th>
                <Table.Th>Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(({ outcome, item }) => (
                <Table.Tr key={`${outcome}-${item.kind}-${item.id}`}>
                  <Table.Td>{outcome}</Table.Td>
                  <Table.Td>{item.kind}</Table.Td>
                  <Table.Td>{item.id}</Table.Td>
                  <Table.Td>{item.memory_type ? TIER_LABEL[item.memory_type] : ''}</Table.Td>
                  <Table.Td>{item.reason ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
