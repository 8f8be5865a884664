/** @module App — who is signed in decides the screen: sign-in, "not an administrator", or the console. */
import { Anchor, AppShell, Button, Center, Group, Loader, Text, Title } from '@mantine/core';
import { onIdTokenChanged, signOut, type User } from 'firebase/auth';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Api } from './api';
import { firebaseAuth } from './firebase';
import { AiList } from './pages/AiList';
import { NotAdmin } from './pages/NotAdmin';
import { SignIn } from './pages/SignIn';

// The AI page (tiers, live updates, chat) and the API reference load on demand: the first screen
// stays small.
const AiDetail = lazy(() => import('./pages/AiDetail'));
const ApiReference = lazy(() => import('./pages/ApiReference'));

type Session = { state: 'loading' } | { state: 'signed-out' } | { state: 'signed-in'; user: User; admin: boolean };

/** The hash picks the screen: `#/ai/<uuid>` an AI, `#/api` the API reference, else the list. */
type Route = { page: 'list' } | { page: 'ai'; aiUuid: string } | { page: 'api' };

function useRoute(): [Route, (ai: string | null) => void] {
  const read = (): Route => {
    const hash = window.location.hash;
    if (hash.startsWith('#/ai/')) return { page: 'ai', aiUuid: hash.slice(5) };
    return hash === '#/api' ? { page: 'api' } : { page: 'list' };
  };
  const [route, setRoute] = useState<Route>(read);
  useEffect(() => {
    const onHash = () => setRoute(read());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return [route, (next) => (window.location.hash = next ? `#/ai/${next}` : '#/')];
}

export function App() {
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const [route, go] = useRoute();

  useEffect(() => {
    let unsubscribe = () => {};
    void firebaseAuth().then((auth) => {
      unsubscribe = onIdTokenChanged(auth, async (user) => {
        if (!user) {
          setSession({ state: 'signed-out' });
          return;
        }
        const token = await user.getIdTokenResult();
        setSession({ state: 'signed-in', user, admin: token.claims.admin === true });
      });
    });
    return () => unsubscribe();
  }, []);

  const api = useMemo(() => (session.state === 'signed-in' ? new Api(session.user) : null), [session]);

  if (session.state === 'loading') {
    return (
      <Center h="100vh">
        <Loader role="status" aria-label="Loading" />
      </Center>
    );
  }
  if (session.state === 'signed-out') return <SignIn />;
  const out = () => void firebaseAuth().then((a) => signOut(a));
  if (!session.admin || !api) return <NotAdmin email={session.user.email ?? ''} onSignOut={out} />;

  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Title order={1} size="h3">
              <a href="#/" style={{ color: 'inherit', textDecoration: 'none' }}>
                Memory Weaver
              </a>
            </Title>
            <Text c="dimmed" size="sm" visibleFrom="sm">
              admin console
            </Text>
          </Group>
          <Group gap="sm">
            <Anchor href="#/api" size="sm">
              API reference
            </Anchor>
            <Text size="sm" visibleFrom="sm">
              {session.user.email}
            </Text>
            <Button variant="default" size="xs" onClick={out}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        {route.page === 'ai' && (
          <Suspense fallback={<Loader role="status" aria-label="Loading the AI" />}>
            <AiDetail api={api} aiUuid={route.aiUuid} me={session.user.uid} onBack={() => go(null)} />
          </Suspense>
        )}
        {route.page === 'api' && (
          <Suspense fallback={<Loader role="status" aria-label="Loading the API reference" />}>
            <ApiReference api={api} />
          </Suspense>
        )}
        {route.page === 'list' && <AiList api={api} onOpen={(id) => go(id)} />}
      </AppShell.Main>
    </AppShell>
  );
}
