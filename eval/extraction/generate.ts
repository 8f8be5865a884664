/**
 * @module eval/extraction/generate — the extraction fixture: scripted conversations, the model
 * stand-in's rules for them, and the long-term memory each AI should end with.
 *
 * Deterministic (a seeded mulberry32, eval/devset/prng.ts; no clock, no Math.random): the same
 * seed gives the same fixture. Each conversation is one user talking to one AI over several
 * sessions: a name, a role and a city (each may change later: a new job, a move), two preferences
 * (each may change, some change back), relatives, a pet, an allergy, facts restated in later
 * sessions (in the same words or as "as I said …"), task-only chatter ("help me debug …"), one
 * secret (a password, an API key or a card number) and one piece of personal data (an e-mail or a
 * phone number) under the AI's personal-data policy (`store`, `redact` or `reject` in turn).
 *
 * The stand-in (tests/fake-llm/extraction.mjs) is a rule table, not a model: the `facts` rules
 * below turn each user message into the facts a good model would propose (plus, for the chatter,
 * the junk a poor one would: "No relevant facts.", a question), and the `decide` rules answer the
 * update decision as a good model would (a new job, city or preference of the same kind supersedes
 * the old one). What the fixture measures is therefore the pipeline after the model: the gate,
 * dedup against stored memories, supersede and its archive links, secrets and personal data,
 * under real chats through the API. It says nothing about a real model's judgement.
 */
import { writeFileSync } from 'node:fs';
import { createRng, fork, type Rng } from '../devset/prng.js';

export const DEFAULT_SEED = 20261121;

export interface FactRule {
  when: string;
  content: string;
  kind?: string;
  subject?: string;
}
export interface DecideRule {
  when: string;
  action: 'add' | 'duplicate' | 'supersede';
  target?: string;
}
export interface StandInScript {
  facts: FactRule[];
  decide: DecideRule[];
}

export interface Conversation {
  id: string;
  /** The AI's personal-data policy for this conversation. */
  personal_data: 'store' | 'redact' | 'reject';
  /** Sessions, each a list of user messages sent one at a time through chat completions. */
  sessions: string[][];
  script: StandInScript;
  expected: {
    /** The long-term memory at the end, exactly (order irrelevant). */
    long_term: string[];
    /** Each change in order: the old fact, archived with `superseded_by` the memory saying the new one. */
    superseded: { old: string; new: string }[];
    /** Strings that must appear in no memory of any tier. */
    secrets: string[];
  };
}

const NAMES = [
  'Amara',
  'Bruno',
  'Chiara',
  'Dmitri',
  'Elif',
  'Farouk',
  'Greta',
  'Hiroshi',
  'Ines',
  'Jonas',
  'Kalani',
  'Lucia',
  'Mateo',
  'Nadia',
  'Oskar',
  'Priya',
  'Quentin',
  'Rosa',
  'Sefa',
  'Tomasz',
  'Ulla',
  'Viktor',
  'Wanjiru',
  'Ximena',
  'Yusuf',
  'Zofia',
];
const ROLES = [
  'a nurse',
  'an architect',
  'a pharmacist',
  'a carpenter',
  'a librarian',
  'a data analyst',
  'a baker',
  'an electrician',
  'a translator',
  'a physiotherapist',
];
const CITIES = [
  'Lisbon',
  'Porto',
  'Ghent',
  'Tallinn',
  'Valencia',
  'Krakow',
  'Bergen',
  'Lyon',
  'Bologna',
  'Leipzig',
  'Cork',
  'Aarhus',
];
/** Preference kinds: the values of one kind are alternatives, so a new one supersedes the old. */
const PREFERENCES: Record<string, string[]> = {
  drink: ['tea', 'coffee', 'cocoa', 'lemonade'],
  editor: ['Vim', 'Emacs', 'VSCode', 'Helix'],
  season: ['winter', 'summer', 'autumn', 'spring'],
  commute: ['cycling', 'walking', 'driving', 'trams'],
};
const RELATIONS = ['sister', 'brother', 'partner', 'daughter', 'son', 'cousin'];
const RELATIVE_NAMES = ['Ada', 'Ben', 'Clara', 'Dario', 'Eva', 'Felix', 'Gaia', 'Hugo', 'Ivy', 'Jules', 'Kira', 'Leo'];
const PETS = ['dog', 'cat', 'parrot', 'tortoise', 'rabbit'];
const PET_NAMES = ['Pixel', 'Mango', 'Biscuit', 'Nimbus', 'Pepper', 'Olive', 'Sprout', 'Comet'];
const ALLERGIES = ['peanuts', 'shellfish', 'penicillin', 'pollen', 'sesame'];
const SMALL_TALK = ['Hi there!', 'Good morning.', 'Quick one before my meeting.', 'Hello again.', 'Evening!'];
/** Task-only chatter: nothing in it is about the user. Those with a junk rule get one proposed (the gate must refuse it). */
const CHATTER = [
  'Can you help me debug this function? def add(a, b): return a - b',
  'Translate "see you tomorrow" into German, please.',
  "What's the weather in Madrid today?",
  'Summarise this paragraph for me: the committee met twice and agreed on nothing.',
  'Write a regex that matches ISO dates.',
  'What is 17 times 23?',
];

