-- Who and where we are, and the effective search_path.
SELECT current_setting('server_version_num')::int AS version_num,
       split_part(current_setting('server_version'), ' ', 1) AS version,
       current_schemas(true)::text[] AS search_path,
       current_user AS "user",
       (SELECT r.oid FROM pg_roles r WHERE r.rolname = current_user)::int8 AS user_oid,
       current_database() AS database
