/**
 * @module eval/devset/pools — the invented people, places and things the dev set draws from.
 * Written for this project; nothing here comes from a public benchmark. Where a fact is stated in
 * a turn and asked about in a question, the entry carries two phrasings (`say` for the turn,
 * `ask` for the question) so questions don't reuse the turn's words.
 */

/** Speakers of the conversations (two per conversation, never reused). */
export const SPEAKER_NAMES = [
  'Maya',
  'Tobias',
  'Priya',
  'Dmitri',
  'Aisha',
  'Callum',
  'Ingrid',
  'Mateo',
  'Noor',
  'Felix',
  'Yuki',
  'Bernard',
  'Leonie',
  'Kwame',
  'Sofia',
  'Rafael',
  'Hana',
  'Oskar',
  'Imani',
  'Lucien',
  'Esther',
  'Jonah',
  'Valentina',
  'Ravi',
] as const;

/** Friends, coworkers and neighbours who come up in small talk. */
export const THIRD_PARTIES = [
  'Greta',
  'Marcus',
  'Delphine',
  'Omar',
  'Tess',
  'Viktor',
  'Lorna',
  'Emeka',
  'Paloma',
  'Stefan',
  'Ruth',
  'Benedikt',
  'Chiara',
  'Declan',
  'Wanjiru',
  'Anselm',
  'Maribel',
  'Hugo',
  'Saoirse',
  'Tarik',
] as const;

export const CITIES = [
  'Lisbon',
  'Porto',
  'Leeds',
  'Glasgow',
  'Utrecht',
  'Ghent',
  'Lyon',
  'Bologna',
  'Valencia',
  'Seville',
  'Kraków',
  'Gdańsk',
  'Tallinn',
  'Bergen',
  'Aarhus',
  'Graz',
  'Ljubljana',
  'Cork',
  'Halifax',
  'Montreal',
  'Portland',
  'Denver',
  'Austin',
  'Pittsburgh',
  'Melbourne',
  'Hobart',
  'Wellington',
  'Dunedin',
  'Osaka',
  'Busan',
  'Cape Town',
  'Nairobi',
] as const;

/** Something near home, said when a speaker talks about where they live. */
export const HOME_PERKS = [
  'farmers market',
  'river path',
  'old cinema',
  'climbing gym',
  'bakery on the corner',
  'botanical garden',
  'public pool',
  'second-hand bookshop',
] as const;

export const COMPANIES = [
  'Kestrel Analytics',
  'Brightline Logistics',
  'Marrow & Finch',
  'Tidewater Health',
  'Copperleaf Studios',
  'Northwind Robotics',
  'Halcyon Insurance',
  'Bluefern Foods',
  'Quarry Lane Press',
  'Vantage Transit',
  'Saltmarsh Energy',
  'Orchard Point Schools',
  'Lumen Dental',
  'Greywater Engineering',
  'Pinecrest Veterinary',
  'Atlas Freight',
  'Juniper Software',
  'Foxglove Architects',
  'Riverbend Council',
  'Meridian Bank',
] as const;

/** A role, with something one does in it (said in small talk about work). */
export const ROLES = [
  { role: 'data analyst', task: 'cleaning spreadsheets' },
  { role: 'nurse', task: 'twelve-hour shifts' },
  { role: 'graphic designer', task: 'fiddling with fonts' },
  { role: 'site engineer', task: 'checking concrete pours' },
  { role: 'primary school teacher', task: 'marking homework' },
  { role: 'accountant', task: 'reconciling invoices' },
  { role: 'paramedic', task: 'night calls' },
  { role: 'software developer', task: 'chasing bugs' },
  { role: 'pharmacist', task: 'checking prescriptions' },
  { role: 'project manager', task: 'running stand-ups' },
  { role: 'copy editor', task: 'hunting typos' },
  { role: 'veterinary technician', task: 'calming nervous dogs' },
  { role: 'urban planner', task: 'zoning meetings' },
  { role: 'sous chef', task: 'prepping sauces at dawn' },
  { role: 'HR advisor', task: 'sorting out contracts' },
  { role: 'lab technician', task: 'running samples' },
  { role: 'physiotherapist', task: 'stretching out sore backs' },
  { role: 'logistics coordinator', task: 'rerouting lorries' },
] as const;

