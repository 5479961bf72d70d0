-- The definitions of the database's own views and materialized views (a REFRESH runs the query;
-- oids from FirstNormalObjectId, 16384, on; none of
-- another session's temporary schema), as pg_get_viewdef prints them under the read's search_path
-- (pg_catalog, pg_temp: every other name qualified). The engine walks one the first time a
-- statement reads the view (walker.ts, traitsOf), for what it passes on besides functions: row
-- locks, temporary tables, what runs only in the leader. Built-in views are left out: printing
-- theirs would add to every read for views a user's SQL rarely reads, and they pass nothing on
-- that their functions do not.
-- pg_get_viewdef takes an ACCESS SHARE lock on each relation the view reads (AcquireRewriteLocks),
-- like any query's, until the caller rolls back its savepoint (right after the rows are in): a view
-- reading a relation that another session holds or waits for an ACCESS EXCLUSIVE lock on (ALTER
-- TABLE, TRUNCATE, VACUUM FULL, DROP, LOCK TABLE), or that is such a relation itself, is left out
-- instead of waited for (silently: the view passes on its functions only, until the next read).
-- The caller runs this last, in a savepoint under a short lock_timeout, for a lock taken after the
-- check.
WITH own AS (
    SELECT c.oid FROM pg_class c
    WHERE c.relkind IN ('v', 'm') AND c.oid >= 16384 AND NOT pg_is_other_temp_schema(c.relnamespace)
), locked AS MATERIALIZED (
    -- Another session's (a prepared transaction's has no pid), in this database or on a shared catalog.
    SELECT DISTINCT l.relation
    FROM pg_locks l
    WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock' AND l.pid IS DISTINCT FROM pg_backend_pid()
      AND l.database IN (0, (SELECT d.oid FROM pg_database d WHERE d.datname = current_database()))
)
SELECT own.oid::int8 AS oid, pg_get_viewdef(own.oid) AS definition
FROM own
WHERE NOT EXISTS (SELECT 1 FROM locked WHERE locked.relation = own.oid)
  -- The relations its stored query reads (":relid N " in the tree); searched only when something is locked.
  AND NOT EXISTS (
    SELECT 1 FROM locked JOIN pg_rewrite r ON r.ev_class = own.oid AND r.rulename = '_RETURN'
    WHERE strpos(r.ev_action::text, ':relid ' || locked.relation || ' ') > 0
  )
