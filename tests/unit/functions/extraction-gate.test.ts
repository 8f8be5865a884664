import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  gateCandidate,
  redactSecrets,
  REJECT_REASONS,
  type GateVerdict,
  type PersonalDataPolicy,
  type RejectReason,
} from '../../../functions/src/extraction/gate.js';
import { FAKE_KINDS, fill, makeFakes } from '../../fixtures/extraction-gate-fakes.js';

const fakes = makeFakes(11);

const gate = (
  content: string,
  injected: readonly string[] = [],
  personalData: PersonalDataPolicy = 'store',
): GateVerdict => gateCandidate({ content, injected, personalData });

const reasonOf = (verdict: GateVerdict): RejectReason | 'ok' => (verdict.ok ? 'ok' : verdict.reason);

describe('gateCandidate keeps real facts', () => {
  it.each([
    "The user's name is Alex",
    'Name is Alex',
    'User is vegan',
    'User prefers tea over coffee',
    'User got married on 2021-06-12 in Porto',
    "User's birthday is on March 14",
    'My favourite number is 4111',
    "User's order 4111 1111 1111 1112 was delayed by a week",
    'User is 1.82 m tall and weighs 75 kg',
    'User keeps all passwords in 1Password',
    "User's password manager is Bitwarden",
    'User changed their password last week after a phishing attempt',
    "User's secret ingredient for chili is smoked paprika",
    "User's home server runs on 192.168.1.10",
    'User lives on Main Street in a small town near Austin',
    'User works at Siemens in Erlangen',
    'User is unable to eat gluten (coeliac)',
    'User often says sorry too much at work',
    'No dairy for the user: they are lactose intolerant',
    'User does not drink alcohol',
    "User's website is alexbakes.com",
    'User uses Neovim and TypeScript for most projects',
  ])('keeps %j', (content) => {
    expect(gate(content)).toEqual({ ok: true, content, redacted: [] });
  });

  it('removes a list marker and wrapping quotes the model added, and nothing else', () => {
    expect(gate('- User enjoys bouldering')).toMatchObject({ ok: true, content: 'User enjoys bouldering' });
    expect(gate('"User is a freelance illustrator"')).toMatchObject({
      ok: true,
      content: 'User is a freelance illustrator',
    });
    expect(gate('  User   likes\tjazz  ')).toMatchObject({ ok: true, content: 'User likes jazz' });
  });
});

describe('gateCandidate rejects', () => {
  const cases: [RejectReason, string][] = [
    ['empty', ''],
    ['empty', ' \n\t '],
    ['too_short', 'Likes tea'],
    ['too_short', 'ok thanks'],
    ['too_short', 'Has a cat'],
    ['too_short', 'It is what it is.'],
    ['too_long', `User said ${'a great many things about their week, '.repeat(15)}`],
    ['refusal', "I'm sorry, I can't help with that."],
    ['refusal', 'As an AI language model, I do not have memories.'],
    ['refusal', 'No relevant facts.'],
    ['refusal', 'There are no new facts to store.'],
    ['refusal', 'Nothing to remember.'],
    ['refusal', 'N/A'],
    ['refusal', 'None'],
    ['refusal', 'The conversation does not contain any personal information.'],
    ['template', "The user's name is [NAME]."],
    ['template', 'User lives in <user_city>.'],
    ['template', 'User prefers {{x}}.'],
    ['template', 'TODO: fill in the fact'],
    ['template', 'Lorem ipsum dolor sit amet, consectetur adipiscing elit.'],
    ['template', '{"fact": "User likes tea"}'],
    ['template', '```\nUser likes tea\n```'],
    ['template', '## Facts about the user'],
    ['template', "What is the user's favourite colour?"],
    ['template', 'Do you want me to remember that'],
    ['template', 'User: hi\nAssistant: hello there'],
    ['template', "User's email is [redacted:email]"],
  ];
  it.each(cases)('%s: %j', (reason, content) => {
    expect(reasonOf(gate(content))).toBe(reason);
  });
});

