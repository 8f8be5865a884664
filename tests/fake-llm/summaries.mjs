// The stand-in's answers to Memory Weaver's session-summary requests
// (functions/src/consolidation/summaries/model.ts): not a model, a rule table, recognised by the
// structured output's name, `session_summary` (write a summary) or `summary_check` (does the new
// summary keep every fact?). Both carry the summary so far inside <previous_summary>…</previous_summary>
// and the new turns as JSON lines ({ user, assistant }) inside <turns>…</turns>; the check also the
// new summary inside <new_summary>…</new_summary>.
//
// By default, for any AI, it is honest, deterministically:
//   summary: the previous summary's lines, then each sentence of the new turns' user messages that
//            holds a digit, a capital letter (other than "I") or a decision word, verbatim, one a line
//   check:   keeps_all_facts unless a line of the previous summary is missing from the new one
//            (those lines are `missing`)
//
// A test scripts the AI it made (`POST /__summaries/script` with the AI's uuid as `user`, which is
// what the request sends as OpenAI's `user` field); each entry applies to the next `times` (default
// 1) requests of its kind, then the default resumes:
//   drop:   { items: ["42,000", …], times }   the summary leaves these strings out
//   answer: { kind: "empty" | "refuse" | "malformed_json" | "500", times }
//           an empty summary; OpenAI's refusal (no content, a `refusal` text); not JSON; a 500
//   check:  { missing: ["…"], times }   the check answers keeps_all_facts: false with these

const scripts = new Map();

export function setSummaryScript(script) {
  if (typeof script?.user !== 'string') throw new Error('a script needs "user" (the AI uuid)');
  scripts.set(script.user, { ...script, used: { drop: 0, answer: 0, check: 0 } });
}

/** `summary`, `check`, or null when the request is not a summary request. */
export function summaryStage(body) {
  const name = body?.response_format?.json_schema?.name;
  if (name === 'session_summary') return 'summary';
  if (name === 'summary_check') return 'check';
  return null;
}

const text = (body) => (body.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
const block = (body, tag) => new RegExp(`<${tag}>\\n?([\\s\\S]*?)\\n?</${tag}>`).exec(text(body))?.[1] ?? '';
const lines = (s) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

const DECISION = /\b(decided|decide|agreed|chose|chosen|going with|settled on|booked|confirmed|opted|picked)\b/i;
const factual = (sentence) => /\d/.test(sentence) || /\b(?!I\b)\p{Lu}/u.test(sentence) || DECISION.test(sentence);

function honestSummary(body) {
  const out = lines(block(body, 'previous_summary'));
  for (const turn of lines(block(body, 'turns')).map((l) => JSON.parse(l))) {
    for (const sentence of String(turn.user).split(/(?<=[.!?])\s+|\n+/)) {
      const s = sentence.trim();
      if (s !== '' && factual(s) && !out.includes(s)) out.push(s);
    }
  }
  return out.join('\n');
}

/** The entry of `kind` that applies to this request (and counts it), or null. */
function scripted(user, kind) {
  const script = scripts.get(user);
  const entry = script?.[kind];
  if (!entry || script.used[kind] >= (entry.times ?? 1)) return null;
  script.used[kind] += 1;
  return entry;
}

/**
 * The answer to a summary request: `{ status, content }`, `{ status: 200, refusal }`, or
 * `{ status, error }` for an upstream failure.
 */
export function answerSummary(body, stage) {
  if (stage === 'check') {
    const forced = scripted(body.user, 'check');
    const kept = block(body, 'new_summary');
    const missing = forced ? forced.missing : lines(block(body, 'previous_summary')).filter((l) => !kept.includes(l));
    return { status: 200, content: JSON.stringify({ keeps_all_facts: missing.length === 0, missing }) };
  }
  const answer = scripted(body.user, 'answer');
  switch (answer?.kind) {
    case 'empty':
      return { status: 200, content: JSON.stringify({ summary: '' }) };
    case 'refuse':
      return { status: 200, refusal: "[fake-llm] I can't help with that." };
    case 'malformed_json':
      return { status: 200, content: '{"summary": "' };
    case '500':
      return { status: 500, error: 'fake upstream failure' };
    default:
      break;
  }
  let summary = honestSummary(body);
  const drop = scripted(body.user, 'drop');
  for (const item of drop?.items ?? []) summary = summary.split(item).join('');
  return { status: 200, content: JSON.stringify({ summary }) };
}
