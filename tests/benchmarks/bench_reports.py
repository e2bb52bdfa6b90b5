"""The GHG inventory and the E-liability statement over a million posted ledger lines.

The database is built by ``scripts/bench_reports.sh`` (carbon_accounting installed). The first run
generates a year of posted carbon entries for the main company straight in SQL (products, partners,
factors, vendor declarations and purchase orders through the ORM; stock moves, entries and lines by
``INSERT ... SELECT`` from ``generate_series``: balanced pairs of every kind the ledger books, state
posted, dummy hashes since the benchmark only reads), then VACUUM ANALYZE. Later runs on the same
database reuse the lines.

Then, per builder (``carbon.report.ghg._get_data``, ``carbon.report.eliability._get_data`` and
``_get_product_footprint`` of one product), it prints the first (cold: empty ORM caches, no plan
cached) run and the best warm run, the SQL queries each issues, and EXPLAIN (ANALYZE, BUFFERS) of its
slowest queries. It asserts nothing.
"""

# A command-line program: what it prints is its result.
# pylint: disable=print-used
import argparse
import time
from contextlib import contextmanager
from datetime import date

import psycopg2

import odoo.init  # noqa: F401  (Odoo's start-up)
from odoo import sql_db
from odoo.api import SUPERUSER_ID, Environment
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

YEAR = 2025
DATE_FROM, DATE_TO = date(YEAR, 1, 1), date(YEAR, 12, 31)
MARKER = "carbon_accounting.bench_reports_lines"
PRODUCTS, SUPPLIERS, CUSTOMERS, PURCHASE_ORDERS, PURCHASE_LINES = 400, 150, 250, 2000, 20000
QUALITIES = ("verified", "primary", "secondary", "estimate", None)
SOURCES = ("vendor", "product", "category", "spend")

#: The kinds of entries generated: (name, share in %, entry kind, debit account type, credit account
#: type, stock move (from, to) or None, partner: supplier, customer or None, scope).
CLASSES = [
    ("receipt", 35, "stock", "inventory", "acquired", ("supplier", "stock"), "supplier", "3"),
    ("delivery", 30, "stock", "transferred", "inventory", ("stock", "customer"), "customer", None),
    ("energy", 8, "receipt", "overhead", "energy", None, "supplier", "2"),
    ("activity", 7, "activity", "overhead", "direct", None, None, "1"),
    ("service", 8, "bill", "overhead", "acquired", None, "supplier", "3"),
    ("consume", 5, "production", "wip", "inventory", ("stock", "production"), None, None),
    ("produce", 3, "production", "inventory", "wip", ("production", "stock"), None, None),
    ("scrap", 2, "stock", "writeoff", "inventory", ("stock", "inventory"), None, None),
    ("allocation", 2, "allocation", "inventory", "overhead", None, None, None),
]
SOURCE_TYPES = ("direct", "energy", "acquired")


def case(expression, mapping, default="NULL"):
    """An SQL CASE on ``expression`` (text) over {value: SQL text}."""
    whens = " ".join(f"WHEN '{key}' THEN {value}" for key, value in mapping.items())
    return f"CASE {expression} {whens} ELSE {default} END"


