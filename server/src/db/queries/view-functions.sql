-- For each view and materialized view: every function its definition reaches, directly, through
-- operators (oprcode), and through the plain views it reads, recursively; and its marks, there or
-- in a view it reads:
--   locks-rows       a non-empty rowMarks list in any query of the definition (FOR UPDATE / SHARE);
--   reads-temporary  a temporary table (only the leader can read one);
--   window-function, materialized-cte, table-function (XMLTABLE, JSON_TABLE), set-operation
--                    (INTERSECT, EXCEPT; UNION without ALL before 17), limit (LIMIT / OFFSET of
--                    the view's own query): plan shapes that PostgreSQL runs only in the leader.
-- Built-in views have no marks (see marks below).
-- A materialized view read by another view is stored data: its functions do not run then, so the
-- recursion stops there.
-- The references are read from the rule's stored query tree, not from pg_depend: PostgreSQL records
-- no dependency on pinned (built-in) objects, so pg_depend would miss random(), nextval() and every
-- other built-in function, and (on 14) views over system views.
-- The pattern captures nothing (the match is split in two instead): capturing groups make
-- PostgreSQL's regular expressions take their slower path, a third of this query's time.
-- The tree's text is made once (rules is read twice, so PostgreSQL materializes it).
WITH RECURSIVE rules AS (
    SELECT r.ev_class AS view_oid, v.relkind, r.ev_action::text AS tree
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
), marks AS (
    -- Views of the database's own (oids from FirstNormalObjectId, 16384, on): every search here
    -- goes through a tree again, and the built-in views' trees (3 MB on 18) would add about 100 ms
    -- to each catalog read. (Plain substring searches: each extra alternative in the pattern above
    -- cost more than all of these.)
    SELECT view_oid, mark
    FROM rules CROSS JOIN LATERAL (SELECT reverse(tree) AS backwards) b
    -- The view's own query is the outermost node: its limitOffset and limitCount are the last ones
    -- written (what follows them holds no query). A NULL constant (LIMIT ALL) is no limit.
    CROSS JOIN LATERAL (
        SELECT reverse(split_part(backwards, reverse(':limitCount '), 1)) AS count_on,
               reverse(split_part(backwards, reverse(':limitOffset '), 1)) AS offset_on
    ) l
    CROSS JOIN LATERAL (VALUES
        ('locks-rows', strpos(tree, ':rowMarks (') > 0),
        ('window-function', strpos(tree, ':hasWindowFuncs true') > 0),
        -- A CTE scan: MATERIALIZED, recursive, or read more than once (materialized by default).
        ('materialized-cte', strpos(tree, ':ctematerialized 1') > 0 OR strpos(tree, ':cterecursive true') > 0
                             OR tree ~ ':cterefcount (?:[2-9]|[1-9][0-9])'),
        ('table-function', strpos(tree, '{TABLEFUNC') > 0),
        -- op 1 is UNION: ALL is flattened into an append, and from 17 UNION is parallel too.
        ('set-operation', strpos(tree, ':op 2 :all') > 0 OR strpos(tree, ':op 3 :all') > 0
                          OR (strpos(tree, ':op 1 :all false') > 0 AND current_setting('server_version_num')::int < 170000)),
        ('limit', relkind = 'v' AND ((count_on LIKE '{%' AND count_on NOT LIKE '{CONST % :constisnull true %')
                                     OR (offset_on LIKE '{%' AND offset_on NOT LIKE '{CONST % :constisnull true %')))
    ) AS m(mark, present)
    WHERE present AND view_oid >= 16384
    UNION ALL
    SELECT refs.view_oid, 'reads-temporary'
    FROM refs JOIN pg_class t ON t.oid = refs.ref AND t.relpersistence = 't' AND t.relkind <> 'v'
    WHERE refs.field = 'relid'
), reads AS (
    SELECT DISTINCT refs.view_oid, c.oid AS inner_view
    FROM refs JOIN pg_class c ON c.oid = refs.ref AND c.relkind = 'v'
    WHERE refs.field = 'relid' AND refs.ref <> refs.view_oid
), closure(view_oid, reached) AS (
    SELECT oid, oid FROM pg_class WHERE relkind IN ('v', 'm')
    UNION
    SELECT closure.view_oid, reads.inner_view FROM closure JOIN reads ON reads.view_oid = closure.reached
), reached AS (
    SELECT closure.view_oid, functions.fn, NULL AS mark
    FROM closure JOIN functions ON functions.view_oid = closure.reached
    UNION ALL
    SELECT closure.view_oid, NULL, marks.mark
    FROM closure JOIN marks ON marks.view_oid = closure.reached AND marks.mark IS NOT NULL
)
SELECT view_oid::int8 AS oid,
       coalesce(array_agg(DISTINCT fn::int8 ORDER BY fn::int8) FILTER (WHERE fn IS NOT NULL), '{}') AS functions,
       coalesce(array_agg(DISTINCT mark ORDER BY mark) FILTER (WHERE mark IS NOT NULL), '{}') AS marks
FROM reached
GROUP BY view_oid
