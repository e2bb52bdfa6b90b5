"""Validation of pickings of 1, 10, 100 and 1000 lines, with and without carbon_accounting.

Both databases are built by ``scripts/bench.sh``: one with purchase_stock alone (Odoo's own
work), one with carbon_accounting as well, both vacuumed first. Each run happens in a transaction
rolled back at the end. Prints, per size and direction (receipt, delivery), the best wall time over
a few alternating repeats and the SQL queries of the validation in each database, their ratio and
the extra queries, and the best CPU time of this process (Odoo's Python, not PostgreSQL's work) with
its ratio, which the load of a shared machine disturbs less than the wall time. Then, from as many
runs with carbon apart from those, carbon's own step (``stock.move._carbon_done``, with the writes
it leaves to flush) and what it adds to the rest of the
validation, Odoo's own work in the same database: a figure that a change of the machine's speed
between the runs of the two databases does not move. It asserts nothing.

``--lines`` runs only the given sizes, ``--repeats`` more (or fewer) runs of each; ``--profile
DIR`` writes the cProfile statistics of the validations of the largest size into DIR
(``<odoo|carbon>_<direction>.prof``, read them with ``python3 -m pstats``).
"""

# A command-line program: what it prints is its result.
# pylint: disable=print-used
import argparse
import cProfile
import os
import time
from collections import defaultdict
from contextlib import contextmanager

import psycopg2

import odoo.init  # noqa: F401  (Odoo's start-up)
from odoo import Command, sql_db
from odoo.api import SUPERUSER_ID, Environment
from odoo.modules.registry import Registry
from odoo.tools import config

SIZES = (1, 10, 100, 1000)
REPEATS = {1: 5, 10: 5, 100: 3, 1000: 2}  # the best of so many runs counts
#: carbon's step in stock.move._action_done: all it does there
CARBON_STEPS = ("_carbon_done",)


@contextmanager
def timing_steps(registry):
    """Time carbon's steps in ``registry`` while in the block: yields a dict that the steps add
    their seconds to, by the code of their moves' operation type (incoming, outgoing). What was left
    to flush before a step is flushed first, outside its time, and what the step leaves to flush
    (its writes, which the ORM would flush later with Odoo's own) within it: a few more queries
    than the validation makes otherwise."""
    model = registry["stock.move"]
    seconds = defaultdict(float)

    def timed(method):
        def step(records, *args, **kwargs):
            code = records.picking_type_id.code
            records.env.flush_all()
            start = time.perf_counter()
            result = method(records, *args, **kwargs)
            records.env.flush_all()
            seconds[code] += time.perf_counter() - start
            return result
        return step

    for name in CARBON_STEPS:
        setattr(model, name, timed(getattr(model, name)))
    try:
        yield seconds
    finally:
        for name in CARBON_STEPS:
            delattr(model, name)  # the methods of the classes it inherits from again


def scenario(env, size, with_carbon, profile_dir=None):
    """Create ``size`` products, then time the validation of a receipt and of a delivery (profiled
    into ``profile_dir`` when given)."""
    company = env.company
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    suppliers, customers = env.ref("stock.stock_location_suppliers"), env.ref("stock.stock_location_customers")
    kg = env.ref("uom.product_uom_kgm")
    categ = env["product.category"].create({"name": "Bench", "property_cost_method": "average"})
    vals = {"uom_id": kg.id, "is_storable": True, "categ_id": categ.id}
    if with_carbon:
        factor = env["carbon.emission.factor"].create({
            "name": "Bench", "code": "BENCH", "source": "benchmark", "basis": "physical", "uom_id": kg.id, "value": 1.5,
        })
        vals["carbon_factor_id"] = factor.id
    products = env["product.product"].create([dict(vals, name=f"Bench {i}") for i in range(size)])
    results = {}
    for direction, (src, dest, ptype) in {
        "receipt": (suppliers, warehouse.lot_stock_id, warehouse.in_type_id),
        "delivery": (warehouse.lot_stock_id, customers, warehouse.out_type_id),
    }.items():
        picking = env["stock.picking"].create({
            "picking_type_id": ptype.id, "location_id": src.id, "location_dest_id": dest.id,
            "move_ids": [Command.create({"product_id": p.id, "product_uom_qty": 3, "product_uom": kg.id,
                                         "location_id": src.id, "location_dest_id": dest.id}) for p in products],
        })
        picking.action_confirm()
        picking.move_ids.quantity = 3
        picking.move_ids.picked = True
        env.flush_all()
        env.invalidate_all()
        profiler = cProfile.Profile() if profile_dir else None
        queries, start, cpu = env.cr.sql_log_count, time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        picking._action_done()
        env.flush_all()
        if profiler:
            profiler.disable()
        results[direction] = (time.perf_counter() - start, env.cr.sql_log_count - queries,
                              time.process_time() - cpu)
        if profiler:
            name = f"{'carbon' if with_carbon else 'odoo'}_{direction}.prof"
            profiler.dump_stats(os.path.join(profile_dir, name))
    return results