def master_data(env):
    """Products, partners, factors, vendor declarations and purchase orders, through the ORM."""
    company = env.company
    kg, unit = env.ref("uom.product_uom_kgm"), env.ref("uom.product_uom_unit")
    kwh = env.ref("carbon_accounting.uom_kwh")
    currency = company.currency_id
    other_currency = env.ref("base.USD") if currency != env.ref("base.USD") else env.ref("base.EUR")
    other_currency.active = True
    Factor = env["carbon.emission.factor"]
    factors = {
        "product": Factor.create([{"name": f"Material {i}", "code": f"BENCH-MAT-{i}", "source": "benchmark",
                                   "basis": "physical", "uom_id": kg.id, "value": 0.5 + i / 10, "scope": "3",
                                   "scope3_category": "1", "uncertainty": 10 + i} for i in range(10)]),
        "energy": Factor.create([{"name": f"Electricity {i}", "code": f"BENCH-EL-{i}", "source": "benchmark",
                                  "basis": "physical", "uom_id": kwh.id, "value": 0.2 + i / 100, "scope": "2",
                                  "uncertainty": 5} for i in range(4)]),
        "direct": Factor.create([{"name": f"Fuel {i}", "code": f"BENCH-FUEL-{i}", "source": "benchmark",
                                  "basis": "physical", "uom_id": kg.id, "value": 2.5 + i / 10, "scope": "1",
                                  "uncertainty": 3} for i in range(4)]),
        "service": Factor.create([{"name": f"Service {i}", "code": f"BENCH-SPEND-{i}", "source": "benchmark",
                                   "basis": "spend", "currency_id": currency.id, "value": 0.3 + i / 10,
                                   "scope": "3", "scope3_category": cat, "uncertainty": 30}
                                  for i, cat in enumerate(("1", "2", "4", "6", "7", "5"))]),
    }
    company.carbon_grid_factor_id = factors["energy"][0]
    partners = env["res.partner"].create(
        [{"name": f"Bench supplier {i}", "supplier_rank": 1} for i in range(SUPPLIERS)]
        + [{"name": f"Bench customer {i}", "customer_rank": 1} for i in range(CUSTOMERS)])
    suppliers, customers = partners[:SUPPLIERS], partners[SUPPLIERS:]
    categ = env["product.category"].create({"name": "Bench", "property_cost_method": "average"})
    products = env["product.product"].create([{
        "name": f"Bench product {i}", "is_storable": True, "categ_id": categ.id,
        "uom_id": (kg if i % 3 else unit).id, "carbon_factor_id": factors["product"][i % 10].id,
    } for i in range(PRODUCTS)])
    infos = env["product.supplierinfo"].create([{
        "partner_id": suppliers[i % SUPPLIERS].id, "product_tmpl_id": product.product_tmpl_id.id,
        "product_id": product.id, "price": 10.0,
        "carbon_intensity": 1.0 + i % 7 if QUALITIES[i % len(QUALITIES)] else 0.0,
        "carbon_data_quality": QUALITIES[i % len(QUALITIES)] or False,
    } for i, product in enumerate(products)])
    return {"company": company, "kg": kg, "unit": unit, "kwh": kwh, "currencies": currency | other_currency,
            "factors": factors, "suppliers": suppliers, "customers": customers, "products": products,
            "infos": infos}


def ids_array(records):
    return "ARRAY[" + ",".join(str(i) for i in records.ids) + "]"