/** Why someone changed jobs: the words in the turn, and how a question would put the gist. */
export const JOB_REASONS = [
  {
    say: "Honestly I'd stopped learning anything there, same tasks every single week.",
    gist: 'felt they had stopped growing',
  },
  { say: 'The commute was eating two hours of my day, every day.', gist: 'a long daily commute' },
  { say: 'The money is a lot better, I won’t lie, and we need it with rent going up.', gist: 'better pay' },
  {
    say: 'My old boss left and the whole department fell apart after that.',
    gist: 'their manager left and the team fell apart',
  },
  {
    say: 'I wanted work where I can see I actually help someone at the end of the day.',
    gist: 'wanting more meaningful work',
  },
  { say: 'They let me work from home three days a week, which is a dream.', gist: 'flexible remote working' },
] as const;

export const MOVE_REASONS = [
  { say: 'The rent there had doubled in two years, we just couldn’t keep up.', gist: 'rising rent' },
  {
    say: 'Mostly to be near my parents, they’re getting older and need a hand.',
    gist: 'to be closer to ageing parents',
  },
  { say: 'I always wanted to wake up near the sea, and now I can hear it.', gist: 'wanting to live by the sea' },
  { say: 'My partner got a post at the university here, so it was an easy call.', gist: "their partner's new job" },
  { say: 'After the year I had, I needed a clean slate somewhere nobody knows me.', gist: 'wanting a fresh start' },
  { say: 'The new job is based here and I didn’t fancy a four-hour train ride.', gist: 'being near work' },
] as const;

/** Pets: the kind, and breeds a speaker might name. */
export const PET_KINDS = [
  { kind: 'dog', breeds: ['greyhound', 'border collie', 'beagle', 'whippet', 'dachshund', 'Labrador'] },
  { kind: 'cat', breeds: ['tabby', 'Maine Coon', 'Siamese', 'tortoiseshell', 'ginger tom'] },
  { kind: 'rabbit', breeds: ['lop-eared rabbit', 'Netherland dwarf rabbit'] },
  { kind: 'parrot', breeds: ['African grey parrot', 'cockatiel'] },
  { kind: 'tortoise', breeds: ['Hermann’s tortoise'] },
] as const;

export const PET_NAMES = [
  'Juniper',
  'Pickle',
  'Mochi',
  'Biscuit',
  'Ziggy',
  'Olive',
  'Bramble',
  'Noodle',
  'Pepper',
  'Clementine',
  'Rufus',
  'Tofu',
  'Marzipan',
  'Bonnie',
  'Waffles',
  'Sprocket',
  'Nutmeg',
  'Figaro',
] as const;

