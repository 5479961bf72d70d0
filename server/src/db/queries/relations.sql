-- Tables, partitioned tables, views, materialized views and foreign tables of every schema but
-- pg_toast and information_schema, temporary ones of this session only: size, parallel_workers,
-- security_barrier (views), row security (and whether this role bypasses it), columns, the foreign
-- data wrapper, the partitions / children only the leader can scan, and the valid indexes of tables and
-- materialized views outside pg_catalog as JSON text (what the MIN / MAX optimization, planagg.c,
-- asks of them): name, access method, key columns ('' for an expression), unique, partial, and
-- for an index that returns rows in order (amcanorder), per key, the operators its operator family
-- orders that column by (btree strategies 1 and 5, one type on both sides; none where the key's
-- collation is not the column's).
SELECT c.oid::int8 AS oid,
       n.nspname AS schema,
       c.relname AS name,
       c.relkind AS kind,
       c.relpersistence AS persistence,
       c.relpages AS pages,
       (SELECT o.option_value FROM pg_options_to_table(c.reloptions) o WHERE o.option_name = 'parallel_workers') AS parallel_workers,
       c.relkind = 'v' AND EXISTS (SELECT FROM pg_options_to_table(c.reloptions) o WHERE o.option_name = 'security_barrier' AND o.option_value::bool) AS security_barrier,
       c.relrowsecurity AS row_security,
       c.relhassubclass AS has_subclass,
       -- Row security that does not apply to this session's role (the owner without FORCE, a
       -- superuser, BYPASSRLS: check_enable_rls, which row_security_active asks).
       c.relrowsecurity AND NOT row_security_active(c.oid) AS row_security_bypassed,
       cols.names AS column_names,
       cols.types AS column_types,
       w.fdwname AS foreign_wrapper,
       idx.indexes,
       children.leader_only AS leader_only_children,
       -- A partitioned table's strategy and key columns (an expression's null), as JSON text.
       (SELECT json_build_object('strategy', pt.partstrat, 'columns', (
                   SELECT json_agg(a.attname ORDER BY k.i)
                   FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY AS k(attnum, i)
                   LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum))::text
        FROM pg_partitioned_table pt WHERE pt.partrelid = c.oid) AS partition_key
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (
    SELECT coalesce(array_agg(a.attname::text ORDER BY a.attnum), '{}') AS names,
           coalesce(array_agg(format_type(a.atttypid, NULL) ORDER BY a.attnum), '{}') AS types
    FROM pg_attribute a
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
) AS cols
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object(
               'name', ic.relname,
               'method', am.amname,
               'columns', keys.names,
               'unique', i.indisunique,
               'partial', i.indpred IS NOT NULL,
               'deferrable', NOT i.indimmediate,
               'orderedBy', CASE WHEN pg_indexam_has_property(am.oid, 'can_order') THEN keys.ordered_by END
           ) ORDER BY ic.relname)::text AS indexes
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
    CROSS JOIN LATERAL (
        SELECT json_agg(coalesce(a.attname::text, '') ORDER BY k.ord) AS names,
               json_agg(CASE WHEN k.attnum <> 0 AND i.indcollation[k.ord - 1] = a.attcollation
                             THEN (SELECT coalesce(json_agg(o.amopopr::int8 ORDER BY o.amopopr), '[]')
                                   FROM pg_opclass oc
                                   JOIN pg_amop o ON o.amopfamily = oc.opcfamily AND o.amoplefttype = o.amoprighttype AND o.amopstrategy IN (1, 5)
                                   WHERE oc.oid = i.indclass[k.ord - 1])
                             ELSE '[]' END ORDER BY k.ord) AS ordered_by
        FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
        LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
        WHERE k.ord <= i.indnkeyatts
    ) AS keys
    WHERE i.indrelid = c.oid AND i.indisvalid AND c.relkind IN ('r', 'p', 'm') AND n.nspname <> 'pg_catalog'
) AS idx ON true
-- A parent's partitions and inheritance children, at any depth, that only the leader can scan: a
-- foreign table, this session's temporary table (another session's are never read). One of them
-- keeps every scan of the parent out of workers (set_append_rel_size), unless plan-time pruning
-- leaves it out: a partition comes with the bound of the parent's own partition it is or is under.
LEFT JOIN LATERAL (
    WITH RECURSIVE tree(relid, top) AS (
        SELECT i.inhrelid, i.inhrelid FROM pg_inherits i WHERE i.inhparent = c.oid AND c.relhassubclass
        UNION
        SELECT i.inhrelid, tree.top FROM pg_inherits i JOIN tree ON i.inhparent = tree.relid
    )
    SELECT json_agg(json_build_object('schema', cn.nspname, 'name', cc.relname, 'foreignWrapper', cw.fdwname,
                                      'bound', CASE WHEN c.relkind = 'p' THEN pg_get_expr(tc.relpartbound, tc.oid) END)
                    ORDER BY cn.nspname, cc.relname)::text AS leader_only
    FROM tree
    JOIN pg_class cc ON cc.oid = tree.relid
    JOIN pg_class tc ON tc.oid = tree.top
    JOIN pg_namespace cn ON cn.oid = cc.relnamespace
    LEFT JOIN pg_foreign_table cft ON cft.ftrelid = cc.oid
    LEFT JOIN pg_foreign_server cs ON cs.oid = cft.ftserver
    LEFT JOIN pg_foreign_data_wrapper cw ON cw.oid = cs.srvfdw
    WHERE cc.relkind = 'f' OR (cc.relpersistence = 't' AND cc.relnamespace = pg_my_temp_schema())
) AS children ON true
LEFT JOIN pg_foreign_table ft ON ft.ftrelid = c.oid
LEFT JOIN pg_foreign_server s ON s.oid = ft.ftserver
LEFT JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname NOT IN ('pg_toast', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND (n.nspname NOT LIKE 'pg\_temp\_%' OR n.oid = pg_my_temp_schema())
ORDER BY c.oid
