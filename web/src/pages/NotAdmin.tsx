/** @module pages/NotAdmin — what a signed-in user without the admin claim sees, and how to get it. */
import { Button, Center, Paper, Stack, Text, Title } from '@mantine/core';

export function NotAdmin({ email, onSignOut }: { email: string; onSignOut: () => void }) {
  return (
    <Center mih="100vh" p="md">
      <Paper component="main" withBorder p="xl" w={420}>
        <Stack>
          <Title order={1} size="h2">
            Not an administrator
          </Title>
          <Text>
            {email} is signed in but is not an administrator of this Memory Weaver. Ask an administrator to run{' '}
            <code>npm run promote-admin -- {email}</code>, then sign in again.
          </Text>
          <Button variant="default" onClick={onSignOut}>
            Sign out
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