describe('gateCandidate and injected memories', () => {
  it.each([
    ['User prefers coffee in the morning.', 'The user prefers coffee in the morning'],
    ['The user lives in Berlin', 'User lives in Berlin and works as a nurse'],
    ['USER IS VEGETARIAN!', 'User is vegetarian'],
    ["User's favourite band is Radiohead", 'Favourite band: Radiohead'],
  ])('rejects %j as an echo of %j', (content, injected) => {
    expect(reasonOf(gate(content, ['User likes jazz', injected]))).toBe('echo');
  });

  it.each([
    ['User prefers tea in the morning', 'User prefers coffee in the morning'],
    ['User has three cats', 'User has two cats'],
    ['User does not like coffee', 'User likes coffee'],
    ['User likes coffee', "User doesn't like coffee"],
    ["User's daughter Maya was born in 2020", "User's daughter Maya was born in 2019"],
    ["User's partner is Jordan", "User's partner is Sam"],
    ['User prefers coffee over tea', 'User prefers tea over coffee'],
    ['User has two cats named Pixel, Mango and Tofu', 'User has two cats named Pixel and Mango'],
  ])('keeps %j against %j: a changed value is a supersede candidate, not an echo', (content, injected) => {
    expect(gate(content, [injected]).ok).toBe(true);
  });

  it('says which injected memory was echoed, without quoting it', () => {
    const verdict = gate('User plays the violin', ['User likes jazz', 'User plays the violin in an orchestra']);
    expect(verdict).toEqual({ ok: false, reason: 'echo', detail: expect.stringContaining('#1') as string });
    expect(JSON.stringify(verdict)).not.toContain('orchestra');
  });
});

describe('gateCandidate and secrets', () => {
  const templates = [
    "User's OpenAI API key is {openai}",
    "User's project key is {openai_proj}",
    'Anthropic key {anthropic}',
    "User's GitHub token is {github}",
    'PAT {github_pat}',
    "User's AWS access key id is {aws_id}",
    'aws_secret_access_key = {aws_secret}',
    'Slack bot token {slack}',
    'Google key {google}',
    'Stripe key {stripe}',
    'User signs in with {jwt}',
    'Authorization: Bearer {bearer}',
    "User's Memory Weaver key is {mwk}",
    'My password is {password}',
    "The Wi-Fi password for the office is '{password}'",
    'password: {password}',
    "The user's bank PIN is 4821",
    'Database at postgres://admin:{word}@db.internal:5432/app',
    "User's credit card number is {card}",
    'User paid with {card_dashes}',
    'Card {card_bare} on file',
    "User's Amex is {amex}",
    "User's SSH key begins {pem_header}",
    'Key:\n{pem}',
    'api_key={hex32}',
    'api_key=598a03bca300ba39601a30b03aa0aa77',
    "User's client secret is {random40}",
  ];
  it.each(templates)('rejects %j with reason secret and a detail that does not quote it', (template) => {
    const { text, secrets } = fill(template, fakes);
    for (const policy of ['store', 'redact', 'reject'] as const) {
      const verdict = gate(text, [], policy);
      expect(reasonOf(verdict)).toBe('secret');
      for (const secret of secrets) expect(JSON.stringify(verdict)).not.toContain(secret);
    }
  });

  it('finds a key hidden by zero-width characters', () => {
    const key = fakes.github;
    expect(reasonOf(gate(`User's token is ${key.slice(0, 10)}\u200B${key.slice(10)}`))).toBe('secret');
  });

  it('names the kind of secret in the detail', () => {
    expect(gate(`User's GitHub token is ${fakes.github}`)).toEqual({
      ok: false,
      reason: 'secret',
      detail: 'contains a secret (github_token)',
    });
  });

  it.each([
    "User's order 4111 1111 1111 1112 was delayed by a week",
    'User called +44 20 7946 0958 about the order',
    'User ran 4111 metres today and 1111 yesterday',
    "User's favourite token in the board game is the golden dragon",
    'User works on task-management-for-engineering-teams',
    'User keeps the commit 3f9a2c1 as a reference point for the release',
    "User's password is stored in Bitwarden",
  ])('keeps the near miss %j', (content) => {
    expect(gate(content).ok).toBe(true);
  });
});

