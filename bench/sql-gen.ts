/**
 * Realistic SQL documents for the LSP benchmarks: a schema header (tables, a view, helper functions
 * with and without PARALLEL labels, as in examples/reports.sql) followed by reporting queries, CTEs,
 * writes, locks and some DDL, repeated with varying names and literals until the wanted size, with
 * statements from PostgreSQL's own SQL (the share/ corpus) mixed in. Deterministic: a seeded PRNG.
 */

/** Small, fast, deterministic PRNG (mulberry32), so every run benchmarks the same text. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SCHEMA = `-- Schema used by the reporting queries below.
CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, country text, created_at timestamptz DEFAULT now());
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers(id), amount numeric(12,2), status text, ordered_at timestamptz);
CREATE TABLE products (id bigint PRIMARY KEY, sku text UNIQUE, title text, price numeric(12,2), category text);
CREATE TABLE order_items (order_id bigint, product_id bigint, quantity int, unit_price numeric(12,2));
CREATE TABLE events (id bigserial PRIMARY KEY, customer_id bigint, kind text, payload jsonb, at timestamptz);
CREATE TABLE audit_log (id bigserial PRIMARY KEY, what text, at timestamptz DEFAULT now());

CREATE FUNCTION net_amount(amount numeric) RETURNS numeric LANGUAGE sql IMMUTABLE
AS $$ SELECT amount / 1.2 $$;
CREATE FUNCTION vat_rate(country text) RETURNS numeric LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT CASE country WHEN 'DE' THEN 0.19 WHEN 'FR' THEN 0.20 ELSE 0.21 END $$;
CREATE FUNCTION order_size(amount numeric) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN amount > 1000 THEN 'large' WHEN amount > 100 THEN 'medium' ELSE 'small' END $$;
CREATE FUNCTION log_and_tag(amount numeric) RETURNS text LANGUAGE plpgsql PARALLEL SAFE
AS $$ BEGIN INSERT INTO audit_log(what) VALUES ('tagged'); RETURN 'tag'; END $$;
CREATE VIEW order_report AS SELECT o.status, net_amount(o.amount) AS net FROM orders o;
`;

/** Function names the generated queries call, for hover positions (each call is `name(`). */
export const CALLED_FUNCTIONS = ['net_amount', 'vat_rate', 'order_size', 'date_trunc', 'lower', 'coalesce', 'round', 'random', 'length', 'upper'];

const STATUSES = ['paid', 'refunded', 'open', 'shipped', 'cancelled'];
const COUNTRIES = ['DE', 'FR', 'NL', 'SE', 'PL', 'IT'];
const KINDS = ['login', 'view', 'cart', 'checkout'];

type Template = (r: () => number, n: number) => string;

const pick = <T>(r: () => number, list: T[]): T => list[Math.floor(r() * list.length)];
const amount = (r: () => number) => String(100 + Math.floor(r() * 9000));

