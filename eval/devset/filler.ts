/**
 * @module eval/devset/filler — small talk: greetings, goodbyes and chit-chat that answers no
 * question but mentions the speakers' names (and sometimes their pets, partners or hobbies) all
 * the time, the way real chat logs do. This is what makes "the turns with the person's name in
 * them" a useless shortlist for a search.
 */
import { DISHES, PODCASTS, SHOWS, SPORTS, WEATHER, WEEKEND_PLANS, CITIES, THIRD_PARTIES } from './pools.js';
import type { Rng } from './prng.js';

/** A turn before it is placed: who says it ('self' opens the exchange) and what. */
export interface ScriptTurn {
  who: 'self' | 'other';
  text: string;
  /** Marks a turn that answers questions (see generate-devset.ts). */
  tag?: string;
}

/** What small talk may mention about the two speakers at this point of the conversation. */
export interface FillerContext {
  rng: Rng;
  /** Name of whoever opens the exchange, and of the one answering. */
  self: string;
  other: string;
  /** Things of `self` already introduced (pet names, partner's name, a hobby's plain name). */
  selfPets: string[];
  selfPartner: string | null;
  /** Whether `self` has already talked about taking up a hobby (small talk never names it). */
  selfHobby: boolean;
}

const S = (text: string): ScriptTurn => ({ who: 'self', text });
const O = (text: string): ScriptTurn => ({ who: 'other', text });

type Exchange = (c: FillerContext) => ScriptTurn[];

