import base64

from odoo import Command, fields

from .common_bill import BillCarbonCommon


class InclusionCommon(BillCarbonCommon):
    """The two shipped lychee methodologies, a kiln and an orchard (production locations), prunings,
    and helpers that consume into them, bill by today's date and take a project to monitoring."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.biochar = cls.env.ref("carbon_accounting.methodology_lychee_biochar")
        cls.organic = cls.env.ref("carbon_accounting.methodology_lychee_fertiliser")
        Location = cls.env["stock.location"]
        production = cls.env["stock.location"].search([("usage", "=", "production")], limit=1)
        cls.kiln = Location.create({"name": "Biochar kiln", "usage": "production", "company_id": cls.company.id,
                                    "location_id": production.location_id.id})
        cls.orchard = Location.create({"name": "Orchard plots", "usage": "production",
                                       "company_id": cls.company.id, "location_id": production.location_id.id})
        cls.prunings = cls._product("Lychee prunings", uom=cls.uom_kg, is_storable=True)
        cls.farmer_a = cls.env["res.partner"].create({"name": "Farmer Chen"})
        cls.farmer_b = cls.env["res.partner"].create({"name": "Farmer Li"})
        cls.farmer_c = cls.env["res.partner"].create({"name": "Conghua Cooperative"})
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.year_start = cls.today.replace(month=1, day=1)
        cls.year_end = cls.today.replace(month=12, day=31)

    @staticmethod
    def _evidence(name="evidence.pdf"):
        return [Command.create({"name": name, "raw": b"%PDF evidence"})]

    def _consume(self, product, qty, location):
        """Receive ``qty`` and consume it into ``location`` (done moves into a production location)."""
        self._receive(product, qty)
        return self._move(product, qty, self.stock, location)

    def _bill_today(self, product, qty, move_type="in_invoice", post=True):
        bill = self._bill([{"product_id": product.id, "quantity": qty, "price_unit": 1.0}], move_type=move_type,
                          post=False)
        bill.invoice_date = self.today
        if post:
            bill.action_post()
        return bill

    @classmethod
    def _project(cls, methodology, sources, participants=None, name="Conghua prunings"):
        participants = participants or [(cls.farmer_a, 60.0), (cls.farmer_b, 40.0)]
        project = cls.env["carbon.inclusion.project"].create({
            "name": name, "methodology_id": methodology.id, "location": "Conghua, Guangzhou",
            "start_date": cls.year_start,
            "participant_ids": [Command.create({"partner_id": partner.id, "share_percent": share})
                                for partner, share in participants],
            "source_ids": [Command.create({"monitoring_parameter_id": parameter.id, "product_id": product.id,
                                           "location_id": location.id if location else False})
                           for parameter, product, location in sources],
        })
        return project

    @classmethod
    def _to_monitoring(cls, project):
        for answer in project.checklist_ids:
            answer.write({"answer": "yes", "attachment_ids": cls._evidence(f"{answer.condition_id.id}.pdf")})
        project.action_validate()
        project.reference = "PHCER-GD-0001"
        project.action_register()
        project.action_start_monitoring()
        return project

    @classmethod
    def _biochar_project(cls):
        """A biochar project in monitoring: prunings from the kiln, its electricity from the bills."""
        return cls._to_monitoring(cls._project(cls.biochar, [
            (cls._parameter(cls.biochar, "prunings_kg"), cls.prunings, cls.kiln),
            (cls._parameter(cls.biochar, "kiln_kwh"), cls.power, None)]))

    def _organic_period(self):
        """The period of the year of an organic-fertiliser project in monitoring ("Orchards N": fertiliser
        into the orchard, transport diesel from the bills), gathered from the ledger and computed."""
        project = self._to_monitoring(self._project(self.organic, [
            (self._parameter(self.organic, "organic_kg"), self.fertiliser, self.orchard),
            (self._parameter(self.organic, "transport_diesel_l"), self.diesel, None)], name="Orchards N"))
        monitoring = self._period(project)
        monitoring.action_gather()
        monitoring.action_compute()
        return monitoring

    @staticmethod
    def _parameter(methodology, code):
        return methodology.monitoring_parameter_ids.filtered(lambda p: p.code == code)

    def _period(self, project, **vals):
        return self.env["carbon.inclusion.monitoring"].create({
            "project_id": project.id, "date_from": self.year_start, "date_to": self.year_end, **vals})

    def _line(self, monitoring, code):
        return monitoring.line_ids.filtered(lambda line: line.code == code)

    def _verify(self, monitoring):
        monitoring.write({"verifier_id": self.vendor_b.id,
                          "verification_statement": base64.b64encode(b"%PDF statement"),
                          "verification_statement_name": "statement.pdf"})
        monitoring.action_verify()