def generate(env, lines):
    """``lines`` posted ledger lines (balanced pairs) over the year, by SQL."""
    # Bulk INSERT ... SELECT written from the benchmark's own constants and ids: no outside input.
    # pylint: disable=sql-injection
    cr = env.cr
    data = master_data(env)
    env.flush_all()
    company = data["company"]
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    Location = env["stock.location"]
    locations = {
        "supplier": env.ref("stock.stock_location_suppliers").id,
        "customer": env.ref("stock.stock_location_customers").id,
        "stock": warehouse.lot_stock_id.id,
        "production": Location.search([("usage", "=", "production")], limit=1).id,
        "inventory": Location.search([("usage", "=", "inventory")], limit=1).id,
    }
    accounts = {kind: account.id for kind, account in env["carbon.account"]._for_company(company).items()}
    entries = lines // 2
    uid = env.uid

    def base(table):
        cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table)))
        return cr.fetchone()[0]

    po_base, pol_base, sm_base, cm_base, cml_base = (
        base(t) for t in ("purchase_order", "purchase_order_line", "stock_move", "carbon_move", "carbon_move_line"))

    # purchase orders and lines: the goods bought, the energy and the services
    cr.execute(f"""
        INSERT INTO purchase_order (id, name, partner_id, currency_id, company_id, date_order, picking_type_id,
                                    state, create_uid, write_uid, create_date, write_date)
        SELECT {po_base} + n, 'BENCH-PO' || n, (%(suppliers)s)[1 + n %% {SUPPLIERS}], %(currency)s, %(company)s,
               %(date_from)s::timestamp + (n * 365 / {PURCHASE_ORDERS}) * interval '1 day', %(picking_type)s,
               'purchase', {uid}, {uid}, now(), now()
          FROM generate_series(1, {PURCHASE_ORDERS}) n""".replace("%(suppliers)s", ids_array(data["suppliers"])),
               {"currency": company.currency_id.id, "company": company.id, "date_from": DATE_FROM,
                "picking_type": warehouse.in_type_id.id})
    cr.execute(f"""
        INSERT INTO purchase_order_line (id, order_id, name, product_id, product_qty, product_uom_id, price_unit,
                                         company_id, partner_id, carbon_source, carbon_supplierinfo_id,
                                         carbon_factor_id, create_uid, write_uid, create_date, write_date)
        SELECT {pol_base} + n, {po_base} + 1 + n %% {PURCHASE_ORDERS}, 'Bench line ' || n,
               (%(products)s)[1 + n %% {PRODUCTS}], 10, %(kg)s, 10, %(company)s,
               (%(suppliers)s)[1 + n %% {SUPPLIERS}],
               (ARRAY{list(SOURCES)})[1 + (n / 7) %% 4],
               CASE WHEN (n / 7) %% 4 = 0 THEN (%(infos)s)[1 + n %% {PRODUCTS}] END,
               CASE WHEN (n / 7) %% 4 <> 0 THEN (%(factors)s)[1 + n %% 10] END,
               {uid}, {uid}, now(), now()
          FROM generate_series(1, {PURCHASE_LINES}) n"""
               .replace("%(products)s", ids_array(data["products"]))
               .replace("%(suppliers)s", ids_array(data["suppliers"]))
               .replace("%(infos)s", ids_array(data["infos"]))
               .replace("%(factors)s", ids_array(data["factors"]["product"])),
               {"kg": data["kg"].id, "company": company.id})

    # one row per entry: its kind and figures
    cls_case, start = [], 0
    for name, share, *__ in CLASSES:
        cls_case.append(f"WHEN n % 100 < {start + share} THEN '{name}'")
        start += share
    cr.execute("SELECT setseed(0.42)")
    cr.execute(f"""
        CREATE TEMP TABLE bench_entry AS
        SELECT n, CASE {' '.join(cls_case)} END AS cls,
               %(date_from)s::date + ((n - 1) * 365 / {entries})::int AS date,
               (%(products)s)[1 + floor(random() * {PRODUCTS})::int] AS product_id,
               (%(suppliers)s)[1 + floor(random() * {SUPPLIERS})::int] AS supplier_id,
               (%(customers)s)[1 + floor(random() * {CUSTOMERS})::int] AS customer_id,
               {pol_base} + 1 + floor(random() * {PURCHASE_LINES})::int AS purchase_line_id,
               round((1 + random() * 500)::numeric, 6) AS amount,
               round((1 + random() * 100)::numeric, 3) AS qty,
               random() < 0.02 AS unassessed,
               random() < 0.5 AS spend,
               floor(random() * 6)::int AS variant
          FROM generate_series(1, {entries}) n"""
               .replace("%(products)s", ids_array(data["products"]))
               .replace("%(suppliers)s", ids_array(data["suppliers"]))
               .replace("%(customers)s", ids_array(data["customers"]))
               .replace("%(date_from)s", f"'{DATE_FROM}'"))
    spec = {c[0]: c for c in CLASSES}
    # bulk load: foreign keys are not checked row by row (the ids are taken from the records above)
    # and the indexes of the big tables are built once, after the rows are in
    cr.execute("SET LOCAL session_replication_role = replica")
    cr.execute("""SELECT indexname, indexdef FROM pg_indexes
                   WHERE tablename IN ('stock_move', 'carbon_move', 'carbon_move_line')
                     AND indexname NOT IN (SELECT conname FROM pg_constraint)""")
    indexes = cr.fetchall()
    for name, __ in indexes:
        cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
    stock_classes = {name: c[5] for name, c in spec.items() if c[5]}

    cr.execute(f"""
        INSERT INTO stock_move (id, company_id, product_id, product_uom, location_id, location_dest_id,
                                procure_method, product_uom_qty, quantity, date, state, partner_id,
                                purchase_line_id, create_uid, write_uid, create_date, write_date)
        SELECT {sm_base} + n, {company.id}, product_id, {data['kg'].id},
               {case('cls', {k: locations[v[0]] for k, v in stock_classes.items()})},
               {case('cls', {k: locations[v[1]] for k, v in stock_classes.items()})},
               'make_to_stock', qty, qty, date, 'done',
               {case('cls', {'receipt': 'supplier_id', 'delivery': 'customer_id'})},
               CASE cls WHEN 'receipt' THEN purchase_line_id END,
               {uid}, {uid}, now(), now()
          FROM bench_entry WHERE cls IN ({','.join(f"'{k}'" for k in stock_classes)})""")
    cr.execute(f"""
        INSERT INTO carbon_move (id, company_id, name, state, kind, date, origin_date, secure_sequence_number,
                                 inalterable_hash, total_carbon, posted_by_id, posted_at,
                                 create_uid, write_uid, create_date, write_date)
        SELECT {cm_base} + n, {company.id}, 'BENCH/' || lpad(n::text, 7, '0'), 'posted',
               {case('cls', {name: f"'{c[2]}'" for name, c in spec.items()})}, date, date, {cm_base} + n,
               md5(n::text), CASE WHEN unassessed AND cls = 'receipt' THEN 0 ELSE amount END,
               {uid}, now(), {uid}, {uid}, now(), now()
          FROM bench_entry""")
    debit_type = case("cls", {name: f"'{c[3]}'" for name, c in spec.items()})
    credit_type = case("cls", {name: f"'{c[4]}'" for name, c in spec.items()})
    account_type = f"CASE side WHEN 0 THEN {debit_type} ELSE {credit_type} END"
    amount = "CASE WHEN e.unassessed AND cls = 'receipt' THEN 0 ELSE amount END"
    services = ids_array(data["factors"]["service"])
    factor = case("cls", {
        "receipt": f"({ids_array(data['factors']['product'])})[1 + product_id % 10]",
        "energy": f"({ids_array(data['factors']['energy'])})[1 + variant % 4]",
        "activity": f"({ids_array(data['factors']['direct'])})[1 + variant % 4]",
        "service": f"({services})[1 + variant]",
    })
    currencies = data["currencies"]
    cr.execute(f"""
        INSERT INTO carbon_move_line (id, move_id, company_id, state, date, name, account_id, account_type,
                                      debit, credit, balance, carbon_amount, product_id, product_uom_id, quantity,
                                      currency_id, unit_carbon, partner_id, factor_id, scope, scope3_category,
                                      stock_move_id, purchase_line_id, unassessed, location_carbon,
                                      location_assessed, biogenic_co2, create_uid, write_uid, create_date,
                                      write_date)
        SELECT {cml_base} + 2 * n - 1 + side, {cm_base} + n, {company.id}, 'posted', date, cls || ' ' || n,
               {case(account_type, {kind: aid for kind, aid in accounts.items()})}, {account_type},
               CASE side WHEN 0 THEN {amount} ELSE 0 END,
               CASE side WHEN 1 THEN {amount} ELSE 0 END,
               CASE side WHEN 0 THEN {amount} ELSE -{amount} END,
               CASE WHEN {account_type} IN {SOURCE_TYPES} THEN -1 ELSE 1 END
                   * CASE side WHEN 0 THEN {amount} ELSE -{amount} END,
               CASE WHEN cls IN ('receipt', 'delivery', 'consume', 'produce', 'scrap', 'allocation')
                    THEN product_id END,
               CASE WHEN cls = 'service' AND spend THEN NULL
                    WHEN cls = 'energy' THEN {data['kwh'].id}
                    WHEN cls = 'allocation' THEN NULL ELSE {data['kg'].id} END,
               CASE WHEN cls = 'allocation' THEN 0 WHEN side = 0 THEN qty ELSE -qty END,
               CASE WHEN cls = 'service' AND spend
                    THEN {currencies[0].id if len(currencies) == 1 else f"(ARRAY{currencies.ids})[1 + n % 2]"} END,
               CASE WHEN cls <> 'allocation' THEN round({amount} / qty, 6) END,
               {case('cls', {'receipt': 'supplier_id', 'energy': 'supplier_id', 'service': 'supplier_id',
                             'delivery': 'customer_id'})},
               {factor},
               {case('cls', {name: f"'{c[7]}'" for name, c in spec.items() if c[7]})},
               CASE cls WHEN 'receipt' THEN '1'
                        WHEN 'service' THEN (ARRAY['1', '2', '4', '6', '7', '5'])[1 + variant] END,
               CASE WHEN cls IN ({','.join(f"'{k}'" for k in stock_classes)}) THEN {sm_base} + n END,
               CASE WHEN cls IN ('energy', 'service') THEN purchase_line_id END,
               e.unassessed AND cls = 'receipt',
               CASE WHEN cls = 'energy' AND side = 1 THEN round(qty * 0.25, 6) ELSE 0 END,
               cls = 'energy' AND side = 1,
               CASE WHEN cls = 'activity' AND side = 1 AND variant = 0 THEN round(amount * 0.1, 6) ELSE 0 END,
               {uid}, {uid}, now(), now()
          FROM bench_entry e CROSS JOIN (VALUES (0), (1)) s(side)""")
    for __, definition in indexes:
        cr.execute(definition)
    cr.execute("SET LOCAL session_replication_role = DEFAULT")
    for table in ("purchase_order", "purchase_order_line", "stock_move", "carbon_move", "carbon_move_line"):
        cr.execute(SQL("SELECT setval(%s, (SELECT MAX(id) FROM %s))", f"{table}_id_seq", SQL.identifier(table)))
    cr.execute("DROP TABLE bench_entry")
    cr.execute(SQL("UPDATE carbon_chain_head SET sequence_number = %s, hash = md5(%s) WHERE company_id = %s",
                   cm_base + entries, str(entries), company.id))
    env["ir.config_parameter"].set_param(MARKER, str(lines))


