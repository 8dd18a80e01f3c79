// Words the generator writes the bench's news with. Each story has a topic: its headline and a
// share of its text come from the topic's words, the rest from the general newsroom words, so a
// search for a topic's words finds a few percent of the stories (as on a real site), not all.

export interface Topic {
  /** the topic's tag slug and name */
  slug: string
  name: string
  /** an IPTC Media Topic code for the tag */
  code: string
  words: string[]
  /** what events about the topic are called */
  events: string[]
}

export const TOPICS: Topic[] = [
  {
    slug: 'ceasefire',
    name: 'Ceasefire',
    code: 'medtop:16000000',
    words: [
      'ceasefire',
      'talks',
      'negotiators',
      'truce',
      'hostages',
      'mediators',
      'delegation',
      'proposal',
      'withdrawal',
      'prisoners',
      'aid',
      'convoy',
    ],
    events: ['ceasefire talks', 'peace conference', 'prisoner exchange'],
  },
  {
    slug: 'elections',
    name: 'Elections',
    code: 'medtop:11000000',
    words: [
      'election',
      'ballot',
      'turnout',
      'candidate',
      'polls',
      'campaign',
      'coalition',
      'parliament',
      'vote',
      'runoff',
      'recount',
      'manifesto',
    ],
    events: ['general election', 'presidential runoff', 'party congress'],
  },
  {
    slug: 'economy',
    name: 'Economy',
    code: 'medtop:04000000',
    words: [
      'inflation',
      'interest',
      'rates',
      'central',
      'bank',
      'growth',
      'recession',
      'budget',
      'deficit',
      'currency',
      'exports',
      'unemployment',
    ],
    events: ['rate decision', 'budget debate', 'trade summit'],
  },
  {
    slug: 'climate',
    name: 'Climate',
    code: 'medtop:06000000',
    words: [
      'climate',
      'emissions',
      'flood',
      'drought',
      'heatwave',
      'wildfire',
      'glacier',
      'renewable',
      'carbon',
      'storm',
      'rainfall',
      'warming',
    ],
    events: ['climate summit', 'flood emergency', 'wildfire season'],
  },
  {
    slug: 'health',
    name: 'Health',
    code: 'medtop:07000000',
    words: [
      'hospital',
      'vaccine',
      'outbreak',
      'patients',
      'doctors',
      'nurses',
      'infection',
      'treatment',
      'clinic',
      'epidemic',
      'surgery',
      'medicine',
    ],
    events: ['vaccination drive', 'outbreak response', 'health strike'],
  },
  {
    slug: 'football',
    name: 'Football',
    code: 'medtop:15054000',
    words: [
      'football',
      'goal',
      'striker',
      'league',
      'coach',
      'match',
      'penalty',
      'stadium',
      'transfer',
      'cup',
      'midfielder',
      'referee',
    ],
    events: ['cup final', 'league season', 'transfer window'],
  },
  {
    slug: 'technology',
    name: 'Technology',
    code: 'medtop:13000000',
    words: [
      'software',
      'startup',
      'chips',
      'network',
      'privacy',
      'hackers',
      'data',
      'platform',
      'satellite',
      'robots',
      'algorithm',
      'encryption',
    ],
    events: ['tech conference', 'satellite launch', 'data breach inquiry'],
  },
  {
    slug: 'courts',
    name: 'Courts',
    code: 'medtop:02000000',
    words: [
      'court',
      'judge',
      'trial',
      'verdict',
      'appeal',
      'prosecutors',
      'lawyers',
      'sentence',
      'jury',
      'evidence',
      'testimony',
      'ruling',
    ],
    events: ['corruption trial', 'supreme court hearing', 'extradition case'],
  },
  {
    slug: 'energy',
    name: 'Energy',
    code: 'medtop:04005000',
    words: [
      'oil',
      'gas',
      'pipeline',
      'electricity',
      'nuclear',
      'reactor',
      'grid',
      'prices',
      'refinery',
      'wind',
      'solar',
      'barrels',
    ],
    events: ['energy talks', 'pipeline dispute', 'reactor restart'],
  },
  {
    slug: 'migration',
    name: 'Migration',
    code: 'medtop:14025000',
    words: [
      'migrants',
      'border',
      'asylum',
      'refugees',
      'boats',
      'camps',
      'deportation',
      'visas',
      'smugglers',
      'rescue',
      'shelter',
      'crossing',
    ],
    events: ['border crisis', 'asylum reform', 'rescue operation'],
  },
  {
    slug: 'education',
    name: 'Education',
    code: 'medtop:05000000',
    words: [
      'schools',
      'teachers',
      'students',
      'university',
      'exams',
      'tuition',
      'curriculum',
      'classrooms',
      'pupils',
      'scholarships',
      'campus',
      'graduates',
    ],
    events: ['teachers strike', 'exam reform', 'university protest'],
  },
  {
    slug: 'culture',
    name: 'Culture',
    code: 'medtop:01000000',
    words: [
      'festival',
      'museum',
      'film',
      'novel',
      'concert',
      'theatre',
      'artist',
      'exhibition',
      'album',
      'director',
      'gallery',
      'premiere',
    ],
    events: ['film festival', 'book fair', 'music awards'],
  },
  {
    slug: 'transport',
    name: 'Transport',
    code: 'medtop:04015000',
    words: [
      'railway',
      'airport',
      'flights',
      'trains',
      'motorway',
      'ferry',
      'strike',
      'delays',
      'tickets',
      'bridge',
      'tunnel',
      'commuters',
    ],
    events: ['rail strike', 'airport expansion', 'bridge closure'],
  },
  {
    slug: 'defence',
    name: 'Defence',
    code: 'medtop:16009000',
    words: [
      'troops',
      'missiles',
      'drones',
      'navy',
      'alliance',
      'soldiers',
      'exercises',
      'airstrike',
      'frontline',
      'artillery',
      'ministry',
      'warships',
    ],
    events: ['military exercises', 'defence summit', 'frontline offensive'],
  },
  {
    slug: 'housing',
    name: 'Housing',
    code: 'medtop:14000000',
    words: [
      'housing',
      'rents',
      'mortgages',
      'tenants',
      'landlords',
      'construction',
      'homeless',
      'apartments',
      'planning',
      'evictions',
      'developers',
      'prices',
    ],
    events: ['housing protest', 'rent freeze vote', 'construction strike'],
  },
  {
    slug: 'agriculture',
    name: 'Agriculture',
    code: 'medtop:04001000',
    words: [
      'farmers',
      'harvest',
      'wheat',
      'crops',
      'tractors',
      'fertiliser',
      'livestock',
      'subsidies',
      'grain',
      'dairy',
      'irrigation',
      'fields',
    ],
    events: ['farmers protest', 'grain deal', 'harvest season'],
  },
]

