import base64
import io
import uuid

import qrcode

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from odoo.addons.carbon_accounting.tools import carbon_math

from ..tools import grading

STATES = [("draft", "Draft"), ("published", "Published"), ("deprecated", "Deprecated")]
#: Pedigree scores (Weidema & Wesnæs; the scale of the PACT data-quality ratings): 1 best, 5 worst.
PEDIGREE = [("1", "1 - very good"), ("2", "2 - good"), ("3", "3 - fair"), ("4", "4 - poor"), ("5", "5 - very poor")]
LABEL_GRADES = [
    ("negative_carbon", "Negative-carbon"),
    ("carbon_neutral", "Carbon-neutral"),
    ("low_carbon", "Low-carbon"),
    ("benchmark", "At or below benchmark"),
    ("above_benchmark", "Above benchmark"),
]
LABEL_REASONS = [
    ("unassessed", "Nothing assessed: no label"),
    ("no_benchmark", "No benchmark for the product's category"),
    ("removals_exceed_footprint", "Verified removals exceed the gross footprint of the quantity claimed"),
    ("credits_cover_footprint", "Retired credits (and verified removals) cover the gross footprint claimed"),
    ("below_threshold", "At or below 80 % of the category benchmark"),
    ("at_or_below_benchmark", "Above 80 % of the category benchmark, at or below it"),
    ("above_benchmark", "Above the category benchmark"),
]
#: Figures read from the ledger (``action_compute``); fixed once published.
FIGURES = ("quantity", "unassessed_quantity", "carbon_total", "per_unit", "materials_per_unit", "direct_per_unit",
           "energy_per_unit", "overhead_per_unit", "transport_per_unit", "transport_separated", "biogenic_per_unit",
           "primary_share", "verified_share", "assessed", "uom_id", "computed_on")
#: What may still be written on a published passport: its deprecation when a new one supersedes it.
DEPRECATION_FIELDS = {"state", "replaced_by_id"}