/** Hobbies: how a turn names starting it, how a question names it, a setback and a milestone. */
export const HOBBIES = [
  {
    plain: 'pottery',
    say: 'signed up for a wheel-throwing class at the ceramics studio',
    ask: 'working with clay',
    setback: 'Everything I made this week wobbled off centre and collapsed. I nearly gave up.',
    milestone: 'I made a bowl that actually holds soup! It’s lopsided but it’s mine.',
    gist: 'made a bowl that holds soup',
  },
  {
    plain: 'bouldering',
    say: 'joined the bouldering gym with a beginner membership',
    ask: 'indoor climbing',
    setback: 'My forearms are so sore I can barely hold a mug. Every route beats me.',
    milestone: 'I topped the orange V4 problem that has been mocking me for weeks!',
    gist: 'completed a V4 problem',
  },
  {
    plain: 'running',
    say: 'started doing the couch-to-5k running plan before work',
    ask: 'jogging',
    setback: 'Shin splints. The physio told me to rest for ten days, I’m so annoyed.',
    milestone: 'Ran a full 10k at the park event on Saturday without stopping once.',
    gist: 'ran a 10k without stopping',
  },
  {
    plain: 'piano',
    say: 'bought a second-hand upright piano and booked lessons with a retired teacher',
    ask: 'learning an instrument',
    setback: 'My left hand simply refuses to do its own thing. Scales forever.',
    milestone: 'I played a whole Satie piece at my teacher’s student recital and didn’t freeze.',
    gist: 'played a Satie piece at a recital',
  },
  {
    plain: 'chess',
    say: 'joined a chess club that meets in the back room of a pub',
    ask: 'playing a board game competitively',
    setback: 'Lost six games in a row on Tuesday, one of them to a twelve-year-old.',
    milestone: 'Won my first rated game at the club tournament — against the club secretary!',
    gist: 'won their first rated tournament game',
  },
  {
    plain: 'sourdough baking',
    say: 'started a sourdough starter in a jar on the kitchen counter',
    ask: 'baking bread',
    setback: 'The starter went mouldy while I was away. Back to square one.',
    milestone: 'Pulled a loaf out of the oven with a proper open crumb and an ear. Finally!',
    gist: 'baked a loaf with an open crumb',
  },
  {
    plain: 'knitting',
    say: 'picked up knitting from a video course, needles and all',
    ask: 'a yarn craft',
    setback: 'Dropped a stitch twenty rows back and had to unravel half of it.',
    milestone: 'Finished an entire jumper, sleeves and everything, and it fits.',
    gist: 'finished a whole jumper',
  },
  {
    plain: 'birdwatching',
    say: 'got a pair of binoculars and joined the local birdwatching walks',
    ask: 'observing wild birds',
    setback: 'Three hours in the rain and all I saw was pigeons.',
    milestone: 'We spotted a kingfisher on the canal at dawn. I actually teared up.',
    gist: 'spotted a kingfisher',
  },
  {
    plain: 'woodworking',
    say: 'took an evening woodworking course at the community workshop',
    ask: 'making furniture by hand',
    setback: 'Measured twice, cut once, still got it wrong. Wasted a whole oak board.',
    milestone: 'The bookshelf is done. Dovetail joints, no wobble, holding all my books.',
    gist: 'built a bookshelf with dovetail joints',
  },
  {
    plain: 'salsa dancing',
    say: 'started going to salsa nights at the community hall',
    ask: 'partner dancing',
    setback: 'I stepped on my partner’s feet so often that she asked for a break.',
    milestone: 'Our group did a little showcase on stage and I didn’t miss a single turn.',
    gist: 'performed in a showcase without missing a turn',
  },
] as const;

/** Trips: destination, a highlight (said without the place's name), and the gist of it. */
export const TRIPS = [
  {
    dest: 'Kyoto',
    highlight: 'walking through the bamboo at six in the morning before anyone else was up',
    gist: 'an early-morning walk through a bamboo grove',
  },
  {
    dest: 'Marrakesh',
    highlight: 'a cooking class on a rooftop where I burnt the tagine and nobody minded',
    gist: 'a rooftop cooking class',
  },
  {
    dest: 'the Faroe Islands',
    highlight: 'the puffins on the cliffs, hundreds of them, completely unbothered by us',
    gist: 'seeing puffins on the cliffs',
  },
  {
    dest: 'Oaxaca',
    highlight: 'a night market where an old man taught me to make hot chocolate by hand',
    gist: 'learning to make hot chocolate at a night market',
  },
  {
    dest: 'Iceland',
    highlight: 'soaking in a hot spring while it snowed on our heads',
    gist: 'a hot spring in the snow',
  },
  { dest: 'Sicily', highlight: 'climbing the volcano and eating granita at the top', gist: 'hiking the volcano' },
  {
    dest: 'Hanoi',
    highlight: 'a boat ride through limestone caves with lanterns',
    gist: 'a lantern-lit boat ride through caves',
  },
  {
    dest: 'the Scottish Highlands',
    highlight: 'a ceilidh in a village hall where strangers dragged us onto the floor',
    gist: 'a village dance',
  },
  {
    dest: 'Patagonia',
    highlight: 'watching the glacier calve, the sound was like thunder',
    gist: 'watching a glacier calve',
  },
  {
    dest: 'Istanbul',
    highlight: 'a ferry at sunset between the two continents with tea in a tulip glass',
    gist: 'a sunset ferry ride',
  },
] as const;

export const COMPANIONS = [
  'my cousin',
  'my old flatmate',
  'my dad',
  'two friends from uni',
  'my partner',
  'my sister-in-law',
] as const;

