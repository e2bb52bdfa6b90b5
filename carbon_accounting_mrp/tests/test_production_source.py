from odoo.tests import tagged

from .common import ProductionCarbonCommon


@tagged("post_install", "-at_install")
class TestProductionSource(ProductionCarbonCommon):
    def test_production_entries_open_the_production(self):
        self._receive(self.honey, 20)
        self._receive(self.wine, 10)
        production = self._produce(5, direct=1.5)
        direct = production.carbon_direct_move_id
        self.assertEqual(direct.source_document, production)
        stock_lines = (production.move_raw_ids | production.move_finished_ids).carbon_move_line_ids
        self.assertTrue(stock_lines)
        for record in [*direct, *direct.line_ids, *stock_lines, *stock_lines.move_id]:
            self.assertEqual(record.source_document, production)
        action = stock_lines[0].action_open_source_document()
        self.assertEqual((action["res_model"], action["res_id"]), ("mrp.production", production.id))
