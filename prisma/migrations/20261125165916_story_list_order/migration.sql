-- The order of every story list: newest first, drafts (no date) last, the id breaking ties. With
-- it the front page reads its first rows in order instead of sorting every readable story.
-- NULLS LAST matches the lists' ORDER BY (Prisma's schema cannot say it).
-- CreateIndex
CREATE INDEX "Story_firstPublishedAt_id_idx" ON "Story"("firstPublishedAt" DESC NULLS LAST, "id" DESC);
