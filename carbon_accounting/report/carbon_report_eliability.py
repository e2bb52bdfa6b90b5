from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import carbon_math

#: Accounts that hold carbon (E-liability not yet passed on): inventory, work in progress, the pool.
HELD_ACCOUNT_TYPES = ("inventory", "wip", "overhead")
#: Data quality of acquired carbon, from the purchase line's carbon source (and the vendor
#: declaration's data quality for a vendor source), best first.
QUALITY_KEYS = ("verified", "primary", "secondary", "estimate", "factor", "spend", "other")


class CarbonReportEliability(models.AbstractModel):
    """The E-liability statement of a company for a period, read from the posted ledger only.

    ``_get_data`` returns plain data (numbers, partners, products, drill-down domains on
    ``carbon.move.line``); renderers (XLSX, PDF, the wizard) only present it.
    """

    _name = "carbon.report.eliability"
    _description = "E-liability Statement"

    # ------------------------------------------------------------------ domains

    def _ledger_domain(self, company, date_from=None, date_to=None):
        """Posted lines of ``company`` dated in the period (dates as text: domains are kept as JSON)."""
        domain = Domain([("company_id", "=", company.id), ("state", "=", "posted")])
        if date_from:
            domain &= Domain("date", ">=", fields.Date.to_string(date_from))
        if date_to:
            domain &= Domain("date", "<=", fields.Date.to_string(date_to))
        return domain

    def _sum(self, domain, aggregate="balance:sum"):
        (total,) = self.env["carbon.move.line"]._read_group(domain, [], [aggregate])[0]
        return carbon_math.round_carbon(total or 0.0)

    def _held(self, company, date_to):
        """Carbon held (inventory, work in progress, pool) on ``date_to`` included."""
        return self._sum(self._ledger_domain(company, date_to=date_to)
                         & Domain("account_type", "in", HELD_ACCOUNT_TYPES))

    # ------------------------------------------------------------------ statement

    @api.model
    def _get_data(self, company, date_from, date_to):
        """The statement: opening held + direct + energy + acquired - transferred - written off = closing,
        checked against what the ledger holds on ``date_to``; per customer, supplier and product; and,
        apart, verified removals and retired credits (never netted into the gross figures)."""
        Line = self.env["carbon.move.line"]
        period = self._ledger_domain(company, date_from, date_to)
        opening = self._held(company, date_from - timedelta(days=1))
        # one pass over the period's lines gives the flows, what moved on the held accounts and the
        # carbon transferred to each customer
        groups = Line._read_group(period, ["account_type", "partner_id"], ["balance:sum", "__count"])
        flows = defaultdict(float)
        for account_type, __, balance, __ in groups:
            flows[account_type] += balance
        direct = carbon_math.round_carbon(-flows["direct"]) + 0.0
        energy = carbon_math.round_carbon(-flows["energy"]) + 0.0
        acquired = carbon_math.round_carbon(-flows["acquired"]) + 0.0
        transferred = carbon_math.round_carbon(flows["transferred"])
        written_off = carbon_math.round_carbon(flows["writeoff"])
        closing = carbon_math.round_carbon(opening + direct + energy + acquired - transferred - written_off)
        # what the ledger holds on date_to: held before the period plus what the period's lines moved
        ledger_closing = carbon_math.round_carbon(opening + sum(flows[kind] for kind in HELD_ACCOUNT_TYPES))
        removals = self._removals(company, date_from, date_to)
        transferred_domain = period & Domain("account_type", "=", "transferred")
        return {
            "company": company, "date_from": date_from, "date_to": date_to,
            "opening": opening, "direct": direct, "energy": energy, "acquired": acquired,
            "transferred": transferred, "written_off": written_off, "closing": closing,
            "ledger_closing": ledger_closing,
            "closing_ok": carbon_math.is_zero(closing - ledger_closing),
            "domains": {
                "opening": list(self._ledger_domain(company, date_to=date_from - timedelta(days=1))
                                & Domain("account_type", "in", HELD_ACCOUNT_TYPES)),
                **{key: list(period & Domain("account_type", "=", account_type)) for key, account_type in (
                    ("direct", "direct"), ("energy", "energy"), ("acquired", "acquired"),
                    ("transferred", "transferred"), ("written_off", "writeoff"))},
                "closing": list(self._ledger_domain(company, date_to=date_to)
                                & Domain("account_type", "in", HELD_ACCOUNT_TYPES)),
            },
            "by_customer": self._partner_rows(transferred_domain, sign=1, groups=[
                (partner, balance, count) for account_type, partner, balance, count in groups
                if account_type == "transferred"]),
            "by_supplier": self._by_supplier(period & Domain("account_type", "=", "acquired")),
            "by_product": self._by_product(period),
            **removals,
            "net_of_removals": carbon_math.round_carbon(closing - removals["removals_verified"]),
        }

    def _partner_rows(self, domain, sign, groups):
        """Carbon per partner (returns netted) from ``groups`` of (partner, balance, count) of the lines
        of ``domain``, in the partners' order, with the count of lines and their drill-down domain."""
        totals = {}
        for partner, balance, count in groups:
            total = totals.setdefault(partner, [0.0, 0])
            total[0] += balance
            total[1] += count
        partners = self.env["res.partner"].union(*totals).sorted()
        order = list(partners) + [partner for partner in totals if not partner]
        return [{
            "partner": partner, "carbon": carbon_math.round_carbon(sign * totals[partner][0]),
            "lines": totals[partner][1],
            "domain": list(Domain(domain) & Domain("partner_id", "=", partner.id or False)),
        } for partner in order]

    def _by_supplier(self, domain):
        """Acquired carbon per supplier and its data-quality mix (shares of the supplier's carbon):
        a vendor declaration by its data quality, a product or category factor ("factor"), a
        spend-based factor ("spend"); lines with no purchase line behind them (bills, returns to
        vendors) count as "other"."""
        # lines of goods moved in stock read their purchase line through their stock move, the
        # others (energy and services received, bills) name their own (the ledger never books both):
        # two queries grouping by three keys each, which the database groups by hashing instead of
        # sorting every line by five
        Line = self.env["carbon.move.line"]
        groups = Line._read_group(
            domain & Domain("stock_move_id", "!=", False),
            [
                "partner_id",
                "stock_move_id.purchase_line_id.carbon_source",
                "stock_move_id.purchase_line_id.carbon_supplierinfo_id.carbon_data_quality",
            ],
            ["balance:sum", "__count"],
        ) + Line._read_group(
            domain & Domain("stock_move_id", "=", False),
            [
                "partner_id",
                "purchase_line_id.carbon_source",
                "purchase_line_id.carbon_supplierinfo_id.carbon_data_quality",
            ],
            ["balance:sum", "__count"],
        )
        mix = {}
        for partner, source, quality, balance, __ in groups:
            by_key = mix.setdefault(partner, dict.fromkeys(QUALITY_KEYS, 0.0))
            by_key[self._quality_key(source, quality)] += -balance
        rows = self._partner_rows(domain, sign=-1, groups=[
            (partner, balance, count) for partner, *__, balance, count in groups])
        for row in rows:
            amounts = mix[row["partner"]]
            total = sum(amounts.values())
            row["quality"] = {key: carbon_math.round_carbon(amounts[key]) for key in QUALITY_KEYS}
            row["quality_share"] = {key: (amounts[key] / total if not carbon_math.is_zero(total) else 0.0)
                                    for key in QUALITY_KEYS}
        return rows

    def _by_product(self, period):
        """Carbon per unit of each product bought or made in the period: inventory debits of moves
        from suppliers or from production, divided by their quantity (goods that came in carrying no
        carbon yet, as goods made of nothing bought before the pool is allocated to them, count their
        quantity too); quantities whose carbon is unknown are reported apart
        (``unassessed_quantity``), never as zero carbon."""
        # by the locations' ids: the planner then knows how many stock moves come from them
        locations = self.env["stock.location"].sudo().with_context(active_test=False).search(
            [("usage", "in", ("supplier", "production"))])
        domain = period & Domain([
            ("account_type", "=", "inventory"), ("product_id", "!=", False), ("credit", "=", 0),
            ("stock_move_id.location_id", "in", locations.ids),
        ])
        # grouped by the ids only, then put in the products' order (ordering by product in SQL joins
        # the products to every line before grouping)
        groups = self.env["carbon.move.line"]._read_group(
            domain, ["product_id", "unassessed"], ["balance:sum", "quantity:sum"])
        rows = {product: {
            "product": product, "carbon": 0.0, "quantity": 0.0, "unassessed_quantity": 0.0,
            "uom": product.uom_id, "domain": list(domain & Domain("product_id", "=", product.id)),
        } for product in self.env["product.product"].union(*(product for product, *__ in groups)).sorted()}
        for product, unassessed, balance, quantity in groups:
            row = rows[product]
            if unassessed:
                row["unassessed_quantity"] += quantity
            else:
                row["carbon"] = carbon_math.round_carbon(row["carbon"] + balance)
                row["quantity"] += quantity
        for row in rows.values():
            row["per_unit"] = row["carbon"] / row["quantity"] if not carbon_math.is_zero(row["quantity"]) else None
        return list(rows.values())

    def _removals(self, company, date_from, date_to):
        """Verified removals held (E-assets, tonnes net of buffer, in kgCO2e) and credits retired in the
        period: shown below the statement, apart from it."""
        (held,) = self.env["carbon.removal"]._read_group([
            ("company_id", "=", company.id), ("verification_state", "=", "verified"),
            ("removal_date", "<=", date_to)], [], ["verified_held_net:sum"])[0]
        retire_domain = Domain([
            ("company_id", "=", company.id), ("register", "=", "credit"), ("movement_type", "=", "retire"),
            ("date", ">=", fields.Date.to_string(date_from)), ("date", "<=", fields.Date.to_string(date_to))])
        (retired,) = self.env["carbon.register.movement"]._read_group(retire_domain, [], ["tonnes:sum"])[0]
        return {
            "removals_verified": carbon_math.round_carbon((held or 0.0) * 1000.0),
            "credits_retired": carbon_math.round_carbon((retired or 0.0) * 1000.0),
            "credits_retired_domain": list(retire_domain),
        }

    def _statement_rows(self, data):
        """The statement's rows in order, for the renderers: (key, label, kgCO2e)."""
        return [
            ("opening", self.env._("Opening E-liability held (inventory, work in progress, pool)"), data["opening"]),
            ("direct", self.env._("+ Direct emissions (Scope 1)"), data["direct"]),
            ("energy", self.env._("+ Acquired from energy suppliers (Scope 2)"), data["energy"]),
            ("acquired", self.env._("+ Acquired from other suppliers"), data["acquired"]),
            ("transferred", self.env._("- Transferred to customers"), data["transferred"]),
            ("written_off", self.env._("- Written off (scrap, losses)"), data["written_off"]),
            ("closing", self.env._("Closing E-liability held"), data["closing"]),
            ("ledger_closing", self.env._("Held in the ledger at the end date"), data["ledger_closing"]),
        ]

    def _register_rows(self, data):
        """The rows apart from the statement: removals and retired credits never reduce the gross figures."""
        return [
            (
                "removals_verified",
                self.env._("Verified removals held (E-assets, net of buffer)"),
                data["removals_verified"],
            ),
            (
                "net_of_removals",
                self.env._("Closing E-liability net of verified removals (for information)"),
                data["net_of_removals"],
            ),
            (
                "credits_retired",
                self.env._("Avoidance credits retired in the period (not deducted)"),
                data["credits_retired"],
            ),
        ]

    # ------------------------------------------------------------------ product footprint

    @api.model
    def _get_product_footprint(self, product, date_from, date_to, company=None):
        """Cradle-to-gate carbon per unit of ``product`` bought or made by ``company`` (the current
        one by default) from ``date_from`` to ``date_to``, read from the posted ledger.

        Method:

        - bought: the carbon its receipts from suppliers put into inventory in the period (ledger
          inventory debits of moves from a supplier location, vendor-bill adjustments of them
          included: "materials acquired") over the quantity received; the data quality of each line
          is its purchase line's (a vendor declaration by its data quality, else factor- or
          spend-based);
        - made (``carbon_accounting_mrp`` adds it): the carbon its finished-goods moves took out of
          work in progress, split like each production's work in progress: its components' carbon
          (materials acquired), the emissions of using components up and the production's direct
          emissions (direct; energy when the production's scope is 2);
        - allocated overhead: the pool allocation entries' lines on the product in the period (into
          inventory, work in progress, or with the goods already delivered or written off), split into
          energy and other overhead by what came into the pool in the period from purchased energy
          (Scope 2) and from direct emissions (Scope 1).

        Quantities whose carbon is unknown are counted apart (``unassessed_quantity``) and left out of
        the per-unit figure, never counted as zero carbon. ``per_unit`` is None when nothing assessed
        was bought or made.
        """
        company = company or self.env.company
        parts = self._footprint_parts(product, company, date_from, date_to)
        total = {key: sum(part[key] for part in parts) for key in (
            "quantity", "unassessed_quantity", "materials", "direct", "energy")}
        total["quality"] = {key: sum(part["quality"].get(key, 0.0) for part in parts) for key in QUALITY_KEYS}
        period = self._ledger_domain(company, date_from, date_to)
        allocation_domain = period & Domain([
            ("product_id", "=", product.id), ("move_id.kind", "=", "allocation"),
            ("account_type", "in", ("inventory", "wip", "transferred", "writeoff"))])
        allocated = self._sum(allocation_domain)
        energy_share = self._pool_energy_share(period)
        total["energy"] += allocated * energy_share
        total["overhead"] = allocated * (1.0 - energy_share)
        carbon = carbon_math.round_carbon(sum(total[key] for key in ("materials", "direct", "energy", "overhead")))
        quantity = total["quantity"]
        per_unit = None if carbon_math.is_zero(quantity) else carbon / quantity
        traced = sum(total["quality"].values())
        shares = {key: (value / carbon if not carbon_math.is_zero(carbon) else 0.0)
                  for key, value in total["quality"].items()}
        return {
            "product": product, "company": company, "date_from": date_from, "date_to": date_to,
            "uom": product.uom_id, "quantity": quantity, "unassessed_quantity": total["unassessed_quantity"],
            "carbon": carbon, "per_unit": per_unit,
            "breakdown": {key: carbon_math.round_carbon(total[key])
                          for key in ("materials", "direct", "energy", "overhead")},
            "per_unit_breakdown": {key: (total[key] / quantity if per_unit is not None else None)
                                   for key in ("materials", "direct", "energy", "overhead")},
            "quality_share": shares,
            "untraced_share": (1.0 - traced / carbon) if not carbon_math.is_zero(carbon) else 0.0,
            "primary_share": shares["verified"] + shares["primary"],
            "verified_share": shares["verified"],
            "domain": list(Domain.OR([Domain(part["domain"]) for part in parts] + [allocation_domain])),
        }

    def _quality_key(self, source, quality):
        if source == "vendor" and quality:
            return quality
        return {"product": "factor", "category": "factor", "spend": "spend"}.get(source, "other")

    def _footprint_parts(self, product, company, date_from, date_to):
        """The quantities and carbon of ``product`` coming in during the period, one dict per way in
        (here: bought); ``carbon_accounting_mrp`` adds what was made."""
        domain = self._ledger_domain(company, date_from, date_to) & Domain([
            ("product_id", "=", product.id), ("account_type", "=", "inventory"),
            ("move_id.kind", "!=", "allocation"), ("stock_move_id.location_id.usage", "=", "supplier")])
        part = {"quantity": 0.0, "unassessed_quantity": 0.0, "materials": 0.0, "direct": 0.0, "energy": 0.0,
                "quality": dict.fromkeys(QUALITY_KEYS, 0.0), "domain": list(domain)}
        for unassessed, source, quality, balance, quantity in self.env["carbon.move.line"]._read_group(domain, [
                "unassessed", "stock_move_id.purchase_line_id.carbon_source",
                "stock_move_id.purchase_line_id.carbon_supplierinfo_id.carbon_data_quality",
        ], ["balance:sum", "quantity:sum"]):
            if unassessed:
                part["unassessed_quantity"] += quantity
                continue
            part["quantity"] += quantity
            part["materials"] += balance
            part["quality"][self._quality_key(source, quality)] += balance
        return [part]

    def _pool_energy_share(self, period):
        """Share of purchased energy (Scope 2) in what came into the overhead pool in the period."""
        Line = self.env["carbon.move.line"]
        # the entries with a line on the pool: an entry's lines share its company, date and state
        pool_entries = Line._search(period & Domain("account_type", "=", "overhead"))
        into_pool = Domain.custom(to_sql=lambda model, alias, query: SQL(
            "%s IN %s", model._field_to_sql(alias, "move_id", query),
            pool_entries.subselect(SQL.identifier(Line._table, "move_id"))))
        groups = dict(Line._read_group(
            period & Domain("account_type", "in", ("direct", "energy")) & into_pool,
            ["account_type"], ["balance:sum"]))
        inflow = -groups.get("direct", 0.0) - groups.get("energy", 0.0)
        return -groups.get("energy", 0.0) / inflow if not carbon_math.is_zero(inflow) else 0.0
