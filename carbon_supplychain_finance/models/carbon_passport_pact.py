import uuid
from datetime import timedelta
from urllib.parse import quote

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import grading, pact

#: The declared units of PACT, by the Odoo unit they are counted in (xml ids), first match wins.
PACT_UNITS = (
    ("uom.product_uom_kgm", "kilogram"),
    ("uom.product_uom_litre", "liter"),
    ("uom.product_uom_unit", "piece"),
    ("uom.product_uom_square_meter", "square meter"),
    ("uom.product_uom_hour", "hour"),
    ("carbon_accounting.uom_kwh", "kilowatt hour"),
    ("carbon_accounting.uom_tkm", "ton kilometer"),
)
STANDARDS = (("standard_ghg_product", "GHGP-Product"), ("standard_iso14067", "ISO14067"))


class CarbonPassport(models.Model):
    """A published passport is served over PACT as a ProductFootprint, under its own stable id (not
    the public page's token)."""

    _inherit = "carbon.passport"

    pact_id = fields.Char(string="PACT Footprint ID", readonly=True, copy=False, index=True,
                          default=lambda self: str(uuid.uuid4()),
                          help="The ProductFootprint id of the passport in the PACT exchange (a UUID).")
    pact_unit = fields.Selection([(unit, unit) for unit in pact.DECLARED_UNITS], string="PACT Declared Unit",
                                 compute="_compute_pact_unit", store=True,
                                 help="The PACT unit the declared unit is counted in: a passport in a unit "
                                 "PACT does not know is not exchanged.")

    _pact_id_unique = models.Constraint("UNIQUE(pact_id)", "A passport's PACT id is its own.")

    def init(self):
        result = super().init()
        self.env.cr.execute("UPDATE carbon_passport SET pact_id = gen_random_uuid()::text WHERE pact_id IS NULL")
        return result

    @api.depends("uom_id")
    def _compute_pact_unit(self):
        for passport in self:
            passport.pact_unit = passport._pact_unit()[0]

    def _pact_unit(self):
        """(PACT declared unit, its Odoo unit) of the passport's declared unit, or (False, None)."""
        self.ensure_one()
        uom = self.uom_id
        if uom:
            for xmlid, unit in PACT_UNITS:
                reference = self.env.ref(xmlid, raise_if_not_found=False)
                if reference and (uom == reference or uom._has_common_reference(reference)):
                    return unit, reference
        return False, None

    @api.model
    def _pact_domain(self):
        """The passports that can be exchanged over PACT: published or superseded, in a PACT unit,
        under a cross-sectoral standard."""
        return [("state", "in", ("published", "deprecated")), ("pact_unit", "!=", False),
                "|", ("standard_ghg_product", "=", True), ("standard_iso14067", "=", True)]

    @api.model
    def _pact_urn(self, kind, value):
        """A URN of the data owner's namespace (``urn:pact:<host>:<kind>:<value>``)."""
        host = (self.get_base_url().split("://")[-1].split("/")[0].split(":")[0]) or "localhost"
        return f"urn:pact:{host}:{kind}:{quote(str(value), safe='')}"

    def _pact_product_ids(self):
        """The product's URNs: its GTIN, its internal reference, its id in this database."""
        self.ensure_one()
        product = self.product_id
        gtin = grading.gtin14(product.barcode)
        urns = [f"urn:gtin:{gtin}"] if gtin else []
        if product.default_code:
            urns.append(self._pact_urn("product-id", product.default_code))
        urns.append(self._pact_urn("product", product.id))
        return urns

    def _pact_footprint(self):
        """The passport as a PACT v3 ProductFootprint (decimals as JSON strings)."""
        self.ensure_one()
        if self.state not in ("published", "deprecated"):
            raise UserError(self.env._("%s is not published: it is not exchanged over PACT.", self.name))
        unit, reference = self._pact_unit()
        if not unit:
            raise UserError(self.env._("%(name)s: its declared unit %(uom)s has no PACT equivalent.",
                                       name=self.name, uom=self.uom_id.name))
        data = self._footprint_data()
        amount = self.uom_id._compute_quantity(1.0, reference, round=False)
        if unit == "kilogram":
            mass = amount
        elif unit in ("piece", "liter", "square meter") and self.uom_id._has_common_reference(self.product_id.uom_id):
            mass = self.product_id.weight * self.uom_id._compute_quantity(1.0, self.product_id.uom_id, round=False)
        else:
            mass = 0.0
        company = self.company_id
        company_ids = [self._pact_urn("company", company.id)]
        if company.vat:
            company_ids.append(self._pact_urn("vat", company.vat))
        fossil = data["per_unit"]
        biogenic = data["biogenic_per_unit"] or 0.0
        end = self.date_to + timedelta(days=1)
        pcf = {
            "declaredUnitOfMeasurement": unit,
            "declaredUnitAmount": pact.decimal_string(amount),
            "productMassPerDeclaredUnit": pact.decimal_string(mass),
            "referencePeriodStart": pact.timestamp(self.date_from),
            "referencePeriodEnd": pact.timestamp(end),
            "boundaryProcessesDescription": self.env._(
                "Cradle-to-gate, from the posted E-liability ledger: materials acquired (%(transport)s), direct "
                "emissions, energy and allocated overhead over the reference period.",
                transport=self.env._("transport separated") if data["transport_separated"]
                else self.env._("transport inside the materials, not separated")),
            "pcfExcludingBiogenicUptake": pact.decimal_string(fossil + biogenic),
            "pcfIncludingBiogenicUptake": pact.decimal_string(fossil + biogenic),
            "fossilGhgEmissions": pact.decimal_string(fossil),
            "fossilCarbonContent": "0",
            "ipccCharacterizationFactors": ["AR6"],
            "crossSectoralStandards": [name for flag, name in STANDARDS if self[flag]],
            "exemptedEmissionsPercent": "0",
            "exemptedEmissionsDescription": self.env._(
                "Quantities whose carbon is unknown (%s in the reference period) are left out of the per-unit "
                "figure, not counted as zero.", data["unassessed_quantity"]),
            "allocationRulesDescription": self.env._(
                "Overhead allocated to products by the posted pool allocations of the period."),
            "primaryDataShare": pact.decimal_string((data["primary_share"] or 0.0) * 100.0, 2),
            "dqi": {"technologicalDQR": str(data["data_quality"]["technological"]),
                    "geographicalDQR": str(data["data_quality"]["geographical"]),
                    "temporalDQR": str(data["data_quality"]["temporal"])},
        }
        if company.country_id:
            pcf["geographyCountry"] = company.country_id.code.upper()
        if self.verifier_id:
            pcf["verification"] = {"coverage": "product level", "providerName": self.verifier_id.name}
            if self.verification_date:
                pcf["verification"]["completedAt"] = pact.timestamp(self.verification_date)
        footprint = {
            "id": self.pact_id,
            "specVersion": pact.SPEC_VERSION,
            "created": pact.timestamp(self.create_date),
            "status": "Active" if self.state == "published" else "Deprecated",
            "validityPeriodStart": pact.timestamp(self.published_date or end),
            "companyName": company.name,
            "companyIds": company_ids,
            "productDescription": self.product_id.description_sale or self.product_id.display_name,
            "productIds": self._pact_product_ids(),
            "productNameCompany": self.product_id.name,
            "comment": self.env._(
                "Carbon passport %(name)s%(lot)s. The fossil carbon content of the product is not assessed "
                "(reported as 0); biogenic CO2 uptake is not accounted.", name=self.name,
                lot=self.env._(", lot %s", self.lot_id.name) if self.lot_id else ""),
            "pcf": pcf,
        }
        if self.valid_until:
            footprint["validityPeriodEnd"] = pact.timestamp(self.valid_until + timedelta(days=1))
        if self.replaces_id.pact_id:
            footprint["precedingPfIds"] = [self.replaces_id.pact_id]
        return footprint
