-- Purge cursors: how far each CDN purge target has purged the change log, so that purging resumes
-- where it stopped after a restart or an outage of the CDN (src/edge/purger.ts).

-- CreateTable
CREATE TABLE "PurgeCursor" (
    "target" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PurgeCursor_pkey" PRIMARY KEY ("target")
);
