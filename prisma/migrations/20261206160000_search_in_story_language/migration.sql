-- Search stems each story in its own language: a Swedish story's "förhandlingarna" is indexed as
-- the Swedish stem, so "förhandling" finds it, and English stemming no longer makes false matches.

-- The one home of the mapping from a story's BCP 47 language tag to a text-search configuration,
-- by its primary subtag (sv-FI is Swedish, de-AT German); `simple` (no stemming, no stop-words)
-- where PostgreSQL has no stemmer. Only configurations every supported server ships (PostgreSQL
-- 15 has no estonian). IMMUTABLE so the generated column below may call it; changing the list
-- means a new migration that re-creates that column. The SQL-standard body is parsed here, once.
CREATE FUNCTION text_search_config(language text) RETURNS regconfig
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE lower(split_part(language, '-', 1))
    WHEN 'ar' THEN 'pg_catalog.arabic'::regconfig
    WHEN 'hy' THEN 'pg_catalog.armenian'::regconfig
    WHEN 'eu' THEN 'pg_catalog.basque'::regconfig
    WHEN 'ca' THEN 'pg_catalog.catalan'::regconfig
    WHEN 'da' THEN 'pg_catalog.danish'::regconfig
    WHEN 'nl' THEN 'pg_catalog.dutch'::regconfig
    WHEN 'en' THEN 'pg_catalog.english'::regconfig
    WHEN 'fi' THEN 'pg_catalog.finnish'::regconfig
    WHEN 'fr' THEN 'pg_catalog.french'::regconfig
    WHEN 'de' THEN 'pg_catalog.german'::regconfig
    WHEN 'el' THEN 'pg_catalog.greek'::regconfig
    WHEN 'hi' THEN 'pg_catalog.hindi'::regconfig
    WHEN 'hu' THEN 'pg_catalog.hungarian'::regconfig
    WHEN 'id' THEN 'pg_catalog.indonesian'::regconfig
    WHEN 'ga' THEN 'pg_catalog.irish'::regconfig
    WHEN 'it' THEN 'pg_catalog.italian'::regconfig
    WHEN 'lt' THEN 'pg_catalog.lithuanian'::regconfig
    WHEN 'ne' THEN 'pg_catalog.nepali'::regconfig
    -- Norwegian: Bokmål, Nynorsk, and the macrolanguage tag
    WHEN 'nb' THEN 'pg_catalog.norwegian'::regconfig
    WHEN 'nn' THEN 'pg_catalog.norwegian'::regconfig
    WHEN 'no' THEN 'pg_catalog.norwegian'::regconfig
    WHEN 'pt' THEN 'pg_catalog.portuguese'::regconfig
    WHEN 'ro' THEN 'pg_catalog.romanian'::regconfig
    WHEN 'ru' THEN 'pg_catalog.russian'::regconfig
    WHEN 'sr' THEN 'pg_catalog.serbian'::regconfig
    WHEN 'es' THEN 'pg_catalog.spanish'::regconfig
    WHEN 'sv' THEN 'pg_catalog.swedish'::regconfig
    WHEN 'ta' THEN 'pg_catalog.tamil'::regconfig
    WHEN 'tr' THEN 'pg_catalog.turkish'::regconfig
    WHEN 'yi' THEN 'pg_catalog.yiddish'::regconfig
    ELSE 'pg_catalog.simple'::regconfig
  END;

-- Re-created rather than altered (a generated column's expression cannot be changed in place
-- before PostgreSQL 17): every existing story is indexed again in its language.
ALTER TABLE "Story" DROP COLUMN "searchVector";
ALTER TABLE "Story" ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector(text_search_config("language"), coalesce("headline", '')), 'A') ||
    setweight(to_tsvector(text_search_config("language"), coalesce("lede", '')), 'B') ||
    setweight(to_tsvector(text_search_config("language"), coalesce("bodyText", '')), 'C')
) STORED;
CREATE INDEX "Story_searchVector_idx" ON "Story" USING GIN ("searchVector");
