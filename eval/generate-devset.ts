/**
 * @module eval/generate-devset — the retrieval dev set: long invented two-person chats, dated
 * session by session, with questions whose answers are known turns. Same seed, same JSON.
 *
 * Layout (the public LoCoMo benchmark's): a list of samples, each
 * `{ sample_id, conversation: { speaker_a, speaker_b, session_1: [{ speaker, dia_id, text }],
 * session_1_date_time, … }, qa: [{ question, answer, evidence: ['D1:3', …], category }] }`.
 *
 * How a conversation is made: two people get a life (a job that may change, a city they may
 * leave, pets, a sibling, a partner, a hobby with a setback and a milestone, a trip, an injury…).
 * Each fact becomes a short episode (the turn that states it, the other's reaction, sometimes a
 * reason) placed in a session that fits the timeline; the sessions are filled up with small talk
 * that keeps saying both names. Questions are built from the facts with their own wording (the
 * pools keep a `say` and an `ask` phrasing apart), and their evidence is the turns that state the
 * answer.
 *
 *   npx tsx eval/generate-devset.ts [--seed N] [--out file]   (default artifacts/eval/devset.json)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goodbye, greeting, smallTalk, type ScriptTurn } from './devset/filler.js';
import * as P from './devset/pools.js';
import { createRng, fork, type Rng } from './devset/prng.js';

export const CATEGORIES = ['single_fact', 'multi_hop', 'temporal', 'open_ended'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface DevTurn {
  speaker: string;
  dia_id: string;
  text: string;
}
export interface DevQa {
  question: string;
  answer: string;
  evidence: string[];
  category: Category;
}
export interface DevConversation {
  speaker_a: string;
  speaker_b: string;
  [session: string]: string | DevTurn[];
}
export interface DevSample {
  sample_id: string;
  conversation: DevConversation;
  qa: DevQa[];
}

export interface DevsetOptions {
  seed?: number;
  conversations?: number;
  /** Sessions per conversation, [min, max]. */
  sessions?: [number, number];
  /** Turns per session (before topping up to `minTurns`), [min, max]. */
  turnsPerSession?: [number, number];
  /** Each conversation gets at least this many turns (small talk is added to reach it). */
  minTurns?: number;
  /**
   * Keep at most this many fact episodes per session (the rest are dropped with their
   * questions): for tiny sets in tests. Default: all.
   */
  maxEpisodesPerSession?: number;
}

export const DEFAULT_SEED = 20_240_611;
const DEFAULTS: Required<DevsetOptions> = {
  seed: DEFAULT_SEED,
  conversations: 5,
  sessions: [16, 19],
  turnsPerSession: [24, 30],
  minTurns: 420,
  maxEpisodesPerSession: Infinity,
};

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
const DAY_MS = 86_400_000;