export const SIBLING_JOBS = [
  { say: 'still running her own bakery', ask: 'runs a bakery', he: 'still running his own bakery' },
  { say: 'flying planes for a cargo airline', ask: 'is a cargo pilot', he: 'flying planes for a cargo airline' },
  {
    say: 'finishing her PhD in marine biology',
    ask: 'is doing a doctorate in ocean science',
    he: 'finishing his PhD in marine biology',
  },
  { say: 'working as a firefighter', ask: 'fights fires for a living', he: 'working as a firefighter' },
  {
    say: 'teaching maths at a secondary school',
    ask: 'is a maths teacher',
    he: 'teaching maths at a secondary school',
  },
  {
    say: 'doing shifts as a midwife at the hospital',
    ask: 'delivers babies as a midwife',
    he: 'doing shifts as a midwife at the hospital',
  },
  { say: 'fixing up old boats at a marina', ask: 'restores boats', he: 'fixing up old boats at a marina' },
] as const;

export const SIBLING_NAMES = {
  sister: ['Rosa', 'Elin', 'Margot', 'Thandi', 'Keiko', 'Bea', 'Odile'],
  brother: ['Anders', 'Luca', 'Samir', 'Teodor', 'Idris', 'Niall', 'Bastien'],
} as const;

export const PARTNER_NAMES = ['Alex', 'Jordan', 'Sam', 'Robin', 'Morgan', 'Casey', 'Quinn', 'Ellis'] as const;

export const PARTNER_JOBS = [
  { say: 'on call at the hospital again, being an anaesthetist is brutal', gist: 'an anaesthetist' },
  { say: 'buried in court papers, the joys of being a solicitor', gist: 'a solicitor' },
  { say: 'at the studio until late, recording some band’s album', gist: 'a sound engineer' },
  { say: 'up at four for the market, running a flower stall is no joke', gist: 'a florist with a market stall' },
  { say: 'grading essays all weekend, lecturing in history takes over everything', gist: 'a history lecturer' },
  { say: 'out on the water, the ferry schedules changed again for the captains', gist: 'a ferry captain' },
] as const;

/** How a couple met: the turn's phrasing and a question's phrasing of the same place. */
export const HOW_MET = [
  { say: 'at a friend’s board game night, arguing over the rules of Catan', ask: 'during a tabletop games evening' },
  { say: 'in the queue for a sold-out gig, we were both turned away', ask: 'while waiting outside a concert' },
  { say: 'volunteering at the food bank on Christmas Eve', ask: 'doing charity work over the holidays' },
  { say: 'on a delayed overnight train, we shared a packet of biscuits', ask: 'on a late-running rail journey' },
  { say: 'at the allotments, fighting over the last watering can', ask: 'in a community vegetable garden' },
  { say: 'in a pottery class, they broke my vase by accident', ask: 'at a ceramics workshop' },
] as const;

export const ALLERGIES = [
  {
    say: 'Shellfish and I are not friends — one prawn and my throat closes up',
    ask: 'seafood such as prawns',
    gist: 'shellfish',
  },
  { say: 'Peanuts are the enemy, I carry my adrenaline pen everywhere', ask: 'a particular nut', gist: 'peanuts' },
  { say: 'Gluten wrecks me for days, so bread is basically off the table', ask: 'wheat-based foods', gist: 'gluten' },
  { say: 'Dairy and I broke up years ago, no cheese for me, sadly', ask: 'milk products', gist: 'dairy' },
  { say: 'Sesame is my kryptonite, even a few seeds and I’m in hives', ask: 'certain seeds', gist: 'sesame' },
] as const;

export const INJURIES = [
  {
    say: 'sprained my ankle stepping off a kerb',
    gist: 'sprained an ankle',
    support: 'a bag of frozen peas and the box set you wanted',
  },
  {
    say: 'fractured my wrist falling off my bike',
    gist: 'fractured a wrist in a cycling fall',
    support: 'some soup and a cast-friendly jumper',
  },
  {
    say: 'pulled a muscle in my back lifting a sofa',
    gist: 'hurt their back moving furniture',
    support: 'my heat pad and a stack of comics',
  },
  {
    say: 'cut my hand quite badly slicing a bagel',
    gist: 'cut a hand in the kitchen',
    support: 'dinner for the week so you don’t have to chop anything',
  },
  {
    say: 'tore a ligament in my knee playing five-a-side',
    gist: 'injured a knee playing football',
    support: 'crutch grips and a lasagne',
  },
] as const;