/** The general words of a newsroom (stop words are left out: the search index drops them anyway). */
export const GENERAL_WORDS = `said government minister officials people country week year report according police city
president statement group public plan new first last told spokesman announced decision meeting leaders national
local agency capital region state party support service month months days hours early late second third number
million billion percent increase fall rise record warned expected called official sources security authorities
international foreign domestic deal agreement crisis pressure response measures rules law policy council board
committee members residents workers families children community companies market prices costs funding money
investment project programme system changes future history major small large long short hard open closed
water power food health help care safety risk threat damage losses victims survivors witnesses investigation
inquiry review plans proposal draft vote debate opposition critics supporters protest rally march strike union
talks visit trip tour summit forum conference session hearing speech interview video images photos footage
north south east west central coastal northern southern eastern western rural urban border district province
morning evening night weekend today yesterday tomorrow recent earlier later again already still despite amid
after before during since until while where when what which who whose why how despite along across around
between among within without against toward towards beyond behind beneath beside under over above below
agreed rejected approved denied confirmed claimed insisted suggested admitted revealed promised demanded
launched opened closed started ended finished continued resumed paused delayed cancelled postponed moved
reached arrived left returned joined quit resigned elected appointed named chosen hired fired arrested released
killed injured wounded rescued evacuated displaced trapped missing found recovered treated discharged`
  .split(/\s+/)
  .filter(Boolean)

