-- The demo's database: a small shop with two large tables and a few functions, some of them labelled
-- wrongly or not at all. `npm run demo` loads this into a throwaway PostgreSQL before checking reports.sql.
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, country text NOT NULL, signed_up date NOT NULL);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, ordered_at timestamptz NOT NULL, amount numeric(12,2) NOT NULL, status text NOT NULL);

INSERT INTO customers
SELECT g, 'customer ' || g, (ARRAY['DE','FR','NL','SE','PL'])[1 + g % 5], date '2020-01-01' + (g % 1500)
FROM generate_series(1, 50000) g;
INSERT INTO orders
SELECT g, 1 + g % 50000, timestamptz '2024-01-01' + g * interval '37 seconds', (g % 997) * 1.25, (ARRAY['paid','shipped','refunded'])[1 + g % 3]
FROM generate_series(1, 400000) g;
ANALYZE customers, orders;

-- No PARALLEL clause: defaults to PARALLEL UNSAFE although the body is harmless.
CREATE FUNCTION net_amount(gross numeric) RETURNS numeric LANGUAGE sql IMMUTABLE
AS $$ SELECT round(gross / 1.19, 2) $$;

-- Labelled correctly.
CREATE FUNCTION vat_rate(country text) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE country WHEN 'DE' THEN 0.19 WHEN 'FR' THEN 0.20 ELSE 0.21 END $$;

-- Writes an audit row: truly unsafe, and labelled so.
CREATE TABLE audit_log (at timestamptz DEFAULT now(), what text);
CREATE FUNCTION audited(what text) RETURNS text LANGUAGE plpgsql PARALLEL UNSAFE
AS $$ BEGIN INSERT INTO audit_log(what) VALUES (what); RETURN what; END $$;

-- A report view that hides an unsafe call.
CREATE VIEW order_report AS
SELECT o.id, o.customer_id, net_amount(o.amount) AS net, o.status FROM orders o;
