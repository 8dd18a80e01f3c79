// The sample graph: one real news page (a TT wire story on the Gaza ceasefire talks, in Sweden
// Herald's English edition) and the 20 items of its "More news" list. Facts are the page's;
// the wording is ours. Plain data only: src/seed/seed.ts writes it to the database.
// Cross-references are by slug, so the data reads without ids.
import type {
  ContributorRole,
  DatePrecision,
  EntityRelation,
  EventStatus,
  OrganisationType,
  ParticipantRole,
  PlaceType,
  RelatedReason,
  TagScheme,
} from '../generated/prisma/enums.js'

export interface SampleTag {
  slug: string
  name: string
  scheme: TagScheme
  code?: string
  description?: string
}

export interface SampleOrganisation {
  slug: string
  name: string
  alternateNames?: string[]
  type: OrganisationType
  description: string
  countryCode?: string
  wikidataId?: string
  parentSlug?: string
}

export interface SamplePlace {
  slug: string
  name: string
  alternateNames?: string[]
  type: PlaceType
  countryCode: string
  latitude: number
  longitude: number
  wikidataId?: string
  parentSlug?: string
}

export interface SamplePerson {
  slug: string
  name: string
  alternateNames?: string[]
  description: string
  /** only where the Q-id is certain */
  wikidataId?: string
  affiliations: { organisationSlug: string; role: string; startDate?: Date }[]
}

/** Links from a story to entities, by slug. */
export interface SampleLinks {
  people?: { slug: string; relation: EntityRelation }[]
  organisations?: { slug: string; relation: EntityRelation }[]
  places?: { slug: string; relation: EntityRelation }[]
}

/** A "More news" teaser: the page gives only its headline and stated read time. */
export interface SampleTeaser extends SampleLinks {
  slug: string
  headline: string
  lede: string
  firstPublishedAt: Date
  /** the read time the page states; the body is not held here */
  statedReadTimeMinutes: number
  tagSlugs: string[]
  /** why the main story links to it */
  reason: RelatedReason
}

export interface SampleStory extends SampleLinks {
  slug: string
  headline: string
  shortHeadline: string
  lede: string
  firstPublishedAt: Date
  urgency: number
  byline: string
  editionNote: string
  sections: { heading: string | null; paragraphs: string[] }[]
  photo: {
    caption: string
    altText: string
    creditLine: string
    copyrightHolder: string
    renditions: { name: string; href: string; mimeType: string; width: number; height: number }[]
  }
  contributors: { role: ContributorRole; name: string; organisationSlug: string }[]
  sourceOrganisationSlug: string
  adaptedBySlug: string
  tagSlugs: string[]
  events: { slug: string; relation: EntityRelation }[]
}

export interface SampleEvent {
  slug: string
  name: string
  description: string
  status: EventStatus
  startAt: Date
  expectedStartFrom: Date
  expectedStartTo: Date
  expectedStartPrecision: DatePrecision
  locationSlug: string
  participants: { role: ParticipantRole; organisationSlug: string }[]
  /** each change is reported by the main story */
  statusChanges: { at: Date; fromStatus: EventStatus | null; toStatus: EventStatus; note: string }[]
  /** changes of the expected start, each reported by the main story (the event's timeline shows them) */
  scheduleChanges: {
    at: Date
    fromExpectedStartFrom: Date | null
    fromExpectedStartTo: Date | null
    fromExpectedStartPrecision: DatePrecision | null
    fromStartAt: Date | null
    toExpectedStartFrom: Date | null
    toExpectedStartTo: Date | null
    toExpectedStartPrecision: DatePrecision | null
    toStartAt: Date | null
    note: string
  }[]
}

const d = (iso: string) => new Date(iso)

