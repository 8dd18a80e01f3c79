// The sample graph: one real news page (a TT wire story on the Gaza ceasefire talks, in Sweden
// Herald's English edition), TT's Swedish original of it, and the 20 items of its "More news"
// list. Facts are the page's; the wording is ours. Plain data only: src/seed/seed.ts writes it to the database.
// Cross-references are by slug, so the data reads without ids.
export type * from './sample/types.js'
export { ORGANISATIONS, PEOPLE, PLACES, TAGS } from './sample/entities.js'
export { MORE_NEWS } from './sample/more-news.js'
export { SWEDISH_ORIGINAL } from './sample/original.js'
export { EVENT, MAIN_STORY } from './sample/story.js'
