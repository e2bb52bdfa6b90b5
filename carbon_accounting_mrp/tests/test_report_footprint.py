from odoo import fields
from odoo.tests import tagged

from .common import ProductionCarbonCommon


@tagged("post_install", "-at_install")
class TestReportFootprint(ProductionCarbonCommon):
    def test_made_product_footprint(self):
        self._receive(self.honey, 20)                     # 2.0 per kg
        self._receive(self.wine, 10)                      # 0.25 per unit
        self._produce(5, direct=1.5)                      # components 21.25 + 1.5 direct = 22.75; mead 90 %
        self._power_bill(1000)                            # 500 kg of Scope 2 in the pool
        self._allocate("production").action_post()       # mead 450, wax 50
        today = fields.Date.today()
        footprint = self.env["carbon.report.eliability"]._get_product_footprint(self.mead, today, today)
        # mead: 20.475 out of work in progress: materials 20.475 x 21.25 / 22.75 = 19.125, direct
        # 20.475 x 1.5 / 22.75 = 1.35; the pool's 450 all energy (only Scope 2 came into it): 470.475 / 5
        self.assertEqual(
            footprint["breakdown"], {"materials": 19.125, "direct": 1.35, "energy": 450.0, "overhead": 0.0}
        )
        self.assertEqual((footprint["quantity"], footprint["carbon"]), (5.0, 470.475))
        self.assertAlmostEqual(footprint["per_unit"], 94.095)
        self.assertEqual((footprint["primary_share"], footprint["unassessed_quantity"]), (0.0, 0.0))
        bought = self.env["carbon.report.eliability"]._get_product_footprint(self.honey, today, today)
        self.assertEqual((bought["per_unit"], bought["quality_share"]["factor"]), (2.0, 1.0))

    def test_statement_counts_goods_made_without_component_carbon(self):
        """Wax made of nothing bought takes all its carbon from the pool allocation: the statement
        counts the 10 kg made (their production line carries no carbon), so its carbon per unit is
        the 500 allocated / 10 kg = 50, not "no quantity"."""
        bom = self.env["mrp.bom"].create({"product_tmpl_id": self.wax.product_tmpl_id.id, "product_qty": 1})
        self._produce(10, bom=bom)                        # no components: nothing out of work in progress
        self._power_bill(1000)                            # 500 kg of Scope 2 in the pool
        self._allocate("production").action_post()       # all 500 to the wax
        today = fields.Date.today()
        rows = self.env["carbon.report.eliability"]._get_data(self.company, today, today)["by_product"]
        wax = next(row for row in rows if row["product"] == self.wax)
        self.assertEqual((wax["quantity"], wax["carbon"], wax["unassessed_quantity"]), (10.0, 500.0, 0.0))
        self.assertAlmostEqual(wax["per_unit"], 50.0)
