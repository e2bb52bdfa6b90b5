import random
import threading
import time

from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

#: What Odoo's ``retrying()`` retries (odoo/service/model.py).
CONCURRENCY_ERRORS = (errors.SerializationFailure, errors.LockNotAvailable, errors.DeadlockDetected)


@tagged("post_install", "-at_install")
class TestChainConcurrency(TransactionCase):
    """Two users posting at once: every entry is posted (or retried until it is), the chain is
    numbered without gap or duplicate and verifies. The posters are real concurrent transactions,
    so the company and its entries are committed and removed again at the end."""

    THREADS = 2
    POSTS = 20
    TRIES = 50

    def _committed_company(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].create({"name": "Chain Concurrency Test Co"})
            accounts = env["carbon.account"]._for_company(company)
            # the entries' numbering range of the year exists before the posters race to create it
            env.ref("carbon_accounting.sequence_carbon_move")._get_current_sequence()
            ids = company.id, company.partner_id.id, accounts["overhead"].id, accounts["direct"].id
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._remove_company, ids[0], ids[1])
        return ids

    def _remove_company(self, company_id, partner_id):
        """Delete what the company's creation and the test committed (the company's warehouse,
        locations, routes and sequences included)."""
        with self.registry.cursor() as cr:
            cr.execute("SELECT resource_calendar_id FROM res_company WHERE id = %s", [company_id])
            [calendar_id] = cr.fetchone()
            for table in ("carbon_move_line", "carbon_move", "carbon_chain_head", "carbon_account",
                          "stock_rule", "stock_warehouse", "stock_route", "stock_picking_type"):
                cr.execute(SQL("DELETE FROM %s WHERE company_id = %s", SQL.identifier(table), company_id))
            cr.execute("UPDATE res_company SET internal_transit_location_id = NULL WHERE id = %s", [company_id])
            for table in ("stock_location", "ir_sequence"):
                cr.execute(SQL("DELETE FROM %s WHERE company_id = %s", SQL.identifier(table), company_id))
            cr.execute("DELETE FROM res_company WHERE id = %s", [company_id])
            cr.execute("DELETE FROM resource_calendar WHERE id = %s", [calendar_id])
            cr.execute("DELETE FROM res_partner WHERE id = %s", [partner_id])
            cr.commit()  # pylint: disable=invalid-commit

    def _poster(self, company_id, overhead_id, direct_id, failures):
        for number in range(self.POSTS):
            for __ in range(self.TRIES):
                with self.registry.cursor() as cr:
                    try:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        env["carbon.move"].create({
                            "company_id": company_id, "kind": "activity",
                            "ref": f"{threading.current_thread().name} #{number}",
                            "line_ids": [
                                Command.create({"account_id": overhead_id, "debit": 1.5}),
                                Command.create({"account_id": direct_id, "credit": 1.5}),
                            ],
                        })._post()
                        cr.commit()  # pylint: disable=invalid-commit
                        break
                    except CONCURRENCY_ERRORS:
                        cr.rollback()
                time.sleep(random.uniform(0.0, 0.02))
            else:
                failures.append(number)

    def test_concurrent_posting_keeps_the_chain(self):
        company_id, __, overhead_id, direct_id = self._committed_company()
        failures = []
        threads = [
            threading.Thread(
                target=self._poster, args=(company_id, overhead_id, direct_id, failures), name=f"poster {n}"
            )
            for n in range(self.THREADS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertFalse(failures, "every post goes through, retried on concurrency errors")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].browse(company_id)
            entries = env["carbon.move"].search([("company_id", "=", company_id)], order="secure_sequence_number")
            self.assertEqual(len(entries), self.THREADS * self.POSTS)
            self.assertEqual(set(entries.mapped("state")), {"posted"})
            self.assertEqual(entries.mapped("secure_sequence_number"), list(range(1, self.THREADS * self.POSTS + 1)))
            self.assertIsNone(env["carbon.move"]._check_integrity(company))
