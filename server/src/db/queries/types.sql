-- Types. Left out: the row types of system catalogs and information_schema views (and their arrays),
-- which nobody casts to, and other sessions' temporary types. A domain "has constraints" when it or
-- any domain under it has a CHECK or NOT NULL: coercing to it then runs them all. Its text input
-- and output functions when they are not PARALLEL SAFE: a cast through text runs them. The fields
-- of a composite type made by CREATE TYPE ... AS (a relation's row type has its columns, read in
-- relations.sql), as JSON text: a ROW(...) cast to it is coerced to each field's type. A range's
-- subtype and multirange type: what polymorphic calls over it resolve to.
WITH RECURSIVE domain_chain(domain_oid, type_oid) AS (
    SELECT t.oid, t.oid FROM pg_type t WHERE t.typtype = 'd'
    UNION ALL
    SELECT chain.domain_oid, base.typbasetype
    FROM domain_chain chain JOIN pg_type base ON base.oid = chain.type_oid
    WHERE base.typtype = 'd'
), constrained AS (
    SELECT DISTINCT chain.domain_oid
    FROM domain_chain chain JOIN pg_type t ON t.oid = chain.type_oid
    WHERE t.typtype = 'd'
      AND (t.typnotnull OR EXISTS (SELECT 1 FROM pg_constraint c WHERE c.contypid = t.oid))
), system_row_types AS (
    SELECT t.oid
    FROM pg_type t
    JOIN pg_class r ON r.oid = t.typrelid AND r.relkind <> 'c'
    JOIN pg_namespace rn ON rn.oid = r.relnamespace
    WHERE rn.nspname IN ('pg_catalog', 'information_schema')
)
SELECT t.oid::int8 AS oid,
       n.nspname AS schema,
       t.typname AS name,
       format_type(t.oid, NULL) AS formatted,
       t.typcategory AS category,
       t.typispreferred AS preferred,
       t.typtype AS kind,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, NULL) END AS base_type,
       CASE WHEN t.typtype = 'd' THEN t.oid IN (SELECT domain_oid FROM constrained) END AS has_constraints,
       CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN format_type(t.typelem, NULL) END AS element_type,
       CASE WHEN i.proparallel <> 's' THEN i.oid::int8 END AS input_function,
       CASE WHEN o.proparallel <> 's' THEN o.oid::int8 END AS output_function,
       (SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, NULL)) ORDER BY a.attnum)::text
        FROM pg_class r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE t.typtype = 'c' AND r.oid = t.typrelid AND r.relkind = 'c') AS fields,
       CASE WHEN rg.rngtypid IS NOT NULL THEN format_type(rg.rngsubtype, NULL) END AS range_subtype,
       CASE WHEN rg.rngtypid IS NOT NULL THEN format_type(rg.rngmultitypid, NULL) END AS multirange_type
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_proc i ON i.oid = t.typinput
LEFT JOIN pg_proc o ON o.oid = t.typoutput
LEFT JOIN pg_range rg ON rg.rngtypid = t.oid
WHERE n.nspname <> 'pg_toast' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (n.nspname NOT LIKE 'pg\_temp\_%' OR n.oid = pg_my_temp_schema())
  AND t.oid NOT IN (SELECT oid FROM system_row_types)
  AND NOT (t.typcategory = 'A' AND t.typelem IN (SELECT oid FROM system_row_types))
ORDER BY t.oid
