-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "uri" TEXT;

-- AlterTable
ALTER TABLE "Story" ADD COLUMN     "uri" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Event_uri_key" ON "Event"("uri");

-- CreateIndex
CREATE UNIQUE INDEX "Story_uri_key" ON "Story"("uri");
