-- CreateTable
CREATE TABLE "EventScheduleChange" (
    "id" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "fromExpectedStartFrom" TIMESTAMP(3),
    "fromExpectedStartTo" TIMESTAMP(3),
    "fromExpectedStartPrecision" "DatePrecision",
    "fromStartAt" TIMESTAMP(3),
    "toExpectedStartFrom" TIMESTAMP(3),
    "toExpectedStartTo" TIMESTAMP(3),
    "toExpectedStartPrecision" "DatePrecision",
    "toStartAt" TIMESTAMP(3),
    "note" TEXT,
    "reportedById" UUID,

    CONSTRAINT "EventScheduleChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EventScheduleChange_eventId_at_idx" ON "EventScheduleChange"("eventId", "at");

-- AddForeignKey
ALTER TABLE "EventScheduleChange" ADD CONSTRAINT "EventScheduleChange_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventScheduleChange" ADD CONSTRAINT "EventScheduleChange_reportedById_fkey" FOREIGN KEY ("reportedById") REFERENCES "Story"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The link tables: (entity, story) indexes in place of (entity) ones. Related stories read the
-- newest stories sharing each thing from the index alone (ids are UUIDv7, time-ordered), and
-- coMentioned reads an entity's stories without visiting the table.
-- DropIndex
DROP INDEX "StoryEvent_eventId_idx";

-- DropIndex
DROP INDEX "StoryOrganisation_organisationId_idx";

-- DropIndex
DROP INDEX "StoryPerson_personId_idx";

-- DropIndex
DROP INDEX "StoryPlace_placeId_idx";

-- DropIndex
DROP INDEX "StoryTag_tagId_idx";

-- CreateIndex
CREATE INDEX "StoryEvent_eventId_storyId_idx" ON "StoryEvent"("eventId", "storyId");

-- CreateIndex
CREATE INDEX "StoryOrganisation_organisationId_storyId_idx" ON "StoryOrganisation"("organisationId", "storyId");

-- CreateIndex
CREATE INDEX "StoryPerson_personId_storyId_idx" ON "StoryPerson"("personId", "storyId");

-- CreateIndex
CREATE INDEX "StoryPlace_placeId_storyId_idx" ON "StoryPlace"("placeId", "storyId");

-- CreateIndex
CREATE INDEX "StoryTag_tagId_storyId_idx" ON "StoryTag"("tagId", "storyId");
