-- Editions: a story can be a translation, an adaptation or a regional edition of another story
-- (sourceStoryId), or of an agency item outside this graph (sourceUri, from sourceOrganisationId),
-- made by an organisation (adaptedById) at a time (editionAt).

-- CreateEnum
CREATE TYPE "EditionKind" AS ENUM ('TRANSLATION', 'ADAPTATION', 'REGIONAL');

-- AlterTable
ALTER TABLE "Story" ADD COLUMN     "editionAt" TIMESTAMP(3),
ADD COLUMN     "editionKind" "EditionKind",
ADD COLUMN     "sourceUri" TEXT;

-- CreateIndex
CREATE INDEX "Story_sourceStoryId_idx" ON "Story"("sourceStoryId");

-- A story adapted from another ("Adaptation", as the relation was named) or by an organisation was
-- an adaptation: made when it went out, or else when it was written.
UPDATE "Story"
   SET "editionKind" = 'ADAPTATION',
       "editionAt" = COALESCE("firstPublishedAt", "createdAt")
 WHERE "sourceStoryId" IS NOT NULL OR "adaptedById" IS NOT NULL;

-- Not in schema.prisma (Prisma cannot say it): an edition has its time, and only an edition has
-- a source item's uri.
ALTER TABLE "Story" ADD CONSTRAINT "Story_edition_check"
  CHECK (("editionKind" IS NULL) = ("editionAt" IS NULL) AND ("sourceUri" IS NULL OR "editionKind" IS NOT NULL));
