// GraphQL enums mirror the Prisma enums one to one.
import { builder } from '../builder.js'
import {
  ContributorRole,
  CorrectionKind,
  DatePrecision,
  EntityRelation,
  EventStatus,
  HeadlineRole,
  MediaType,
  OrganisationType,
  ParticipantRole,
  PlaceType,
  RelatedReason,
  StoryStatus,
  StoryType,
  TagScheme,
} from '../generated/prisma/enums.js'

export const StoryTypeEnum = builder.enumType(StoryType, { name: 'StoryType' })
export const StoryStatusEnum = builder.enumType(StoryStatus, { name: 'StoryStatus' })
export const HeadlineRoleEnum = builder.enumType(HeadlineRole, { name: 'HeadlineRole' })
export const ContributorRoleEnum = builder.enumType(ContributorRole, { name: 'ContributorRole' })
export const EntityRelationEnum = builder.enumType(EntityRelation, {
  name: 'EntityRelation',
  description: 'Whether a story is about an entity or only mentions it.',
})
export const RelatedReasonEnum = builder.enumType(RelatedReason, { name: 'RelatedReason' })
export const MediaTypeEnum = builder.enumType(MediaType, { name: 'MediaType' })
export const TagSchemeEnum = builder.enumType(TagScheme, { name: 'TagScheme' })
export const OrganisationTypeEnum = builder.enumType(OrganisationType, { name: 'OrganisationType' })
export const PlaceTypeEnum = builder.enumType(PlaceType, { name: 'PlaceType' })
export const EventStatusEnum = builder.enumType(EventStatus, { name: 'EventStatus' })
export const DatePrecisionEnum = builder.enumType(DatePrecision, { name: 'DatePrecision' })
export const ParticipantRoleEnum = builder.enumType(ParticipantRole, { name: 'ParticipantRole' })
export const CorrectionKindEnum = builder.enumType(CorrectionKind, { name: 'CorrectionKind' })
