-- Operators and the function each one runs (oprcode).
SELECT o.oid::int8 AS oid,
       n.nspname AS schema,
       o.oprname AS name,
       CASE WHEN o.oprleft = 0 THEN 'none' ELSE format_type(o.oprleft, NULL) END AS "left",
       CASE WHEN o.oprright = 0 THEN 'none' ELSE format_type(o.oprright, NULL) END AS "right",
       format_type(o.oprresult, NULL) AS result,
       o.oprcode::oid::int8 AS function_oid
FROM pg_operator o
JOIN pg_namespace n ON n.oid = o.oprnamespace
ORDER BY o.oid