export const VEHICLES = [
  { say: 'a little green electric hatchback', ask: 'a car', gist: 'a green electric hatchback' },
  { say: 'a cargo bike with a box on the front', ask: 'a bicycle', gist: 'a cargo bike' },
  { say: 'a battered old camper van with curtains', ask: 'a van', gist: 'an old camper van' },
  { say: 'a red Vespa, second-hand but gorgeous', ask: 'a scooter', gist: 'a red Vespa' },
  {
    say: 'a sensible grey estate car, I’ve officially become my parents',
    ask: 'a family car',
    gist: 'a grey estate car',
  },
] as const;

/** Invented books: title, author and what it's about. */
export const BOOKS = [
  {
    title: 'The Salt Cartographer',
    author: 'Wren Adeyemi',
    premise: 'a mapmaker charting a coastline that keeps moving',
  },
  {
    title: 'Nine Winters in Vardø',
    author: 'Lise Halvorsen',
    premise: 'a lighthouse keeper and the letters she never sends',
  },
  {
    title: 'The Clockmaker’s Apprentice',
    author: 'Tomasz Wierzbicki',
    premise: 'a boy who repairs a town’s clocks and its grudges',
  },
  {
    title: 'Small Hours',
    author: 'Amara Quist',
    premise: 'three night-shift workers whose lives cross in one laundromat',
  },
  {
    title: 'A Field Guide to Leaving',
    author: 'Desmond Okafor',
    premise: 'a botanist who walks across the country after a breakup',
  },
  {
    title: 'The Orchard Ledger',
    author: 'Harriet Vossberg',
    premise: 'a family feud told through the accounts of an apple farm',
  },
] as const;

export const LANGUAGES = [
  { lang: 'Portuguese', reason: 'my partner’s grandmother speaks nothing else and I want to talk to her properly' },
  { lang: 'Japanese', reason: 'I want to read manga without the translations one day' },
  { lang: 'Welsh', reason: 'my grandad spoke it and I feel like I lost something' },
  { lang: 'Korean', reason: 'work might send me to Seoul next year' },
  { lang: 'Italian', reason: 'we’re planning a long summer in Puglia and I refuse to just point at menus' },
  { lang: 'Swahili', reason: 'my best friend is getting married in Mombasa and I want to give a toast' },
] as const;

export const BANDS = [
  'The Paper Lanterns',
  'Velvet Static',
  'Moth & Meridian',
  'The Low Orchards',
  'Kites Over Kinshasa',
  'Harbour Ghosts',
  'Sister Gravity',
] as const;

export const VENUES = [
  'the old corn exchange',
  'a tiny basement club',
  'the open-air amphitheatre',
  'a converted church',
  'the arena by the docks',
] as const;

export const VOLUNTEERING = [
  {
    place: 'the animal shelter',
    task: 'walking the dogs nobody else wants to walk',
    ask: 'caring for homeless animals',
  },
  { place: 'the community fridge', task: 'sorting donated food', ask: 'handing out donated groceries' },
  { place: 'a literacy charity', task: 'reading with kids after school', ask: 'helping children read' },
  {
    place: 'the hospice café',
    task: 'serving tea and mostly listening',
    ask: 'keeping patients company at a care facility',
  },
  { place: 'a repair café', task: 'fixing toasters and lamps for free', ask: 'mending broken appliances' },
] as const;

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export const RESTAURANTS = [
  { name: 'Casa Lupe', dish: 'mole enchiladas', ask: 'Mexican' },
  { name: 'The Blue Lotus', dish: 'green curry with extra basil', ask: 'Thai' },
  { name: 'Nonna Pia', dish: 'cacio e pepe', ask: 'Italian' },
  { name: 'Little Tbilisi', dish: 'khachapuri with the egg in the middle', ask: 'Georgian' },
  { name: 'Sakura Counter', dish: 'salmon donburi', ask: 'Japanese' },
  { name: 'The Copper Pot', dish: 'lamb stew with dumplings', ask: 'hearty pub' },
  { name: 'Mesa Verde', dish: 'grilled octopus', ask: 'Spanish' },
] as const;

