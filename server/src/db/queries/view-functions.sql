-- For each view and materialized view: every function its definition reaches, directly, through
-- operators (oprcode), and through the plain views it reads, recursively. A materialized view read
-- by another view is stored data: its functions do not run then, so the recursion stops there.
WITH RECURSIVE direct AS (
    SELECT r.ev_class AS view_oid, d.refclassid, d.refobjid
    FROM pg_rewrite r
    JOIN pg_class v ON v.oid = r.ev_class AND v.relkind IN ('v', 'm')
    JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
    WHERE d.refobjid <> r.ev_class
), functions AS (
    SELECT view_oid, refobjid AS fn FROM direct WHERE refclassid = 'pg_proc'::regclass
    UNION
    SELECT view_oid, o.oprcode::oid FROM direct JOIN pg_operator o ON o.oid = direct.refobjid
    WHERE direct.refclassid = 'pg_operator'::regclass
), reads AS (
    SELECT DISTINCT direct.view_oid, direct.refobjid AS inner_view
    FROM direct JOIN pg_class c ON c.oid = direct.refobjid
    WHERE direct.refclassid = 'pg_class'::regclass AND c.relkind = 'v'
), closure(view_oid, reached) AS (
    SELECT DISTINCT view_oid, view_oid FROM direct
    UNION
    SELECT closure.view_oid, reads.inner_view FROM closure JOIN reads ON reads.view_oid = closure.reached
)
SELECT closure.view_oid::int8 AS oid, array_agg(DISTINCT functions.fn::int8 ORDER BY functions.fn::int8) AS functions
FROM closure JOIN functions ON functions.view_oid = closure.reached
GROUP BY closure.view_oid
