-- A story withdrawn before it ever went out (a draft, or one scheduled or embargoed for later) was
-- never first published: its planned date goes, so that the public finds no notice of it
-- (src/resolvers/visibility.ts). withdrawStory does the same from now on.
UPDATE "Story"
   SET "firstPublishedAt" = NULL
 WHERE "status" = 'WITHDRAWN'
   AND "firstPublishedAt" IS NOT NULL
   AND ("withdrawnAt" IS NULL
        OR "firstPublishedAt" > "withdrawnAt"
        OR "embargoedUntil" > "withdrawnAt");