export const ROOMS = ['kitchen', 'bedroom', 'living room', 'hallway', 'study'] as const;
export const COLOURS = [
  'sage green',
  'terracotta',
  'navy blue',
  'mustard yellow',
  'dusty pink',
  'charcoal grey',
  'duck-egg blue',
] as const;

/** Places a speaker grew up in, with something they did there as children. */
export const HOMETOWNS = [
  { town: 'a fishing village near Whitby', memory: 'we spent every summer gutting mackerel on the harbour wall' },
  { town: 'a farm outside Ballarat', memory: 'I had to feed the chickens before school, even in winter' },
  { town: 'a high-rise in Rotterdam', memory: 'we raced bikes down the car park ramps' },
  { town: 'a mining town in the Ruhr', memory: 'my grandfather told stories about the pits every Sunday' },
  { town: 'a ski village in the Dolomites', memory: 'we skied to school when the road was closed' },
  { town: 'a suburb of Johannesburg', memory: 'we played cricket in the street until the streetlights came on' },
  { town: 'an island off the coast of Maine', memory: 'the ferry was the only way to the dentist' },
] as const;

/** TV shows, dishes and the like for small talk (all invented or generic). */
export const SHOWS = [
  'Harbour Lights',
  'The Quiet Detective',
  'Baker Street Bakes',
  'Cold Orbit',
  'The Allotment',
  'Lines of Succession',
  'Midnight Ferry',
  'Pine Ridge',
] as const;
export const DISHES = [
  'a mushroom risotto',
  'shakshuka',
  'a lentil soup',
  'homemade ramen',
  'a banana bread',
  'fish tacos',
  'a vegetable lasagne',
  'pierogi',
  'a lemon drizzle cake',
  'dal with too many chillies',
] as const;
export const WEEKEND_PLANS = [
  'a long walk and a longer nap',
  'clearing out the garage, finally',
  'a birthday barbecue at a friend’s',
  'absolutely nothing, and I’m proud of it',
  'the car boot sale if the weather holds',
  'a film marathon under a blanket',
  'helping a mate paint a fence',
] as const;
export const WEATHER = [
  'it has rained for six days straight',
  'it’s so humid my hair has given up',
  'the wind nearly took my umbrella to the next town',
  'we had the first frost this morning',
  'it’s sunny but somehow still freezing',
  'there’s a heatwave and my flat is an oven',
  'the fog was so thick I couldn’t see the end of the street',
] as const;
export const PODCASTS = [
  'a true-crime podcast about a stolen violin',
  'a podcast where two comedians review sandwiches',
  'an audiobook about the history of salt',
  'a podcast on how cities are planned',
  'a very long audiobook about polar explorers',
] as const;
export const SPORTS = [
  'the match went to penalties and we lost, obviously',
  'our team finally won away from home',
  'the cycling on telly was weirdly gripping',
  'the tennis final went on for five hours',
  'the rugby was a mud bath',
] as const;

/** Where a friend's wedding took place (a city comes from CITIES). */
export const WEDDING_SETTINGS = [
  'in an old barn with fairy lights everywhere',
  'on a vineyard terrace',
  'next to a lighthouse, in a gale',
  'inside a glasshouse at the botanic garden',
  'at the registry office, then chips on the beach',
] as const;

/** Tests and certificates: how a turn says it and how a question names it. */
export const CERTIFICATES = [
  { say: 'driving test, on the third attempt', ask: 'licence to drive a car', gist: 'a driving licence' },
  {
    say: 'first aid course, bandaged a dummy and everything',
    ask: 'emergency medical training',
    gist: 'a first aid certificate',
  },
  {
    say: 'open water diving exam, in a freezing quarry',
    ask: 'scuba qualification',
    gist: 'an open water diving certificate',
  },
  {
    say: 'level one wine exam, I can now say "notes of gooseberry" with confidence',
    ask: 'qualification in tasting wine',
    gist: 'a level one wine certificate',
  },
  {
    say: 'lifeguard assessment, forty lengths and a brick from the deep end',
    ask: 'pool rescue qualification',
    gist: 'a lifeguard qualification',
  },
  {
    say: 'forklift licence, of all things, for the warehouse overtime',
    ask: 'certificate for operating warehouse machinery',
    gist: 'a forklift licence',
  },
] as const;
