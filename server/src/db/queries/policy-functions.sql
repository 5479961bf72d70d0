-- For each table with row-level-security policies: the functions the policies' expressions call,
-- directly or through operators, and the views they read (whose functions the caller adds).
-- Read from the stored expression trees, as for views: pg_depend omits built-in functions.
WITH refs AS (
    SELECT p.polrelid, m[1] AS field, m[2]::oid AS ref
    FROM pg_policy p
    CROSS JOIN LATERAL regexp_matches(coalesce(p.polqual::text, '') || ' ' || coalesce(p.polwithcheck::text, ''),
                                      ':(funcid|opfuncid|opno|aggfnoid|winfnoid|relid) (\d+)', 'g') AS m
), reached AS (
    SELECT refs.polrelid, p.oid AS fn, NULL::oid AS view_oid
    FROM refs JOIN pg_proc p ON p.oid = refs.ref
    WHERE refs.field IN ('funcid', 'opfuncid', 'aggfnoid', 'winfnoid')
    UNION ALL
    SELECT refs.polrelid, o.oprcode::oid, NULL
    FROM refs JOIN pg_operator o ON o.oid = refs.ref
    WHERE refs.field = 'opno' AND o.oprcode <> 0
    UNION ALL
    SELECT refs.polrelid, NULL, c.oid
    FROM refs JOIN pg_class c ON c.oid = refs.ref AND c.relkind = 'v'
    WHERE refs.field = 'relid'
)
SELECT polrelid::int8 AS oid,
       coalesce(array_agg(DISTINCT fn::int8) FILTER (WHERE fn IS NOT NULL), '{}') AS functions,
       coalesce(array_agg(DISTINCT view_oid::int8) FILTER (WHERE view_oid IS NOT NULL), '{}') AS views
FROM reached
GROUP BY polrelid
