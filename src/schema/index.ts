// Imports every type file, then builds the schema. Nothing else lives here.
import { builder } from '../builder.js'
import './enums.js'
import './story.js'
import './media.js'
import './person.js'
import './organisation.js'
import './place.js'
import './event.js'
import './tag.js'
import './search.js'
import './errors.js'
import './correction.js'
import './revision.js'
import './story-mutations.js'
import './editions.js'
import './live.js'
import './standards.js'
import './timeline.js'
import './events-expected.js'
import './co-mentions.js'
import './related.js'
import './webhooks.js'

builder.queryType({ description: 'Read the news graph.' })
builder.mutationType({
  description:
    'Editors write the news graph. Every mutation needs an editor’s bearer token (the webhooks’: an admin’s).',
})

export const schema = builder.toSchema({ sortSchema: true })
