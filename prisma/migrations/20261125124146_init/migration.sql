-- CreateEnum
CREATE TYPE "StoryType" AS ENUM ('ARTICLE', 'LIVE', 'ANALYSIS', 'OPINION', 'FEATURE', 'EXPLAINER', 'BRIEF');

-- CreateEnum
CREATE TYPE "StoryStatus" AS ENUM ('DRAFT', 'SCHEDULED', 'PUBLISHED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "HeadlineRole" AS ENUM ('SHORT', 'SEO', 'SOCIAL', 'KICKER', 'ALTERNATIVE');

-- CreateEnum
CREATE TYPE "ContributorRole" AS ENUM ('AUTHOR', 'REPORTER', 'PHOTOGRAPHER', 'TRANSLATOR', 'ADAPTER', 'EDITOR');

-- CreateEnum
CREATE TYPE "EntityRelation" AS ENUM ('ABOUT', 'MENTIONS');

-- CreateEnum
CREATE TYPE "RelatedReason" AS ENUM ('EDITORIAL_PICK', 'SAME_EVENT', 'SHARED_ENTITIES', 'SHARED_TAGS');

-- CreateEnum
CREATE TYPE "MediaType" AS ENUM ('PICTURE', 'GRAPHIC', 'VIDEO', 'AUDIO');

-- CreateEnum
CREATE TYPE "TagScheme" AS ENUM ('MEDIATOPIC', 'KEYWORD');

-- CreateEnum
CREATE TYPE "OrganisationType" AS ENUM ('MOVEMENT', 'GOVERNMENT', 'STATE', 'AGENCY', 'PUBLISHER', 'COMPANY', 'NGO', 'INTERGOVERNMENTAL', 'MILITARY', 'PARTY', 'OTHER');

-- CreateEnum
CREATE TYPE "PlaceType" AS ENUM ('COUNTRY', 'REGION', 'CITY', 'TERRITORY', 'SITE', 'OTHER');

-- CreateEnum
CREATE TYPE "EventStatus" AS ENUM ('SCHEDULED', 'CONFIRMED', 'UNDERWAY', 'SUSPENDED', 'RESUMED', 'POSTPONED', 'CANCELLED', 'CONCLUDED');

-- CreateEnum
CREATE TYPE "DatePrecision" AS ENUM ('EXACT', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR');

-- CreateEnum
CREATE TYPE "ParticipantRole" AS ENUM ('PARTY', 'MEDIATOR', 'HOST', 'OBSERVER', 'ORGANISER');

-- CreateTable
CREATE TABLE "Story" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "headline" TEXT NOT NULL,
    "lede" TEXT,
    "language" TEXT NOT NULL DEFAULT 'en',
    "type" "StoryType" NOT NULL DEFAULT 'ARTICLE',
    "status" "StoryStatus" NOT NULL DEFAULT 'DRAFT',
    "urgency" SMALLINT NOT NULL DEFAULT 5,
    "firstPublishedAt" TIMESTAMP(3),
    "contentUpdatedAt" TIMESTAMP(3),
    "embargoedUntil" TIMESTAMP(3),
    "byline" TEXT,
    "editionNote" TEXT,
    "bodyText" TEXT NOT NULL DEFAULT '',
    "wordCount" INTEGER NOT NULL DEFAULT 0,
    "readTimeMinutes" SMALLINT NOT NULL DEFAULT 1,
    "photoId" UUID,
    "sourceStoryId" UUID,
    "sourceOrganisationId" UUID,
    "adaptedById" UUID,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    -- Generated, so no write can leave it stale: headline weighs most, then lede, then body.
    "searchVector" tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce("headline", '')), 'A') ||
        setweight(to_tsvector('english', coalesce("lede", '')), 'B') ||
        setweight(to_tsvector('english', coalesce("bodyText", '')), 'C')
    ) STORED,

    CONSTRAINT "Story_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StoryHeadline" (
    "id" UUID NOT NULL,
    "storyId" UUID NOT NULL,
    "role" "HeadlineRole" NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "StoryHeadline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StorySection" (
    "id" UUID NOT NULL,
    "storyId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "heading" TEXT,
    "paragraphs" TEXT[],

    CONSTRAINT "StorySection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MediaAsset" (
    "id" UUID NOT NULL,
    "type" "MediaType" NOT NULL DEFAULT 'PICTURE',
    "caption" TEXT,
    "altText" TEXT,
    "creditLine" TEXT,
    "copyrightHolder" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MediaAsset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MediaRendition" (
    "id" UUID NOT NULL,
    "assetId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "href" TEXT NOT NULL,
    "mimeType" TEXT,
    "width" INTEGER,
    "height" INTEGER,

    CONSTRAINT "MediaRendition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StoryContributor" (
    "id" UUID NOT NULL,
    "storyId" UUID NOT NULL,
    "role" "ContributorRole" NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "personId" UUID,
    "organisationId" UUID,

    CONSTRAINT "StoryContributor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tag" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scheme" "TagScheme" NOT NULL DEFAULT 'KEYWORD',
    "code" TEXT,
    "description" TEXT,

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StoryTag" (
    "storyId" UUID NOT NULL,
    "tagId" UUID NOT NULL,

    CONSTRAINT "StoryTag_pkey" PRIMARY KEY ("storyId","tagId")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "alternateNames" TEXT[],
    "description" TEXT,
    "wikidataId" TEXT,
    "sameAs" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Affiliation" (
    "id" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "role" TEXT NOT NULL,
    "startDate" TIMESTAMP(3),
    "endDate" TIMESTAMP(3),

    CONSTRAINT "Affiliation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Organisation" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "alternateNames" TEXT[],
    "type" "OrganisationType" NOT NULL DEFAULT 'OTHER',
    "description" TEXT,
    "countryCode" CHAR(2),
    "wikidataId" TEXT,
    "sameAs" TEXT[],
    "parentId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Organisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Place" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "alternateNames" TEXT[],
    "type" "PlaceType" NOT NULL DEFAULT 'OTHER',
    "countryCode" CHAR(2),
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "wikidataId" TEXT,
    "parentId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Place_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Event" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" "EventStatus" NOT NULL DEFAULT 'SCHEDULED',
    "startAt" TIMESTAMP(3),
    "endAt" TIMESTAMP(3),
    "expectedStartFrom" TIMESTAMP(3),
    "expectedStartTo" TIMESTAMP(3),
    "expectedStartPrecision" "DatePrecision",
    "locationId" UUID,
    "parentId" UUID,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventParticipant" (
    "id" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "role" "ParticipantRole" NOT NULL,
    "organisationId" UUID,
    "personId" UUID,

    CONSTRAINT "EventParticipant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventStatusChange" (
    "id" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "fromStatus" "EventStatus",
    "toStatus" "EventStatus" NOT NULL,
    "note" TEXT,
    "reportedById" UUID,

    CONSTRAINT "EventStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StoryPerson" (
    "storyId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "relation" "EntityRelation" NOT NULL DEFAULT 'MENTIONS',

    CONSTRAINT "StoryPerson_pkey" PRIMARY KEY ("storyId","personId")
);

-- CreateTable
CREATE TABLE "StoryOrganisation" (
    "storyId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "relation" "EntityRelation" NOT NULL DEFAULT 'MENTIONS',

    CONSTRAINT "StoryOrganisation_pkey" PRIMARY KEY ("storyId","organisationId")
);

-- CreateTable
CREATE TABLE "StoryPlace" (
    "storyId" UUID NOT NULL,
    "placeId" UUID NOT NULL,
    "relation" "EntityRelation" NOT NULL DEFAULT 'MENTIONS',

    CONSTRAINT "StoryPlace_pkey" PRIMARY KEY ("storyId","placeId")
);

-- CreateTable
CREATE TABLE "StoryEvent" (
    "storyId" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "relation" "EntityRelation" NOT NULL DEFAULT 'ABOUT',

    CONSTRAINT "StoryEvent_pkey" PRIMARY KEY ("storyId","eventId")
);

-- CreateTable
CREATE TABLE "RelatedStory" (
    "storyId" UUID NOT NULL,
    "relatedId" UUID NOT NULL,
    "reason" "RelatedReason" NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "RelatedStory_pkey" PRIMARY KEY ("storyId","relatedId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Story_slug_key" ON "Story"("slug");

-- CreateIndex
CREATE INDEX "Story_status_firstPublishedAt_idx" ON "Story"("status", "firstPublishedAt" DESC);

-- CreateIndex
CREATE INDEX "Story_searchVector_idx" ON "Story" USING GIN ("searchVector");

-- CreateIndex
CREATE UNIQUE INDEX "StoryHeadline_storyId_role_key" ON "StoryHeadline"("storyId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "StorySection_storyId_position_key" ON "StorySection"("storyId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "MediaRendition_assetId_name_key" ON "MediaRendition"("assetId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "StoryContributor_storyId_position_key" ON "StoryContributor"("storyId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Tag_slug_key" ON "Tag"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Tag_code_key" ON "Tag"("code");

-- CreateIndex
CREATE INDEX "StoryTag_tagId_idx" ON "StoryTag"("tagId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_slug_key" ON "Person"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Person_wikidataId_key" ON "Person"("wikidataId");

-- CreateIndex
CREATE INDEX "Affiliation_personId_idx" ON "Affiliation"("personId");

-- CreateIndex
CREATE INDEX "Affiliation_organisationId_idx" ON "Affiliation"("organisationId");

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_slug_key" ON "Organisation"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_wikidataId_key" ON "Organisation"("wikidataId");

-- CreateIndex
CREATE UNIQUE INDEX "Place_slug_key" ON "Place"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Place_wikidataId_key" ON "Place"("wikidataId");

-- CreateIndex
CREATE UNIQUE INDEX "Event_slug_key" ON "Event"("slug");

-- CreateIndex
CREATE INDEX "EventParticipant_eventId_idx" ON "EventParticipant"("eventId");

-- CreateIndex
CREATE INDEX "EventStatusChange_eventId_at_idx" ON "EventStatusChange"("eventId", "at");

-- CreateIndex
CREATE INDEX "StoryPerson_personId_idx" ON "StoryPerson"("personId");

-- CreateIndex
CREATE INDEX "StoryOrganisation_organisationId_idx" ON "StoryOrganisation"("organisationId");

-- CreateIndex
CREATE INDEX "StoryPlace_placeId_idx" ON "StoryPlace"("placeId");

-- CreateIndex
CREATE INDEX "StoryEvent_eventId_idx" ON "StoryEvent"("eventId");

-- CreateIndex
CREATE INDEX "RelatedStory_relatedId_idx" ON "RelatedStory"("relatedId");

-- AddForeignKey
ALTER TABLE "Story" ADD CONSTRAINT "Story_photoId_fkey" FOREIGN KEY ("photoId") REFERENCES "MediaAsset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Story" ADD CONSTRAINT "Story_sourceStoryId_fkey" FOREIGN KEY ("sourceStoryId") REFERENCES "Story"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Story" ADD CONSTRAINT "Story_sourceOrganisationId_fkey" FOREIGN KEY ("sourceOrganisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Story" ADD CONSTRAINT "Story_adaptedById_fkey" FOREIGN KEY ("adaptedById") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoryHeadline" ADD CONSTRAINT "StoryHeadline_storyId_fkey" FOREIGN KEY ("storyId") REFERENCES "Story"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StorySection" ADD CONSTRAINT "StorySection_storyId_fkey" FOREIGN KEY ("storyId") REFERENCES "Story"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MediaRendition" ADD CONSTRAINT "MediaRendition_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "MediaAsset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoryContributor" ADD CONSTRAINT "StoryContributor_storyId_fkey" FOREIGN KEY ("storyId") REFERENCES "Story"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoryContributor" ADD CONSTRAINT "StoryContributor_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoryContributor" ADD CONSTRAINT "StoryContributor_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoryTag" ADD CONSTRAINT "StoryTag_storyId_fkey" FOREIGN KEY ("storyId") REFERENCES "Story"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoryTag" ADD CONSTRAINT "StoryTag_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Affiliation" ADD CONSTRAINT "Affiliation_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Affiliation" ADD CONSTRAINT "Affiliation_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Organisation" ADD CONSTRAINT "Organisation_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Place" ADD CONSTRAINT "Place_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Place"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "Place"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Event"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventParticipant" ADD CONSTRAINT "EventParticipant_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventParticipant" ADD CONSTRAINT "EventParticipant_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventParticipant" ADD CONSTRAINT "EventParticipant_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventStatusChange" ADD CONSTRAINT "EventStatusChange_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventStatusChange" ADD CONSTRAINT "EventStatusChange_reportedById_fkey" FOREIGN KEY ("reportedById") REFERENCES "Story"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoryPerson" ADD CONSTRAINT "StoryPerson_storyId_fkey" FOREIGN KEY ("storyId") REFERENCES "Story"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoryPerson" ADD CONSTRAINT "StoryPerson_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoryOrganisation" ADD CONSTRAINT "StoryOrganisation_storyId_fkey" FOREIGN KEY ("storyId") REFERENCES "Story"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoryOrganisation" ADD CONSTRAINT "StoryOrganisation_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoryPlace" ADD CONSTRAINT "StoryPlace_storyId_fkey" FOREIGN KEY ("storyId") REFERENCES "Story"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoryPlace" ADD CONSTRAINT "StoryPlace_placeId_fkey" FOREIGN KEY ("placeId") REFERENCES "Place"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoryEvent" ADD CONSTRAINT "StoryEvent_storyId_fkey" FOREIGN KEY ("storyId") REFERENCES "Story"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoryEvent" ADD CONSTRAINT "StoryEvent_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RelatedStory" ADD CONSTRAINT "RelatedStory_storyId_fkey" FOREIGN KEY ("storyId") REFERENCES "Story"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RelatedStory" ADD CONSTRAINT "RelatedStory_relatedId_fkey" FOREIGN KEY ("relatedId") REFERENCES "Story"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Rules the Prisma schema cannot state.
ALTER TABLE "Story" ADD CONSTRAINT "Story_urgency_check" CHECK ("urgency" BETWEEN 1 AND 9);
ALTER TABLE "Story" ADD CONSTRAINT "Story_counts_check" CHECK ("wordCount" >= 0 AND "readTimeMinutes" >= 1);
ALTER TABLE "EventParticipant" ADD CONSTRAINT "EventParticipant_one_party_check"
    CHECK (num_nonnulls("organisationId", "personId") = 1);
ALTER TABLE "Event" ADD CONSTRAINT "Event_expected_window_check"
    CHECK ("expectedStartFrom" IS NULL OR ("expectedStartTo" >= "expectedStartFrom" AND "expectedStartPrecision" IS NOT NULL));
ALTER TABLE "Place" ADD CONSTRAINT "Place_coordinates_check"
    CHECK ("latitude" BETWEEN -90 AND 90 AND "longitude" BETWEEN -180 AND 180);