describe('gateCandidate and personal data', () => {
  const email = 'alex.morgan@example.com';
  const fact = `User prefers to be contacted at ${email} rather than by phone`;

  it('stores it as is under store', () => {
    expect(gate(fact, [], 'store')).toEqual({ ok: true, content: fact, redacted: [] });
  });

  it('redacts it and keeps the fact under redact', () => {
    expect(gate(fact, [], 'redact')).toEqual({
      ok: true,
      content: 'User prefers to be contacted at [redacted:email] rather than by phone',
      redacted: ['email'],
    });
  });

  it('rejects under redact when nothing meaningful is left', () => {
    const verdict = gate(`User's email address is ${email}`, [], 'redact');
    expect(reasonOf(verdict)).toBe('personal_data');
    expect(JSON.stringify(verdict)).not.toContain(email);
  });

  it('rejects it under reject, without quoting it', () => {
    const verdict = gate(fact, [], 'reject');
    expect(verdict).toEqual({ ok: false, reason: 'personal_data', detail: 'contains personal data (email)' });
  });

  it.each([
    ['email', 'User can be reached at sam_r+work@mail.example.org for invoices'],
    ['phone', "User's phone number is +44 7700 900123"],
    ['phone', "User's mobile is (415) 555-2671"],
    ['phone', 'User prefers to be called on 07700 900123 after 6 pm'],
    ['iban', "User's IBAN is DE89 3704 0044 0532 0130 00"],
    ['iban', "User's salary goes to GB29NWBK60161331926819"],
    ['government_id', "User's SSN is 078-05-1120"],
    ['government_id', "User's passport number is 533380006"],
    ['government_id', "User's National Insurance number is AB 12 34 56 C"],
    ['ip_address', "User's home IP address is 203.0.113.42"],
    ['ip_address', "User's server is at 2001:db8:85a3::8a2e:370:7334"],
    ['street_address', 'User lives at 221B Baker Street, London'],
    ['street_address', 'User lives at Hauptstraße 12 in Munich'],
    ['street_address', 'User has a flat at 12 rue de la Paix in Paris'],
  ])('finds %s in %j', (kind, content) => {
    expect(gate(content, [], 'reject')).toEqual({
      ok: false,
      reason: 'personal_data',
      detail: `contains personal data (${kind})`,
    });
  });

  it.each([
    "The user's name is Alex",
    'User lives in Berlin and works for Siemens',
    'User lives on Main Street near the station',
    "User's birthday is on 1990-03-14",
    "User's IBAN-like code DE00 1234 5678 9012 3456 78 failed its check",
    "User's home server runs on 192.168.1.10",
    'User meets the team at 12:30:45 sharp',
    'User was born in 1987 and moved in 2015',
    'User prefers metric units and 24-hour time',
  ])('keeps %j under reject: names, places, dates and preferences are not personal data here', (content) => {
    expect(gate(content, [], 'reject').ok).toBe(true);
  });
});

describe('redactSecrets', () => {
  it('replaces every secret of a paragraph and keeps the rest', () => {
    const paragraph = [
      `Here is my key ${fakes.openai} and my GitHub token ${fakes.github}.`,
      `The AWS id is ${fakes.aws_id}, my password is ${fakes.password} and the card is ${fakes.card}.`,
      `Connect with postgres://admin:${fakes.word}@db.internal:5432/app please.`,
    ].join(' ');
    const { text, kinds } = redactSecrets(paragraph);
    expect(text).toBe(
      [
        'Here is my key [redacted:openai_key] and my GitHub token [redacted:github_token].',
        'The AWS id is [redacted:aws_access_key], my password is [redacted:password] and the card is [redacted:card_number].',
        'Connect with [redacted:connection_string] please.',
      ].join(' '),
    );
    expect(kinds.sort()).toEqual(
      ['aws_access_key', 'card_number', 'connection_string', 'github_token', 'openai_key', 'password'].sort(),
    );
  });

  it('redacts a private key block whole', () => {
    const { text } = redactSecrets(`before\n${fakes.pem}\nafter`);
    expect(text).toBe('before\n[redacted:private_key]\nafter');
  });

  it('leaves text without secrets unchanged', () => {
    const text = 'I ordered 4111 1111 1111 1112 on 2024-05-01; call me at +44 20 7946 0958.';
    expect(redactSecrets(text)).toEqual({ text, kinds: [] });
  });
});

