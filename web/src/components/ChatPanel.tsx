/**
 * @module components/ChatPanel — talk to the AI in a chosen or new session, see the answer stream in
 * and which memories it used.
 */
import { Alert, Badge, Button, Card, Group, Select, Stack, Text, Textarea } from '@mantine/core';
import type { ChatSession, ContextPreview } from '@memory-weaver/protocol';
import { useEffect, useState } from 'react';
import { errorMessage, type Api } from '../api';

interface Turn {
  user: string;
  answer: string;
}

export function ChatPanel({ api, aiUuid }: { api: Api; aiUuid: string }) {
  const [sessions, setSessions] = useState<ChatSession[]>([]);
  const [session, setSession] = useState<string | null>(null);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [context, setContext] = useState<ContextPreview | null>(null);
  const [error, setError] = useState<string | null>(null);

  const loadSessions = () => void api.sessions(aiUuid).then(setSessions, (e: unknown) => setError(errorMessage(e)));
  useEffect(loadSessions, [api, aiUuid]);

  const send = async () => {
    const text = message.trim();
    if (!text) return;
    setBusy(true);
    setError(null);
    setMessage('');
    setTurns((t) => [...t, { user: text, answer: '' }]);
    try {
      setContext(await api.context(aiUuid, text, session ?? undefined));
      const id = await api.chat(aiUuid, text, session ?? undefined, (delta) =>
        setTurns((t) => t.map((turn, i) => (i === t.length - 1 ? { ...turn, answer: turn.answer + delta } : turn))),
      );
      setSession(id);
      loadSessions();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack>
      <Group align="flex-end">
        <Select
          label="Session"
          placeholder="New session"
          data={sessions.map((s) => ({ value: s.session_id, label: `${s.name || s.session_id} (${s.turns} turns)` }))}
          value={session}
          onChange={(v) => {
            setSession(v);
            setTurns([]);
          }}
          clearable
          w={320}
        />
        <Button
          variant="default"
          onClick={() => {
            setSession(null);
            setTurns([]);
            setContext(null);
          }}
        >
          New session
        </Button>
      </Group>
      {turns.length === 0 && <Text c="dimmed">Say something to the AI. Its answer draws on its memory.</Text>}
      {turns.map((t, i) => (
        <Stack key={i} gap={4}>
          <Card withBorder padding="xs">
            <Text size="sm" fw={600}>
              You
            </Text>
            <Text>{t.user}</Text>
          </Card>
          <Card withBorder padding="xs" bg="var(--mantine-color-gray-0)" data-testid="chat-answer">
            <Text size="sm" fw={600}>
              AI
            </Text>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{t.answer || '…'}</Text>
          </Card>
        </Stack>
      ))}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <Group align="flex-end">
          <Textarea
            label="Message"
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            autosize
            minRows={1}
            style={{ flex: 1 }}
          />
          <Button type="submit" loading={busy}>
            Send
          </Button>
        </Group>
      </form>
      {context && (
        <Card withBorder padding="sm" data-testid="context-preview">
          <Text size="sm" fw={600}>
            Memories used for the last answer ({context.tokens.total} of {context.tokens.budget} tokens)
          </Text>
          {context.memories_used.length === 0 && (
            <Text size="sm" c="dimmed">
              None.
            </Text>
          )}
          <Group gap={4} mt={4}>
            {context.memories_used.map((m) => (
              <Badge key={m.memory_id} title={`${m.reason}${m.score !== null ? `, score ${m.score.toFixed(3)}` : ''}`}>
                {m.memory_type} · {m.memory_id.slice(0, 6)}
              </Badge>
            ))}
          </Group>
        </Card>
      )}
    </Stack>
  );
}
