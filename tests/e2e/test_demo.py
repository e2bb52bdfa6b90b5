"""The README's main job, end to end: `scripts/demo.sh` on the project's PostgreSQL.

Runs in the Odoo suite (it needs Odoo 19); checks the database it creates and reads the XLSX
it writes back with openpyxl, totals included, against the database's own figures.
"""
import csv
import os
import subprocess
from configparser import ConfigParser
from pathlib import Path

import psycopg2
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]


def _table(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] in ("Code", "Order", "Carbon Source", "Account"))
    body = rows[start + 1:]
    return rows[start], [r for r in body if r[0] != "Total"], next((r for r in body if r[0] == "Total"), None)


def _connect(db):
    conf = ConfigParser()
    conf.read(os.environ["CARBON_TEST_CONF"])
    options = conf["options"]
    return psycopg2.connect(dbname=db, host=options["db_host"], port=options["db_port"], user=options["db_user"])


def test_demo_main_job(tmp_path):
    db = f"carbon_e2e_{os.getpid()}"
    env = dict(os.environ, CARBON_DEMO_DB=db, CARBON_OUT=str(tmp_path))
    run = subprocess.run(["bash", str(ROOT / "scripts" / "demo.sh")], env=env, capture_output=True,
                         text=True, timeout=1200)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Wrote" in run.stdout
    conn = _connect(db)
    try:
        with conn, conn.cursor() as cr:
            cr.execute("SELECT state FROM ir_module_module WHERE name = 'carbon_accounting'")
            assert cr.fetchone() == ("installed",)
            cr.execute("SELECT sum(carbon_amount), count(*) FROM purchase_order WHERE state = 'purchase'")
            db_total, confirmed = cr.fetchone()
            cr.execute("""SELECT count(*) FROM purchase_order_line l JOIN purchase_order o ON o.id = l.order_id
                          WHERE o.state = 'purchase' AND l.display_type IS NULL""")
            (db_lines,) = cr.fetchone()
            cr.execute("SELECT count(*) FROM purchase_order_line WHERE carbon_source = 'unassessed'")
            (unassessed,) = cr.fetchone()
            cr.execute("SELECT count(*) FROM carbon_emission_factor")
            (db_factors,) = cr.fetchone()
            cr.execute("""SELECT sum(debit), sum(credit), sum(balance) FILTER (WHERE account_type = 'inventory')
                          FROM carbon_move_line WHERE state = 'posted'""")
            ledger_debit, ledger_credit, ledger_inventory = cr.fetchone()
            cr.execute("SELECT count(*) FROM carbon_move_line WHERE account_type IN ('removal', 'offset')")
            (on_removal_accounts,) = cr.fetchone()
            cr.execute("SELECT method, tonnes, held, verification_state FROM carbon_removal")
            removals = cr.fetchall()
    finally:
        conn.close()
        subprocess.run(["bash", "-c", f'source "{ROOT}/scripts/lib.sh"; pg_start; dropdb_if_exists {db}'],
                       check=True, capture_output=True)

    with open(ROOT / "data" / "emission_factors" / "core_factors.csv", encoding="utf-8") as f:
        csv_rows = list(csv.DictReader(f))
    assert confirmed >= 4 and db_total > 0
    assert unassessed >= 1, "the demo shows an unassessed line, not a zero"

    book = load_workbook(tmp_path / "carbon_register.xlsx", data_only=True)
    assert book.sheetnames == ["Emission Factors", "Purchase Carbon", "Summary", "Carbon Ledger"]

    header, factors, _ = _table(book["Emission Factors"])
    assert len(factors) == db_factors == len(csv_rows)
    assert {r[0] for r in factors} == {r["code"] for r in csv_rows}
    assert all(r[header.index("Source")] for r in factors)

    header, lines, total = _table(book["Purchase Carbon"])
    carbon = header.index("Carbon (kgCO2e)")
    assert len(lines) == db_lines
    assert abs(sum(r[carbon] or 0.0 for r in lines) - float(db_total)) < 0.0005
    assert any(r[carbon] is None for r in lines), "unassessed carbon is a blank cell, not a zero"
    assert abs(total[carbon] - float(db_total)) < 0.0005
    assert f"{float(db_total):,.3f} kgCO2e" in run.stdout

    _, sources, total = _table(book["Summary"])
    assert abs(total[2] - float(db_total)) < 0.0005
    assert "Unassessed" in {r[0] for r in sources}

    header, accounts, total = _table(book["Carbon Ledger"])
    debit, credit = header.index("Debit (kgCO2e)"), header.index("Credit (kgCO2e)")
    assert abs(total[debit] - float(ledger_debit)) < 0.0005
    assert abs(total[credit] - float(ledger_credit)) < 0.0005
    assert abs(total[debit] - total[credit]) < 0.0005
    inventory = sum(r[header.index("Balance (kgCO2e)")] for r in accounts if r[0] == "100")
    assert abs(inventory - float(ledger_inventory)) < 0.0005
    assert "conserved: True" in run.stdout
    assert on_removal_accounts == 0, "removals never enter the E-liability ledger"
    assert removals == [("biochar", 1.1, 1.1, "verified")]
    assert "1.100 tCO2e verified E-assets held (0.990 net of the reversal-risk buffer)" in run.stdout
