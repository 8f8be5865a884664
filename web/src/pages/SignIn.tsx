/** @module pages/SignIn — email and password sign-in (the first screen for anyone signed out). */
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { signInWithEmailAndPassword } from 'firebase/auth';
import { useState, type SubmitEvent } from 'react';
import { errorMessage } from '../api';
import { firebaseAuth, isLocal } from '../firebase';

export function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signInWithEmailAndPassword(await firebaseAuth(), email, password);
    } catch (err) {
      setError(errorMessage(err).replace(/^Firebase: /, ''));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" p="md">
      <Paper component="main" withBorder shadow="sm" p="xl" w={380}>
        <form onSubmit={submit}>
          <Stack>
            <Title order={1} size="h2">
              Memory Weaver
            </Title>
            <Text c="dimmed" size="sm">
              Sign in as an administrator to manage AI instances and their memories.
            </Text>
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            {error && (
              <Alert color="red" role="alert" title="Sign-in failed">
                {error}
              </Alert>
            )}
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
            {isLocal && (
              <Text size="xs" c="dimmed">
                Local stack: admin@memory-weaver.local / memory-weaver-admin (printed by npm start).
              </Text>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
