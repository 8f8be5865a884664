/**
 * @module components/extraction/ReviewQueue — candidates waiting for an administrator (review
 * mode): the fact, the user's words it came from, and what approving does (add, or replace a
 * memory, shown); Approve and Reject are one click each.
 */
import { Blockquote, Button, Card, Group, Stack, Text } from '@mantine/core';
import type { ReviewItem } from '@memory-weaver/protocol';
import { TIER_LABEL } from '../../tiers';

interface Props {
  items: ReviewItem[];
  onDecide: (item: ReviewItem, approve: boolean) => Promise<void>;
}

export function ReviewQueue({ items, onDecide }: Props) {
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Nothing awaiting review.
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      {items.map((i) => (
        <Card key={i.review_id} withBorder padding="xs" data-testid={`review-${i.review_id}`}>
          <Text fw={500}>{i.content}</Text>
          <Text size="sm" mt={4}>
            {i.proposed === 'add' ? (
              `Would add it to ${TIER_LABEL[i.target_tier]}.`
            ) : (
              <>
                Would replace (the old one goes to the archive): <em>{i.target_content ?? i.target_id}</em>
              </>
            )}
          </Text>
          <Blockquote p="xs" mt="xs" cite={i.session_id ? `session ${i.session_id}` : undefined}>
            {i.source_text}
          </Blockquote>
          <Group gap="xs" mt="xs">
            <Button size="compact-sm" color="#087f5b" onClick={() => void onDecide(i, true)}>
              Approve
            </Button>
            <Button size="compact-sm" color="#c92a2a" variant="light" onClick={() => void onDecide(i, false)}>
              Reject
            </Button>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