export const FIRST_NAMES =
  `Amira Jonas Leila Erik Sara Omar Ingrid Mateo Yara Lukas Noor Anders Maja Tariq Elin Pablo Hanna
Karim Freja Diego Aisha Nils Lina Samir Astrid Rafael Zainab Oskar Ida Hassan Klara Marco Fatima Emil Vera
Yusuf Alma Luis Signe Ali Greta Tomas Salma Viktor Ebba Rami Selma Hugo Dina Felix Rana Axel Mira Adam Layla
Jakob Nadia Oliver Ines Malik Saga Carlos Hiba Anton Leah Ibrahim Nora Daniel Yasmin Leo Tove Sami`
    .split(/\s+/)
    .filter(Boolean)

export const LAST_NAMES =
  `Haddad Lindqvist Berg Okafor Nakamura Rossi Novak Kowalski Andersson Hansen Petrov Silva Costa
Mensah Dubois Fischer Larsen Moreau Ibrahim Karlsson Nilsson Eriksson Jensen Weber Schmidt Garcia Martin Rahman
Hussein Yilmaz Demir Kaya Papadopoulos Nowak Horvat Popescu Ivanova Sato Tanaka Kim Park Chen Wang Singh Patel
Khan Ahmed Ali Mohammed Osei Boateng Diallo Traore Keita Santos Pereira Oliveira Ferreira Almeida Lund Holm
Strand Sandberg Dahl Ek Lind Sjoberg Wallin Bergstrom Falk Nyberg Forsberg Hedlund Moberg Lundgren Ekstrom`
    .split(/\s+/)
    .filter(Boolean)

/** Syllables for the names of places and organisations that do not exist. */
export const SYLLABLES = `ka ra vel mo na tor is len dor ba sa mi ro an el ost ri va lu ne ha gor fen qu zar ti bel
sor al mar ken dal vin ar ul ter lo ga shi pra nor eth ol ur tam zen`
  .split(/\s+/)
  .filter(Boolean)

export const ORGANISATION_KINDS: { suffix: string; type: string }[] = [
  { suffix: 'Ministry of Finance', type: 'GOVERNMENT' },
  { suffix: 'Ministry of Health', type: 'GOVERNMENT' },
  { suffix: 'Foreign Ministry', type: 'GOVERNMENT' },
  { suffix: 'Central Bank', type: 'AGENCY' },
  { suffix: 'Democratic Party', type: 'PARTY' },
  { suffix: 'People’s Movement', type: 'MOVEMENT' },
  { suffix: 'Armed Forces', type: 'MILITARY' },
  { suffix: 'Red Cross Society', type: 'NGO' },
  { suffix: 'Relief Fund', type: 'NGO' },
  { suffix: 'News Agency', type: 'PUBLISHER' },
  { suffix: 'Energy Group', type: 'COMPANY' },
  { suffix: 'Railways', type: 'COMPANY' },
  { suffix: 'Football Club', type: 'OTHER' },
  { suffix: 'Teachers’ Union', type: 'OTHER' },
  { suffix: 'Council', type: 'INTERGOVERNMENTAL' },
  { suffix: 'State', type: 'STATE' },
]

export const AGENCIES = ['TT', 'NTB', 'Ritzau', 'STT', 'APA']

/** What the bench searches for: a few words from a topic, a phrase, an exclusion. */
export function searchQueries(): string[] {
  const queries: string[] = []
  for (const topic of TOPICS) {
    const [a, b, c, d] = topic.words
    queries.push(`${a} ${b}`, `"${a} ${b}"`, `${c} -${d}`, `${d} ${topic.words[5]} ${topic.words[7]}`)
  }
  return queries
}