export const TAGS: SampleTag[] = [
  { slug: 'gaza', name: 'Gaza', scheme: 'KEYWORD' },
  { slug: 'ceasefire', name: 'Ceasefire', scheme: 'KEYWORD' },
  { slug: 'israel-hamas-war', name: 'Israel–Hamas war', scheme: 'KEYWORD' },
  { slug: 'conflict-war-and-peace', name: 'Conflict, war and peace', scheme: 'MEDIATOPIC', code: 'medtop:16000000' },
  { slug: 'middle-east', name: 'Middle East', scheme: 'KEYWORD' },
  { slug: 'ukraine', name: 'Ukraine', scheme: 'KEYWORD' },
  { slug: 'crime-law-and-justice', name: 'Crime, law and justice', scheme: 'MEDIATOPIC', code: 'medtop:02000000' },
  { slug: 'health', name: 'Health', scheme: 'MEDIATOPIC', code: 'medtop:07000000' },
  { slug: 'politics', name: 'Politics', scheme: 'KEYWORD' },
  { slug: 'elections', name: 'Elections', scheme: 'KEYWORD' },
  { slug: 'wildlife', name: 'Wildlife', scheme: 'KEYWORD' },
  { slug: 'defence', name: 'Defence', scheme: 'KEYWORD' },
  { slug: 'fashion', name: 'Fashion', scheme: 'KEYWORD' },
]

// Parents come before their children: the seed writes them in this order.
export const ORGANISATIONS: SampleOrganisation[] = [
  {
    slug: 'hamas',
    name: 'Hamas',
    alternateNames: ['Islamic Resistance Movement'],
    type: 'MOVEMENT',
    description:
      'Palestinian Islamist militant movement that holds power in Gaza; classed as a terrorist organisation by the EU and the US, among others.',
    countryCode: 'PS',
    wikidataId: 'Q38799',
  },
  {
    slug: 'government-of-israel',
    name: 'Government of Israel',
    alternateNames: ['Israeli government'],
    type: 'GOVERNMENT',
    description: 'The Israeli cabinet, led by Prime Minister Benjamin Netanyahu; a party to the Gaza ceasefire talks.',
    countryCode: 'IL',
  },
  {
    slug: 'us-government',
    name: 'United States government',
    alternateNames: ['US government', 'US administration'],
    type: 'GOVERNMENT',
    description:
      'The federal executive of the United States, headed by President Donald Trump; one of the mediators in the Gaza talks.',
    countryCode: 'US',
  },
  {
    slug: 'us-negotiating-team',
    name: 'US negotiating team',
    type: 'GOVERNMENT',
    description:
      'The US delegation at the Gaza ceasefire talks in Qatar; called home for consultations on 24 July 2025.',
    countryCode: 'US',
    parentSlug: 'us-government',
  },
  {
    slug: 'qatar',
    name: 'Qatar',
    alternateNames: ['State of Qatar'],
    type: 'STATE',
    description: 'Gulf state that hosts the Gaza ceasefire talks and mediates them.',
    countryCode: 'QA',
  },
  {
    slug: 'egypt',
    name: 'Egypt',
    alternateNames: ['Arab Republic of Egypt'],
    type: 'STATE',
    description: 'Mediator in the Gaza ceasefire talks alongside Qatar and the United States.',
    countryCode: 'EG',
  },
  {
    slug: 'tt',
    name: 'TT',
    alternateNames: ['TT Nyhetsbyrån'],
    type: 'AGENCY',
    description: 'Swedish news agency.',
    countryCode: 'SE',
  },
  {
    slug: 'ap',
    name: 'AP',
    alternateNames: ['Associated Press'],
    type: 'AGENCY',
    description: 'US news agency.',
    countryCode: 'US',
  },
  {
    slug: 'sweden-herald',
    name: 'Sweden Herald',
    type: 'PUBLISHER',
    description: 'Publisher of an English edition of Swedish news, adapted for local and international readers.',
    countryCode: 'SE',
  },
]

