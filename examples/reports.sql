-- Reporting queries checked by `npm run demo` (and by `pg-parallel-hints check` in CI).

-- 1. Revenue per country: fine, the planner can use all workers.
SELECT c.country, sum(o.amount) AS revenue, count(*) AS orders
FROM orders o JOIN customers c ON c.id = o.customer_id
WHERE o.status <> 'refunded'
GROUP BY c.country;

-- 2. Net revenue: net_amount() has no PARALLEL clause, so it is UNSAFE and the whole query runs serially.
SELECT date_trunc('month', ordered_at) AS month, sum(net_amount(amount)) AS net
FROM orders
GROUP BY 1;

-- 3. Through a view: the same function, hidden.
SELECT status, count(*), sum(net) FROM order_report GROUP BY status;

-- 4. random() is PARALLEL RESTRICTED: a sample filtered by it cannot be scanned in parallel.
SELECT * FROM orders WHERE random() < 0.001;

-- 5. Window functions run only in the leader; the scan below can still be parallel.
SELECT customer_id, amount, rank() OVER (PARTITION BY customer_id ORDER BY amount DESC) FROM orders WHERE amount > 1200;

-- 6. Locks rows: never parallel.
SELECT id FROM orders WHERE status = 'paid' AND amount > 1240 FOR UPDATE;

-- 7. A new helper, defined here without a PARALLEL clause although its body is safe.
CREATE FUNCTION order_size(amount numeric) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE WHEN amount > 1000 THEN 'large' WHEN amount > 100 THEN 'medium' ELSE 'small' END $$;

-- 8. A function labelled SAFE whose body writes: it fails when run in a parallel worker.
CREATE FUNCTION log_and_tag(amount numeric) RETURNS text LANGUAGE plpgsql PARALLEL SAFE
AS $$ BEGIN INSERT INTO audit_log(what) VALUES ('tagged'); RETURN 'tag'; END $$;

-- 9. vat_rate() is labelled PARALLEL SAFE: this one can run in parallel.
SELECT c.country, sum(o.amount * vat_rate(c.country)) AS vat
FROM orders o JOIN customers c ON c.id = o.customer_id
GROUP BY c.country;