describe('gateCandidate, property-based', () => {
  // Bare: a token that is a secret on its own. In context: a value that is one only by what precedes it.
  const BARE = FAKE_KINDS.filter((k) => !['word', 'password', 'hex32'].includes(k));
  const secretArb = fc
    .tuple(fc.constantFrom(...BARE), fc.integer())
    .map(([kind, seed]) => ({ text: makeFakes(seed)[kind], secret: makeFakes(seed)[kind] }));
  const contextArb = fc
    .tuple(
      fc.constantFrom(
        'my password is {password}',
        'password: {password}',
        'the password for the NAS is {password}',
        'api_key={hex32}',
        'api_key=598a03bca300ba39601a30b03aa0aa77',
        'the secret key is {hex32}',
        'postgres://app:{word}@db.example.com/app',
      ),
      fc.integer(),
    )
    .map(([template, seed]) => {
      const { text, secrets } = fill(template, makeFakes(seed));
      return { text, secret: secrets[0] as string };
    });
  const around = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('User said', "The user's", '', 'Note: keep'));

  it('never returns content containing a generated secret', () => {
    fc.assert(
      fc.property(
        around,
        fc.oneof(secretArb, contextArb),
        around,
        fc.constantFrom<PersonalDataPolicy>('store', 'redact', 'reject'),
        (before, { text, secret }, after, policy) => {
          const verdict = gate(`${before} ${text} ${after}`, [], policy);
          if (verdict.ok) expect(verdict.content.replace(/\s+/g, ' ')).not.toContain(secret.replace(/\s+/g, ' '));
          else expect(verdict.detail).not.toContain(secret);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws, and always answers with a known reason', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 800 }), fc.string({ maxLength: 800 })),
        fc.array(fc.string({ maxLength: 200 }), { maxLength: 5 }),
        fc.constantFrom<PersonalDataPolicy>('store', 'redact', 'reject'),
        (content, injected, policy) => {
          const verdict = gate(content, injected, policy);
          if (!verdict.ok) expect(REJECT_REASONS).toContain(verdict.reason);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gates adversarial inputs quickly (every pattern is linear)', () => {
    const inputs = [
      'a'.repeat(20_000),
      '1 '.repeat(10_000),
      'password is '.repeat(1_600),
      'key '.repeat(5_000),
      '-----BEGIN RSA PRIVATE KEY-----'.repeat(600),
      `${'a.'.repeat(9_000)}@`,
      '0'.repeat(20_000),
    ];
    for (const content of inputs) {
      const started = performance.now();
      gate(content, [content.slice(0, 500)], 'redact');
      expect(performance.now() - started).toBeLessThan(500);
    }
  });
});

interface CorpusItem {
  label: 'fact' | RejectReason;
  text: string;
  injected?: string[];
}

describe('the gate on the labelled corpus (tests/fixtures/extraction-gate.json)', () => {
  const corpus = (
    JSON.parse(readFileSync(new URL('../../fixtures/extraction-gate.json', import.meta.url), 'utf8')) as {
      items: CorpusItem[];
    }
  ).items.map((item) => ({ ...item, ...fill(item.text, fakes) }));
  // Personal data is judged under `reject`, the strictest policy: the real facts must pass it too.
  const results = corpus.map((item) => ({
    item,
    verdict: gateCandidate({ content: item.text, injected: item.injected ?? [], personalData: 'reject' }),
  }));
  const predicted = (verdict: GateVerdict): CorpusItem['label'] => (verdict.ok ? 'fact' : verdict.reason);

  it('keeps real facts, rejects junk for the right reason, and prints its precision and recall', () => {
    const labels = ['fact', ...REJECT_REASONS] as const;
    const rows = labels.map((label) => {
      const truth = results.filter((r) => r.item.label === label).length;
      const said = results.filter((r) => predicted(r.verdict) === label).length;
      const both = results.filter((r) => r.item.label === label && predicted(r.verdict) === label).length;
      return { label, items: truth, precision: said ? both / said : 1, recall: truth ? both / truth : 1 };
    });
    const facts = results.filter((r) => r.item.label === 'fact');
    const junk = results.filter((r) => r.item.label !== 'fact');
    const factsKept = facts.filter((r) => r.verdict.ok).length / facts.length;
    const junkRejected = junk.filter((r) => !r.verdict.ok).length / junk.length;
    const rejected = results.filter((r) => !r.verdict.ok);
    const rejectPrecision = rejected.filter((r) => r.item.label !== 'fact').length / rejected.length;
    const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
    console.log(
      [
        `extraction gate on ${results.length} labelled candidates (${facts.length} facts, ${junk.length} junk):`,
        `  real facts kept ${pct(factsKept)}; junk rejected ${pct(junkRejected)}; rejections that were junk ${pct(rejectPrecision)}`,
        ...rows.map(
          (r) =>
            `  ${r.label.padEnd(14)} n=${String(r.items).padStart(3)}  precision ${pct(r.precision).padStart(7)}  recall ${pct(r.recall).padStart(7)}`,
        ),
        ...results
          .filter((r) => predicted(r.verdict) !== r.item.label)
          .map(
            (r) => `  miss: ${r.item.label} -> ${predicted(r.verdict)}: ${JSON.stringify(r.item.text.slice(0, 80))}`,
          ),
      ].join('\n'),
    );
    expect(results.length).toBeGreaterThanOrEqual(200);
    expect(factsKept).toBeGreaterThanOrEqual(0.95);
    expect(junkRejected).toBeGreaterThanOrEqual(0.9);
    for (const reason of ['secret', 'personal_data', 'empty', 'too_long'] as const) {
      expect(rows.find((r) => r.label === reason)?.recall, reason).toBe(1);
    }
  });

  it('lets no secret through, under any policy, and never quotes one', () => {
    for (const { text, secrets } of corpus.filter((c) => c.label === 'secret')) {
      for (const personalData of ['store', 'redact', 'reject'] as const) {
        const verdict = gateCandidate({ content: text, injected: [], personalData });
        expect(verdict.ok, text).toBe(false);
        for (const secret of secrets) expect(JSON.stringify(verdict)).not.toContain(secret);
      }
    }
  });

  it('under redact, keeps no personal data item as it was', () => {
    for (const { text } of corpus.filter((c) => c.label === 'personal_data')) {
      const verdict = gateCandidate({ content: text, injected: [], personalData: 'redact' });
      if (verdict.ok) {
        expect(verdict.redacted.length, text).toBeGreaterThan(0);
        expect(verdict.content).toContain('[redacted:');
      } else expect(verdict.reason, text).toBe('personal_data');
    }
  });
});