const TEMPLATES: Template[] = [
  (r) => `SELECT c.country, sum(o.amount) AS revenue, count(*) AS orders\nFROM orders o JOIN customers c ON c.id = o.customer_id\nWHERE o.status <> '${pick(r, STATUSES)}' AND o.amount > ${amount(r)}\nGROUP BY c.country;`,
  (r) => `SELECT date_trunc('month', ordered_at) AS month, sum(net_amount(amount)) AS net\nFROM orders WHERE amount > ${amount(r)}\nGROUP BY 1;`,
  (r) => `SELECT status, count(*), sum(net) FROM order_report WHERE net > ${amount(r)} GROUP BY status;`,
  (r) => `SELECT * FROM orders WHERE random() < 0.00${1 + Math.floor(r() * 9)} AND amount > ${amount(r)};`,
  (r) => `SELECT customer_id, amount, rank() OVER (PARTITION BY customer_id ORDER BY amount DESC) FROM orders WHERE amount > ${amount(r)};`,
  (r) => `SELECT id FROM orders WHERE status = '${pick(r, STATUSES)}' AND amount > ${amount(r)} FOR UPDATE;`,
  (r) => `SELECT c.country, sum(o.amount * vat_rate(c.country)) AS vat\nFROM orders o JOIN customers c ON c.id = o.customer_id\nWHERE o.amount > ${amount(r)}\nGROUP BY c.country;`,
  (r) =>
    `WITH recent AS (\n  SELECT customer_id, sum(amount) AS total FROM orders\n  WHERE ordered_at > now() - interval '${1 + Math.floor(r() * 90)} days' GROUP BY customer_id\n), ranked AS (\n  SELECT customer_id, total, ntile(10) OVER (ORDER BY total DESC) AS decile FROM recent\n)\nSELECT lower(c.name), r.total, order_size(r.total) FROM ranked r JOIN customers c ON c.id = r.customer_id\nWHERE r.decile = 1 AND r.total > ${amount(r)};`,
  (r) => `SELECT p.category, round(avg(i.unit_price), 2), sum(i.quantity)\nFROM order_items i JOIN products p ON p.id = i.product_id JOIN orders o ON o.id = i.order_id\nWHERE o.status = '${pick(r, STATUSES)}' AND i.quantity > ${1 + Math.floor(r() * 20)}\nGROUP BY p.category ORDER BY 2 DESC LIMIT ${10 + Math.floor(r() * 90)};`,
  (r) => `INSERT INTO audit_log(what) SELECT 'order ' || id FROM orders WHERE amount > ${amount(r)};`,
  (r) => `UPDATE orders SET status = '${pick(r, STATUSES)}' WHERE amount < ${amount(r)} AND status = 'open';`,
  (r) => `SELECT e.kind, count(*) FROM events e WHERE e.kind = '${pick(r, KINDS)}' AND e.customer_id > ${amount(r)} GROUP BY e.kind;`,
  (r) => `SELECT upper(c.country), coalesce(c.name, 'n/a'), length(c.name) FROM customers c WHERE c.id > ${amount(r)};`,
  (r) => `SELECT o.id, log_and_tag(o.amount) FROM orders o WHERE o.amount > ${amount(r)};`,
  (r) => `SELECT count(*) FROM orders o WHERE EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.quantity > ${1 + Math.floor(r() * 9)});`,
  (r) => `SELECT c.id, (SELECT max(o.amount) FROM orders o WHERE o.customer_id = c.id) FROM customers c WHERE c.country = '${pick(r, COUNTRIES)}';`,
  (r) => `SELECT count(*) FROM orders WHERE amount > ${amount(r)};`,
  (r) => `SELECT lower(name) FROM customers WHERE id = ${amount(r)};`,
  (r) => `SELECT id, order_size(amount) FROM orders WHERE amount > ${amount(r)} LIMIT 10;`,
  (r) => `DELETE FROM events WHERE kind = '${pick(r, KINDS)}' AND id < ${amount(r)};`,
  (r, n) => `CREATE INDEX orders_amount_${n}_idx ON orders (amount) WHERE amount > ${amount(r)};`,
  (r, n) => `CREATE TEMP TABLE report_${n} AS SELECT customer_id, sum(amount) AS total FROM orders WHERE amount > ${amount(r)} GROUP BY customer_id;`,
];

/** Weights: mostly queries, a few writes and DDL, as in a reporting/migrations folder. */
const WEIGHTS = [8, 8, 5, 4, 5, 3, 6, 3, 4, 3, 3, 5, 6, 3, 3, 3, 14, 14, 12, 3, 1, 1];

export interface GeneratedSql {
  text: string;
  statements: number;
}

/**
 * A document of about `bytes` UTF-16 units: the schema, then generated statements, with one statement
 * of `realStatements` (PostgreSQL's own SQL) after every `realEvery` generated ones.
 */
export function generateSql(bytes: number, seed: number, realStatements: string[] = [], realEvery = 40): GeneratedSql {
  const r = prng(seed);
  const total = WEIGHTS.reduce((a, b) => a + b, 0);
  const parts: string[] = [SCHEMA];
  let size = SCHEMA.length;
  let statements = SCHEMA.split(';').length - 1;
  let n = 0;
  let real = 0;
  while (size < bytes) {
    n++;
    let sql: string;
    if (realStatements.length > 0 && n % realEvery === 0) {
      sql = realStatements[real++ % realStatements.length] + ';';
    } else {
      let w = r() * total;
      let i = 0;
      while (w >= WEIGHTS[i]) w -= WEIGHTS[i++];
      sql = TEMPLATES[i](r, n);
      if (n % 25 === 0) sql = `-- query ${n}\n${sql}`;
    }
    parts.push(sql);
    size += sql.length + 1;
    statements++;
  }
  return { text: parts.join('\n') + '\n', statements };
}
