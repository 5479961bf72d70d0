-- For each table with row-level-security policies and each role in $1 (the session's role, and
-- the roles views read such tables as: view-row-security.sql): the functions the policies a SELECT
-- by that role gets call, directly or through operators, and the views they read (whose functions
-- the caller adds). Read from the stored expression trees, as for views: pg_depend omits
-- built-in functions.
-- Which policies (get_policies_for_relation, rowsecurity.c): those FOR SELECT or FOR ALL, and only
-- their USING expression (WITH CHECK applies to rows written; a statement that writes never gets a
-- parallel plan anyway); of those, the ones for PUBLIC or for a role whose privileges this role has
-- (check_role_for_policy: has_privs_of_role, pg_has_role's USAGE); a RESTRICTIVE one only where a
-- permissive one applies too. Whether row security applies to the role at all is asked elsewhere.
-- subqueries: the USING expressions with a subquery, as pg_get_expr prints them (the engine walks
-- them: a security qual is never pulled up, so its subqueries run only in the leader).
WITH for_role AS (
    SELECT p.polrelid, role, p.polqual, p.polpermissive
    FROM pg_policy p
    CROSS JOIN unnest($1::oid[]) AS roles(role)
    WHERE p.polcmd IN ('r', '*')
      AND EXISTS (SELECT FROM unnest(p.polroles) AS r(role) WHERE r.role = 0 OR pg_has_role(roles.role, r.role, 'USAGE'))
), applicable AS (
    -- Restrictive policies count only beside a permissive one: without one, add_security_quals
    -- adds a constant false instead (no row, no call).
    SELECT f.polrelid, f.role, f.polqual
    FROM for_role f
    WHERE f.polqual IS NOT NULL
      AND (f.polpermissive OR EXISTS (SELECT FROM for_role o WHERE o.polrelid = f.polrelid AND o.role = f.role AND o.polpermissive AND o.polqual IS NOT NULL))
), refs AS (
    SELECT a.polrelid, a.role, m[1] AS field, m[2]::oid AS ref
    FROM applicable a
    CROSS JOIN LATERAL regexp_matches(a.polqual::text, ':(funcid|opfuncid|opno|aggfnoid|winfnoid|relid) (\d+)', 'g') AS m
), reached AS (
    SELECT refs.polrelid, refs.role, p.oid AS fn, NULL::oid AS view_oid
    FROM refs JOIN pg_proc p ON p.oid = refs.ref
    WHERE refs.field IN ('funcid', 'opfuncid', 'aggfnoid', 'winfnoid')
    UNION ALL
    SELECT refs.polrelid, refs.role, o.oprcode::oid, NULL
    FROM refs JOIN pg_operator o ON o.oid = refs.ref
    WHERE refs.field = 'opno' AND o.oprcode <> 0
    UNION ALL
    SELECT refs.polrelid, refs.role, NULL, c.oid
    FROM refs JOIN pg_class c ON c.oid = refs.ref AND c.relkind = 'v'
    WHERE refs.field = 'relid'
), by_table AS (
    SELECT polrelid, role,
           coalesce(array_agg(DISTINCT fn::int8) FILTER (WHERE fn IS NOT NULL), '{}') AS functions,
           coalesce(array_agg(DISTINCT view_oid::int8) FILTER (WHERE view_oid IS NOT NULL), '{}') AS views
    FROM reached
    GROUP BY polrelid, role
), subqueries AS (
    SELECT polrelid, role, array_agg(pg_get_expr(polqual, polrelid) ORDER BY pg_get_expr(polqual, polrelid)) AS subqueries
    FROM applicable
    WHERE strpos(polqual::text, '{SUBLINK ') > 0
    GROUP BY polrelid, role
)
SELECT coalesce(b.polrelid, s.polrelid)::int8 AS oid,
       coalesce(b.role, s.role)::int8 AS role,
       coalesce(b.functions, '{}') AS functions,
       coalesce(b.views, '{}') AS views,
       s.subqueries
FROM by_table b
FULL JOIN subqueries s ON s.polrelid = b.polrelid AND s.role = b.role
