from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


class CommittedCompanyMixin:
    """For tests whose work must be seen by other transactions (concurrent posters, a check run on
    a connection of its own): a company and its carbon accounts committed, and everything the
    company's creation and the test committed for it removed again at the end."""

    def _committed_company(self):
        """(company id, its partner's id, its overhead account's id, its direct emissions account's id)"""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].create({"name": "Committed Carbon Test Co"})
            accounts = env["carbon.account"]._for_company(company)
            # the entries' numbering range of the year exists before posters race to create it
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