export const PLACES: SamplePlace[] = [
  {
    slug: 'gaza',
    name: 'Gaza',
    alternateNames: ['Gaza Strip'],
    type: 'TERRITORY',
    countryCode: 'PS',
    latitude: 31.4167,
    longitude: 34.3333,
    wikidataId: 'Q39760',
  },
  {
    slug: 'qatar',
    name: 'Qatar',
    type: 'COUNTRY',
    countryCode: 'QA',
    latitude: 25.3548,
    longitude: 51.1839,
    wikidataId: 'Q846',
  },
  {
    slug: 'doha',
    name: 'Doha',
    type: 'CITY',
    countryCode: 'QA',
    latitude: 25.2861,
    longitude: 51.5294,
    wikidataId: 'Q3861',
    parentSlug: 'qatar',
  },
  {
    slug: 'egypt',
    name: 'Egypt',
    type: 'COUNTRY',
    countryCode: 'EG',
    latitude: 26.8206,
    longitude: 30.8025,
    wikidataId: 'Q79',
  },
  {
    slug: 'israel',
    name: 'Israel',
    type: 'COUNTRY',
    countryCode: 'IL',
    latitude: 31.0461,
    longitude: 34.8516,
    wikidataId: 'Q801',
  },
  {
    slug: 'united-states',
    name: 'United States',
    alternateNames: ['USA', 'US'],
    type: 'COUNTRY',
    countryCode: 'US',
    latitude: 39.8283,
    longitude: -98.5795,
    wikidataId: 'Q30',
  },
]

export const PEOPLE: SamplePerson[] = [
  {
    slug: 'bassem-naim',
    name: 'Bassem Naim',
    alternateNames: ['Basem Naim'],
    description: 'Hamas representative and member of the group’s political bureau.',
    affiliations: [{ organisationSlug: 'hamas', role: 'Political bureau member' }],
  },
  {
    slug: 'donald-trump',
    name: 'Donald Trump',
    alternateNames: ['Donald J. Trump'],
    description: 'President of the United States.',
    wikidataId: 'Q22686',
    affiliations: [{ organisationSlug: 'us-government', role: 'President', startDate: d('2025-01-20T00:00:00Z') }],
  },
  {
    slug: 'steve-witkoff',
    name: 'Steve Witkoff',
    alternateNames: ['Steven Witkoff'],
    description: 'Special envoy of US President Donald Trump.',
    affiliations: [{ organisationSlug: 'us-government', role: 'Special envoy' }],
  },
  {
    slug: 'benjamin-netanyahu',
    name: 'Benjamin Netanyahu',
    description: 'Prime Minister of Israel.',
    wikidataId: 'Q43723',
    affiliations: [
      { organisationSlug: 'government-of-israel', role: 'Prime Minister', startDate: d('2022-12-29T00:00:00Z') },
    ],
  },
]

export const EVENT: SampleEvent = {
  slug: 'gaza-ceasefire-talks-2025',
  name: 'Gaza truce negotiations',
  description:
    'Negotiations between Hamas and Israel, held in Qatar with Qatar, Egypt and the United States as mediators, on a ceasefire in Gaza and the release of Israeli hostages.',
  status: 'SCHEDULED',
  startAt: d('2025-07-06T00:00:00Z'),
  // Hamas expects the talks to restart "early next week": the week of 28 July 2025.
  expectedStartFrom: d('2025-07-28T00:00:00Z'),
  expectedStartTo: d('2025-08-03T23:59:59Z'),
  expectedStartPrecision: 'WEEK',
  locationSlug: 'qatar',
  participants: [
    { role: 'PARTY', organisationSlug: 'hamas' },
    { role: 'PARTY', organisationSlug: 'government-of-israel' },
    { role: 'MEDIATOR', organisationSlug: 'qatar' },
    { role: 'MEDIATOR', organisationSlug: 'egypt' },
    { role: 'MEDIATOR', organisationSlug: 'us-government' },
  ],
  statusChanges: [
    {
      at: d('2025-07-06T00:00:00Z'),
      fromStatus: null,
      toStatus: 'UNDERWAY',
      note: 'The two sides negotiate in Qatar; some modest progress is reported, but nothing decisive.',
    },
    {
      at: d('2025-07-24T00:00:00Z'),
      fromStatus: 'UNDERWAY',
      toStatus: 'SUSPENDED',
      note: 'Washington pulls its negotiators out of Qatar for consultations; envoy Steve Witkoff says Hamas’s latest reply shows it does not want a ceasefire.',
    },
    {
      at: d('2025-07-25T07:30:00Z'),
      fromStatus: 'SUSPENDED',
      toStatus: 'SCHEDULED',
      note: 'Hamas says it has been told an Israeli delegation will travel for new talks at the start of next week; the Israeli government has not yet commented.',
    },
  ],
  // With the move back to SCHEDULED the talks got their expected restart: "early next week".
  scheduleChanges: [
    {
      at: d('2025-07-25T07:30:00Z'),
      fromExpectedStartFrom: null,
      fromExpectedStartTo: null,
      fromExpectedStartPrecision: null,
      fromStartAt: d('2025-07-06T00:00:00Z'),
      toExpectedStartFrom: d('2025-07-28T00:00:00Z'),
      toExpectedStartTo: d('2025-08-03T23:59:59Z'),
      toExpectedStartPrecision: 'WEEK',
      toStartAt: d('2025-07-06T00:00:00Z'),
      note: 'Talks expected to resume early next week.',
    },
  ],
}

