-- For each view and materialized view: every function its definition reaches, directly, through
-- operators (oprcode), and through the plain views it reads, recursively. (What else a view passes
-- on comes from its definition: view-definitions.sql.)
-- A materialized view read by another view is stored data: its functions do not run then, so the
-- recursion stops there.
-- The references are read from the rule's stored query tree, not from pg_depend: PostgreSQL records
-- no dependency on pinned (built-in) objects, so pg_depend would miss random(), nextval() and every
-- other built-in function, and (on 14) views over system views.
-- The pattern captures nothing (the match is split in two instead): capturing groups make
-- PostgreSQL's regular expressions take their slower path, a third of this query's time.
WITH RECURSIVE rules AS (
    SELECT r.ev_class AS view_oid, r.ev_action::text AS tree
    FROM pg_rewrite r
    JOIN pg_class v ON v.oid = r.ev_class AND v.relkind IN ('v', 'm')
    WHERE r.rulename = '_RETURN'
), matches AS (
    SELECT view_oid, m[1] AS found
    FROM rules CROSS JOIN LATERAL regexp_matches(tree, ':(?:funcid|opfuncid|opno|aggfnoid|winfnoid|relid) \d+', 'g') AS m
), refs AS (
    SELECT view_oid, substr(split_part(found, ' ', 1), 2) AS field, split_part(found, ' ', 2)::oid AS ref
    FROM matches
), functions AS (
    SELECT refs.view_oid, p.oid AS fn
    FROM refs JOIN pg_proc p ON p.oid = refs.ref
    WHERE refs.field IN ('funcid', 'opfuncid', 'aggfnoid', 'winfnoid')
    UNION
    SELECT refs.view_oid, o.oprcode::oid
    FROM refs JOIN pg_operator o ON o.oid = refs.ref
    WHERE refs.field = 'opno' AND o.oprcode <> 0
), reads AS (
    SELECT DISTINCT refs.view_oid, c.oid AS inner_view
    FROM refs JOIN pg_class c ON c.oid = refs.ref AND c.relkind = 'v'
    WHERE refs.field = 'relid' AND refs.ref <> refs.view_oid
), closure(view_oid, reached) AS (
    SELECT oid, oid FROM pg_class WHERE relkind IN ('v', 'm')
    UNION
    SELECT closure.view_oid, reads.inner_view FROM closure JOIN reads ON reads.view_oid = closure.reached
)
SELECT closure.view_oid::int8 AS oid, array_agg(DISTINCT functions.fn::int8 ORDER BY functions.fn::int8) AS functions
FROM closure JOIN functions ON functions.view_oid = closure.reached
GROUP BY closure.view_oid
