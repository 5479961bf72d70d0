-- Every function, procedure, aggregate and window function, built-ins included (other sessions'
-- temporary functions left out): what overload resolution and verdicts need. Read a page at a
-- time, by oid ($1: the last oid of the page before, $2: the page size), so a database with
-- 100,000 functions never has all their rows in memory at once. The page is cut from pg_proc
-- alone (an index scan), before the joins; rows to leave out are marked, not dropped, so a short
-- page still means the last one.
SELECT p.oid::int8 AS oid,
       n.nspname AS schema,
       p.proname AS name,
       ARRAY(SELECT format_type(a.t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(t, i) ORDER BY a.i) AS arg_types,
       p.proargnames AS arg_names,
       p.proargmodes::text[] AS arg_modes,
       p.pronargdefaults AS defaults,
       p.provariadic <> 0 AS variadic,
       p.prokind AS kind,
       l.lanname AS language,
       p.provolatile AS volatility,
       p.proparallel AS parallel,
       format_type(p.prorettype, NULL) AS return_type,
       p.proretset AS returns_set,
       d.description,
       CASE WHEN ag.aggfnoid IS NOT NULL THEN ag.aggcombinefn::oid <> 0 END AS combinable,
       n.nspname NOT LIKE 'pg\_temp\_%' OR n.oid = pg_my_temp_schema() AS visible
FROM (SELECT * FROM pg_proc WHERE oid > $1::oid ORDER BY oid LIMIT $2) p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
LEFT JOIN pg_aggregate ag ON ag.aggfnoid = p.oid
ORDER BY p.oid