export const MAIN_STORY: SampleStory = {
  slug: 'hamas-israel-ceasefire-talks-expected-to-resume',
  headline: 'Hamas says truce talks with Israel should restart next week',
  shortHeadline: 'Gaza truce talks set to restart',
  lede: 'Negotiations with Israel on a ceasefire should get going again next week, according to Hamas, which is classed as a terrorist organisation. Meanwhile Israel keeps up its attacks throughout Gaza, and experts caution that Palestinians there are close to famine.',
  firstPublishedAt: d('2025-07-25T07:30:00Z'),
  urgency: 3,
  byline: 'TT',
  editionNote: 'English edition produced by Sweden Herald and adapted for readers both in Sweden and abroad.',
  sections: [
    {
      heading: null,
      paragraphs: [
        'Bassem Naim, who represents Hamas, said on Friday he had been informed that an Israeli delegation will set off at the start of next week to carry on negotiating. Earlier rounds took place in Qatar.',
        'His remarks came a day after the United States pulled its negotiators out of Qatar, and after Steve Witkoff, special envoy of President Donald Trump, said Hamas’s most recent reply in the talks showed the group was not willing to agree to a ceasefire.',
      ],
    },
    {
      heading: 'Mediators keep up the pressure',
      paragraphs: [
        'Israeli Prime Minister Benjamin Netanyahu takes the same view.',
        'In a statement he said that Israel and its US ally are now weighing other ways to get the hostages home, to end Hamas’s rule of terror and to secure lasting peace for Israel and the wider region.',
        'The Israeli government has so far said nothing about whether the negotiations will restart next week.',
        'In a joint statement, the mediators Qatar and Egypt say they will keep pressing for the talks to resume so that the war in Gaza can be brought to an end. They add that pausing for consultations before dialogue restarts is normal in negotiations as complicated as these.',
      ],
    },
    {
      heading: 'Weeks of negotiations',
      paragraphs: [
        'The two sides have been negotiating in Qatar for several weeks. Modest progress has been reported, but no decisive breakthrough. Hamas’s position is that it will free every Israeli hostage only if Israel pulls out completely and the war ends.',
        'Israel, for its part, says it will not agree to end the war until Hamas has handed over power and disarmed.',
        'The militant group says it is prepared to step down from power but not to give up its weapons.',
      ],
    },
  ],
  photo: {
    caption: 'Picture accompanying the report that Hamas expects ceasefire talks with Israel to resume next week.',
    altText: 'News photograph for the story on the Hamas–Israel ceasefire talks.',
    creditLine: 'Francisco Seco/AP/TT',
    copyrightHolder: 'AP',
    renditions: [
      {
        name: 'original',
        href: 'https://media.example.org/images/2025/07/25/hamas-israel-ceasefire-talks/original.jpg',
        mimeType: 'image/jpeg',
        width: 2048,
        height: 1365,
      },
      {
        name: 'thumbnail',
        href: 'https://media.example.org/images/2025/07/25/hamas-israel-ceasefire-talks/thumbnail.jpg',
        mimeType: 'image/jpeg',
        width: 400,
        height: 267,
      },
    ],
  },
  contributors: [
    { role: 'AUTHOR', name: 'TT', organisationSlug: 'tt' },
    { role: 'ADAPTER', name: 'Sweden Herald', organisationSlug: 'sweden-herald' },
  ],
  sourceOrganisationSlug: 'tt',
  adaptedBySlug: 'sweden-herald',
  tagSlugs: ['gaza', 'ceasefire', 'israel-hamas-war', 'conflict-war-and-peace', 'middle-east'],
  people: [
    { slug: 'bassem-naim', relation: 'MENTIONS' },
    { slug: 'donald-trump', relation: 'MENTIONS' },
    { slug: 'steve-witkoff', relation: 'MENTIONS' },
    { slug: 'benjamin-netanyahu', relation: 'MENTIONS' },
  ],
  organisations: [
    { slug: 'hamas', relation: 'ABOUT' },
    { slug: 'government-of-israel', relation: 'ABOUT' },
    { slug: 'us-government', relation: 'MENTIONS' },
    { slug: 'us-negotiating-team', relation: 'MENTIONS' },
    { slug: 'qatar', relation: 'MENTIONS' },
    { slug: 'egypt', relation: 'MENTIONS' },
  ],
  places: [
    { slug: 'gaza', relation: 'ABOUT' },
    { slug: 'qatar', relation: 'MENTIONS' },
    { slug: 'israel', relation: 'MENTIONS' },
    { slug: 'egypt', relation: 'MENTIONS' },
    { slug: 'united-states', relation: 'MENTIONS' },
  ],
  events: [{ slug: EVENT.slug, relation: 'ABOUT' }],
}