def vacuum_analyze(db):
    dsn = sql_db.connection_info_for(db)[1]
    connection = psycopg2.connect(**dsn)
    connection.autocommit = True
    with connection.cursor() as cr:
        for table in ("carbon_move_line", "carbon_move", "stock_move", "stock_location", "purchase_order_line",
                      "product_supplierinfo", "carbon_account"):
            cr.execute(f"VACUUM ANALYZE {table}")  # pylint: disable=sql-injection
    connection.close()


@contextmanager
def capture(cr):
    """Collect (duration, query, params) of every query ``cr`` runs."""
    queries = []
    execute = cr.execute

    def timed(query, params=None, log_exceptions=True):
        if isinstance(query, SQL):
            query, params = query.code, query.params
        start = time.perf_counter()
        try:
            return execute(query, params, log_exceptions)
        finally:
            queries.append((time.perf_counter() - start, query, params))

    cr.execute = timed
    try:
        yield queries
    finally:
        del cr.execute


def builders(env, product):
    company = env.company
    return {
        "ghg._get_data": lambda: env["carbon.report.ghg"]._get_data(company, DATE_FROM, DATE_TO),
        "eliability._get_data": lambda: env["carbon.report.eliability"]._get_data(company, DATE_FROM, DATE_TO),
        "eliability._get_product_footprint": lambda: env["carbon.report.eliability"]._get_product_footprint(
            product, DATE_FROM, DATE_TO, company=company),
    }