/** The stand-in's rules, the same for every conversation (the decide rules vary with the preferences used). */
function scriptFor(preferenceKinds: string[]): StandInScript {
  return {
    facts: [
      { when: 'my name is ([A-Z][a-z]+)', content: "The user's name is $1.", kind: 'identity', subject: 'name' },
      { when: 'I work as (an? [a-z]+(?: analyst)?)', content: 'The user works as $1.', kind: 'role', subject: 'job' },
      { when: 'I live in ([A-Z][a-z]+)', content: 'The user lives in $1.', kind: 'identity', subject: 'city' },
      {
        when: 'I prefer ([A-Za-z]+) over ([A-Za-z]+)',
        content: 'The user prefers $1 over $2.',
        kind: 'preference',
        subject: 'preference',
      },
      {
        when: 'my ([a-z]+) is called ([A-Z][a-z]+)',
        content: "The user's $1 is called $2.",
        kind: 'relationship',
        subject: 'relative',
      },
      {
        when: 'I have a ([a-z]+) named ([A-Z][a-z]+)',
        content: 'The user has a $1 named $2.',
        kind: 'other',
        subject: 'pet',
      },
      {
        when: "I'm allergic to ([a-z]+)",
        content: 'The user is allergic to $1.',
        kind: 'constraint',
        subject: 'allergy',
      },
      // Secrets, as a careless model would propose them: the gate must refuse every one.
      {
        when: 'my password is (\\S+?)[.]?(?:\\s|$)',
        content: "The user's password is $1.",
        kind: 'other',
        subject: 'password',
      },
      {
        when: 'my API key is (\\S+?)[.]?(?:\\s|$)',
        content: "The user's API key is $1.",
        kind: 'other',
        subject: 'api key',
      },
      {
        when: 'my card number is ([\\d ]+\\d)',
        content: "The user's card number is $1.",
        kind: 'other',
        subject: 'card',
      },
      // Personal data: kept, redacted or refused by the AI's policy.
      {
        when: 'my email is (\\S+@\\S+\\.[a-z]+)',
        content: "The user's email address is $1.",
        kind: 'identity',
        subject: 'email',
      },
      {
        when: 'my phone number is (\\+[\\d ]+\\d)',
        content: "The user's phone number is $1.",
        kind: 'identity',
        subject: 'phone',
      },
      // Junk a poor model proposes for task-only chatter: the gate must refuse it.
      { when: 'help me debug', content: 'No relevant facts.', kind: 'other', subject: '' },
      {
        when: "what's the weather in ([A-Z][a-z]+)",
        content: 'What is the weather in $1?',
        kind: 'other',
        subject: '',
      },
    ],
    decide: [
      { when: 'works as', action: 'supersede', target: 'works as' },
      { when: 'lives in', action: 'supersede', target: 'lives in' },
      ...preferenceKinds.map((kind) => {
        const values = `(?:${(PREFERENCES[kind] as string[]).join('|')})`;
        return { when: `prefers ${values} over`, action: 'supersede' as const, target: `prefers ${values} over` };
      }),
    ],
  };
}

interface Slot {
  /** The message stating it and the fact it becomes. */
  say: (value: string) => string;
  fact: (value: string) => string;
}

