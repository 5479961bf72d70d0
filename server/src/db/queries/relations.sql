-- Tables, partitioned tables, views, materialized views and foreign tables of every schema but
-- pg_toast and information_schema, temporary ones of this session only: size, parallel_workers,
-- row security, columns and the foreign data wrapper.
SELECT c.oid::int8 AS oid,
       n.nspname AS schema,
       c.relname AS name,
       c.relkind AS kind,
       c.relpersistence AS persistence,
       c.relpages AS pages,
       (SELECT o.option_value FROM pg_options_to_table(c.reloptions) o WHERE o.option_name = 'parallel_workers') AS parallel_workers,
       c.relrowsecurity AS row_security,
       cols.names AS column_names,
       cols.types AS column_types,
       w.fdwname AS foreign_wrapper
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (
    SELECT coalesce(array_agg(a.attname::text ORDER BY a.attnum), '{}') AS names,
           coalesce(array_agg(format_type(a.atttypid, NULL) ORDER BY a.attnum), '{}') AS types
    FROM pg_attribute a
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
) AS cols
LEFT JOIN pg_foreign_table ft ON ft.ftrelid = c.oid
LEFT JOIN pg_foreign_server s ON s.oid = ft.ftserver
LEFT JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_toast', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (n.nspname NOT LIKE 'pg\_temp\_%' OR n.oid = pg_my_temp_schema())
ORDER BY c.oid
