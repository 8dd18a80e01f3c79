// The IPTC ninjs 3.0 and 3.1 JSON Schemas (standards/ninjs, copied from IPTC), compiled once with
// ajv for JSON Schema draft 2020-12. The importer checks documents against them and the tests
// check every exported document.
import { readFileSync } from 'node:fs'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import formats from 'ajv-formats'

const STANDARDS = new URL('../../standards/ninjs/', import.meta.url)

const readSchema = (file: string) => JSON.parse(readFileSync(new URL(file, STANDARDS), 'utf8')) as object

/**
 * ninjs places may carry a GeoJSON object, which the schema references on geojson.org. That
 * schema is not shipped (and is not fetched); this one checks what the importer reads of it.
 */
const GEOJSON = {
  $id: 'https://geojson.org/schema/GeoJSON.json',
  type: 'object',
  required: ['type'],
  properties: {
    type: {
      enum: [
        'Point',
        'MultiPoint',
        'LineString',
        'MultiLineString',
        'Polygon',
        'MultiPolygon',
        'GeometryCollection',
        'Feature',
        'FeatureCollection',
      ],
    },
  },
  if: { properties: { type: { const: 'Point' } } },
  then: {
    required: ['coordinates'],
    properties: { coordinates: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 3 } },
  },
}

export type NinjsVersion = '3.0' | '3.1'

let compiled: Record<NinjsVersion, ValidateFunction> | undefined

function validators(): Record<NinjsVersion, ValidateFunction> {
  if (!compiled) {
    // strict: false, because the IPTC schemas use keywords beside $ref that strict mode refuses
    const ajv = new Ajv2020({ allErrors: true, strict: false })
    formats.default(ajv)
    ajv.addSchema(GEOJSON)
    compiled = {
      '3.0': ajv.compile(readSchema('ninjs-schema_3.0.json')),
      '3.1': ajv.compile(readSchema('ninjs-schema_3.1.json')),
    }
  }
  return compiled
}

/** Every way `document` breaks the ninjs schema of `version` (empty when it is valid). */
export function ninjsErrors(document: unknown, version: NinjsVersion = '3.1'): ErrorObject[] {
  const validate = validators()[version]
  return validate(document) ? [] : [...(validate.errors ?? [])]
}

/** The JSON pointer of the value an error is about: for a missing property, the property's. */
export function pointerOf(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; unevaluatedProperty?: string; additionalProperty?: string }
  const child = params.missingProperty ?? params.unevaluatedProperty ?? params.additionalProperty
  return child === undefined ? error.instancePath : `${error.instancePath}/${escapePointer(child)}`
}

/** One reference token of a JSON pointer (RFC 6901). */
export const escapePointer = (token: string | number) => String(token).replace(/~/g, '~0').replace(/\//g, '~1')