def measure(env, build, warm_runs):
    """(cold seconds, best warm seconds, queries of the cold run)."""
    env.invalidate_all()
    with capture(env.cr) as queries:
        start = time.perf_counter()
        build()
        cold = time.perf_counter() - start
    warm = []
    for __ in range(warm_runs if cold < 5 else 1):
        env.invalidate_all()
        start = time.perf_counter()
        build()
        warm.append(time.perf_counter() - start)
    return cold, min(warm), queries


def explain(cr, queries, top):
    slowest = sorted(queries, key=lambda q: q[0], reverse=True)[:top]
    for duration, query, params in slowest:
        cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + query, params)
        print(f"\n-- {duration * 1000:.1f} ms: {cr.mogrify(query, params).decode()[:1500]}")
        print("\n".join(row[0] for row in cr.fetchall()))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True, help="a database with carbon_accounting")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="warm runs (one when a run takes over 5 s)")
    parser.add_argument("--explain", type=int, default=3, help="slowest queries of each builder explained")
    parser.add_argument("--only", help="builders to time, comma-separated (default: all), e.g. eliability._get_data")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    with Registry(args.database).cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        generated = env["ir.config_parameter"].get_param(MARKER)
        if generated:
            print(f"reusing the {generated} generated lines")
        else:
            start = time.perf_counter()
            generate(env, args.lines)
            cr.commit()  # pylint: disable=invalid-commit
            print(f"generated {args.lines} posted lines in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    vacuum_analyze(args.database)
    print(f"VACUUM ANALYZE in {time.perf_counter() - start:.1f} s")
    with Registry(args.database).cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        cr.execute("SELECT count(*) FROM carbon_move_line WHERE company_id = %s AND state = 'posted' "
                   "AND date BETWEEN %s AND %s", (env.company.id, DATE_FROM, DATE_TO))
        print(f"{cr.fetchone()[0]} posted lines of {env.company.name} from {DATE_FROM} to {DATE_TO}")
        product = env["product.product"].search([("name", "=", "Bench product 1")], limit=1)
        results = {}
        for name, build in builders(env, product).items():
            if args.only and name not in args.only.split(","):
                continue
            results[name] = measure(env, build, args.runs)
            cold, warm, queries = results[name]
            print(f"{name:<36} cold {cold:>8.3f} s   warm {warm:>8.3f} s   {len(queries):>6} queries")
        data = env["carbon.report.eliability"]._get_data(env.company, DATE_FROM, DATE_TO)
        print(f"E-liability: opening {data['opening']:.2f}, closing {data['closing']:.2f} kgCO2e, "
              f"closing checked against the ledger: {data['closing_ok']}; {len(data['by_customer'])} customers, "
              f"{len(data['by_supplier'])} suppliers, {len(data['by_product'])} products")
        for name, (__, __, queries) in results.items():
            print(f"\n===== {name}: the {args.explain} slowest of its {len(queries)} queries "
                  f"({sum(q[0] for q in queries) * 1000:.0f} ms in SQL)")
            explain(cr, queries, args.explain)
        cr.rollback()


if __name__ == "__main__":
    main()
