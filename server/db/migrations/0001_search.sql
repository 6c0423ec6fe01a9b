-- Diacritics-insensitive search: search_text is folded by the app (lower case, no tones, đ→d);
-- trigram indexes make substring search fast. unaccent is available to SQL reports as well.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS assignments_search_trgm ON assignments USING gin (search_text gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS experts_search_trgm ON experts USING gin (search_text gin_trgm_ops);
