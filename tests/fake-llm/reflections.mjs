// The stand-in's answers to Memory Weaver's reflection requests (functions/src/consolidation/reflect.ts):
// not a model, a rule table, recognised by the structured output's name `memory_reflection`. A
// test scripts the AI it made (`POST /__reflections/script` with the AI's uuid as `user`, which is
// what the request sends as OpenAI's `user` field):
//
//   text:  "<the reflection>"  `$sources` is replaced by the given memories' contents joined by "; "
//          (default: "[fake-llm] This period I learned: $sources")
//   cite:  "<regex over a given memory's content>"  only the memories it matches are cited
//          (default: every memory given)
//   extra: ["<an id>", …]   cited as well although never given (the server must drop them)
//   fail:  { kind: "malformed_json" | "schema_invalid" | "500", times: n }  the next n requests fail so
//
// An AI without a script gets the default reflection. The request carries the memories as JSON
// lines ({ id, tier, content }) inside <memories>…</memories>.

const scripts = new Map();

export function setReflectionScript(script) {
  if (typeof script?.user !== 'string') throw new Error('a script needs "user" (the AI uuid)');
  scripts.set(script.user, { ...script, failed: 0 });
}

export const isReflection = (body) => body?.response_format?.json_schema?.name === 'memory_reflection';

function given(body) {
  const text = (body.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
  const block = /<memories>\n?([\s\S]*?)<\/memories>/.exec(text)?.[1] ?? '';
  return block
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

/** `{ status, content }` for a reflection request (content a string, malformed on purpose when scripted). */
export function answerReflection(body) {
  const script = scripts.get(body.user) ?? { failed: 0 };
  if (script.fail && script.failed < (script.fail.times ?? 1)) {
    script.failed += 1;
    if (script.fail.kind === 'malformed_json') return { status: 200, content: '{"reflection": ' };
    if (script.fail.kind === 'schema_invalid') return { status: 200, content: JSON.stringify({ reflection: 7 }) };
    return { status: 500, error: 'fake upstream failure' };
  }
  const memories = given(body);
  const cited = script.cite ? memories.filter((m) => new RegExp(script.cite, 'i').test(m.content)) : memories;
  const template = script.text ?? '[fake-llm] This period I learned: $sources';
  const reflection = template.replace('$sources', cited.map((m) => m.content).join('; '));
  return {
    status: 200,
    content: JSON.stringify({ reflection, sources: [...cited.map((m) => m.id), ...(script.extra ?? [])] }),
  };
}
