-- Changes record their facts as they commit (src/live/changes.ts), in "payload". Entries written
-- before this migration named their objects and were judged by their state when read: they get
-- facts made from that state now, which is what they meant until now.

CREATE FUNCTION pg_temp.iso(at timestamp) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
CREATE FUNCTION pg_temp.schedule(efrom timestamp, eto timestamp, prec "DatePrecision", start_at timestamp) RETURNS jsonb LANGUAGE sql IMMUTABLE
  AS $$ SELECT jsonb_build_object(
         'expectedStart', CASE WHEN efrom IS NOT NULL AND eto IS NOT NULL AND prec IS NOT NULL
                               THEN jsonb_build_object('from', pg_temp.iso(efrom), 'to', pg_temp.iso(eto), 'precision', prec) END,
         'startAt', pg_temp.iso(start_at)) $$;

-- Topics name objects only: urgency and language are facts.
UPDATE "Change"
   SET "topics" = ARRAY(SELECT t FROM unnest("topics") AS t WHERE t ~ '^(story|event|tag|person|organisation|place):');

UPDATE "Change" AS c
   SET "payload" = jsonb_strip_nulls(jsonb_build_object(
         'version', COALESCE((c."payload"->>'version')::int, s."version"),
         'from', NULL,
         'to', COALESCE(c."payload"->>'status', s."status"::text),
         'public', s."status" = 'PUBLISHED' AND (s."embargoedUntil" IS NULL OR s."embargoedUntil" <= now())
                   OR s."status" = 'SCHEDULED' AND s."embargoedUntil" <= now(),
         'notice', s."status" = 'WITHDRAWN' AND s."firstPublishedAt" IS NOT NULL,
         'urgency', s."urgency",
         'language', s."language",
         'fields', c."payload"->'fields',
         'restoredFrom', c."payload"->'restoredFrom',
         'withdrawal', CASE WHEN c."kind" = 'story.withdrawn' OR c."payload"->>'correction' = 'RETRACTION'
                            THEN jsonb_build_object('reason', s."withdrawalReason") END,
         'correction', CASE WHEN c."payload" ? 'correctionId'
                            THEN jsonb_build_object('id', c."payload"->'correctionId', 'kind', c."payload"->'correction') END,
         'imported', c."payload"->'imported'
       )) || jsonb_build_object('from', NULL)
  FROM "Story" AS s
 WHERE c."objectType" = 'Story' AND s."id"::text = c."objectId";

-- a story since deleted: nothing about it is public
UPDATE "Change"
   SET "payload" = jsonb_build_object('version', 0, 'from', NULL, 'to', 'DRAFT', 'public', false, 'notice', false, 'urgency', 9, 'language', 'en')
 WHERE "objectType" = 'Story' AND NOT ("payload" ? 'public');

UPDATE "Change" AS c
   SET "payload" = jsonb_strip_nulls(jsonb_build_object(
         'version', COALESCE((c."payload"->>'version')::int, 0),
         'statusChange', (SELECT jsonb_build_object('id', sc."id", 'from', sc."fromStatus", 'to', sc."toStatus", 'at', pg_temp.iso(sc."at"),
                                                     'note', sc."note", 'reportedBy', sc."reportedById")
                            FROM "EventStatusChange" AS sc WHERE sc."id"::text = c."payload"->>'statusChangeId'),
         'scheduleChange', (SELECT jsonb_build_object(
                                     'id', ec."id",
                                     'from', pg_temp.schedule(ec."fromExpectedStartFrom", ec."fromExpectedStartTo", ec."fromExpectedStartPrecision", ec."fromStartAt"),
                                     'to', pg_temp.schedule(ec."toExpectedStartFrom", ec."toExpectedStartTo", ec."toExpectedStartPrecision", ec."toStartAt"))
                              FROM "EventScheduleChange" AS ec WHERE ec."id"::text = c."payload"->>'scheduleChangeId')
       ))
 WHERE c."objectType" = 'Event';

UPDATE "Change" SET "payload" = jsonb_build_object('version', 0) WHERE "objectType" NOT IN ('Story', 'Event');