/** Adds the addressee's name at the start or end now and then, as people do in chat. */
function addressed(rng: Rng, name: string, text: string): string {
  const r = rng.next();
  if (r < 0.28) return `${name}, ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
  if (r < 0.5) return `${text.replace(/[.!?]$/, '')}, ${name}${/[?]$/.test(text) ? '?' : '!'}`;
  return text;
}

const EXCHANGES: Exchange[] = [
  ({ rng, self, other }) => [
    S(addressed(rng, other, `Ugh, ${rng.pick(WEATHER)}.`)),
    O(
      rng.pick([
        `Same here, ${self}. I’ve forgotten what normal weather feels like.`,
        `Ha! Stay inside, ${self}, that’s my advice.`,
        `Classic. We’re getting the exact same thing.`,
      ]),
    ),
  ],
  ({ rng, self, other }) => {
    const show = rng.pick(SHOWS);
    return [
      S(addressed(rng, other, `Have you started watching ${show} yet?`)),
      O(
        rng.pick([
          `Two episodes in! No spoilers, ${self}, I mean it.`,
          `Not yet, is it worth it?`,
          `I gave up after the first one, ${self}. Too slow for me.`,
        ]),
      ),
      S(
        rng.pick([
          `The ending of episode three, honestly. Just wait.`,
          `It gets good around the middle, trust me, ${other}.`,
          `Fair, it’s not for everyone.`,
        ]),
      ),
    ];
  },
  ({ rng, self, other }) => {
    const dish = rng.pick(DISHES);
    return [
      S(`I tried making ${dish} last night and it was a disaster${rng.chance(0.5) ? `, ${other}` : ''}.`),
      O(rng.pick([`Oh no 😂 what happened?`, `How bad are we talking, ${self}?`, `Was it edible at least?`])),
      S(
        rng.pick([
          `Let’s just say the smoke alarm was involved.`,
          `Way too much salt. Like, the sea.`,
          `It stuck to the pan and never let go.`,
          `I ate it anyway. Pride.`,
        ]),
      ),
    ];
  },
  ({ rng, self, other }) => [
    S(addressed(rng, other, `Any plans for the weekend?`)),
    O(`${rng.pick(['Not much — ', 'Probably ', 'Thinking about '])}${rng.pick(WEEKEND_PLANS)}. You, ${self}?`),
    S(`${rng.pick(['Something like ', 'Honestly, ', 'Probably '])}${rng.pick(WEEKEND_PLANS)}.`),
  ],
  ({ rng, self, other }) => [
    S(
      rng.pick([
        `I slept nine hours and I still feel like a zombie, ${other}.`,
        `Didn’t sleep at all, the neighbours had a party.`,
        `I’ve had four coffees and it’s not even noon.`,
      ]),
    ),
    O(
      rng.pick([
        `Sending caffeine vibes, ${self}.`,
        `Been there. Be kind to yourself today, ${self}.`,
        `Ha, join the club.`,
      ]),
    ),
  ],
  ({ rng, self, other }) => [
    S(`Did you hear from ${rng.pick(THIRD_PARTIES)} lately${rng.chance(0.5) ? `, ${other}` : ''}?`),
    O(
      rng.pick([
        `Only a meme at 2am, so I assume they’re fine.`,
        `Yeah, they said hi! They’re swamped.`,
        `Not in ages. I should text them, thanks for the nudge, ${self}.`,
      ]),
    ),
  ],
  ({ rng, self, other }) => [
    S(addressed(rng, other, `I’ve been listening to ${rng.pick(PODCASTS)}.`)),
    O(
      rng.pick([
        `Send me the link, ${self}!`,
        `That sounds oddly specific and I love it.`,
        `You and your podcasts, ${self}.`,
      ]),
    ),
  ],
  ({ rng, self, other }) => [
    S(addressed(rng, other, `Did you watch the game?`)),
    O(`${rng.pick(['Yes, and ', 'Sort of — ', `Ugh, ${self}, `])}${rng.pick(SPORTS)}.`),
    S(
      rng.pick([
        `Next season, surely.`,
        `I had to switch it off, ${other}, too stressful.`,
        `Ha, I only watched the highlights.`,
      ]),
    ),
  ],
  ({ rng, self, other }) => [
    S(
      rng.pick([
        `Long day, ${other}. Meetings back to back and none of them needed to happen.`,
        `Work was chaos today, everyone wanted everything at once.`,
        `My inbox is a crime scene.`,
      ]),
    ),
    O(
      rng.pick([
        `That sounds draining, ${self}. Go put your feet up.`,
        `The meeting-that-could-have-been-an-email classic.`,
        `Hang in there, ${self}!`,
      ]),
    ),
  ],
  ({ rng, self, other }) => [
    S(addressed(rng, other, `My cousin just got back from ${rng.pick(CITIES)} and hasn’t stopped talking about it.`)),
    O(
      rng.pick([
        `I’ve always wanted to go there!`,
        `Jealous! Did they bring you anything, ${self}?`,
        `Ha, everyone’s travelling except us, ${self}.`,
      ]),
    ),
  ],
  ({ rng, self, other }) => [
    S(
      `Saw the cutest ${rng.pick(['dog', 'puppy', 'cat in a window', 'old spaniel'])} on my walk today, ${other}. Made my morning.`,
    ),
    O(rng.pick([`Did you say hi?`, `Photo or it didn’t happen, ${self}!`, `The small joys, ${self}.`])),
  ],
  ({ rng, self, other }) => [
    S(addressed(rng, other, `${rng.pick(THIRD_PARTIES)} got promoted at work, we’re taking them out for drinks.`)),
    O(
      rng.pick([
        `Good for them! Have one for me, ${self}.`,
        `Amazing, tell them congrats from me.`,
        `Drinks on a school night, ${self}? Bold.`,
      ]),
    ),
  ],
  ({ rng, self, other }) => [
    S(addressed(rng, other, `How are you doing, really?`)),
    O(
      rng.pick([
        `Honestly? Tired but okay. Thanks for asking, ${self}.`,
        `Good days and bad days. Today’s a good one.`,
        `Better now that we’re chatting, ${self}.`,
      ]),
    ),
  ],
  ({ rng, self }) => [
    S(
      rng.pick([
        `The price of coffee beans is criminal now.`,
        `Groceries cost twice what they did last year, I swear.`,
        `Went to buy butter and had to take out a loan.`,
      ]),
    ),
    O(
      rng.pick([
        `Don’t get me started, ${self}.`,
        `Right? I just stare at the receipt in disbelief.`,
        `Time to start growing our own, ${self}.`,
      ]),
    ),
  ],
  ({ rng, self, other }) => [
    S(`My phone screen cracked ${rng.pick(['again', 'for the third time', 'in my pocket, somehow'])}.`),
    O(rng.pick([`${self}! Get a case, I beg you.`, `How?? Were you juggling it?`, `RIP, ${self}’s phone.`])),
    S(rng.pick([`It slid off the sofa. The sofa, ${other}!`, `I know, I know.`, `It still works if you squint.`])),
  ],
  ({ rng, self, other }) => [
    S(
      rng.pick([
        `Quick question, ${other}: tea or coffee in the afternoon?`,
        `Controversial opinion incoming, ${other}: pineapple on pizza is fine.`,
        `Serious question: is a hot dog a sandwich?`,
      ]),
    ),
    O(
      rng.pick([
        `Absolutely not, ${self}.`,
        `I refuse to answer this on the grounds that it’ll start a fight.`,
        `Yes, and I’ll die on this hill, ${self}.`,
      ]),
    ),
  ],
  ({ rng, self, other }) => [
    S(`Sending you this meme, it’s literally you, ${other}.`),
    O(rng.pick([`Rude. Accurate, but rude.`, `HAHA okay fair, ${self}.`, `I feel attacked, ${self}.`])),
  ],
  ({ rng, self, other }) => [
    S(`Neighbour’s doing renovations again, drilling since 7am${rng.chance(0.5) ? `, ${other}` : ''}.`),
    O(
      rng.pick([
        `Noise-cancelling headphones, ${self}. Best purchase I ever made.`,
        `At least it’s not a leaf blower.`,
        `Oof. Coffee shop day then?`,
      ]),
    ),
  ],
  ({ rng, self, other }) => [
    S(
      rng.pick([
        `Remember that terrible karaoke night?`,
        `Do you remember when we got lost looking for that campsite?`,
        `I found an old photo of us from years ago, ${other}.`,
      ]),
    ),
    O(
      rng.pick([
        `How could I forget, ${self}. Never again.`,
        `Send it! Actually, don’t.`,
        `Still one of my favourite memories, ${self}.`,
      ]),
    ),
  ],
  ({ rng, self, other }) => [
    S(
      `It’s ${rng.pick(THIRD_PARTIES)}’s birthday on ${rng.pick(['Friday', 'Sunday', 'Wednesday'])}, any gift ideas, ${other}?`,
    ),
    O(rng.pick([`A plant. Everyone loves a plant.`, `Socks. Fancy ones.`, `Book token, can’t go wrong, ${self}.`])),
  ],
  ({ rng, self }) => [
    S(
      rng.pick([
        `Just finished a massive clear-out of my wardrobe.`,
        `I reorganised the whole kitchen for no reason.`,
        `Deep cleaned the oven. I feel like a new person.`,
      ]),
    ),
    O(
      rng.pick([
        `Come do mine next, ${self}.`,
        `Productive! I’ve done nothing today.`,
        `That’s the energy I need, ${self}.`,
      ]),
    ),
  ],
  ({ rng, self, other }) => [
    S(
      rng.pick([
        `Traffic was horrendous this morning.`,
        `The bus just didn’t show up. Forty minutes in the cold.`,
        `Train was cancelled again, ${other}.`,
      ]),
    ),
    O(
      rng.pick([
        `Public transport, never change. Actually, please change.`,
        `Ugh, sorry ${self}.`,
        `Every single week, I swear.`,
      ]),
    ),
  ],
  ({ rng, self, other }) => [
    S(addressed(rng, other, `Okay, I need a new show recommendation.`)),
    O(`${rng.pick(SHOWS)}. Trust me, ${self}.`),
    S(
      rng.pick([
        `Adding it to the list!`,
        `You said that about the last one…`,
        `Fine, but if it’s bad I’m blaming you.`,
      ]),
    ),
  ],
  ({ rng, self, other }) => [
    S(addressed(rng, other, `Ha! That reminds me of something ${rng.pick(THIRD_PARTIES)} said at dinner.`)),
    O(`Go on, ${self}…`),
    S(
      rng.pick([
        `Something about pigeons being government drones. I can’t unhear it.`,
        `That soup is just wet salad. I think about it daily.`,
        `That nobody actually likes brunch. Chaos.`,
      ]),
    ),
  ],
  ({ rng, self, other }) => [
    S(
      rng.pick([
        `Thanks for listening yesterday, by the way.`,
        `I really appreciated the chat last time, ${other}.`,
        `Thank you for the voice note, it made me laugh.`,
      ]),
    ),
    O(
      rng.pick([
        `Always, ${self}. That’s what friends are for.`,
        `Anytime! You’d do the same.`,
        `Of course, ${self} ❤️`,
      ]),
    ),
  ],
  ({ rng, self, other }) => {
    const out = [
      S(rng.pick([`Lazy night in tonight.`, `Just got home, finally.`, `Making a cup of tea and calling it a day.`])),
    ];
    out.push(O(rng.pick([`Well deserved, ${self}.`, `Enjoy it! Same plan here.`, `Save some tea for me, ${self}.`])));
    if (rng.chance(0.4)) out.push(S(`Night, ${other}!`));
    return out;
  },
  ({ rng, self, other }) => [
    S(`Random thought, ${other}: we should do a trip together next year.`),
    O(
      rng.pick([
        `Yes! Somewhere warm, ${self}.`,
        `Only if you plan it. You know I won’t.`,
        `I’m in. Let’s actually do it this time.`,
      ]),
    ),
  ],
  ({ rng, self }) => [
    S(
      rng.pick([
        `I finally went to the dentist. No fillings!`,
        `Got my hair cut and the barber went rogue.`,
        `Had my annual check-up, all boring, which is good.`,
      ]),
    ),
    O(rng.pick([`Yay, ${self}!`, `Pics of the haircut please.`, `Boring is the dream, ${self}.`])),
  ],
  ({ rng, self, other }) => [
    S(
      `Have you ever tried ${rng.pick(['cold showers', 'journaling', 'waking up at 5am', 'meal prepping', 'a standing desk'])}, ${other}?`,
    ),
    O(rng.pick([`Once. Never again, ${self}.`, `I keep meaning to.`, `Yes and I’m insufferable about it now.`])),
  ],
  ({ rng, self, other }) => [
    S(rng.pick([`What are you up to right now?`, `You around this evening?`, `Busy?`])),
    O(rng.pick([`Just cooking, what’s up, ${self}?`, `For you? Never busy.`, `On the sofa with a biscuit. You?`])),
    S(rng.pick([`Nothing, just bored.`, `Same. Solidarity, ${other}.`, `Just wanted to say hi.`])),
  ],
  // Mentions of what the speaker has already said about their life: names that recur in many turns.
  ({ rng, self, other, selfPets }) => {
    const owned = selfPets.length > 0;
    const pet = owned ? rng.pick(selfPets) : '';
    return [
      S(
        owned
          ? rng.pick([
              `${pet} says hi, ${other}!`,
              `${pet} has been asleep in the same sunny spot since breakfast.`,
              `${pet} stole a sock again. The audacity.`,
            ])
          : `${rng.pick(THIRD_PARTIES)}’s ${rng.pick(['cat', 'dog'])} keeps visiting my balcony, ${other}.`,
      ),
      O(
        owned
          ? rng.pick([
              `Give ${pet} a cuddle from me, ${self}.`,
              `Ha, ${pet} is living the dream.`,
              `Cutest thief ever.`,
            ])
          : rng.pick([`Free pet, no vet bills. Perfect, ${self}.`, `Adopt it! Kidding.`]),
      ),
    ];
  },
  ({ rng, self, other, selfPartner }) =>
    selfPartner
      ? [
          S(
            rng.pick([
              `${selfPartner} and I are having a quiet night in.`,
              `${selfPartner} says hello, ${other}!`,
              `${selfPartner} made dinner tonight, which was a lovely surprise.`,
            ]),
          ),
          O(rng.pick([`Say hi back to ${selfPartner}, ${self}!`, `Aww, you two.`, `Keep them, ${self}!`])),
        ]
      : [
          S(rng.pick([`My friend set me up on a blind date, ${other}. Help.`, `I’m enjoying being single, honestly.`])),
          O(rng.pick([`Ooh! Report back, ${self}.`, `Good for you, ${self}.`])),
        ],
  ({ rng, self, other, selfHobby }) =>
    selfHobby
      ? [
          S(
            rng.pick([
              `Can’t chat long, ${other}, off to my class in a bit.`,
              `Practised for an hour tonight, ${other}. Small steps!`,
            ]),
          ),
          O(rng.pick([`Have fun, ${self}!`, `Look at you, so committed.`, `Go go go, ${self}!`])),
        ]
      : [
          S(`I need a hobby, ${other}. Something that isn’t scrolling.`),
          O(rng.pick([`Gardening? Crosswords? Juggling?`, `Join literally any club, ${self}.`])),
        ],
];

/**
 * One small-talk exchange. `used` holds the exchanges this session already had: they aren't
 * repeated until every one has been used.
 */
export function smallTalk(c: FillerContext, used: Set<number>): ScriptTurn[] {
  let free = EXCHANGES.map((_, i) => i).filter((i) => !used.has(i));
  if (free.length === 0) {
    used.clear();
    free = EXCHANGES.map((_, i) => i);
  }
  const i = c.rng.pick(free);
  used.add(i);
  return (EXCHANGES[i] as Exchange)(c);
}

export function greeting(rng: Rng, opener: string, answerer: string): ScriptTurn[] {
  return [
    S(
      rng.pick([
        `Hey ${answerer}! How’s your week been?`,
        `Hi ${answerer}! Long time no chat.`,
        `Morning, ${answerer}! You about?`,
        `${answerer}!! I have so much to tell you.`,
        `Hey you. How are things, ${answerer}?`,
        `Evening ${answerer} 👋`,
      ]),
    ),
    O(
      rng.pick([
        `Hey ${opener}! Good to hear from you.`,
        `${opener}! I was just thinking about you.`,
        `Hi hi! All good here, ${opener}, you?`,
        `Oh hey ${opener}! Busy but fine.`,
        `There you are, ${opener}!`,
      ]),
    ),
  ];
}

export function goodbye(rng: Rng, opener: string, answerer: string): ScriptTurn[] {
  return [
    S(
      rng.pick([
        `Anyway, I’d better go. Talk soon, ${answerer}!`,
        `Right, dinner’s burning. Bye ${answerer}!`,
        `Gotta run. Love you, ${answerer}, chat later.`,
        `Okay, bedtime for me. Night ${answerer}!`,
      ]),
    ),
    O(
      rng.pick([
        `Bye ${opener}! Take care.`,
        `Talk soon, ${opener} 💛`,
        `Night night, ${opener}!`,
        `Later, ${opener}!`,
      ]),
    ),
  ];
}
