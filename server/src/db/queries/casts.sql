-- Casts; castfunc is 0 for binary-coercible and I/O casts.
SELECT format_type(c.castsource, NULL) AS source,
       format_type(c.casttarget, NULL) AS target,
       c.castfunc::int8 AS function_oid,
       c.castcontext AS context,
       c.castmethod AS method
FROM pg_cast c
ORDER BY c.oid
