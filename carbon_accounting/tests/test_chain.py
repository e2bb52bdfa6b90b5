import random
import threading
import time

from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged

from .common_committed import CommittedCompanyMixin

#: What Odoo's ``retrying()`` retries (odoo/service/model.py).
CONCURRENCY_ERRORS = (errors.SerializationFailure, errors.LockNotAvailable, errors.DeadlockDetected)


@tagged("post_install", "-at_install")
class TestChainConcurrency(CommittedCompanyMixin, TransactionCase):
    """Two users posting at once: every entry is posted (or retried until it is), the chain is
    numbered without gap or duplicate and verifies. The posters are real concurrent transactions,
    so the company and its entries are committed and removed again at the end."""

    THREADS = 2
    POSTS = 20
    TRIES = 50

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
