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

builder.queryType({ description: 'Read the news graph.' })

export const schema = builder.toSchema({ sortSchema: true })
