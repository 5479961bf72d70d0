-- For each view and materialized view: every function its definition reaches, directly, through
-- operators (oprcode), and through the plain views it reads, recursively; and whether it locks rows
-- (a non-empty rowMarks list in any query of the definition, FOR UPDATE / SHARE, there or in a
-- view it reads), and whether it reads a temporary table (only the leader can, there or in a view
-- it reads). A materialized view read by another view is stored data: its functions do not
-- run then, so the recursion stops there.
-- The references are read from the rule's stored query tree, not from pg_depend: PostgreSQL records
-- no dependency on pinned (built-in) objects, so pg_depend would miss random(), nextval() and every
-- other built-in function, and (on 14) views over system views.
-- The pattern captures nothing (the match is split in two instead): capturing groups make
-- PostgreSQL's regular expressions take their slower path, a third of this query's time.
WITH RECURSIVE matches AS (
    SELECT r.ev_class AS view_oid, m[1] AS found
    FROM pg_rewrite r
    JOIN pg_class v ON v.oid = r.ev_class AND v.relkind IN ('v', 'm')
    CROSS JOIN LATERAL regexp_matches(r.ev_action::text, ':(?:funcid|opfuncid|opno|aggfnoid|winfnoid|relid) \d+|:rowMarks \(', 'g') AS m
    WHERE r.rulename = '_RETURN'
), refs AS (
    SELECT view_oid, substr(split_part(found, ' ', 1), 2) AS field,
           CASE WHEN found = ':rowMarks (' THEN 0 ELSE split_part(found, ' ', 2)::oid END AS ref
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
), reached AS (
    SELECT closure.view_oid, functions.fn, false AS locks, false AS temporary
    FROM closure JOIN functions ON functions.view_oid = closure.reached
    UNION ALL
    SELECT closure.view_oid, NULL, true, false
    FROM closure JOIN refs ON refs.view_oid = closure.reached AND refs.field = 'rowMarks'
    UNION ALL
    SELECT closure.view_oid, NULL, false, true
    FROM closure JOIN refs ON refs.view_oid = closure.reached AND refs.field = 'relid'
    JOIN pg_class t ON t.oid = refs.ref AND t.relpersistence = 't' AND t.relkind <> 'v'
)
SELECT view_oid::int8 AS oid,
       coalesce(array_agg(DISTINCT fn::int8 ORDER BY fn::int8) FILTER (WHERE fn IS NOT NULL), '{}') AS functions,
       bool_or(locks) AS locks_rows,
       bool_or(temporary) AS reads_temporary
FROM reached
GROUP BY view_oid
