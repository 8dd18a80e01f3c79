-- CreateTable
CREATE TABLE "ChangeLogHorizon" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "prunedThru" BIGINT NOT NULL,
    "prunedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChangeLogHorizon_pkey" PRIMARY KEY ("id")
);
