"""The auditor's evidence pack over whatever posted ledger lines a database holds.

Runs the background job that makes the pack (``carbon.evidence.pack.wizard._generate_pack``: the
report ``carbon_accounting.evidence_pack_xlsx`` written to a file and attached to the integrity
check) for one company over the period of its lines, in a transaction rolled back at the end, and
prints the wall time, the ledger lines written per second, the size of the file, the peak memory
growth of the process (resident set: ``resource.getrusage``'s peak against the resident size
before; with ``--tracemalloc``, also the peak of Python's own allocations, which slows the run
down) and, with ``--profile``, the functions that took the most time. Asserts nothing. Targets of
issue 10: at least 50,000 lines per second, under 100 MB of growth.

    python3 tests/benchmarks/bench_pack.py -c odoo.conf -d DATABASE [--company ID] [--out pack.xlsx]
"""

# A command-line program: what it prints is its result.
# pylint: disable=print-used
import argparse
import cProfile
import pstats
import resource
import shutil
import time
import tracemalloc
from pathlib import Path

import odoo.init  # noqa: F401  (Odoo's start-up)
from odoo.api import SUPERUSER_ID, Environment
from odoo.modules.registry import Registry
from odoo.tools import config

PAGE = resource.getpagesize()


def current_rss_mb():
    """The resident set of this process now, in MB (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 2**20


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def period_of(env, company_id):
    """(company, first date, last date, lines) of the posted lines: of ``company_id``, else of the
    company that has the most."""
    env.cr.execute("""
        SELECT company_id, MIN(date), MAX(date), COUNT(*) FROM carbon_move_line
         WHERE state = 'posted' AND (%s IS NULL OR company_id = %s)
         GROUP BY company_id ORDER BY COUNT(*) DESC LIMIT 1
    """, (company_id, company_id))
    row = env.cr.fetchone()
    if not row:
        raise SystemExit("no posted carbon ledger lines in this database")
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--company", type=int, help="company id (default: the one with the most posted lines)")
    parser.add_argument("--out", type=Path, help="keep the workbook in this file")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python's allocations (slower)")
    parser.add_argument("--profile", action="store_true", help="also print the functions that took the most time")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    with Registry(args.database).cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        try:
            company_id, date_from, date_to, lines = period_of(env, args.company)
            company_name = env["res.company"].browse(company_id).name
            env = env(context=dict(env.context, allowed_company_ids=[company_id]))
            Wizard = env["carbon.evidence.pack.wizard"]
            env.flush_all()
            env.invalidate_all()
            rss_before = current_rss_mb()
            if args.tracemalloc:
                tracemalloc.start()
            profiler = cProfile.Profile() if args.profile else None
            start = time.perf_counter()
            if profiler:
                profiler.enable()
            Wizard._generate_pack(company_id, date_from, date_to)
            if profiler:
                profiler.disable()
            elapsed = time.perf_counter() - start
            traced_peak = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None
            growth = peak_rss_mb() - rss_before
            attachment = env["ir.attachment"].search([("res_model", "=", "carbon.integrity.check")],
                                                     order="id desc", limit=1)
            size = attachment.file_size
            if args.out:
                shutil.copyfile(attachment._full_path(attachment.store_fname), args.out)
        finally:
            cr.rollback()
    print(f"company: {company_name} (id {company_id}), {date_from} to {date_to}")
    print(f"posted ledger lines: {lines:,}")
    print(f"time: {elapsed:.1f} s   lines per second: {lines / elapsed:,.0f} (target >= 50,000)")
    print(f"file: {size / 2**20:.1f} MB")
    print(f"peak memory growth (RSS): {growth:.1f} MB (target < 100 MB; from {rss_before:.0f} MB)")
    if traced_peak is not None:
        print(f"peak of Python allocations (tracemalloc): {traced_peak:.1f} MB")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
