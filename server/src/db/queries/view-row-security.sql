-- For each view: the tables with row-level security its query reads, directly or through the views
-- it reads, each with the role the rewriter checks that read as (checkAsUser): a view's own reads
-- are its owner's, or, for a security_invoker view (PostgreSQL 15+), those of whoever reads the
-- view: the session's role at the top, the reading view's role below. `active`: whether the table's
-- policies apply to that role (check_enable_rls: not a superuser, not BYPASSRLS, not the table's
-- owner unless FORCE ROW LEVEL SECURITY; for the session's own role, row_security_active).
-- Relations a view reads come from pg_depend of its rule (a relation with row security is never a
-- pinned one). Materialized views are stored data: reading one reads no table.
WITH RECURSIVE me AS (
    SELECT r.oid FROM pg_roles r WHERE r.rolname = current_user
), views AS (
    SELECT v.oid, v.relowner,
           EXISTS (SELECT FROM pg_options_to_table(v.reloptions) o WHERE o.option_name = 'security_invoker' AND o.option_value::bool) AS invoker
    FROM pg_class v
    WHERE v.relkind = 'v'
), reads AS (
    SELECT DISTINCT rw.ev_class AS view_oid, d.refobjid AS rel_oid
    FROM pg_rewrite rw
    JOIN views ON views.oid = rw.ev_class
    JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid AND d.refclassid = 'pg_class'::regclass
    WHERE d.refobjid <> rw.ev_class
), chain(top, rel, role) AS (
    SELECT reads.view_oid, reads.rel_oid, CASE WHEN views.invoker THEN (SELECT oid FROM me) ELSE views.relowner END
    FROM reads JOIN views ON views.oid = reads.view_oid
    UNION
    SELECT chain.top, reads.rel_oid, CASE WHEN views.invoker THEN chain.role ELSE views.relowner END
    FROM chain JOIN views ON views.oid = chain.rel JOIN reads ON reads.view_oid = chain.rel
)
SELECT chain.top::int8 AS view_oid,
       t.oid::int8 AS table_oid,
       n.nspname AS table_schema,
       t.relname AS table_name,
       chain.role::int8 AS role,
       r.rolname AS role_name,
       CASE WHEN chain.role = (SELECT oid FROM me) THEN row_security_active(t.oid)
            ELSE NOT (r.rolsuper OR r.rolbypassrls OR (pg_has_role(r.oid, t.relowner, 'USAGE') AND NOT t.relforcerowsecurity)) END AS active
FROM chain
JOIN pg_class t ON t.oid = chain.rel AND t.relrowsecurity
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_roles r ON r.oid = chain.role
ORDER BY 1, 2, 3
