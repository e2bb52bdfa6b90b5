"""The README's main job, end to end: `scripts/demo.sh` on the project's PostgreSQL.

Runs in the Odoo suite (it needs Odoo 19); checks the database it creates and reads the XLSX
it writes back with openpyxl, totals included, against the database's own figures: the carbon
register, the GHG inventory and the E-liability statement of the year the demo tells.
"""
import csv
import json
import os
import shutil
import subprocess
from configparser import ConfigParser
from datetime import date
from pathlib import Path

import psycopg2
from openpyxl import load_workbook
from PyPDF2 import PdfReader

ROOT = Path(__file__).resolve().parents[2]


def _table(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    start = next(
        i
        for i, r in enumerate(rows)
        if r[0] in ("Code", "Order", "Carbon Source", "Account", "Figure", "Line", "Customer", "Product")
    )
    body = rows[start + 1:]
    return rows[start], [r for r in body if r[0] != "Total"], next((r for r in body if r[0] == "Total"), None)


def _connect(db):
    conf = ConfigParser()
    conf.read(os.environ["CARBON_TEST_CONF"])
    options = conf["options"]
    return psycopg2.connect(dbname=db, host=options["db_host"], port=options["db_port"], user=options["db_user"])


def _figures(sheet):
    """{label: amount} of a two-column report sheet."""
    _, rows, _ = _table(sheet)
    return {r[0]: r[1] for r in rows}


def test_demo_main_job(tmp_path):
    db = f"carbon_e2e_{os.getpid()}"
    year = date.today().year - 1
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
            cr.execute("SELECT state FROM ir_module_module WHERE name = 'carbon_accounting_mrp'")
            mrp_state = cr.fetchone()
            cr.execute("SELECT count(*) FROM mrp_production WHERE state = 'done'")
            (productions,) = cr.fetchone()
            cr.execute("SELECT min(date), max(date), min(origin_date), max(origin_date) FROM carbon_move")
            dates = cr.fetchone()
            cr.execute("""SELECT account_type, sum(credit - debit), sum(location_carbon), sum(biogenic_co2)
                          FROM carbon_move_line WHERE state = 'posted' AND account_type IN ('direct', 'energy')
                          GROUP BY account_type""")
            incurred = {row[0]: row[1:] for row in cr.fetchall()}
            # the chain of the demo company, which its evidence pack checks beside its statements
            cr.execute("""SELECT count(*), (array_agg(m.inalterable_hash ORDER BY m.secure_sequence_number))[1],
                                 (array_agg(m.inalterable_hash ORDER BY m.secure_sequence_number DESC))[1]
                            FROM carbon_move m JOIN res_company c ON c.id = m.company_id
                           WHERE c.name = 'Double-Carbon Lychee Co. (demo)' AND m.inalterable_hash IS NOT NULL""")
            chain = cr.fetchone()
            cr.execute("""SELECT count(*) FROM carbon_move_line l JOIN res_company c ON c.id = l.company_id
                           WHERE c.name = 'Double-Carbon Lychee Co. (demo)' AND l.state = 'posted'
                             AND l.date BETWEEN %s AND %s""", (date(year, 1, 1), date(year, 12, 31)))
            (pack_lines,) = cr.fetchone()
            cr.execute("SELECT result, entry_count, last_hash FROM carbon_integrity_check")
            checks = cr.fetchall()
            cr.execute("""SELECT p.name, sum(l.debit - l.credit) FROM carbon_move_line l
                          JOIN res_partner p ON p.id = l.partner_id
                          WHERE l.state = 'posted' AND l.account_type = 'transferred' GROUP BY p.name""")
            transferred = dict(cr.fetchall())
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
    # the cited factor set, and the green-power contract's declared factor (a demo figure)
    assert len(factors) == db_factors == len(csv_rows) + 1
    assert {r[0] for r in factors} == {r["code"] for r in csv_rows} | {"DEMO.GREEN_POWER_CONTRACT"}
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
    assert [(method, float(tonnes), float(held), state) for method, tonnes, held, state in removals] == [
        ("biochar", 2.2, 2.2, "verified")]
    assert "2.200 tCO2e verified E-assets held (1.980 net of the reversal-risk buffer)" in run.stdout

    # a closed year: every entry dated in the previous calendar year, made in manufacturing orders
    assert mrp_state == ("installed",)
    assert productions >= 5, "honey, harvest, boxes, wine, biochar"
    assert {d.year for d in dates} == {year}, dates
    assert "demo figure" in run.stdout

    pdf = bool(shutil.which("wkhtmltopdf"))
    for name in (f"ghg_inventory_{year}", f"e_liability_statement_{year}"):
        assert (tmp_path / f"{name}.xlsx").exists()
        if pdf:
            assert len(PdfReader(tmp_path / f"{name}.pdf").pages) >= 1
        else:
            assert (tmp_path / f"{name}.html").exists() and "wkhtmltopdf is not installed" in run.stdout

    # the GHG inventory of the year, against the ledger
    book = load_workbook(tmp_path / f"ghg_inventory_{year}.xlsx", data_only=True)
    ghg = _figures(book["GHG Inventory"])
    scope1, scope2 = ghg["Scope 1 - Direct emissions"], ghg["Scope 2 - Purchased energy, market-based"]
    location, scope3 = ghg["Scope 2 - Purchased energy, location-based"], ghg["Scope 3 - Value chain"]
    assert abs(scope1 - float(incurred["direct"][0])) < 0.0005 and scope1 > 0
    assert abs(scope2 - float(incurred["energy"][0])) < 0.0005 and scope2 > 0
    assert abs(location - float(incurred["energy"][1])) < 0.0005
    assert location > scope2 * 2, "the green-power contract books less than the grid average"
    biogenic = ghg["Memo: biogenic CO2 (kg), outside the scopes"]
    assert biogenic > 0 and abs(biogenic - float(incurred["direct"][2])) < 0.0005
    assert ghg["Removals verified (tCO2e), apart, never deducted"] == 2.2
    assert abs(ghg["Total (Scopes 1, 2 market-based and 3)"] - (scope1 + scope2 + scope3)) < 0.0005, \
        "removals and the biogenic memo stay out of the total"
    assert ghg["Unassessed lines (carbon unknown)"] >= 1
    assert ghg["Revenue (CNY)"] > 0

    # the E-liability statement of the year: conserved, per customer
    book = load_workbook(tmp_path / f"e_liability_statement_{year}.xlsx", data_only=True)
    statement = _figures(book["Statement"])
    assert "Closing agrees with the ledger" in statement
    assert abs(statement["+ Direct emissions (Scope 1)"] - scope1) < 0.0005
    assert abs(statement["+ Acquired from energy suppliers (Scope 2)"] - scope2) < 0.0005
    assert abs(statement["Closing E-liability held"] - statement["Held in the ledger at the end date"]) < 0.0005
    assert abs(statement["Closing E-liability held"] - float(ledger_inventory)) < 0.0005
    _, customers, total = _table(book["Customers"])
    by_customer = {r[0]: r[1] for r in customers}
    assert set(by_customer) == {"Guangzhou Riverside Hotel (demo customer)",
                                "Lion City Fine Foods Pte Ltd (demo export customer)"}
    for name, carbon in by_customer.items():
        assert carbon > 0 and abs(carbon - float(transferred[name])) < 0.0005, name
    assert abs(total[1] - statement["- Transferred to customers"]) < 0.0005
    _, products, _ = _table(book["Products"])
    assert {"Lychee wine 750 ml", "Fresh lychees, 5 kg box", "Lychee-wood biochar"} <= {r[0] for r in products}

    # the SBTi targets set on the year: their base read from the year's GHG inventory, recorded
    targets = [{r[0]: r[1] for r in load_workbook(path, data_only=True)["Target"].iter_rows(values_only=True) if r[0]}
               for path in sorted(tmp_path.glob("sbti_target_*.xlsx"))]
    assert len(targets) == 2
    rate = "Annual reduction (% of base, linear)"
    scope12 = next(rows for rows in targets if rows[rate] == 4.2)
    scope3_target = next(rows for rows in targets if rows[rate] == 2.5)
    assert abs(scope12["Base figure recorded"] - (scope1 + scope2)) < 0.0005
    assert abs(scope3_target["Base figure recorded"] - scope3) < 0.0005
    assert scope12["Base year"] == year
    if pdf:
        assert all(len(PdfReader(path).pages) >= 1 for path in tmp_path.glob("sbti_target_*.pdf"))
        assert len(list(tmp_path.glob("sbti_target_*.pdf"))) == 2
    assert "SBTi targets" in run.stdout

    # the kiln as a carbon-inclusion project, monitored from the year's ledger, apart from the emissions
    book = load_workbook(tmp_path / f"carbon_inclusion_monitoring_{year}.xlsx", data_only=True)
    assert book.sheetnames
    if pdf:
        assert len(PdfReader(tmp_path / f"carbon_inclusion_monitoring_{year}.pdf").pages) >= 1
    assert "Carbon inclusion, Lychee prunings to biochar" in run.stdout
    assert "never netted" in run.stdout

    # passports of the wine, the honey and the boxed lychees, published with their labels; the export
    # customer pulled them over PACT v3; a bank financed two cooperatives' bills (the data packs)
    footprints = json.loads((tmp_path / "pact_footprints_export_customer.json").read_text())["data"]
    assert len(footprints) == 3
    assert all(float(pf["pcf"]["pcfExcludingBiogenicUptake"]) > 0 for pf in footprints), footprints
    if pdf:
        assert len(list(tmp_path.glob("carbon_label_*.pdf"))) == 3
    assert "Carbon passports published" in run.stdout
    assert len(list(tmp_path.glob("finance_pack_*.json"))) == 2

    # the footprint per unit of each product made, allocated overhead included
    book = load_workbook(tmp_path / f"product_footprints_{year}.xlsx", data_only=True)
    _, footprints, _ = _table(book["Footprints"])
    assert {r[0] for r in footprints} >= {"Fresh lychees (Feizixiao)", "Lychee honey", "Lychee wine 750 ml"}
    assert all(r[4] and r[4] > 0 for r in footprints)

    # the auditor's evidence pack of the year, made in a transaction of its own once the year was
    # committed: the chain, checked on a second connection in the same snapshot, reads intact
    book = load_workbook(tmp_path / f"evidence_pack_{year}.xlsx", data_only=True)
    cover = {row[0]: row[1] for row in book["Cover"].iter_rows(values_only=True) if row[0]}
    assert chain[0] > 0
    assert cover["Entries in the chain"] == chain[0]
    assert (cover["First hash of the chain"], cover["Last hash of the chain"]) == chain[1:]
    assert "are intact" in cover["Integrity check"]
    assert cover["Ledger lines in the period"] == pack_lines
    assert len(list(book["Ledger Lines"].iter_rows(min_row=5, values_only=True))) == pack_lines
    assert checks == [("intact", chain[0], chain[2])]

