// The sample's tags, organisations, places and people.
import type { SampleTag, SampleOrganisation, SamplePlace, SamplePerson } from './types.js'
import { d } from './types.js'

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
