-- Every function, procedure, aggregate and window function, built-ins included (other sessions'
-- temporary functions left out): what overload resolution and verdicts need. Read through a cursor,
-- a page at a time (catalog.ts), so 100,000 functions never have all their rows in memory at once.
-- The argument lists come as JSON text, not arrays: pg parses an array column in JavaScript for
-- every row, JSON.parse is native, and a list repeated across functions is known by its text alone.
-- A regtype prints as format_type(oid, NULL) does (both name a type outside search_path with its
-- schema); cast as a whole array it costs a fifth less than a format_type per argument gathered by
-- json_agg (the query on 23,417 functions: 72 against 91 ms in PostgreSQL 18).
-- inline_body: the SQL body of a SQL function the planner may inline where that can change a
-- verdict (clauses.c; not SECURITY DEFINER, no SET clause, callable by this user): a scalar one
-- (inline_function: a RESTRICTED one's label then restricts nothing, a SAFE one's body is checked
-- in a statement that is not SAFE), and a set-returning one that is not VOLATILE or STRICT
-- (inline_set_returning_function: called in FROM, its query becomes a subquery there, its LIMIT
-- included). An UNSAFE one's too: it blocks a statement that calls it whatever its body, but inside
-- another inlined body the statement's check never sees it and it is inlined in turn. prosqlbody (BEGIN
-- ATOMIC / RETURN) has no source text; pg_get_function_sqlbody prints it. Both costly calls are made
-- only where needed (a default ACL grants EXECUTE to all): 100,000 SQL functions read as fast.
SELECT p.oid::int8 AS oid,
       n.nspname AS schema,
       p.proname AS name,
       to_json(p.proargtypes::oid[]::regtype[]::text[])::text AS arg_types,
       to_json(p.proargnames)::text AS arg_names,
       to_json(p.proargmodes::text[])::text AS arg_modes,
       -- OUT, INOUT and TABLE parameters' types (the columns a call in FROM gives): only where there are any.
       CASE WHEN p.proallargtypes IS NOT NULL THEN to_json(p.proallargtypes::oid[]::regtype[]::text[])::text END AS all_arg_types,
       p.pronargdefaults AS defaults,
       -- One column for six one-character facts: kind, volatility, parallel, strict, returns a set,
       -- variadic (each column costs pg a parse per row: 100,000 functions read a sixth faster).
       p.prokind::text || p.provolatile::text || p.proparallel::text || CASE WHEN p.proisstrict THEN 't' ELSE 'f' END
         || CASE WHEN p.proretset THEN 't' ELSE 'f' END || CASE WHEN p.provariadic <> 0 THEN 't' ELSE 'f' END AS flags,
       l.lanname AS language,
       format_type(p.prorettype, NULL) AS return_type,
       d.description,
       CASE WHEN ag.aggfnoid IS NOT NULL THEN ag.aggcombinefn::oid <> 0 END AS combinable,
       CASE WHEN ag.aggsortop <> 0 THEN ag.aggsortop::int8 END AS sort_operator,
       CASE WHEN p.procost <> CASE WHEN l.lanname IN ('internal', 'c') THEN 1 ELSE 100 END THEN p.procost::float8 END AS cost,
       CASE WHEN l.lanname = 'sql' AND p.prokind = 'f' AND NOT p.prosecdef AND p.proconfig IS NULL
                 AND p.prorettype <> 'void'::regtype
                 AND (NOT p.proretset AND p.prorettype <> 'record'::regtype
                      OR p.proretset AND p.provolatile <> 'v' AND NOT p.proisstrict)
                 AND CASE WHEN p.proacl IS NULL THEN true ELSE has_function_privilege(p.oid, 'EXECUTE') END
            THEN CASE WHEN p.prosqlbody IS NULL THEN p.prosrc ELSE pg_get_function_sqlbody(p.oid) END END AS inline_body
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
LEFT JOIN pg_aggregate ag ON ag.aggfnoid = p.oid
WHERE n.nspname NOT LIKE 'pg\_temp\_%' OR n.oid = pg_my_temp_schema()
ORDER BY p.oid
