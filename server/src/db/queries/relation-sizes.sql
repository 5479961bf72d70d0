-- Tables and indexes a statement reads, sized as the planner sizes them for parallel scans: blocks of
-- the main fork now (RelationGetNumberOfBlocks), not pg_class.relpages, which is only as fresh as the
-- last VACUUM or ANALYZE; with the parallel_workers storage parameter and, for indexes, their table.
-- $1: oids; $2, $3: schema and name pairs.
SELECT n.nspname AS schema,
       c.relname AS name,
       c.relkind AS kind,
       c.relispartition AS partition,
       pg_relation_size(c.oid) / current_setting('block_size')::int8 AS pages,
       (SELECT o.option_value FROM pg_options_to_table(c.reloptions) o WHERE o.option_name = 'parallel_workers') AS parallel_workers,
       tn.nspname || '.' || t.relname AS indexed_table
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_index i ON i.indexrelid = c.oid
LEFT JOIN pg_class t ON t.oid = i.indrelid
LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
WHERE c.relkind IN ('r', 'm', 'i')
  AND (c.oid = ANY($1::oid[])
       OR (n.nspname, c.relname) IN (SELECT u.schema_name, u.relation_name FROM unnest($2::text[], $3::text[]) AS u(schema_name, relation_name)))
ORDER BY n.nspname, c.relname
