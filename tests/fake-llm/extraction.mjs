// The stand-in's answers to Memory Weaver's extraction requests (functions/src/extraction/model.ts):
// not a model, a rule table. Each test scripts the AI it made (`POST /__extraction/script` with the
// AI's uuid as `user`, which is what the extraction request sends as OpenAI's `user` field), and
// the stand-in answers from the rules, deterministically:
//
//   facts:  [{ when: "<regex over each user message, case-insensitive>", content: "The user's name is $1",
//              kind?: "identity", subject?: "name" }]
//           every match of every rule becomes one proposed fact, `$1`… replaced by the groups
//   raw:    ["<a fact proposed verbatim>", …]   (for gate tests: junk, secrets, echoes)
//   decide: [{ when: "<regex over a fact>", action: "supersede" | "duplicate" | "add",
//              target?: "<regex over a neighbour's content>" }]
//           a fact no rule matches is `add`; `supersede`/`duplicate` take the first neighbour the
//           target matches (any neighbour without a target)
//   fail:   { stage: "facts" | "decide", kind: "malformed_json" | "schema_invalid" | "429" | "500" | "timeout",
//             times: n }   the next n requests of that stage fail that way, then answers resume
//
// An AI without a script gets no facts. The decisions request carries the facts and their
// neighbours as JSON inside <facts>…</facts>; the facts request carries the exchange as JSON lines
// inside <conversation>…</conversation>.

const scripts = new Map();

export function setScript(script) {
  if (typeof script?.user !== 'string') throw new Error('a script needs "user" (the AI uuid)');
  scripts.set(script.user, { facts: [], raw: [], decide: [], ...script, failed: { facts: 0, decide: 0 } });
}

/** The stage of an extraction request, or null when the request is not one. */
export function extractionStage(body) {
  const name = body?.response_format?.json_schema?.name;
  if (name === 'memory_facts') return 'facts';
  if (name === 'memory_decisions') return 'decide';
  return null;
}

const block = (body, tag) => {
  const text = (body.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
  return new RegExp(`<${tag}>\\n?([\\s\\S]*?)</${tag}>`).exec(text)?.[1] ?? '';
};

function proposeFacts(script, body) {
  const lines = block(body, 'conversation')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
  const facts = [];
  for (const m of lines.filter((l) => l.role === 'user')) {
    for (const rule of script.facts) {
      for (const match of String(m.content).matchAll(new RegExp(rule.when, 'gi'))) {
        const content = rule.content.replace(/\$(\d)/g, (_, i) => match[Number(i)] ?? '');
        facts.push({ content, kind: rule.kind ?? 'other', subject: rule.subject ?? '' });
      }
    }
  }
  for (const content of script.raw) facts.push({ content, kind: 'other', subject: '' });
  return { facts };
}

function decide(script, body) {
  const { facts } = JSON.parse(block(body, 'facts') || '{"facts":[]}');
  return {
    decisions: facts.map((f) => {
      const rule = script.decide.find((r) => new RegExp(r.when, 'i').test(f.content));
      if (!rule || rule.action === 'add') return { fact: f.index, action: 'add', target: null };
      const target = f.neighbours.find((n) => !rule.target || new RegExp(rule.target, 'i').test(n.content));
      return target
        ? { fact: f.index, action: rule.action, target: target.id }
        : { fact: f.index, action: 'add', target: null };
    }),
  };
}

/**
 * The answer to an extraction request: `{ status, body }` (body a string for malformed output), or
 * `{ hang: true }`.
 */
export function answerExtraction(body, stage) {
  const script = scripts.get(body.user) ?? { facts: [], raw: [], decide: [], failed: { facts: 0, decide: 0 } };
  const fail = script.fail;
  if (fail && fail.stage === stage && script.failed[stage] < (fail.times ?? 1)) {
    script.failed[stage] += 1;
    switch (fail.kind) {
      case 'malformed_json':
        return { status: 200, content: '{"facts": [ {"content": ' };
      case 'schema_invalid':
        return { status: 200, content: JSON.stringify({ facts: 'not a list', decisions: 7 }) };
      case '429':
        return { status: 429, error: 'fake rate limit' };
      case '500':
        return { status: 500, error: 'fake upstream failure' };
      case 'timeout':
        return { hang: true };
      default:
        break;
    }
  }
  const answer = stage === 'facts' ? proposeFacts(script, body) : decide(script, body);
  return { status: 200, content: JSON.stringify(answer) };
}
