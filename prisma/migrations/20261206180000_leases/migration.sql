-- Leases: background work that one process at a time should do (an edge's purges, a webhook
-- endpoint's deliveries) is done by whichever process holds its lease, until the lease runs out.

-- CreateTable
CREATE TABLE "Lease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Lease_pkey" PRIMARY KEY ("name")
);