/** "8 May 2023" */
export const formatDay = (t: number): string => {
  const d = new Date(t);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`;
};
/** "October 2023" */
const formatMonth = (t: number): string => {
  const d = new Date(t);
  return `${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`;
};
/** LoCoMo's session stamp: "1:56 pm on 8 May, 2023". */
export function formatSessionTime(t: number): string {
  const d = new Date(t);
  const h = d.getUTCHours();
  const m = String(d.getUTCMinutes()).padStart(2, '0');
  return `${h % 12 === 0 ? 12 : h % 12}:${m} ${h < 12 ? 'am' : 'pm'} on ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''}, ${d.getUTCFullYear()}`;
}

/** When something happened, said relative to the session ("last week"), and the answer it gives. */
const RELATIVE = [
  { say: 'yesterday', answer: (t: number) => formatDay(t - DAY_MS) },
  { say: 'last weekend', answer: (t: number) => `the weekend before ${formatDay(t)}` },
  { say: 'last week', answer: (t: number) => `the week before ${formatDay(t)}` },
  { say: 'a few days ago', answer: (t: number) => `a few days before ${formatDay(t)}` },
  { say: 'this morning', answer: (t: number) => formatDay(t) },
] as const;

/** A whole calendar month inside [from, to], picked at random, or null. */
function monthWithin(rng: Rng, from: number, to: number): number | null {
  const months: number[] = [];
  const d = new Date(from);
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth() + (d.getUTCDate() === 1 ? 0 : 1);
  for (;;) {
    if (m > 11) {
      y += 1;
      m -= 12;
    }
    const start = Date.UTC(y, m, 1);
    const end = Date.UTC(y, m + 1, 1) - 1;
    if (end > to) break;
    months.push(start);
    m += 1;
  }
  return months.length > 0 ? rng.pick(months) : null;
}

// ---------------------------------------------------------------------------------------------
// People

type Who = 'a' | 'b';

interface Timeline<T> {
  value: T;
  /** Session index where the turn establishing it sits. */
  session: number;
  tag: string;
}

/** Everything one speaker will say about their life, and when (session indexes, 0-based). */
interface Persona {
  name: string;
  homes: Timeline<string>[];
  moveReason: (typeof P.MOVE_REASONS)[number];
  jobs: Timeline<{ company: string; role: string; task: string }>[];
  jobReason: (typeof P.JOB_REASONS)[number];
  pets: Timeline<{ name: string; breed: string; kind: string }>[];
  sibling: { rel: 'sister' | 'brother'; name: string; job: (typeof P.SIBLING_JOBS)[number]; city: string } | null;
  partner: {
    name: string;
    job: (typeof P.PARTNER_JOBS)[number];
    met: (typeof P.HOW_MET)[number];
    years: number;
  } | null;
  hobby: (typeof P.HOBBIES)[number];
  trip: { dest: (typeof P.TRIPS)[number]; companion: string; month: string };
  allergy: (typeof P.ALLERGIES)[number];
  injury: (typeof P.INJURIES)[number] | null;
  vehicle: (typeof P.VEHICLES)[number] | null;
  book: (typeof P.BOOKS)[number] | null;
  language: (typeof P.LANGUAGES)[number] | null;
  concert: { band: string; venue: string } | null;
  volunteer: { what: (typeof P.VOLUNTEERING)[number]; day: string } | null;
  reno: { room: string; planned: string; final: string } | null;
  hometown: (typeof P.HOMETOWNS)[number];
  restaurant: (typeof P.RESTAURANTS)[number];
  wedding: { friend: string; city: string; setting: string } | null;
  certificate: (typeof P.CERTIFICATES)[number] | null;
}

/** Draws without replacement within one conversation, so the two speakers never share a thing. */
function drawer(rng: Rng) {
  const taken = new Set<string>();
  return <T>(items: readonly T[], key: (t: T) => string = String): T => {
    const free = items.filter((t) => !taken.has(key(t)));
    const t = rng.pick(free.length > 0 ? free : items);
    taken.add(key(t));
    return t;
  };
}

// ---------------------------------------------------------------------------------------------
// Episodes: the turns that carry facts

interface Episode {
  session: number;
  owner: Who;
  turns: ScriptTurn[];
}

const S = (text: string, tag?: string): ScriptTurn => (tag ? { who: 'self', text, tag } : { who: 'self', text });
const O = (text: string, tag?: string): ScriptTurn => (tag ? { who: 'other', text, tag } : { who: 'other', text });

/** Builds one conversation and its questions. */
function buildConversation(rng: Rng, index: number, names: [string, string], opts: Required<DevsetOptions>): DevSample {
  const nSessions = rng.int(opts.sessions[0], opts.sessions[1]);
  const last = nSessions - 1;
  const f = (x: number) => Math.min(last, Math.max(0, Math.floor(x * nSessions)));
  const between = (lo: number, hi: number): number | null => {
    const a = Math.max(0, lo);
    const b = Math.min(last, hi);
    return a <= b ? rng.int(a, b) : null;
  };

  // Session times: a start in 2022–2023, then every 6–26 days, at a daytime hour.
  const dates: number[] = [];
  let t = Date.UTC(2022 + rng.int(0, 1), rng.int(0, 11), rng.int(1, 28));
  for (let s = 0; s < nSessions; s++) {
    dates.push(t + rng.int(8, 22) * 3_600_000 + rng.int(0, 59) * 60_000);
    t += rng.int(6, 26) * DAY_MS;
  }
  const dateOf = (s: number) => dates[s] ?? 0;

  const draw = drawer(rng);
  const people: Record<Who, Persona> = {
    a: persona(names[0]),
    b: persona(names[1]),
  };

  function persona(name: string): Persona {
    const home0 = draw(P.CITIES);
    const homes: Persona['homes'] = [{ value: home0, session: between(0, f(0.25)) ?? 0, tag: 'home0' }];
    const move1 = between(Math.max(f(0.4), (homes[0]?.session ?? 0) + 1), f(0.75));
    if (move1 !== null) {
      homes.push({ value: draw(P.CITIES), session: move1, tag: 'move1' });
      const move2 = rng.chance(0.35) ? between(move1 + 3, last) : null;
      if (move2 !== null) homes.push({ value: draw(P.CITIES), session: move2, tag: 'move2' });
    }
    const role0 = draw(P.ROLES, (r) => r.role);
    const jobs: Persona['jobs'] = [
      { value: { company: draw(P.COMPANIES), ...role0 }, session: between(0, f(0.25)) ?? 0, tag: 'job0' },
    ];
    const job1 = rng.chance(0.85) ? between(Math.max(f(0.35), (jobs[0]?.session ?? 0) + 1), f(0.65)) : null;
    if (job1 !== null) {
      const role1 = draw(P.ROLES, (r) => r.role);
      jobs.push({ value: { company: draw(P.COMPANIES), ...role1 }, session: job1, tag: 'job1' });
    }
    const pets: Persona['pets'] = [];
    const petOf = () => {
      const kind = rng.pick(P.PET_KINDS);
      return { name: draw(P.PET_NAMES), breed: rng.pick(kind.breeds), kind: kind.kind };
    };
    if (rng.chance(0.5)) pets.push({ value: petOf(), session: between(0, f(0.3)) ?? 0, tag: 'pet0' });
    const pet1 = between(Math.max(f(0.3), (pets[0]?.session ?? -1) + 1), f(0.9));
    if (pet1 !== null) pets.push({ value: petOf(), session: pet1, tag: 'pet1' });
    const rel = rng.chance(0.5) ? 'sister' : 'brother';
    const hobby = draw(P.HOBBIES, (h) => h.plain);
    return {
      name,
      homes,
      moveReason: rng.pick(P.MOVE_REASONS),
      jobs,
      jobReason: rng.pick(P.JOB_REASONS),
      pets,
      sibling: rng.chance(0.9)
        ? { rel, name: draw(P.SIBLING_NAMES[rel]), job: rng.pick(P.SIBLING_JOBS), city: draw(P.CITIES) }
        : null,
      partner: rng.chance(0.8)
        ? {
            name: draw(P.PARTNER_NAMES),
            job: draw(P.PARTNER_JOBS, (j) => j.gist),
            met: draw(P.HOW_MET, (m) => m.ask),
            years: rng.int(2, 14),
          }
        : null,
      hobby,
      trip: { dest: draw(P.TRIPS, (x) => x.dest), companion: rng.pick(P.COMPANIONS), month: '' },
      allergy: draw(P.ALLERGIES, (x) => x.gist),
      injury: rng.chance(0.65) ? draw(P.INJURIES, (x) => x.gist) : null,
      vehicle: rng.chance(0.6) ? draw(P.VEHICLES, (x) => x.gist) : null,
      book: rng.chance(0.75) ? draw(P.BOOKS, (x) => x.title) : null,
      language: rng.chance(0.65) ? draw(P.LANGUAGES, (x) => x.lang) : null,
      concert: rng.chance(0.7) ? { band: draw(P.BANDS), venue: rng.pick(P.VENUES) } : null,
      volunteer: rng.chance(0.6) ? { what: draw(P.VOLUNTEERING, (x) => x.place), day: rng.pick(P.WEEKDAYS) } : null,
      reno: rng.chance(0.65)
        ? (() => {
            const [planned, final] = rng.sample(P.COLOURS, 2);
            return { room: rng.pick(P.ROOMS), planned: planned ?? 'white', final: final ?? 'grey' };
          })()
        : null,
      hometown: draw(P.HOMETOWNS, (x) => x.town),
      restaurant: draw(P.RESTAURANTS, (x) => x.name),
      wedding: rng.chance(0.7)
        ? { friend: draw(P.THIRD_PARTIES), city: draw(P.CITIES), setting: rng.pick(P.WEDDING_SETTINGS) }
        : null,
      certificate: rng.chance(0.7) ? draw(P.CERTIFICATES, (x) => x.gist) : null,
    };
  }

  // ---- Episodes, and the facts' dates that questions need.
  const episodes: Episode[] = [];
  /** tag (person-prefixed) → the date answer of "when did it happen". */
  const whenAnswer = new Map<string, string>();
  /** tag → session index of its episode (for checks of "after"/"before"). */
  const sessionOfTag = new Map<string, number>();
  const add = (owner: Who, session: number | null, turns: ScriptTurn[]) => {
    if (session === null) return;
    const prefixed = turns.map((x) => (x.tag ? { ...x, tag: `${owner}.${x.tag}` } : x));
    for (const x of prefixed) if (x.tag) sessionOfTag.set(x.tag, session);
    episodes.push({ session, owner, turns: prefixed });
  };
  const relative = (owner: Who, tag: string, session: number) => {
    const r = rng.pick(RELATIVE);
    whenAnswer.set(`${owner}.${tag}`, r.answer(dateOf(session)));
    return r.say;
  };

  for (const who of ['a', 'b'] as const) {
    const p = people[who];
    const other = people[who === 'a' ? 'b' : 'a'].name;

    // Home and moves.
    const [home0, ...moves] = p.homes;
    if (home0) {
      const perk = rng.pick(P.HOME_PERKS);
      const years = rng.int(2, 9);
      add(who, home0.session, [
        S(
          rng.pick([
            `I’ve lived in ${home0.value} for ${years} years now and I’m still finding new corners of it.`,
            `Walked home past the ${perk} tonight. ${home0.value} at dusk is hard to beat.`,
            `Rent in ${home0.value} keeps creeping up, but honestly I can’t picture myself anywhere else yet.`,
          ]),
          'home0',
        ),
        O(
          rng.pick([
            `Sounds lovely, ${p.name}.`,
            `You make it sound like a postcard, ${p.name}.`,
            `Ha, I believe you.`,
          ]),
        ),
      ]);
    }
    moves.forEach((m, i) => {
      const rel = relative(who, m.tag, m.session);
      const turns = [
        S(
          rng.pick([
            `Big news, ${other}: we got the keys ${rel}. I officially live in ${m.value} now!`,
            `The last box is unpacked. Made it to ${m.value} ${rel} and my back will never forgive me.`,
            `Writing this from the floor of my new flat in ${m.value}, the van dropped everything off ${rel}.`,
          ]),
          m.tag,
        ),
      ];
      if (i === 0) {
        turns.push(
          O(rng.pick([`Wait, you actually did it?! How come, ${p.name}?`, `No way! What tipped it in the end?`])),
        );
        turns.push(S(p.moveReason.say, `${m.tag}why`));
        turns.push(
          O(
            rng.pick([
              `Well, I’m really happy for you. Send me the new address!`,
              `Makes sense. I’ll miss visiting the old place though.`,
            ]),
          ),
        );
      } else {
        turns.push(O(rng.pick([`Again?! You’re a nomad, ${p.name}.`, `Another one! I can’t keep up with you.`])));
      }
      add(who, m.session, turns);
    });

    // Jobs.
    const [job0, job1] = p.jobs;
    if (job0) {
      const j = job0.value;
      add(who, job0.session, [
        S(
          rng.pick([
            `Another week of ${j.task} at ${j.company}. Being a ${j.role} is never dull.`,
            `I’ve been a ${j.role} at ${j.company} for ${rng.int(2, 8)} years now, can you believe it?`,
            `${j.company} wants every ${j.role} in the office on Fridays now. Not thrilled.`,
          ]),
          'job0',
        ),
        O(rng.pick([`Ha, sounds about right, ${p.name}.`, `Hang in there!`, `Some things never change, ${p.name}.`])),
      ]);
    }
    if (job0 && job1) {
      const rel = relative(who, 'job1', job1.session);
      const j = job1.value;
      add(who, job1.session, [
        S(
          rng.pick([
            `I did it, I handed my notice in. ${j.company} took me on as a ${j.role}, first day was ${rel}.`,
            `Guess who started as a ${j.role} at ${j.company} ${rel}? Me!`,
            `${j.company} rang with an offer and I said yes. I started ${rel} as their new ${j.role}.`,
          ]),
          'job1',
        ),
        O(rng.pick([`Whoa, congrats! What made you jump, ${p.name}?`, `${p.name}! That’s huge. Why now?`])),
        S(p.jobReason.say, 'job1why'),
        O(rng.pick([`Makes total sense. Proud of you.`, `You deserve it, honestly.`])),
      ]);
    }

    // Pets.
    for (const pet of p.pets) {
      const v = pet.value;
      if (pet.tag === 'pet0') {
        add(who, pet.session, [
          S(
            `My ${rng.int(3, 12)}-year-old ${v.breed}, ${v.name}, ${rng.pick(['just knocked a full glass of water onto my laptop', 'has decided the laundry basket is a bed now', 'woke me at 5am demanding breakfast', 'chewed through a phone charger'])}.`,
            'pet0',
          ),
          O(`${v.name} is a menace and I adore them, ${p.name}.`),
        ]);
      } else {
        const rel = relative(who, 'pet1', pet.session);
        add(
          who,
          pet.session,
          rng.chance(0.5)
            ? [
                S(`Someone new moved in with us ${rel}!`, 'pet1'),
                O(`What?! Who? Tell me everything, ${p.name}.`),
                S(
                  `A ${v.breed} from the rescue centre, ${rng.pick(['about two', 'barely a year old', 'an old soul of nine'])}. We’ve called her ${v.name}.`,
                  'pet1',
                ),
              ]
            : [
                S(`We adopted a ${v.breed} ${rel}. ${v.name} has already claimed the sofa.`, 'pet1'),
                O(`Oh my heart. Pictures immediately, ${p.name}!`),
              ],
        );
      }
    }

    // Sibling: job in one session, city in a later one.
    if (p.sibling) {
      const sib = p.sibling;
      const pron = sib.rel === 'sister' ? 'she' : 'he';
      const job = sib.rel === 'sister' ? sib.job.say : sib.job.he;
      const s1 = between(0, f(0.4));
      add(who, s1, [
        S(
          `My ${sib.rel} ${sib.name} called last night. ${pron === 'she' ? 'She' : 'He'}’s ${job} and seems really happy.`,
          'sib1',
        ),
        O(rng.pick([`Say hi to ${sib.name} for me!`, `Aw, that’s good to hear, ${p.name}.`])),
      ]);
      if (s1 !== null)
        add(who, between(s1 + 1, last), [
          S(
            rng.pick([
              `Booked a train to see ${sib.name} in ${sib.city} next month.`,
              `${sib.name} wants me to visit ${sib.city} soon, I really should.`,
            ]),
            'sib2',
          ),
          O(rng.pick([`Ooh, bring me back something, ${p.name}.`, `You should! It’s been ages.`])),
        ]);
    }

    // Partner: their job early, how they met later.
    if (p.partner) {
      const pt = p.partner;
      const s1 = between(0, f(0.4));
      add(who, s1, [
        S(`My other half, ${pt.name}, is ${pt.job.say}.`, 'pjob'),
        O(rng.pick([`Tell ${pt.name} to take a day off!`, `Poor ${pt.name}. Hugs to you both, ${p.name}.`])),
      ]);
      if (s1 !== null)
        add(who, between(s1 + 1, last), [
          S(`${pt.years} years ago today ${pt.name} and I met ${pt.met.say}. Still can’t quite believe it.`, 'pmet'),
          O(`Happy anniversary to you both, ${p.name}!`),
        ]);
    }

    // Hobby: start, setback, milestone.
    const h0 = between(f(0.1), f(0.45));
    if (h0 !== null) {
      const rel = relative(who, 'hobby0', h0);
      add(who, h0, [
        S(
          rng.pick([
            `So I finally ${p.hobby.say} ${rel}.`,
            `New thing: I ${p.hobby.say} ${rel}. Don’t laugh, ${other}.`,
          ]),
          'hobby0',
        ),
        O(rng.pick([`Not laughing! That’s brilliant, ${p.name}.`, `Love this for you, ${p.name}.`])),
      ]);
      const h1 = between(h0 + 1, h0 + 3);
      if (h1 !== null) {
        add(who, h1, [S(p.hobby.setback, 'hobbyMid'), O(`Everyone starts somewhere, ${p.name}. Don’t quit!`)]);
        add(who, between(h1 + 1, h1 + 4), [
          S(p.hobby.milestone, 'hobby1'),
          O(rng.pick([`I KNEW you could do it, ${p.name}!`, `Look at you go!`])),
        ]);
      }
    }

    // Trip: booked in one session, told about after coming back.
    const t0 = between(f(0.2), f(0.7));
    const t1 = t0 === null ? null : between(t0 + 1, t0 + 3);
    if (t0 !== null && t1 !== null) {
      const month = MONTHS[new Date(dateOf(t1) - 10 * DAY_MS).getUTCMonth()] ?? '';
      p.trip.month = `${month} ${new Date(dateOf(t1) - 10 * DAY_MS).getUTCFullYear()}`;
      add(who, t0, [
        S(
          rng.pick([
            `Booked it! ${p.trip.dest.dest} in ${month}, with ${p.trip.companion}.`,
            `Flights are booked: ${p.trip.companion} and I are off to ${p.trip.dest.dest} in ${month}!`,
          ]),
          'trip0',
        ),
        O(rng.pick([`Jealous! You’ll have the best time, ${p.name}.`, `Finally a proper holiday, ${p.name}!`])),
      ]);
      add(who, t1, [
        S(`Back home and already missing it. The best bit was ${p.trip.dest.highlight}.`, 'trip1'),
        O(rng.pick([`Welcome back, ${p.name}! I need the full story.`, `That sounds unreal. Photos please!`])),
      ]);
    }

    // One-off facts.
    add(who, between(0, last), [
      O(`I’m doing a big dinner on Saturday, ${p.name}. Anything you can’t eat?`),
      S(`${p.allergy.say}, so maybe skip that?`, 'allergy'),
      O(rng.pick([`Noted! I’ll keep it well away from your plate.`, `Got it, safe menu for you.`])),
    ]);
    if (p.injury) {
      const s = between(f(0.2), last);
      if (s !== null) {
        const rel = relative(who, 'injury', s);
        add(who, s, [
          S(
            `So… I ${p.injury.say} ${rel}. ${rng.pick(['Very glamorous.', 'Don’t ask.', 'I’m fine, mostly.'])}`,
            'injury',
          ),
          O(`Oh no, ${p.name}! I’m coming round tomorrow with ${p.injury.support}.`, 'injurySupport'),
          S(`You’re the best, ${other}.`),
        ]);
      }
    }
    if (p.vehicle) {
      const s = between(0, last);
      if (s !== null) {
        const rel = relative(who, 'vehicle', s);
        add(who, s, [
          S(`We finally caved and bought ${p.vehicle.say} ${rel}.`, 'vehicle'),
          O(`Road trip! When are you picking me up, ${p.name}?`),
        ]);
      }
    }
    if (p.book) {
      add(who, between(0, last), [
        S(`You have to read ${p.book.title} by ${p.book.author}, ${other}. It’s about ${p.book.premise}.`, 'book'),
        O(rng.pick([`Adding it to my list!`, `Ooh, I need a good one. Thanks, ${p.name}.`])),
      ]);
    }
    if (p.language) {
      add(who, between(0, last), [
        S(`I’ve started ${p.language.lang} lessons, because ${p.language.reason}.`, 'lang'),
        O(rng.pick([`That’s lovely, ${p.name}. Teach me a word!`, `Good luck! I gave up on mine after a week.`])),
      ]);
    }
    if (p.concert) {
      const s = between(0, last);
      if (s !== null) {
        const rel = relative(who, 'concert', s);
        add(who, s, [
          S(`Saw ${p.concert.band} at ${p.concert.venue} ${rel}, my ears are still ringing.`, 'concert'),
          O(rng.pick([`Were they good live?`, `Jealous, ${p.name}!`])),
        ]);
      }
    }
    if (p.volunteer) {
      add(who, between(0, last), [
        S(`Every ${p.volunteer.day} I help out at ${p.volunteer.what.place} now, ${p.volunteer.what.task}.`, 'vol'),
        O(rng.pick([`That’s really kind of you, ${p.name}.`, `You’re a good egg, ${p.name}.`])),
      ]);
    }
    if (p.reno) {
      const r0 = between(f(0.3), f(0.7));
      if (r0 !== null) {
        add(who, r0, [
          S(`Decision made: the ${p.reno.room} is going ${p.reno.planned}. Painting it next weekend.`, 'reno0'),
          O(`Bold! I love it, ${p.name}.`),
        ]);
        add(who, between(r0 + 1, r0 + 4), [
          S(
            `Plot twist: we chickened out at the shop and the ${p.reno.room} is ${p.reno.final} now. No regrets.`,
            'reno1',
          ),
          O(rng.pick([`Ha! Classic ${p.name}.`, `Honestly that sounds nicer anyway.`])),
        ]);
      }
    }
    if (p.wedding) {
      const s = between(0, last);
      if (s !== null) {
        const rel = relative(who, 'wedding', s);
        const w = p.wedding;
        add(who, s, [
          S(
            `${w.friend} got married ${rel}! We all went to ${w.city} for it, the ceremony was ${w.setting}.`,
            'wedding',
          ),
          O(rng.pick([`Aww! Did you cry, ${p.name}?`, `That sounds gorgeous. Did you dance?`])),
        ]);
      }
    }
    if (p.certificate) {
      const s = between(0, last);
      if (s !== null) {
        const rel = relative(who, 'cert', s);
        add(who, s, [
          S(`Passed my ${p.certificate.say}! Results came ${rel}.`, 'cert'),
          O(rng.pick([`Congratulations, ${p.name}! Drinks on me.`, `Yesss ${p.name}! Knew you would.`])),
        ]);
      }
    }
    add(who, between(0, last), [
      S(`Growing up in ${p.hometown.town}, ${p.hometown.memory}.`, 'hometown'),
      O(rng.pick([`That sounds like a childhood from a novel, ${p.name}.`, `I love hearing about that, ${p.name}.`])),
    ]);
    add(who, between(0, last), [
      S(`Dinner at ${p.restaurant.name} again, their ${p.restaurant.dish} never misses.`, 'rest'),
      O(rng.pick([`You’re obsessed with that place, ${p.name}.`, `Take me next time!`])),
    ]);
  }

  // ---- Sessions: greeting, episodes among small talk, goodbye.
  const conversation: DevConversation = { speaker_a: names[0], speaker_b: names[1] };
  const tagIds = new Map<string, string[]>();
  const turnCounts: number[] = [];
  const sessionTurns: ScriptTurnPlaced[][] = [];
  /** What a speaker has introduced before session s (for small talk). */
  const introduced = (who: Who, s: number) => {
    const p = people[who];
    return {
      pets: p.pets.filter((x) => x.session < s).map((x) => x.value.name),
      partner: p.partner && (sessionOfTag.get(`${who}.pjob`) ?? Infinity) < s ? p.partner.name : null,
      hobby: (sessionOfTag.get(`${who}.hobby0`) ?? Infinity) < s,
    };
  };
  const usedTalk = Array.from({ length: nSessions }, () => new Set<number>());
  const talk = (s: number): ScriptTurnPlaced[] => {
    const who: Who = rng.chance(0.5) ? 'a' : 'b';
    const known = introduced(who, s);
    return place(
      who,
      smallTalk(
        {
          rng,
          self: people[who].name,
          other: people[who === 'a' ? 'b' : 'a'].name,
          selfPets: known.pets,
          selfPartner: known.partner,
          selfHobby: known.hobby,
        },
        usedTalk[s] ?? new Set(),
      ),
    );
  };
  const place = (owner: Who, turns: ScriptTurn[]): ScriptTurnPlaced[] =>
    turns.map((x) => ({
      speaker: x.who === 'self' ? owner : owner === 'a' ? 'b' : 'a',
      text: x.text,
      ...(x.tag ? { tag: x.tag } : {}),
    }));

  for (let s = 0; s < nSessions; s++) {
    const opener: Who = rng.chance(0.5) ? 'a' : 'b';
    const answerer: Who = opener === 'a' ? 'b' : 'a';
    const kept = rng.shuffle(episodes.filter((e) => e.session === s)).slice(0, opts.maxEpisodesPerSession);
    const blocks: ScriptTurnPlaced[][] = kept.map((e) => place(e.owner, e.turns));
    const target = rng.int(opts.turnsPerSession[0], opts.turnsPerSession[1]) - 4;
    let size = blocks.reduce((n, b) => n + b.length, 0);
    while (size < target) {
      const b = talk(s);
      blocks.push(b);
      size += b.length;
    }
    sessionTurns.push([
      ...place(opener, greeting(rng, people[opener].name, people[answerer].name)),
      ...rng.shuffle(blocks).flat(),
      ...place(opener, goodbye(rng, people[opener].name, people[answerer].name)),
    ]);
  }
  // Top up to the minimum with small talk before each session's goodbye.
  let total = sessionTurns.reduce((n, x) => n + x.length, 0);
  while (total < opts.minTurns) {
    const s = rng.int(0, nSessions - 1);
    const turns = sessionTurns[s];
    if (!turns) break;
    const extra = talk(s);
    turns.splice(turns.length - 2, 0, ...extra);
    total += extra.length;
  }
  sessionTurns.forEach((turns, s) => {
    const out: DevTurn[] = turns.map((x, i) => {
      const dia_id = `D${s + 1}:${i + 1}`;
      if (x.tag) tagIds.set(x.tag, [...(tagIds.get(x.tag) ?? []), dia_id]);
      return { speaker: people[x.speaker].name, dia_id, text: x.text };
    });
    conversation[`session_${s + 1}`] = out;
    conversation[`session_${s + 1}_date_time`] = formatSessionTime(dateOf(s));
    turnCounts.push(out.length);
  });

  const qa = buildQuestions(fork(rng), people, tagIds, whenAnswer, dateOf, last);
  return { sample_id: `mw-dev-${index + 1}`, conversation, qa };
}

interface ScriptTurnPlaced {
  speaker: Who;
  text: string;
  tag?: string;
}

// ---------------------------------------------------------------------------------------------
// Questions

const sessionOf = (diaId: string): number => Number(/^D(\d+):/.exec(diaId)?.[1] ?? NaN);

function buildQuestions(
  rng: Rng,
  people: Record<Who, Persona>,
  tagIds: Map<string, string[]>,
  whenAnswer: Map<string, string>,
  dateOf: (s: number) => number,
  lastSession: number,
): DevQa[] {
  const qa: DevQa[] = [];
  /** Adds a question when every tag it needs made it into the conversation. */
  const ask = (category: Category, question: string, answer: string, tags: string[]) => {
    const evidence: string[] = [];
    for (const tag of tags) {
      const ids = tagIds.get(tag);
      if (!ids) return;
      evidence.push(...ids);
    }
    const unique = [...new Set(evidence)];
    if (category === 'multi_hop' && new Set(unique.map(sessionOf)).size < 2) return;
    qa.push({ question, answer, evidence: unique, category });
  };
  const has = (tag: string) => tagIds.has(tag);
  /** The entry of a timeline in force at session s. */
  const at = <T>(timeline: Timeline<T>[], s: number) => [...timeline].reverse().find((x) => x.session <= s);

  for (const who of ['a', 'b'] as const) {
    const p = people[who];
    const n = p.name;
    const other = people[who === 'a' ? 'b' : 'a'].name;
    const tg = (t: string) => `${who}.${t}`;

    // Home.
    const homes = p.homes.filter((h) => has(tg(h.tag)));
    const home0 = homes[0];
    const latestHome = homes[homes.length - 1];
    if (home0 && homes.length === 1) {
      ask('single_fact', rng.pick([`Which city is ${n} based in?`, `Where does ${n} make their home?`]), home0.value, [
        tg('home0'),
      ]);
    }
    if (home0 && latestHome && homes.length > 1) {
      const move = homes[1] as Timeline<string>;
      ask(
        'multi_hop',
        rng.pick([
          `Which city did ${n} leave behind, and where did they end up?`,
          `${n} relocated at some point: from which city to which?`,
        ]),
        `from ${home0.value} to ${move.value}`,
        [tg('home0'), tg(move.tag)],
      );
      ask(
        'temporal',
        rng.pick([
          `In which city does ${n} currently reside?`,
          `Where is ${n} living these days?`,
          `What is ${n}'s most recent city of residence?`,
        ]),
        latestHome.value,
        [tg(latestHome.tag)],
      );
      ask(
        'temporal',
        rng.pick([`Where was ${n} living when these chats began?`, `What was ${n}'s city of residence at the start?`]),
        home0.value,
        [tg('home0')],
      );
      ask(
        'open_ended',
        rng.pick([`What prompted ${n} to change cities?`, `Why did ${n} decide to leave ${home0.value}?`]),
        p.moveReason.gist,
        [tg('move1why')],
      );
      for (const m of homes.slice(1)) {
        const when = whenAnswer.get(tg(m.tag));
        if (when)
          ask(
            'temporal',
            rng.pick([`When did ${n} relocate to ${m.value}?`, `At what point did ${n} settle in ${m.value}?`]),
            when,
            [tg(m.tag)],
          );
      }
      // What was true at a date: a month wholly inside one period.
      const i = rng.int(0, homes.length - 1);
      const period = homes[i] as Timeline<string>;
      const next = homes[i + 1];
      const month = monthWithin(
        rng,
        dateOf(i === 0 ? 0 : period.session),
        next ? dateOf(next.session) - 14 * DAY_MS : dateOf(lastSession),
      );
      if (month !== null)
        ask(
          'temporal',
          rng.pick([
            `Which city was ${n} living in during ${formatMonth(month)}?`,
            `Where did ${n} have their home in ${formatMonth(month)}?`,
          ]),
          period.value,
          [tg(period.tag)],
        );
    }

    // Jobs.
    const jobs = p.jobs.filter((j) => has(tg(j.tag)));
    const job0 = jobs[0];
    const job1 = jobs[1];
    if (job0) {
      ask(
        'single_fact',
        job1
          ? rng.pick([
              `What line of work was ${n} in before switching employers?`,
              `What was ${n}'s occupation at ${job0.value.company}?`,
            ])
          : rng.pick([`What does ${n} do for a living?`, `What is ${n}'s profession?`]),
        job0.value.role,
        [tg('job0')],
      );
      ask(
        'single_fact',
        rng.pick([
          `Which organisation did ${n} work for ${job1 ? 'originally' : ''}?`.replace(' ?', '?'),
          `Who employed ${n} ${job1 ? 'at first' : ''}?`.replace(' ?', '?'),
        ]),
        job0.value.company,
        [tg('job0')],
      );
    }
    if (job0 && job1) {
      ask(
        'temporal',
        rng.pick([
          `Who is ${n} working for now?`,
          `What is ${n}'s current employer?`,
          `Which organisation pays ${n}'s salary at the moment?`,
        ]),
        job1.value.company,
        [tg('job1')],
      );
      const when = whenAnswer.get(tg('job1'));
      if (when)
        ask(
          'temporal',
          rng.pick([
            `When did ${n} begin working at ${job1.value.company}?`,
            `When was ${n}'s first day at ${job1.value.company}?`,
          ]),
          when,
          [tg('job1')],
        );
      ask('single_fact', `What is ${n}'s job title at ${job1.value.company}?`, job1.value.role, [tg('job1')]);
      ask(
        'open_ended',
        rng.pick([`What motivated ${n}'s career move?`, `Why did ${n} leave ${job0.value.company}?`]),
        p.jobReason.gist,
        [tg('job1why')],
      );
      ask(
        'multi_hop',
        rng.pick([
          `What position did ${n} hold before becoming a ${job1.value.role}?`,
          `Before joining ${job1.value.company}, what was ${n}'s role?`,
        ]),
        job0.value.role,
        [tg('job0'), tg('job1')],
      );
      const i = rng.int(0, 1);
      const period = i === 0 ? job0 : job1;
      const month = monthWithin(
        rng,
        dateOf(i === 0 ? 0 : period.session),
        i === 0 ? dateOf(job1.session) - 14 * DAY_MS : dateOf(lastSession),
      );
      if (month !== null)
        ask(
          'temporal',
          rng.pick([
            `Where was ${n} employed in ${formatMonth(month)}?`,
            `Which company was ${n} with in ${formatMonth(month)}?`,
          ]),
          period.value.company,
          [tg(period.tag)],
        );
    }

    // Pets.
    const pet0 = p.pets.find((x) => x.tag === 'pet0' && has(tg('pet0')));
    const pet1 = p.pets.find((x) => x.tag === 'pet1' && has(tg('pet1')));
    if (pet0) {
      ask('single_fact', `What is the name of the ${pet0.value.breed} ${n} has had for years?`, pet0.value.name, [
        tg('pet0'),
      ]);
      ask('single_fact', `What kind of animal is ${pet0.value.name}?`, `a ${pet0.value.kind} (${pet0.value.breed})`, [
        tg('pet0'),
      ]);
    }
    if (pet1) {
      ask(
        'single_fact',
        rng.pick([`What type of animal joined ${n}'s household?`, `What kind of pet did ${n} take in?`]),
        pet1.value.breed,
        [tg('pet1')],
      );
      ask(
        'single_fact',
        rng.pick([`What is ${n}'s newest pet called?`, `What name did ${n} give the animal they brought home?`]),
        pet1.value.name,
        [tg('pet1')],
      );
      const when = whenAnswer.get(tg('pet1'));
      if (when)
        ask(
          'temporal',
          rng.pick([
            `When did ${pet1.value.name} come to live with ${n}?`,
            `When did ${n} bring ${pet1.value.name} home?`,
          ]),
          when,
          [tg('pet1')],
        );
      // Not asked when a move falls in the same session: which came first would be a guess.
      const home = homes.some((h) => h.session === pet1.session && h !== homes[0])
        ? undefined
        : at(homes, pet1.session);
      if (home)
        ask('multi_hop', `Which city was ${n} living in when ${pet1.value.name} arrived?`, home.value, [
          tg('pet1'),
          tg(home.tag),
        ]);
      if (pet0)
        ask(
          'multi_hop',
          `How many animals does ${n} have at home after the latest adoption, and what are their names?`,
          `two: ${pet0.value.name} and ${pet1.value.name}`,
          [tg('pet0'), tg('pet1')],
        );
    }

    // Sibling.
    if (p.sibling) {
      ask('single_fact', `What is the name of ${n}'s sibling?`, p.sibling.name, [tg('sib1')]);
      ask(
        'single_fact',
        rng.pick([`What is ${p.sibling.name}'s occupation?`, `How does ${n}'s sibling earn a living?`]),
        p.sibling.job.ask,
        [tg('sib1')],
      );
      ask(
        'multi_hop',
        rng.pick([
          `In which city does ${n}'s sibling live?`,
          `Where would ${n} have to travel to visit their sibling?`,
        ]),
        p.sibling.city,
        [tg('sib1'), tg('sib2')],
      );
    }

    // Partner.
    if (p.partner) {
      const pt = p.partner;
      ask(
        'single_fact',
        rng.pick([`What does ${n}'s partner do for work?`, `What is the profession of ${n}'s significant other?`]),
        pt.job.gist,
        [tg('pjob')],
      );
      ask(
        'single_fact',
        rng.pick([
          `Where did ${n} first cross paths with ${pt.name}?`,
          `How did ${n} and ${pt.name} get to know each other?`,
        ]),
        pt.met.say,
        [tg('pmet')],
      );
      ask('multi_hop', `What does the person ${n} met ${pt.met.ask} do for a living?`, pt.job.gist, [
        tg('pmet'),
        tg('pjob'),
      ]);
      const s = tagIds.get(tg('pmet'))?.[0];
      if (s)
        ask(
          'temporal',
          `How long had ${n} and ${pt.name} been a couple as of ${formatDay(dateOf(sessionOf(s) - 1))}?`,
          `${pt.years} years`,
          [tg('pmet')],
        );
    }

    // Hobby.
    ask(
      'single_fact',
      rng.pick([`What new pastime did ${n} take up?`, `Which leisure activity did ${n} begin recently?`]),
      p.hobby.plain,
      [tg('hobby0')],
    );
    const hobbyWhen = whenAnswer.get(tg('hobby0'));
    if (hobbyWhen)
      ask(
        'temporal',
        rng.pick([`When did ${n} get into ${p.hobby.ask}?`, `When did ${n} start with ${p.hobby.ask}?`]),
        hobbyWhen,
        [tg('hobby0')],
      );
    const h0 = tagIds.get(tg('hobby0'))?.[0];
    if (h0)
      ask(
        'multi_hop',
        `What did ${n} eventually accomplish in the activity they took up in ${formatMonth(dateOf(sessionOf(h0) - 1))}?`,
        p.hobby.gist,
        [tg('hobby0'), tg('hobby1')],
      );
    ask('multi_hop', `What frustration did ${n} run into with ${p.hobby.ask}?`, p.hobby.setback, [
      tg('hobby0'),
      tg('hobbyMid'),
    ]);
    ask(
      'open_ended',
      rng.pick([
        `How has ${n}'s experience with ${p.hobby.ask} gone over time?`,
        `Describe the ups and downs ${n} has had with ${p.hobby.ask}.`,
      ]),
      `${p.hobby.plain}: a hard patch, then ${p.hobby.gist}`,
      [tg('hobby0'), tg('hobbyMid'), tg('hobby1')],
    );

    // Trip.
    const dest = p.trip.dest.dest;
    ask('single_fact', `Where did ${n} go on holiday with ${p.trip.companion.replace(/^my /, 'their ')}?`, dest, [
      tg('trip0'),
    ]);
    ask(
      'single_fact',
      rng.pick([`Who went along with ${n} to ${dest}?`, `Who was ${n}'s travel companion for ${dest}?`]),
      p.trip.companion,
      [tg('trip0')],
    );
    ask(
      'multi_hop',
      rng.pick([
        `What was the high point of ${n}'s time in ${dest}?`,
        `What did ${n} enjoy most about visiting ${dest}?`,
      ]),
      p.trip.dest.gist,
      [tg('trip0'), tg('trip1')],
    );
    if (p.trip.month)
      ask(
        'temporal',
        rng.pick([`In which month did ${n} travel to ${dest}?`, `When was ${n}'s holiday in ${dest}?`]),
        p.trip.month,
        [tg('trip0')],
      );
    const t0 = tagIds.get(tg('trip0'))?.[0];
    const t1 = tagIds.get(tg('trip1'))?.[0];
    if (t0 && t1) {
      // The job from booking to coming back (not asked when it changed in between).
      const job = at(jobs, sessionOf(t0) - 1);
      if (job && job === at(jobs, sessionOf(t1) - 1))
        ask('multi_hop', `Which employer was ${n} with when they went to ${dest}?`, job.value.company, [
          tg('trip0'),
          tg(job.tag),
        ]);
    }

    // One-off facts.
    ask(
      'single_fact',
      rng.pick([`Which food does ${n} have to stay away from?`, `What is ${n} allergic to?`]),
      p.allergy.gist,
      [tg('allergy')],
    );
    ask(
      'open_ended',
      rng.pick([
        `What should someone keep in mind when cooking for ${n}?`,
        `If ${other} plans a menu for ${n}, what must it leave out and why?`,
      ]),
      `no ${p.allergy.gist}: ${n} reacts badly to ${p.allergy.ask}`,
      [tg('allergy')],
    );
    if (p.injury) {
      ask('single_fact', rng.pick([`How did ${n} get hurt?`, `What accident did ${n} have?`]), p.injury.gist, [
        tg('injury'),
      ]);
      const when = whenAnswer.get(tg('injury'));
      if (when) ask('temporal', `When did ${n}'s accident happen?`, when, [tg('injury')]);
      ask(
        'open_ended',
        `How did ${other} look after ${n} following the accident?`,
        `offered to bring ${p.injury.support}`,
        [tg('injurySupport')],
      );
    }
    if (p.vehicle) {
      ask(
        'single_fact',
        rng.pick([`What did ${n} purchase to get around?`, `What new set of wheels did ${n} get?`]),
        p.vehicle.gist,
        [tg('vehicle')],
      );
      const when = whenAnswer.get(tg('vehicle'));
      if (when) ask('temporal', `When did ${n} acquire ${p.vehicle.ask}?`, when, [tg('vehicle')]);
    }
    if (p.book) {
      ask('single_fact', `Which novel did ${n} urge ${other} to pick up?`, p.book.title, [tg('book')]);
      ask('single_fact', `Who is the author of the book ${n} recommended to ${other}?`, p.book.author, [tg('book')]);
    }
    if (p.language) {
      ask(
        'single_fact',
        rng.pick([`Which language is ${n} studying?`, `What tongue has ${n} been taking classes in?`]),
        p.language.lang,
        [tg('lang')],
      );
      ask('open_ended', `What is ${n}'s motivation for studying a new language?`, p.language.reason, [tg('lang')]);
    }
    if (p.concert) {
      ask(
        'single_fact',
        rng.pick([`Which group did ${n} watch perform live?`, `What act did ${n} catch in concert?`]),
        p.concert.band,
        [tg('concert')],
      );
      const when = whenAnswer.get(tg('concert'));
      if (when) ask('temporal', `When did ${n} go to see ${p.concert.band}?`, when, [tg('concert')]);
    }
    if (p.volunteer) {
      ask('single_fact', `On what day of the week does ${n} do unpaid work?`, p.volunteer.day, [tg('vol')]);
      ask(
        'single_fact',
        rng.pick([`What sort of charity work does ${n} do?`, `How does ${n} give back to the community?`]),
        `${p.volunteer.what.ask} at ${p.volunteer.what.place}`,
        [tg('vol')],
      );
    }
    if (p.reno) {
      ask('temporal', `What colour are the walls of ${n}'s ${p.reno.room} now?`, p.reno.final, [tg('reno1')]);
      ask(
        'multi_hop',
        `Which colour did ${n} first pick for the ${p.reno.room}, and what did it end up being?`,
        `${p.reno.planned}, then ${p.reno.final}`,
        [tg('reno0'), tg('reno1')],
      );
    }
    if (p.wedding) {
      const w = p.wedding;
      ask(
        'single_fact',
        rng.pick([`In which city did ${w.friend} tie the knot?`, `Where did ${n} travel for ${w.friend}'s big day?`]),
        w.city,
        [tg('wedding')],
      );
      const when = whenAnswer.get(tg('wedding'));
      if (when) ask('temporal', `When did ${n} attend ${w.friend}'s wedding?`, when, [tg('wedding')]);
    }
    if (p.certificate) {
      ask(
        'single_fact',
        rng.pick([`What did ${n} recently get certified in?`, `Which qualification did ${n} earn?`]),
        p.certificate.gist,
        [tg('cert')],
      );
      const when = whenAnswer.get(tg('cert'))?.replace(/^the (week|weekend) before/, 'results the $1 before');
      if (when)
        ask('temporal', `When did ${n} find out they had earned their ${p.certificate.ask}?`, when, [tg('cert')]);
    }
    ask(
      'single_fact',
      rng.pick([`Where did ${n} spend their childhood?`, `What kind of place was ${n} raised in?`]),
      p.hometown.town,
      [tg('hometown')],
    );
    ask(
      'single_fact',
      rng.pick([`Which eatery does ${n} keep going back to?`, `What is ${n}'s favourite place to eat out?`]),
      p.restaurant.name,
      [tg('rest')],
    );
    ask('single_fact', `What does ${n} usually order at ${p.restaurant.name}?`, p.restaurant.dish, [tg('rest')]);
  }

  // Across both speakers.
  const [A, B] = [people.a, people.b];
  const first = (tag: string) => tagIds.get(tag)?.[0];
  const aPet = first('a.pet1');
  const bPet = first('b.pet1');
  if (aPet && bPet && sessionOf(aPet) !== sessionOf(bPet))
    ask(
      'multi_hop',
      `Which of the two friends brought home a new animal first, ${A.name} or ${B.name}?`,
      sessionOf(aPet) < sessionOf(bPet) ? A.name : B.name,
      ['a.pet1', 'b.pet1'],
    );
  const aJob = first('a.job1');
  const bJob = first('b.job1');
  if (aJob && bJob && sessionOf(aJob) !== sessionOf(bJob))
    ask(
      'temporal',
      `Who switched employers more recently, ${A.name} or ${B.name}?`,
      sessionOf(aJob) > sessionOf(bJob) ? A.name : B.name,
      ['a.job1', 'b.job1'],
    );
  if (first('a.move1') && first('b.move1'))
    ask(
      'multi_hop',
      `Which cities did ${A.name} and ${B.name} each relocate to first?`,
      `${A.name}: ${A.homes[1]?.value ?? ''}; ${B.name}: ${B.homes[1]?.value ?? ''}`,
      ['a.move1', 'b.move1'],
    );
  ask(
    'open_ended',
    `What new activities have ${A.name} and ${B.name} each taken up?`,
    `${A.name}: ${A.hobby.plain}; ${B.name}: ${B.hobby.plain}`,
    ['a.hobby0', 'b.hobby0'],
  );

  return rng.shuffle(qa);
}

