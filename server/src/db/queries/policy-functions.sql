-- For each table with row-level-security policies: the functions the policies' expressions call,
-- directly or through operators, and the views they read (whose functions the caller adds).
WITH reached AS (
    SELECT p.polrelid, d.refclassid, d.refobjid
    FROM pg_policy p
    JOIN pg_depend d ON d.classid = 'pg_policy'::regclass AND d.objid = p.oid
)
SELECT polrelid::int8 AS oid,
       coalesce(array_agg(DISTINCT fn::int8) FILTER (WHERE fn IS NOT NULL), '{}') AS functions,
       coalesce(array_agg(DISTINCT view_oid::int8) FILTER (WHERE view_oid IS NOT NULL), '{}') AS views
FROM (
    SELECT polrelid, refobjid AS fn, NULL::oid AS view_oid FROM reached WHERE refclassid = 'pg_proc'::regclass
    UNION ALL
    SELECT polrelid, o.oprcode::oid, NULL FROM reached JOIN pg_operator o ON o.oid = reached.refobjid
    WHERE reached.refclassid = 'pg_operator'::regclass
    UNION ALL
    SELECT polrelid, NULL, c.oid FROM reached JOIN pg_class c ON c.oid = reached.refobjid
    WHERE reached.refclassid = 'pg_class'::regclass AND c.relkind = 'v'
) AS f
GROUP BY polrelid
