-- Parallel workers running now, in every database: they hold slots of max_parallel_workers and
-- max_worker_processes that a new Gather cannot have.
SELECT count(*)::int AS busy
FROM pg_stat_activity
WHERE backend_type = 'parallel worker'