// ---------------------------------------------------------------------------------------------

export function generateDevset(options: DevsetOptions = {}): DevSample[] {
  const opts: Required<DevsetOptions> = { ...DEFAULTS, ...options };
  const rng = createRng(opts.seed);
  const speakers = rng.shuffle(P.SPEAKER_NAMES);
  const samples: DevSample[] = [];
  for (let i = 0; i < opts.conversations; i++) {
    const a = speakers[(2 * i) % speakers.length] ?? 'Ann';
    const b = speakers[(2 * i + 1) % speakers.length] ?? 'Bob';
    samples.push(buildConversation(fork(rng), i, [a, b], opts));
  }
  return samples;
}

/** The sessions of a conversation in order, with their date stamps. */
export function sessionsOf(c: DevConversation): { session: number; date: string; turns: DevTurn[] }[] {
  const out: { session: number; date: string; turns: DevTurn[] }[] = [];
  for (const [key, value] of Object.entries(c)) {
    const m = /^session_(\d+)$/.exec(key);
    if (!m || !Array.isArray(value)) continue;
    const date = c[`${key}_date_time`];
    out.push({ session: Number(m[1]), date: typeof date === 'string' ? date : '', turns: value });
  }
  return out.sort((a, b) => a.session - b.session);
}

const STOPWORDS = new Set(
  'a an the and or of to in on at for with by from as is are was were be been being do does did has have had what which who whom whose when where why how that this these those it its their they them there his her he she i me my we our you your so than then now did into up out about over after before each first most some any not no yes'.split(
    ' ',
  ),
);
const words = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}'’]+/u)
    .map((w) => w.replace(/['’]s$/, ''))
    .filter((w) => w.length > 2 && !STOPWORDS.has(w))
    .map((w) => w.replace(/s$/, ''));

/**
 * Share of a question's content words (not stop words, not the names and entities it must say)
 * found in its evidence turns: how much a pure word match gets for free. Capitalised words in the
 * middle of a question count as names.
 */
export function lexicalOverlap(question: string, evidenceText: string): number {
  const names = new Set(words((question.match(/(?<=\s)\p{Lu}[\p{L}'’-]*/gu) ?? []).join(' ')));
  const q = [...new Set(words(question))].filter((w) => !names.has(w));
  if (q.length === 0) return 0;
  const e = new Set(words(evidenceText));
  return q.filter((w) => e.has(w)).length / q.length;
}

/** Counts for the docs and the tests. */
export function describeDevset(samples: DevSample[]) {
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  let overlap = 0;
  let questions = 0;
  const perSample = samples.map((s) => {
    const sessions = sessionsOf(s.conversation);
    const turns = sessions.flatMap((x) => x.turns);
    const text = new Map(turns.map((t) => [t.dia_id, t.text]));
    for (const q of s.qa) {
      byCategory[q.category] += 1;
      overlap += lexicalOverlap(q.question, q.evidence.map((id) => text.get(id) ?? '').join(' '));
      questions += 1;
    }
    const mentions = (name: string) => turns.filter((t) => t.text.includes(name) || t.speaker === name).length;
    return {
      sample_id: s.sample_id,
      sessions: sessions.length,
      turns: turns.length,
      questions: s.qa.length,
      name_mentions: [mentions(s.conversation.speaker_a), mentions(s.conversation.speaker_b)],
    };
  });
  return { samples: perSample, questions, byCategory, meanLexicalOverlap: questions ? overlap / questions : 0 };
}

function main(): void {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const seed = Number(value('--seed') ?? DEFAULT_SEED);
  const out = value('--out') ?? 'artifacts/eval/devset.json';
  const samples = generateDevset({ seed });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(samples, null, 1)}\n`);
  const d = describeDevset(samples);
  console.log(
    `wrote ${out}: ${samples.length} conversations, ${d.questions} questions ${JSON.stringify(d.byCategory)}`,
  );
  for (const s of d.samples)
    console.log(
      `  ${s.sample_id}: ${s.sessions} sessions, ${s.turns} turns, ${s.questions} questions, name in ${s.name_mentions.join(' / ')} turns`,
    );
  console.log(`  mean share of a question's content words found in its evidence: ${d.meanLexicalOverlap.toFixed(2)}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