// The page's "More news" list, in page order. The page gives no dates: items not obviously
// later than the main story sit in the days before it; those whose events we know happened in
// early September 2025 (Armani's death, the mpox decision, the War Department renaming, the
// Norwegian election campaign, …) are dated then.
export const MORE_NEWS: SampleTeaser[] = [
  {
    slug: 'hippo-overturns-boat-ivory-coast-eleven-missing',
    headline: 'Eleven missing after hippo overturns boat in Ivory Coast',
    lede: 'Eleven people are missing in Ivory Coast after a hippopotamus tipped over the boat they were in.',
    firstPublishedAt: d('2025-07-20T09:00:00Z'),
    statedReadTimeMinutes: 1,
    tagSlugs: ['wildlife'],
    reason: 'EDITORIAL_PICK',
  },
  {
    slug: 'australia-million-dollar-reward-armed-police-killer',
    headline: 'Australia puts $1 million bounty on armed man wanted for killing police',
    lede: 'A reward of one million dollars is on offer in Australia for catching an armed man wanted over the killing of police.',
    firstPublishedAt: d('2025-09-02T08:00:00Z'),
    statedReadTimeMinutes: 1,
    tagSlugs: ['crime-law-and-justice'],
    reason: 'EDITORIAL_PICK',
  },
  {
    slug: 'gaza-toddler-shamm-treatment-italy',
    headline: 'Care in Italy gives Gaza toddler Shamm fresh hope',
    lede: 'Shamm, a small child from Gaza, has new hope after receiving treatment in Italy.',
    firstPublishedAt: d('2025-07-20T14:00:00Z'),
    statedReadTimeMinutes: 2,
    tagSlugs: ['gaza', 'health'],
    reason: 'SHARED_ENTITIES',
    places: [{ slug: 'gaza', relation: 'ABOUT' }],
  },
  {
    slug: 'russia-drone-production-2700-a-month',
    headline: 'Russian drone output climbs to 2,700 a month',
    lede: 'Russia has stepped up its production of drones, which now reaches 2,700 a month.',
    firstPublishedAt: d('2025-07-21T09:00:00Z'),
    statedReadTimeMinutes: 1,
    tagSlugs: ['ukraine', 'defence'],
    reason: 'EDITORIAL_PICK',
  },
  {
    slug: 'analysts-hamas-unlikely-to-be-eradicated',
    headline: 'Analysts doubt Hamas can be wiped out as a threat to Israel',
    lede: 'Hamas poses a threat to Israel, and analysts consider it unlikely that the group can be eliminated altogether.',
    firstPublishedAt: d('2025-07-21T15:00:00Z'),
    statedReadTimeMinutes: 7,
    tagSlugs: ['israel-hamas-war', 'middle-east'],
    reason: 'SHARED_ENTITIES',
    organisations: [{ slug: 'hamas', relation: 'ABOUT' }],
    places: [{ slug: 'israel', relation: 'MENTIONS' }],
  },
  {
    slug: 'milan-crowds-honour-giorgio-armani',
    headline: 'Crowds in Milan pay tribute to Giorgio Armani',
    lede: 'Thousands of people came together in Milan to honour the fashion designer Giorgio Armani.',
    firstPublishedAt: d('2025-09-06T10:00:00Z'),
    statedReadTimeMinutes: 1,
    tagSlugs: ['fashion'],
    reason: 'EDITORIAL_PICK',
  },
  {
    slug: 'zelensky-declines-putin-moscow-invitation',
    headline: 'Zelensky turns down Putin’s offer of a meeting in Moscow',
    lede: 'Volodymyr Zelensky has said no to Vladimir Putin’s invitation to meet in Moscow.',
    firstPublishedAt: d('2025-09-04T09:00:00Z'),
    statedReadTimeMinutes: 1,
    tagSlugs: ['ukraine', 'politics'],
    reason: 'EDITORIAL_PICK',
  },
  {
    slug: 'israel-orders-evacuation-to-disputed-gaza-humanitarian-zone',
    headline: 'Israel tells people in Gaza to move to disputed humanitarian zone',
    lede: 'Israel has called for people in Gaza to evacuate to a humanitarian zone whose status is contested.',
    firstPublishedAt: d('2025-07-22T10:00:00Z'),
    statedReadTimeMinutes: 2,
    tagSlugs: ['gaza', 'israel-hamas-war'],
    reason: 'SHARED_ENTITIES',
    organisations: [{ slug: 'government-of-israel', relation: 'MENTIONS' }],
    places: [{ slug: 'gaza', relation: 'ABOUT' }],
  },
  {
    slug: 'norway-poll-red-greens-ahead-hoyre-record-low',
    headline: 'Norwegian poll puts red-green bloc ahead and Høyre at a record low',
    lede: 'An election poll in Norway shows the red-green parties in the lead, while the Conservative party Høyre is at a historic low.',
    firstPublishedAt: d('2025-09-01T08:00:00Z'),
    statedReadTimeMinutes: 2,
    tagSlugs: ['elections', 'politics'],
    reason: 'EDITORIAL_PICK',
  },
  {
    slug: 'surfer-killed-large-shark-sydney',
    headline: 'Surfer killed by large shark in Sydney',
    lede: 'A surfer has died in Sydney after being attacked by a large shark.',
    firstPublishedAt: d('2025-09-06T07:00:00Z'),
    statedReadTimeMinutes: 1,
    tagSlugs: ['wildlife'],
    reason: 'EDITORIAL_PICK',
  },
  {
    slug: 'europe-difficult-autumn-trump-tensions',
    headline: 'Tensions with Trump set Europe up for a crisis-filled autumn',
    lede: 'Europe is heading into an autumn of crisis, with tensions with Donald Trump in the background.',
    firstPublishedAt: d('2025-07-22T16:00:00Z'),
    statedReadTimeMinutes: 3,
    tagSlugs: ['politics'],
    reason: 'EDITORIAL_PICK',
    people: [{ slug: 'donald-trump', relation: 'MENTIONS' }],
  },
  {
    slug: 'trump-wants-g20-at-miami-golf-club',
    headline: 'Trump suggests his Miami golf club as venue for next G20 summit',
    lede: 'Donald Trump has proposed that the next G20 summit be held at his own golf club in Miami.',
    firstPublishedAt: d('2025-07-23T09:00:00Z'),
    statedReadTimeMinutes: 2,
    tagSlugs: ['politics'],
    reason: 'EDITORIAL_PICK',
    people: [{ slug: 'donald-trump', relation: 'ABOUT' }],
  },
  {
    slug: 'novi-sad-clashes-protesters-demand-elections',
    headline: 'Police and protesters clash in Novi Sad as Serbians demand elections',
    lede: 'Serbian police clashed with demonstrators in Novi Sad, where protesters are calling for elections.',
    firstPublishedAt: d('2025-09-05T20:00:00Z'),
    statedReadTimeMinutes: 1,
    tagSlugs: ['politics', 'elections'],
    reason: 'EDITORIAL_PICK',
  },
  {
    slug: 'trump-talks-with-hamas-over-hostages',
    headline: 'Trump in talks with Hamas on freeing Israeli hostages',
    lede: 'Donald Trump is holding talks with Hamas aimed at getting Israeli hostages released.',
    firstPublishedAt: d('2025-09-05T18:00:00Z'),
    statedReadTimeMinutes: 1,
    tagSlugs: ['israel-hamas-war', 'middle-east'],
    reason: 'SHARED_ENTITIES',
    people: [{ slug: 'donald-trump', relation: 'ABOUT' }],
    organisations: [{ slug: 'hamas', relation: 'ABOUT' }],
    places: [{ slug: 'israel', relation: 'MENTIONS' }],
  },
  {
    slug: 'trump-renames-defense-department-war-department',
    headline: 'Trump gives the Defense Department a new name: War Department',
    lede: 'Donald Trump has renamed the US Department of Defense, which is now to be called the Department of War.',
    firstPublishedAt: d('2025-09-05T21:00:00Z'),
    statedReadTimeMinutes: 1,
    tagSlugs: ['defence', 'politics'],
    reason: 'EDITORIAL_PICK',
    people: [{ slug: 'donald-trump', relation: 'ABOUT' }],
    organisations: [{ slug: 'us-government', relation: 'ABOUT' }],
  },
  {
    slug: 'lebanese-army-starts-plan-to-disarm-hizbollah',
    headline: 'Lebanese army starts carrying out plan to disarm Hizbollah',
    lede: 'Lebanon’s armed forces have begun a plan to strip Hizbollah of its weapons.',
    firstPublishedAt: d('2025-09-05T16:00:00Z'),
    statedReadTimeMinutes: 1,
    tagSlugs: ['middle-east', 'defence'],
    reason: 'EDITORIAL_PICK',
  },
  {
    slug: 'eagle-s-captain-denies-deliberate-cable-damage',
    headline: 'Eagle S captain says Baltic Sea cable damage was not deliberate',
    lede: 'The captain of the Eagle S denies having damaged cables in the Baltic Sea on purpose.',
    firstPublishedAt: d('2025-07-24T09:00:00Z'),
    statedReadTimeMinutes: 2,
    tagSlugs: ['crime-law-and-justice', 'defence'],
    reason: 'EDITORIAL_PICK',
  },
  {
    slug: 'trump-sends-ten-f35s-to-puerto-rico-drug-war',
    headline: 'Ten F-35 fighters sent to Puerto Rico in Trump’s drug war',
    lede: 'Donald Trump is deploying ten F-35 fighter jets to Puerto Rico as part of his war on drugs.',
    firstPublishedAt: d('2025-09-05T22:00:00Z'),
    statedReadTimeMinutes: 2,
    tagSlugs: ['defence', 'crime-law-and-justice'],
    reason: 'EDITORIAL_PICK',
    people: [{ slug: 'donald-trump', relation: 'ABOUT' }],
  },
  {
    slug: 'who-mpox-no-longer-global-health-emergency',
    headline: 'WHO: mpox no longer counts as a global health emergency',
    lede: 'The World Health Organization has declared that mpox is no longer a global health crisis.',
    firstPublishedAt: d('2025-09-05T15:00:00Z'),
    statedReadTimeMinutes: 1,
    tagSlugs: ['health'],
    reason: 'EDITORIAL_PICK',
  },
  {
    slug: 'swedish-foreign-minister-meets-zelenskyj',
    headline: 'Swedish foreign minister and Zelenskyj meet to step up pressure on Russia',
    lede: 'Sweden’s foreign minister has met Volodymyr Zelenskyj with the aim of increasing the pressure on Russia.',
    firstPublishedAt: d('2025-07-24T15:00:00Z'),
    statedReadTimeMinutes: 1,
    tagSlugs: ['ukraine', 'politics'],
    reason: 'EDITORIAL_PICK',
  },
]
