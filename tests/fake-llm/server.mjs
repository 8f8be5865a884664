#!/usr/bin/env node
// A stand-in for an OpenAI-compatible model server, for tests only. It is not a language model:
// every answer is computed from the request, deterministically, and starts with "[fake-llm]"
// except fake-recite's, which is memory text verbatim by design.
// It records every request it receives (GET /__requests) so tests can check what the API sent.
//
// The model name chooses the behaviour:
//   fake-echo     answers with a digest of what it received (streams it word by word when asked)
//   fake-500      answers 500
//   fake-429      answers 429 with Retry-After: 7
//   fake-hang     never answers (until the caller gives up)
//   fake-cut      streams three chunks, then drops the connection
//   fake-badjson  answers 200 with a body that is not JSON
//   fake-slow     streams one word every 200 ms for 10 s (for client-abort tests)
//   fake-recite   answers with nothing but the contents of the memories it was given (the JSON
//                 lines of the system message's <memory_data> block), one a line: a model that
//                 merely echoes its memories
//
// Whatever the model name, a request for structured output named `memory_facts` or
// `memory_decisions` (Memory Weaver's extraction) is answered from the rules a test scripted for
// its AI: see extraction.mjs. One named `memory_reflection` (consolidation's reflections): see
// reflections.mjs. `session_summary` and `summary_check` (session summaries): see summaries.mjs.
import { createServer } from 'node:http';
import { answerExtraction, extractionStage, setScript } from './extraction.mjs';
import { answerReflection, isReflection, setReflectionScript } from './reflections.mjs';
import { answerSummary, setSummaryScript, summaryStage } from './summaries.mjs';

const port = Number(process.env.FAKE_LLM_PORT ?? 5055);
const requests = [];

function reply(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** The contents of the memories quoted in the system message, in order. */
function recitedMemories(body) {
  const system = (body.messages ?? []).find((m) => m.role === 'system')?.content ?? '';
  const block = /<memory_data>\n([\s\S]*?)<\/memory_data>/.exec(system)?.[1] ?? '';
  return block
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => String(JSON.parse(line).content));
}

function answerFor(body) {
  if (body.model === 'fake-recite') {
    const recited = recitedMemories(body);
    return recited.length > 0 ? recited.join('\n') : '[fake-llm] nothing to recite';
  }
  const last = [...(body.messages ?? [])].reverse().find((m) => m.role === 'user');
  const text = typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
  return `[fake-llm] I received ${body.messages?.length ?? 0} messages. You said: ${text}`;
}

const chunk = (body, delta, finish = null) =>
  `data: ${JSON.stringify({ id: 'fake-1', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/__requests') return reply(res, 200, requests);
  if (req.method === 'GET' && req.url === '/v1/models') {
    return reply(res, 200, {
      object: 'list',
      data: [
        'fake-echo',
        'fake-500',
        'fake-429',
        'fake-hang',
        'fake-cut',
        'fake-badjson',
        'fake-slow',
        'fake-recite',
      ].map((id) => ({
        id,
        object: 'model',
        owned_by: 'fake-llm',
      })),
    });
  }
  if (req.method === 'POST' && req.url === '/__reflections/script') {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      try {
        setReflectionScript(JSON.parse(raw));
        reply(res, 204, '');
      } catch (err) {
        reply(res, 400, { error: { message: String(err) } });
      }
    });
    return undefined;
  }
  if (req.method === 'POST' && req.url === '/__summaries/script') {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      try {
        setSummaryScript(JSON.parse(raw));
        reply(res, 204, '');
      } catch (err) {
        reply(res, 400, { error: { message: String(err) } });
      }
    });
    return undefined;
  }
  if (req.method === 'POST' && req.url === '/__extraction/script') {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      try {
        setScript(JSON.parse(raw));
        reply(res, 204, '');
      } catch (err) {
        reply(res, 400, { error: { message: String(err) } });
      }
    });
    return undefined;
  }
  if (req.method !== 'POST' || req.url !== '/v1/chat/completions')
    return reply(res, 404, { error: { message: 'not found' } });
  let raw = '';
  req.on('data', (c) => (raw += c));
  req.on('end', () => {
    const body = JSON.parse(raw || '{}');
    const record = { at: Date.now(), authorization: req.headers.authorization ?? null, body, closedEarly: false };
    requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.closedEarly = true;
    });
    const summary = summaryStage(body);
    if (summary) {
      const a = answerSummary(body, summary);
      if (a.status !== 200) return reply(res, a.status, { error: { message: a.error, type: 'fake' } });
      // A refusal is OpenAI's shape for one: no content, the reason in `refusal`.
      const message = a.refusal
        ? { role: 'assistant', content: null, refusal: a.refusal }
        : { role: 'assistant', content: a.content };
      return reply(res, 200, {
        id: 'fake-summary',
        object: 'chat.completion',
        created: 0,
        model: body.model,
        choices: [{ index: 0, message, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      });
    }
    const stage = extractionStage(body) ?? (isReflection(body) ? 'reflection' : null);
    if (stage) {
      const a = stage === 'reflection' ? answerReflection(body) : answerExtraction(body, stage);
      if (a.hang) return undefined;
      if (a.status !== 200) return reply(res, a.status, { error: { message: a.error, type: 'fake' } });
      return reply(res, 200, {
        id: 'fake-extract',
        object: 'chat.completion',
        created: 0,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: a.content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      });
    }
    const answer = answerFor(body);
    switch (body.model) {
      case 'fake-500':
        return reply(res, 500, { error: { message: 'fake upstream failure', type: 'server_error' } });
      case 'fake-429':
        return reply(res, 429, { error: { message: 'fake rate limit', type: 'rate_limit' } }, { 'retry-after': '7' });
      case 'fake-hang':
        return undefined;
      case 'fake-badjson':
        return reply(res, 200, '{"id": "x", "choices": [');
      default:
        break;
    }
    if (!body.stream) {
      return reply(res, 200, {
        id: 'fake-1',
        object: 'chat.completion',
        created: 0,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const words = answer.match(/\S+\s*/g) ?? [];
    if (body.model === 'fake-cut') {
      for (const w of words.slice(0, 3)) res.write(chunk(body, { content: w }));
      setTimeout(() => res.socket?.destroy(), 50);
      return undefined;
    }
    if (body.model === 'fake-slow') {
      let i = 0;
      const timer = setInterval(() => {
        if (i >= 50 || res.destroyed) {
          clearInterval(timer);
          if (!res.destroyed) {
            res.write(chunk(body, {}, 'stop'));
            res.end('data: [DONE]\n\n');
          }
          return;
        }
        res.write(chunk(body, { content: `word${i++} ` }));
      }, 200);
      return undefined;
    }
    res.write(chunk(body, { role: 'assistant', content: '' }));
    for (const w of words) res.write(chunk(body, { content: w }));
    res.write(chunk(body, {}, 'stop'));
    res.end('data: [DONE]\n\n');
    return undefined;
  });
});

server.listen(port, '127.0.0.1', () => console.log(`[fake-llm] listening on ${port} (a test stand-in, not a model)`));
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => server.close(() => process.exit(0)));
