// TT's Swedish original of the main story (src/seed/sample/story.ts is Sweden Herald's English
// adaptation of it): the same facts, in our own Swedish words. It carries its text and credits
// only; the links to the graph (tags, people, places, the talks) are the edition's, so that one
// story in two languages counts once in the event's timeline, related stories and co-mentions.
import type { SampleOriginal } from './types.js'
import { d } from './types.js'

export const SWEDISH_ORIGINAL: SampleOriginal = {
  slug: 'hamas-vapenvilesamtalen-vantas-aterupptas',
  language: 'sv',
  headline: 'Hamas: Samtalen om vapenvila med Israel tas upp igen nästa vecka',
  shortHeadline: 'Vapenvilesamtalen väntas återupptas',
  lede: 'Förhandlingarna med Israel om vapenvila väntas komma i gång igen nästa vecka, uppger Hamas, som klassas som en terrororganisation. Samtidigt fortsätter de israeliska angreppen i hela Gaza, och bedömare varnar för att palestinierna där är nära svält.',
  firstPublishedAt: d('2025-07-25T06:45:00Z'),
  urgency: 3,
  byline: 'TT',
  sections: [
    {
      heading: null,
      paragraphs: [
        'Bassem Naim, som företräder Hamas, sade på fredagen att han fått besked om att en israelisk delegation ska resa i början av nästa vecka för att förhandla vidare. Tidigare omgångar har hållits i Qatar.',
        'Beskedet kom dagen efter att USA kallat hem sina förhandlare från Qatar, och efter att Steve Witkoff, president Donald Trumps särskilda sändebud, sagt att Hamas senaste svar visar att gruppen inte vill gå med på någon vapenvila.',
      ],
    },
    {
      heading: 'Medlarna fortsätter trycka på',
      paragraphs: [
        'Israels premiärminister Benjamin Netanyahu delar den bilden. Israel och USA överväger nu andra vägar för att få hem gisslan, få ett slut på Hamas terrorvälde och nå en varaktig fred för Israel och regionen, säger han i ett uttalande.',
        'Den israeliska regeringen har ännu inte sagt något om huruvida förhandlingarna tas upp igen nästa vecka.',
        'Medlarna Qatar och Egypten skriver i ett gemensamt uttalande att de fortsätter arbeta för att samtalen ska återupptas, så att kriget i Gaza kan få ett slut. En paus för konsultationer är normal i så invecklade förhandlingar, enligt dem.',
      ],
    },
    {
      heading: 'Veckor vid förhandlingsbordet',
      paragraphs: [
        'Parterna har förhandlat i Qatar i flera veckor. Vissa framsteg har rapporterats, men inget avgörande genombrott. Hamas vill släppa alla israeliska gisslan bara om Israel drar sig tillbaka helt och kriget tar slut.',
        'Israel säger å sin sida att kriget inte tar slut förrän Hamas lämnat ifrån sig makten och avväpnats. Hamas säger sig vara berett att lämna makten, men inte att lägga ned vapnen.',
      ],
    },
  ],
  contributors: [{ role: 'AUTHOR', name: 'TT', organisationSlug: 'tt' }],
  sourceOrganisationSlug: 'tt',
}