class CarbonPassport(models.Model):
    """The carbon passport of a product (or of a lot of it): its cradle-to-gate footprint per declared
    unit over a reference period, read from the posted E-liability ledger, with its breakdown, data
    quality, verification and label. Published, it never changes: a new passport supersedes it."""

    _name = "carbon.passport"
    _description = "Product Carbon Passport"
    _order = "product_id, date_to desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    product_id = fields.Many2one("product.product", required=True, index=True,
                                 check_company=True, ondelete="restrict")
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial Number", check_company=True, index="btree_not_null",
                             domain="[('product_id', '=', product_id)]",
                             help="For a product tracked by lots: the lot the passport is printed for. Its "
                             "figures are the product's over the reference period.")
    product_tracking = fields.Selection(related="product_id.tracking")
    state = fields.Selection(STATES, required=True, default="draft", readonly=True, copy=False, index=True)
    date_from = fields.Date(string="Reference Period From", required=True)
    date_to = fields.Date(string="Reference Period To", required=True)
    valid_until = fields.Date(help="The date after which the passport should no longer be relied upon.")
    published_date = fields.Date(readonly=True, copy=False)
    boundary = fields.Selection([("cradle_to_gate", "Cradle-to-gate")], required=True, default="cradle_to_gate",
                                readonly=True)
    standard_ghg_product = fields.Boolean(string="GHG Protocol Product Standard", default=True)
    standard_iso14067 = fields.Boolean(string="ISO 14067:2018", default=True)
    # figures, from the ledger
    assessed = fields.Boolean(readonly=True, copy=False,
                              help="Something assessed was bought or made in the reference period.")
    computed_on = fields.Datetime(string="Figures Read On", readonly=True, copy=False)
    uom_id = fields.Many2one("uom.uom", string="Declared Unit", readonly=True, copy=False)
    quantity = fields.Float(string="Quantity Assessed", digits="Product Unit", readonly=True, copy=False)
    unassessed_quantity = fields.Float(digits="Product Unit", readonly=True, copy=False,
                                       help="Quantity whose carbon is unknown: left out of the per-unit figure.")
    carbon_total = fields.Float(string="Carbon Assessed (kgCO2e)", digits="Carbon", readonly=True, copy=False)
    per_unit = fields.Float(string="kgCO2e per Declared Unit", digits="Carbon", readonly=True, copy=False,
                            help="Gross cradle-to-gate footprint, fossil: biogenic CO2 and removals are apart.")
    materials_per_unit = fields.Float(string="Materials Acquired", digits="Carbon", readonly=True, copy=False)
    direct_per_unit = fields.Float(string="Direct Emissions", digits="Carbon", readonly=True, copy=False)
    energy_per_unit = fields.Float(string="Energy", digits="Carbon", readonly=True, copy=False)
    overhead_per_unit = fields.Float(string="Allocated Overhead", digits="Carbon", readonly=True, copy=False)
    transport_separated = fields.Boolean(readonly=True, copy=False,
                                         help="Freight (Scope 3 category 4 factors) is identifiable in the "
                                         "carbon acquired; otherwise it is inside the materials, not separated.")
    transport_per_unit = fields.Float(string="Transport (of which)", digits="Carbon", readonly=True, copy=False)
    biogenic_per_unit = fields.Float(string="Biogenic CO2 per Unit (kg)", digits="Carbon", readonly=True, copy=False,
                                     help="Memo: biogenic CO2 released with the product's emissions, apart from the "
                                     "fossil footprint.")
    primary_share = fields.Float(string="Primary-data Share", readonly=True, copy=False, aggregator=None,
                                 help="Share of the footprint from suppliers' primary data (verified included).")
    verified_share = fields.Float(string="Verified-data Share", readonly=True, copy=False, aggregator=None)
    # data quality
    dq_technological = fields.Selection(PEDIGREE, string="Technological Representativeness",
                                        help="1: data of the very process and technology; 3: of similar "
                                        "processes; 5: of a different technology or unknown.")
    dq_geographical = fields.Selection(PEDIGREE, string="Geographical Representativeness",
                                       help="1: data of the very sites; 3: of the same country or region; "
                                       "5: of another or an unknown region.")
    dq_temporal = fields.Selection(PEDIGREE, string="Temporal Representativeness",
                                   help="1: data less than 3 years older than the reference period; 2: less "
                                   "than 6; 3: less than 10; 4: less than 15; 5: older or unknown.")
    # verification
    verifier_id = fields.Many2one("res.partner")
    verification_date = fields.Date()
    verification_statement = fields.Binary(attachment=True, copy=False)
    verification_statement_name = fields.Char(string="Statement File Name", copy=False)
    # claims beside the gross figure
    claim_quantity = fields.Float(string="Quantity Claimed", digits="Product Unit",
                                  help="Units a carbon-neutral or negative-carbon claim covers: retired credits and "
                                  "verified removals are set against their gross footprint.")
    credit_movement_ids = fields.Many2many(
        "carbon.register.movement", "carbon_passport_credit_movement_rel", "passport_id", "movement_id",
        string="Retired Credits", check_company=True, copy=False,
        domain="[('register', '=', 'credit'), ('movement_type', '=', 'retire')]")
    removal_ids = fields.Many2many("carbon.removal", string="Verified Removals", check_company=True, copy=False,
                                   domain="[('verification_state', '=', 'verified')]")
    credits_retired = fields.Float(string="Credits Retired (kgCO2e)", digits="Carbon", readonly=True, copy=False)
    removals = fields.Float(string="Verified Removals (kgCO2e)", digits="Carbon", readonly=True, copy=False)
    removals_per_unit = fields.Float(digits="Carbon", readonly=True, copy=False)
    net_per_unit = fields.Float(string="Net of Verified Removals per Unit", digits="Carbon", readonly=True,
                                copy=False, help="For information, beside the gross figure: gross less the verified "
                                "removals assigned, per unit claimed.")
    # label
    benchmark_id = fields.Many2one("carbon.product.benchmark", readonly=True, copy=False)
    benchmark_per_unit = fields.Float(string="Benchmark per Declared Unit", digits="Carbon", readonly=True,
                                      copy=False)
    label_grade = fields.Selection(LABEL_GRADES, readonly=True, copy=False)
    label_reason = fields.Selection(LABEL_REASONS, readonly=True, copy=False)
    # chain
    replaces_id = fields.Many2one("carbon.passport", readonly=True, copy=False,
                                  check_company=True, index="btree_not_null")
    replaced_by_id = fields.Many2one("carbon.passport", string="Superseded by", readonly=True, copy=False,
                                     check_company=True)
    access_token = fields.Char(required=True, readonly=True, copy=False, groups="carbon_accounting.group_carbon_user",
                               default=lambda self: uuid.uuid4().hex)
    public_url = fields.Char(compute="_compute_urls", groups="carbon_accounting.group_carbon_user")
    qr_url = fields.Char(string="QR Code URL", compute="_compute_urls", groups="carbon_accounting.group_carbon_user",
                         help="The GS1 Digital Link of the product's GTIN (and lot) when its barcode is one, else "
                         "the public page.")

    qr_image = fields.Binary(string="QR Code", compute="_compute_qr_image",
                             groups="carbon_accounting.group_carbon_user")

    _period = models.Constraint("CHECK(date_from <= date_to)", "The reference period ends after it starts.")
    _claim_positive = models.Constraint("CHECK(claim_quantity >= 0)", "A quantity claimed is not negative.")
    _token_unique = models.Constraint("UNIQUE(access_token)", "A passport's access token is its own.")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("carbon.passport") or "/"
        return super().create(vals_list)

    @api.depends("access_token", "product_id.barcode", "lot_id.name")
    def _compute_urls(self):
        for passport in self:
            base = passport.get_base_url()
            passport.public_url = f"{base}/carbon/passport/{passport.access_token}"
            gtin = grading.gtin14(passport.product_id.barcode)
            passport.qr_url = grading.gs1_digital_link(base, gtin, passport.lot_id.name) if gtin \
                else passport.public_url

    @api.depends("qr_url")
    def _compute_qr_image(self):
        for passport in self:
            image = io.BytesIO()
            qrcode.make(passport.qr_url, border=2).save(image, format="PNG")
            passport.qr_image = base64.b64encode(image.getvalue())

    @api.constrains("lot_id", "product_id")
    def _check_lot(self):
        for passport in self.filtered("lot_id"):
            if passport.lot_id.product_id != passport.product_id:
                raise ValidationError(self.env._("Lot %s is not of the passport's product.", passport.lot_id.name))

    @api.constrains("credit_movement_ids", "removal_ids")
    def _check_claims(self):
        for passport in self:
            if passport.credit_movement_ids.filtered(
                    lambda m: m.register != "credit" or m.movement_type != "retire"):
                raise ValidationError(self.env._("A carbon-neutral claim names retirements of credits only."))
            if passport.removal_ids.filtered(lambda r: r.verification_state != "verified"):
                raise ValidationError(self.env._("Only verified removals can be assigned to a passport."))

    # ------------------------------------------------------------------ immutability

    def write(self, vals):
        fixed = self.filtered(lambda p: p.state != "draft")
        if fixed and not self.env.context.get("carbon_passport_deprecate"):
            raise UserError(self.env._(
                "%s is published: a published passport never changes. Create a new version that supersedes it.",
                fixed[0].name))
        if fixed and (set(vals) - DEPRECATION_FIELDS or vals.get("state", "deprecated") != "deprecated"):
            raise UserError(self.env._("A published passport can only be deprecated."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_published(self):
        if self.filtered(lambda p: p.state != "draft"):
            raise UserError(self.env._("A published or deprecated passport is kept: it cannot be deleted."))

    # ------------------------------------------------------------------ figures

    def action_compute(self):
        """Read the figures of each draft passport from the posted ledger, and grade its label."""
        Report = self.env["carbon.report.eliability"]
        for passport in self:
            if passport.state != "draft":
                raise UserError(self.env._("%s is published: its figures are fixed.", passport.name))
            footprint = Report._get_product_footprint(
                passport.product_id, passport.date_from, passport.date_to, passport.company_id)
            vals = passport._figures_from(footprint)
            vals.update(passport._label_values(vals))
            passport.write(vals)
        return True

    def _figures_from(self, footprint):
        """Field values of a footprint of ``_get_product_footprint``: per unit, the breakdown, the
        transport found in it, the biogenic CO2 of its entries and the data shares."""
        self.ensure_one()
        per_unit = footprint["per_unit"]
        quantity = footprint["quantity"]
        per_unit_of = footprint["per_unit_breakdown"]
        transport, separated = self._transport(footprint["domain"])
        return {
            "assessed": per_unit is not None,
            "computed_on": fields.Datetime.now(),
            "uom_id": footprint["uom"].id,
            "quantity": quantity,
            "unassessed_quantity": footprint["unassessed_quantity"],
            "carbon_total": footprint["carbon"],
            "per_unit": carbon_math.round_carbon(per_unit) if per_unit is not None else 0.0,
            **{f"{key}_per_unit": carbon_math.round_carbon(per_unit_of[key]) if per_unit is not None else 0.0
               for key in ("materials", "direct", "energy", "overhead")},
            "transport_separated": separated,
            "transport_per_unit": carbon_math.round_carbon(transport / quantity)
            if separated and per_unit is not None else 0.0,
            "biogenic_per_unit": carbon_math.round_carbon(self._biogenic(footprint["domain"]) / quantity)
            if per_unit is not None else 0.0,
            "primary_share": footprint["primary_share"],
            "verified_share": footprint["verified_share"],
        }

    def _transport(self, domain):
        """kgCO2e of the footprint's lines booked with freight factors (Scope 3 category 4), and
        whether there are any: otherwise transport is not separated from the materials."""
        groups = self.env["carbon.move.line"]._read_group(
            Domain(domain) & Domain("scope3_category", "=", "4"), [], ["balance:sum", "__count"])
        total, count = groups[0]
        return (total or 0.0), bool(count)

    def _biogenic(self, domain):
        """Biogenic CO2 (memo) behind the footprint's lines: of the entries that hold them, each entry's
        shared out by the part of its debits that are the footprint's lines; and of the overhead pool,
        in proportion of the pool allocated to the product to what came into the pool in the period."""
        Line = self.env["carbon.move.line"]
        domain = Domain(domain)
        own = dict(Line._read_group(domain & Domain("move_id.kind", "!=", "allocation"), ["move_id"],
                                    ["balance:sum"]))
        biogenic = 0.0
        if own:
            entries = Domain("move_id", "in", [entry.id for entry in own])
            debits = dict(Line._read_group(entries, ["move_id"], ["debit:sum"]))
            for entry, amount in Line._read_group(entries & Domain("biogenic_co2", "!=", 0), ["move_id"],
                                                  ["biogenic_co2:sum"]):
                if not carbon_math.is_zero(debits.get(entry, 0.0)):
                    biogenic += amount * own[entry] / debits[entry]
        (allocated,) = Line._read_group(domain & Domain("move_id.kind", "=", "allocation"), [], ["balance:sum"])[0]
        if allocated:
            period = self.env["carbon.report.eliability"]._ledger_domain(self.company_id, self.date_from, self.date_to)
            inflow, pool_biogenic = Line._read_group(period & Domain([
                ("account_type", "in", ("direct", "energy")), ("move_id.line_ids.account_type", "=", "overhead")]),
                [], ["balance:sum", "biogenic_co2:sum"])[0]
            if not carbon_math.is_zero(inflow or 0.0):
                biogenic += allocated * (pool_biogenic or 0.0) / -inflow
        return biogenic

    def _claim_values(self):
        self.ensure_one()
        credits = carbon_math.round_carbon(sum(self.credit_movement_ids.mapped("tonnes")) * 1000.0)
        removals = carbon_math.round_carbon(sum(self.removal_ids.mapped("verified_held_net")) * 1000.0)
        return credits, removals

    def _label_values(self, figures=None):
        """The label and the claims' figures of the passport (with ``figures`` about to be written)."""
        self.ensure_one()
        figures = figures or {}
        assessed = figures.get("assessed", self.assessed)
        per_unit = figures.get("per_unit", self.per_unit) if assessed else None
        credits, removals = self._claim_values()
        benchmark = self.env["carbon.product.benchmark"]._for_product(self.product_id, self.company_id)
        reference = benchmark._per_unit_of(self.product_id) if benchmark else None
        grade, reason = grading.label_grade(per_unit, reference, self.claim_quantity, credits, removals)
        claimed = self.claim_quantity if self.claim_quantity > 0 else 0.0
        removals_per_unit = removals / claimed if claimed else 0.0
        return {
            "credits_retired": credits, "removals": removals,
            "removals_per_unit": carbon_math.round_carbon(removals_per_unit),
            "net_per_unit": carbon_math.round_carbon(per_unit - removals_per_unit)
            if per_unit is not None and self.removal_ids and claimed else 0.0,
            "benchmark_id": benchmark.id,
            "benchmark_per_unit": carbon_math.round_carbon(reference) if reference is not None else 0.0,
            "label_grade": grade, "label_reason": reason,
        }

    # ------------------------------------------------------------------ life cycle

    def action_publish(self):
        for passport in self:
            if passport.state != "draft":
                raise UserError(self.env._("%s is already published.", passport.name))
            if not passport.computed_on:
                passport.action_compute()
            if not passport.assessed:
                raise UserError(self.env._(
                    "%(name)s: nothing assessed was bought or made of %(product)s from %(start)s to %(end)s "
                    "(%(qty)s unassessed): a passport is not published without a footprint, never with zero.",
                    name=passport.name, product=passport.product_id.display_name, start=passport.date_from,
                    end=passport.date_to, qty=passport.unassessed_quantity))
            missing = [passport._fields[name].string for name in ("dq_technological", "dq_geographical",
                                                                   "dq_temporal") if not passport[name]]
            if missing:
                raise UserError(self.env._("%(name)s: rate its data quality first (%(missing)s).",
                                           name=passport.name, missing=", ".join(missing)))
            if passport.verifier_id and not passport.verification_statement:
                raise UserError(self.env._("%s: attach the verifier's statement.", passport.name))
            if passport.claim_quantity and not (passport.credit_movement_ids or passport.removal_ids):
                raise UserError(self.env._(
                    "%s claims a quantity: name the retired credits or verified removals behind the claim.",
                    passport.name))
            if passport.replaces_id and (passport.replaces_id.state != "published" or (
                    passport.replaces_id.product_id, passport.replaces_id.lot_id) != (passport.product_id,
                                                                                     passport.lot_id)):
                raise UserError(self.env._(
                    "%(name)s replaces %(old)s, which is no longer the published passport of %(product)s: make "
                    "a new version of the current one.", name=passport.name, old=passport.replaces_id.name,
                    product=passport.product_id.display_name))
            replaced = passport.replaces_id or self.search([
                ("company_id", "=", passport.company_id.id), ("product_id", "=", passport.product_id.id),
                ("lot_id", "=", passport.lot_id.id), ("state", "=", "published")], limit=1)
            passport._check_claims_unshared(replaced)
            passport.write({**passport._label_values(), "replaces_id": replaced.id})
            passport.write({"state": "published", "published_date": fields.Date.context_today(passport)})
            if replaced:
                replaced.with_context(carbon_passport_deprecate=True).write(
                    {"state": "deprecated", "replaced_by_id": passport.id})
        return True

    def _check_claims_unshared(self, replaced):
        """A retirement or a removal backs the claim of one published passport only (the one being
        superseded excepted): never counted twice."""
        self.ensure_one()
        others = self.search([("state", "=", "published"), ("id", "not in", (self | replaced).ids),
                              "|", ("credit_movement_ids", "in", self.credit_movement_ids.ids),
                              ("removal_ids", "in", self.removal_ids.ids)], limit=1)
        if others:
            raise UserError(self.env._(
                "%(name)s: its retired credits or removals already back the claim of %(other)s.",
                name=self.name, other=others.name))

    def action_new_version(self):
        """A draft passport of the same product that will supersede this one when published."""
        self.ensure_one()
        if self.state != "published":
            raise UserError(self.env._("Only a published passport is superseded."))
        new = self.copy({"replaces_id": self.id})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": new.id, "view_mode": "form"}

    def action_deprecate(self):
        """Withdraw a published passport (no successor)."""
        self.filtered(lambda p: p.state == "published").with_context(carbon_passport_deprecate=True).write(
            {"state": "deprecated"})
        return True

    def action_open_public_page(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.public_url, "target": "new"}

    def action_print_label(self):
        return self.env.ref("carbon_supplychain_finance.action_report_carbon_passport_label").report_action(self)

    # ------------------------------------------------------------------ plain data

    def _footprint_data(self):
        """The passport as plain data (numbers, text, dates; None where unknown): what the public page
        shows and what an exchange format (PACT ProductFootprint) is built from."""
        self.ensure_one()
        assessed = self.assessed
        selection = {name: dict(self._fields[name]._description_selection(self.env))
                     for name in ("state", "label_grade", "label_reason", "boundary")}

        def figure(value):
            return value if assessed else None

        return {
            "id": self.access_token, "reference": self.name, "state": self.state,
            "state_label": selection["state"][self.state],
            "company": self.company_id.name, "company_vat": self.company_id.vat or None,
            "product": self.product_id.display_name, "product_code": self.product_id.default_code or None,
            "gtin": grading.gtin14(self.product_id.barcode), "lot": self.lot_id.name or None,
            "declared_unit": self.uom_id.name or self.product_id.uom_id.name,
            "reference_period": (self.date_from, self.date_to), "valid_until": self.valid_until or None,
            "published_date": self.published_date or None,
            "boundary": self.boundary, "boundary_label": selection["boundary"][self.boundary],
            "standards": [name for flag, name in (
                (self.standard_ghg_product, "GHG Protocol Product Standard"),
                (self.standard_iso14067, "ISO 14067:2018")) if flag],
            "per_unit": figure(self.per_unit), "fossil_per_unit": figure(self.per_unit),
            "biogenic_per_unit": figure(self.biogenic_per_unit),
            "breakdown": {key: figure(self[f"{key}_per_unit"]) for key in (
                "materials", "direct", "energy", "overhead")},
            "transport_per_unit": figure(self.transport_per_unit) if self.transport_separated else None,
            "transport_separated": self.transport_separated,
            "quantity": self.quantity, "unassessed_quantity": self.unassessed_quantity,
            "primary_share": figure(self.primary_share), "verified_share": figure(self.verified_share),
            "data_quality": {"technological": int(self.dq_technological) if self.dq_technological else None,
                             "geographical": int(self.dq_geographical) if self.dq_geographical else None,
                             "temporal": int(self.dq_temporal) if self.dq_temporal else None},
            "verification": {"verifier": self.verifier_id.name or None,
                             "date": self.verification_date or None,
                             "statement": bool(self.verification_statement)},
            "claim_quantity": self.claim_quantity,
            "credits_retired": self.credits_retired,
            "credits": [{"reference": m.reference or None, "credit": m.credit_id.name, "standard": m.credit_id.standard
                         or None, "tonnes": m.tonnes, "date": m.date} for m in self.credit_movement_ids.sudo()],
            "removals": self.removals,
            "removals_per_unit": self.removals_per_unit if self.removal_ids else None,
            "net_per_unit": figure(self.net_per_unit) if self.removal_ids and self.claim_quantity else None,
            "benchmark_per_unit": self.benchmark_per_unit if self.benchmark_id else None,
            "benchmark_source": self.benchmark_id.source or None,
            "label_grade": self.label_grade or None,
            "label": selection["label_grade"].get(self.label_grade) if self.label_grade else None,
            "label_reason": selection["label_reason"].get(self.label_reason) if self.label_reason else None,
            "replaces": self.replaces_id.name or None,
            "replaced_by": self.replaced_by_id.name or None,
        }
