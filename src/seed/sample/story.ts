// The sample's event (the ceasefire talks) and its main story, the page itself: Sweden Herald's
// English adaptation of TT's Swedish original (src/seed/sample/original.ts).
import { SWEDISH_ORIGINAL } from './original.js'
import type { SampleStory, SampleEvent } from './types.js'
import { d } from './types.js'

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
  edition: { kind: 'ADAPTATION', originalSlug: SWEDISH_ORIGINAL.slug },
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
