-- What the related-stories statement (src/resolvers/related.ts) asks of each story on a page, as
-- PL/pgSQL functions: a connection plans their statements once and keeps the plans, where, as
-- subqueries of that statement, they were planned again for every request, and planning them took
-- longer than running the whole statement.

-- What a related story shares with the story it is listed under: row ids, each list in slug order.
CREATE FUNCTION related_shared(
  of_story uuid, to_story uuid,
  OUT events text[], OUT people text[], OUT organisations text[], OUT places text[], OUT tags text[]
) LANGUAGE plpgsql STABLE AS $$
BEGIN
  SELECT
    ARRAY(SELECT x.id::text FROM "StoryEvent" a JOIN "StoryEvent" b ON b."storyId" = to_story AND b."eventId" = a."eventId"
            JOIN "Event" x ON x.id = a."eventId" WHERE a."storyId" = of_story ORDER BY x.slug),
    ARRAY(SELECT x.id::text FROM "StoryPerson" a JOIN "StoryPerson" b ON b."storyId" = to_story AND b."personId" = a."personId"
            JOIN "Person" x ON x.id = a."personId" WHERE a."storyId" = of_story ORDER BY x.slug),
    ARRAY(SELECT x.id::text FROM "StoryOrganisation" a JOIN "StoryOrganisation" b ON b."storyId" = to_story AND b."organisationId" = a."organisationId"
            JOIN "Organisation" x ON x.id = a."organisationId" WHERE a."storyId" = of_story ORDER BY x.slug),
    ARRAY(SELECT x.id::text FROM "StoryPlace" a JOIN "StoryPlace" b ON b."storyId" = to_story AND b."placeId" = a."placeId"
            JOIN "Place" x ON x.id = a."placeId" WHERE a."storyId" = of_story ORDER BY x.slug),
    ARRAY(SELECT x.id::text FROM "StoryTag" a JOIN "StoryTag" b ON b."storyId" = to_story AND b."tagId" = a."tagId"
            JOIN "Tag" x ON x.id = a."tagId" WHERE a."storyId" = of_story ORDER BY x.slug)
  INTO events, people, organisations, places, tags;
END $$;

-- Everything a story is filed under, as "Type:<row id>" (the response cache's keys).
CREATE FUNCTION story_filed_under(of_story uuid) RETURNS text[] LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN ARRAY(
    SELECT 'Event:' || f."eventId" FROM "StoryEvent" f WHERE f."storyId" = of_story
    UNION ALL SELECT 'Person:' || f."personId" FROM "StoryPerson" f WHERE f."storyId" = of_story
    UNION ALL SELECT 'Organisation:' || f."organisationId" FROM "StoryOrganisation" f WHERE f."storyId" = of_story
    UNION ALL SELECT 'Place:' || f."placeId" FROM "StoryPlace" f WHERE f."storyId" = of_story
    UNION ALL SELECT 'Tag:' || f."tagId" FROM "StoryTag" f WHERE f."storyId" = of_story);
END $$;
