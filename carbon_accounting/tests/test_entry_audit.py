from odoo import fields
from odoo.tests import new_test_user, tagged

from .common_stock import StockCarbonCommon


@tagged("post_install", "-at_install")
class TestEntryAudit(StockCarbonCommon):
    """Carbon entries have a chatter and say who posted them and when; every integrity check is
    kept for the auditor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.auditor = new_test_user(cls.env, "trust_auditor", groups="carbon_accounting.group_carbon_auditor")

    def test_posted_by_and_when(self):
        before = fields.Datetime.now()
        entry = self._receive(self.honey, 10).carbon_move_line_ids.move_id
        self.assertEqual(entry.posted_by_id, self.env.user)
        self.assertTrue(before <= entry.posted_at <= fields.Datetime.now())

    def test_entry_has_a_chatter(self):
        entry = self._receive(self.honey, 10).carbon_move_line_ids.move_id
        entry.with_user(self.auditor).message_post(body="Checked against the delivery note", message_type="comment")
        self.assertIn("Checked against the delivery note", entry.message_ids[0].body)
        self.assertEqual(entry.message_ids[0].author_id, self.auditor.partner_id)
        self.assertIn("<chatter", self.env["carbon.move"].get_view(view_type="form")["arch"])

    def test_integrity_check_is_recorded(self):
        self._receive(self.honey, 10)
        self._deliver(self.honey, 4)
        Move = self.env["carbon.move"]
        entries = Move.search([("company_id", "=", self.company.id), ("state", "=", "posted")],
                              order="secure_sequence_number")
        Check = self.env["carbon.integrity.check"]
        notification = Move.with_user(self.auditor).action_check_integrity()
        self.assertEqual(notification["params"]["type"], "success")
        check = Check.search([("company_id", "=", self.company.id)], order="id desc", limit=1)
        self.assertRecordValues(check, [{
            "user_id": self.auditor.id, "result": "intact", "entry_count": len(entries),
            "first_hash": entries[0].inalterable_hash, "last_hash": entries[-1].inalterable_hash,
            "broken_move_id": False,
        }])
        self.env.cr.execute("UPDATE carbon_move_line SET debit = debit + 1 WHERE id = %s", [entries[-1].line_ids[0].id])
        self.env.invalidate_all()
        notification = Move.with_user(self.auditor).action_check_integrity()
        self.assertEqual(notification["params"]["type"], "danger")
        broken = Check.search([("company_id", "=", self.company.id)], order="id desc", limit=1)
        self.assertRecordValues(broken, [{"result": "broken", "broken_move_id": entries[-1].id,
                                          "entry_count": len(entries)}])
        self.assertTrue(check.display_name.startswith("Integrity check of "))
        # the auditor finds the checks later
        self.assertEqual(Check.with_user(self.auditor).search([("id", "in", (check + broken).ids)]), check + broken)
        self.assertTrue(self.env.ref("carbon_accounting.carbon_integrity_check_menu"))
        # the list's own button checks again and shows the new check
        action = Check.with_user(self.auditor).browse().action_check_integrity()
        self.assertEqual(action["params"]["next"]["tag"], "soft_reload")
        self.assertEqual(Check.search_count([("id", ">", broken.id), ("result", "=", "broken")]), 1)