def run(db, size, with_carbon, profile_dir=None):
    with Registry(db).cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        try:
            return scenario(env, size, with_carbon, profile_dir)
        finally:
            cr.rollback()


def carbon_steps(db, size, repeats=None):
    """{direction: (carbon's steps, the rest of the validation)} of more validations with carbon,
    their steps timed: the best of each over the runs."""
    codes = {"receipt": "incoming", "delivery": "outgoing"}
    runs = []
    for __ in range(repeats or REPEATS[size]):
        with timing_steps(Registry(db)) as seconds:
            results = run(db, size, True)
        runs.append({d: (seconds[codes[d]], result[0] - seconds[codes[d]]) for d, result in results.items()})
    return {d: (min(r[d][0] for r in runs), min(r[d][1] for r in runs)) for d in codes}


def best_of(without, with_, size, repeats=None):
    """The best run of each database, the runs alternating between them so that a change in the
    machine's load weighs on both alike."""
    runs = {without: [], with_: []}
    for __ in range(repeats or REPEATS[size]):
        for db in runs:
            runs[db].append(run(db, size, db == with_))
    return [{d: (min(r[d][0] for r in runs[db]), runs[db][0][d][1], min(r[d][2] for r in runs[db]))
             for d in ("receipt", "delivery")} for db in (without, with_)]


def vacuum(db):
    """VACUUM ANALYZE the database: both start from tables without the dead rows that earlier runs,
    rolled back, left behind (they slow down the scans of the database that has more of them)."""
    __, dsn = sql_db.connection_info_for(db)
    connection = psycopg2.connect(**dsn)
    try:
        connection.autocommit = True
        with connection.cursor() as cr:
            cr.execute("VACUUM ANALYZE")
    finally:
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--without", required=True, help="database with purchase_stock only")
    parser.add_argument("--with", dest="with_", required=True, help="database with carbon_accounting")
    parser.add_argument("--lines", type=int, nargs="+", choices=SIZES, default=SIZES, help="sizes to run")
    parser.add_argument("--repeats", type=int, help="runs of each size (the best counts; default: 5 to 2 by size)")
    parser.add_argument("--profile", metavar="DIR", help="profile the validations of the largest size into DIR")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    for db in (args.without, args.with_):
        vacuum(db)
    for db, carbon in ((args.without, False), (args.with_, True)):  # warm-up: registries, caches
        run(db, 2, carbon)
    print(f"{'lines':>6} {'direction':<9} {'odoo s':>8} {'carbon s':>9} {'ratio':>6} "
          f"{'odoo q':>7} {'carbon q':>9} {'extra q':>8} {'odoo cpu':>9} {'carbon cpu':>11} {'ratio':>6}")
    for size in sorted(args.lines):
        base, carbon = best_of(args.without, args.with_, size, args.repeats)
        for direction in ("receipt", "delivery"):
            (t0, q0, c0), (t1, q1, c1) = base[direction], carbon[direction]
            print(f"{size:>6} {direction:<9} {t0:>8.3f} {t1:>9.3f} {t1 / t0:>6.2f} {q0:>7} {q1:>9} {q1 - q0:>8} "
                  f"{c0:>9.3f} {c1:>11.3f} {c1 / c0:>6.2f}")
    print(f"\ncarbon's own step, in more runs with carbon (the best of each)\n"
          f"{'lines':>6} {'direction':<9} {'steps s':>8} {'rest s':>7} {'adds':>6}")
    for size in sorted(args.lines):
        for direction, (steps, rest) in carbon_steps(args.with_, size, args.repeats).items():
            print(f"{size:>6} {direction:<9} {steps:>8.3f} {rest:>7.3f} {steps / rest:>6.1%}")
    if args.profile:  # one more run of each, apart from the timed ones: profiling slows them down
        os.makedirs(args.profile, exist_ok=True)
        for db, carbon in ((args.without, False), (args.with_, True)):
            run(db, max(args.lines), carbon, args.profile)
        print(f"profiles written to {args.profile}")


if __name__ == "__main__":
    main()