function conversation(index: number, rng: Rng): Conversation {
  const name = NAMES[index % NAMES.length] as string;
  const sessionCount = rng.int(3, 5);
  const sessions: string[][] = Array.from({ length: sessionCount }, () => []);
  const at = (s: number, text: string) => (sessions[Math.min(s, sessionCount - 1)] as string[]).push(text);
  const long = new Map<string, string>(); // slot → current fact
  const superseded: { old: string; new: string }[] = [];
  const secrets: string[] = [];
  const personal = (['store', 'redact', 'reject'] as const)[index % 3] ?? 'store';

  const state = (slot: string, fact: string) => {
    const old = long.get(slot);
    if (old !== undefined && old !== fact) superseded.push({ old, new: fact });
    long.set(slot, fact);
  };
  /** A single-valued slot: stated in session 0 or 1, maybe changed later (and maybe changed back), maybe restated. */
  const single = (slot: string, values: string[], s: Slot, changeP: number) => {
    const [first, second] = rng.sample(values, 2) as [string, string];
    const start = rng.int(0, 1);
    at(start, `${rng.pick(SMALL_TALK)} ${s.say(first)}`);
    state(slot, s.fact(first));
    let current = first;
    let last = start;
    if (rng.chance(changeP) && sessionCount > start + 1) {
      last = rng.int(start + 1, sessionCount - 1);
      at(last, `Some news: ${s.say(second)}`);
      state(slot, s.fact(second));
      current = second;
      if (rng.chance(0.25) && last + 1 < sessionCount) {
        last += 1;
        at(last, `I changed my mind again. ${s.say(first)}`);
        state(slot, s.fact(first));
        current = first;
      }
    }
    // A restatement of the value then current, in a later session than its last change.
    if (rng.chance(0.6) && last + 1 < sessionCount) {
      at(rng.int(last + 1, sessionCount - 1), `As I said before, ${s.say(current)}`);
    }
  };

  single('name', [name, name], { say: (v) => `my name is ${v}.`, fact: (v) => `The user's name is ${v}.` }, 0);
  single('role', ROLES, { say: (v) => `I work as ${v}.`, fact: (v) => `The user works as ${v}.` }, 0.6);
  single('city', CITIES, { say: (v) => `I live in ${v}.`, fact: (v) => `The user lives in ${v}.` }, 0.5);
  const kinds = rng.sample(Object.keys(PREFERENCES), 2);
  for (const kind of kinds) {
    const values = PREFERENCES[kind] as string[];
    const [a, b, c] = rng.sample(values, 3) as [string, string, string];
    // A preference is "a over b"; its change names a new favourite over the old one.
    const pairs = [`${a} over ${b}`, `${c} over ${a}`];
    single(
      `pref:${kind}`,
      pairs,
      { say: (v) => `I prefer ${v} these days.`, fact: (v) => `The user prefers ${v}.` },
      0.5,
    );
  }
  for (const relation of rng.sample(RELATIONS, rng.int(1, 2))) {
    const who = rng.pick(RELATIVE_NAMES);
    const s = rng.int(0, sessionCount - 1);
    at(s, `My ${relation} is called ${who}, by the way.`);
    state(`rel:${relation}`, `The user's ${relation} is called ${who}.`);
  }
  if (rng.chance(0.6)) {
    const pet = rng.pick(PETS);
    const petName = rng.pick(PET_NAMES);
    at(rng.int(0, sessionCount - 1), `I have a ${pet} named ${petName}.`);
    state('pet', `The user has a ${pet} named ${petName}.`);
  }
  if (rng.chance(0.5)) {
    const allergy = rng.pick(ALLERGIES);
    at(rng.int(0, sessionCount - 1), `Careful with recipes: I'm allergic to ${allergy}.`);
    state('allergy', `The user is allergic to ${allergy}.`);
  }
  for (let s = 0; s < sessionCount; s++) {
    for (const text of rng.sample(CHATTER, rng.int(1, 2))) at(s, text);
  }

  // One secret in a random session: never stored anywhere.
  const token = Array.from({ length: 40 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[rng.int(0, 35)]).join('');
  const secret = rng.pick([
    { text: `my password is Tr0ub4dor&${rng.int(100, 999)}x`, value: '' },
    { text: `my API key is sk-proj-${token}`, value: '' },
    { text: 'my card number is 4111 1111 1111 1111', value: '4111 1111 1111 1111' },
  ]);
  const secretValue = secret.value || (/is (\S+)$/.exec(secret.text)?.[1] as string);
  secrets.push(secretValue);
  at(rng.int(0, sessionCount - 1), `Please keep this safe: ${secret.text}`);

  // Personal data by the AI's policy: stored only under `store` (once redacted, "The user's email
  // address is [redacted:email]" says nothing, and the gate refuses it).
  const email = rng.chance(0.5);
  const pd = email
    ? {
        say: `my email is ${name.toLowerCase()}.${index}@example.org`,
        fact: `The user's email address is ${name.toLowerCase()}.${index}@example.org.`,
      }
    : {
        say: `my phone number is +44 7700 900${String(100 + index).padStart(3, '0')}`,
        fact: `The user's phone number is +44 7700 900${String(100 + index).padStart(3, '0')}.`,
      };
  at(rng.int(0, sessionCount - 1), `For the booking, ${pd.say}`);
  if (personal === 'store') state('personal', pd.fact);

  // Within a session the order is shuffled: a change, a change back and a restatement each sit in a
  // later session than what they follow, so no shuffle puts them before it.
  const shuffled = sessions.map((s) => rng.shuffle(s));
  return {
    id: `mw-extract-${index + 1}`,
    personal_data: personal,
    sessions: shuffled,
    script: scriptFor(kinds),
    expected: { long_term: [...long.values()].sort(), superseded, secrets },
  };
}

export function generateFixture(seed = DEFAULT_SEED, count = 20): Conversation[] {
  const root = createRng(seed);
  return Array.from({ length: count }, (_, i) => conversation(i, fork(root)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? 'artifacts/eval/extraction-fixture.json';
  writeFileSync(out, `${JSON.stringify(generateFixture(), null, 2)}\n`);
  console.log(`wrote ${out}`);
}
