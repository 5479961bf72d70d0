-- The settings that decide parallel plans and their cost, in base units (see pg_settings.unit).
SELECT name, setting, vartype
FROM pg_settings
WHERE name = ANY($1::text[])
