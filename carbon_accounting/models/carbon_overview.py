from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from ..tools import carbon_math
from .purchase_order_line import CONFIRMED_STATES

#: Ledger accounts E-liabilities come into the company from: its own emissions and its suppliers'.
SOURCE_TYPES = ("direct", "energy", "acquired")
#: How many products, suppliers and customers the overview ranks.
TOP = 5


class CarbonOverview(models.AbstractModel):
    """The figures of the Carbon app's overview, as plain dicts and lists: built here, rendered by
    the ``carbon_overview`` client action, which loads them in one call."""

    _name = "carbon.overview"
    _description = "Carbon Overview"

    @api.model
    def get_overview_data(self, date_from, date_to):
        """The overview of the current company from ``date_from`` to ``date_to`` (included)."""
        return self._get_data(self.env.company, fields.Date.to_date(date_from), fields.Date.to_date(date_to))

    @api.model
    def _get_data(self, company, date_from, date_to):
        """Flows (emissions by scope, carbon transferred to customers, written off) are those of the
        period; balances (inventory, work in progress, overhead pool) stand at the end of the period;
        the E-assets held and the integrity of the chain are today's. Kilograms of CO2e, except the
        E-assets (tonnes, as their register keeps them). Only a company the user is allowed in."""
        self = self.with_company(company)
        data = {
            "company": {"id": company.id, "name": company.name},
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            "lock_date": fields.Date.to_string(company.carbon_lock_date) or False,
        }
        posted = Domain([("company_id", "=", company.id), ("state", "=", "posted")])
        if not self.env["carbon.move.line"].search_count(posted, limit=1):
            return dict(data, empty=True, steps=self._first_steps(company))
        return dict(
            data, empty=False, steps=[],
            **self._ledger_figures(company, posted, date_from, date_to),
            unassessed=self._unassessed(company, date_from, date_to),
            integrity=self._integrity(company),
            removals=self._removals(company),
        )

    # ------------------------------------------------------------------ ledger

    def _ledger_figures(self, company, posted, date_from, date_to):
        Line = self.env["carbon.move.line"]
        in_period = posted & Domain("date", ">=", date_from) & Domain("date", "<=", date_to)
        flows = dict(Line._read_group(in_period, ["account_type"], ["balance:sum"]))
        balances = dict(Line._read_group(posted & Domain("date", "<=", date_to), ["account_type"], ["balance:sum"]))

        def flow(kind, sign=1):
            return carbon_math.round_carbon(sign * flows.get(kind, 0.0))

        def balance(kind):
            return carbon_math.round_carbon(balances.get(kind, 0.0))

        scopes = {"scope1": flow("direct", -1), "scope2": flow("energy", -1), "acquired": flow("acquired", -1)}
        ledger = self._action("carbon_accounting.carbon_move_line_action")

        def lines_link(domain, name):
            return self._link(ledger, domain, name)

        def period_link(kinds, name):
            return lines_link(in_period & Domain("account_type", "in", kinds), name)

        def held_link(kinds, name):
            return lines_link(posted & Domain("date", "<=", date_to) & Domain("account_type", "in", kinds), name)

        return {
            "scopes": dict(scopes, total=carbon_math.round_carbon(sum(scopes.values()))),
            "inventory": balance("inventory"),
            "wip": balance("wip"),
            "overhead": balance("overhead"),
            "transferred": flow("transferred"),
            "writeoff": flow("writeoff"),
            "links": {
                "scope1": period_link(["direct"], self.env._("Direct Emissions (Scope 1)")),
                "scope2": period_link(["energy"], self.env._("Purchased Energy (Scope 2)")),
                "acquired": period_link(["acquired"], self.env._("E-liabilities Acquired")),
                "inventory": held_link(["inventory", "wip"], self.env._("Carbon in Inventory")),
                "overhead": held_link(["overhead"], self.env._("Overhead Pool")),
                "transferred": period_link(["transferred"], self.env._("Transferred to Customers")),
                "writeoff": period_link(["writeoff"], self.env._("Written Off")),
            },
            "top_products": self._top(in_period & Domain("account_type", "in", SOURCE_TYPES), "product_id", -1, ledger),
            "top_suppliers": self._top(
                in_period & Domain("account_type", "in", SOURCE_TYPES), "partner_id", -1, ledger
            ),
            "top_customers": self._top(in_period & Domain("account_type", "=", "transferred"), "partner_id", 1, ledger),
        }

    def _top(self, domain, field, sign, ledger):
        """The ``TOP`` records of ``field`` carrying the most carbon on the lines of ``domain``
        (``sign`` -1 for credit accounts), each with the link to its lines."""
        domain = domain & Domain(field, "!=", False)
        groups = self.env["carbon.move.line"]._read_group(
            domain, [field], ["balance:sum"], order="balance:sum asc" if sign < 0 else "balance:sum desc", limit=TOP)
        return [{
            "id": record.id, "name": record.display_name, "carbon": carbon_math.round_carbon(sign * amount),
            "link": self._link(ledger, domain & Domain(field, "=", record.id), record.display_name),
        } for record, amount in groups if carbon_math.compare(sign * amount, 0.0) > 0]

    # ------------------------------------------------------------------ unassessed

    def _unassessed(self, company, date_from, date_to):
        """What the period holds without its carbon: stock moves valued without part of it and
        confirmed purchase lines no rule gave carbon to. A section the user may not read is None."""
        start = datetime.combine(date_from, time.min)
        end = datetime.combine(date_to + timedelta(days=1), time.min)
        return {"stock_moves": self._unassessed_moves(company, start, end),
                "purchase_lines": self._unassessed_purchases(company, start, end)}

    def _unassessed_moves(self, company, start, end):
        Move = self.env["stock.move"]
        if not Move.has_access("read"):
            return None
        valued = Domain([("company_id", "=", company.id), ("carbon_state", "!=", "none"),
                         ("date", ">=", start), ("date", "<", end)])
        unassessed = valued & Domain("carbon_state", "in", ("unassessed", "pending"))
        total = Move.search_count(valued)
        groups = Move._read_group(unassessed, ["product_uom"], ["__count", "quantity:sum"], order="product_uom")
        count = sum(n for __, n, __ in groups)
        action = self._action("carbon_accounting.stock_move_carbon_unassessed_action")
        return {
            "count": count,
            "total": total,
            "share": carbon_math.share_percent(count, total),
            "quantities": [{"uom": uom.name, "quantity": quantity} for uom, __, quantity in groups],
            "link": self._link(action, unassessed),
        }

    def _unassessed_purchases(self, company, start, end):
        Line = self.env["purchase.order.line"]
        if not Line.has_access("read"):
            return None
        confirmed = Domain([("company_id", "=", company.id), ("state", "in", CONFIRMED_STATES),
                            ("display_type", "=", False), ("product_id", "!=", False),
                            ("date_order", ">=", start), ("date_order", "<", end)])
        unassessed = confirmed & Domain("carbon_source", "=", "unassessed")

        def spend(groups):
            return company.currency_id.round(sum(
                currency._convert(amount, company.currency_id, company, end.date() - timedelta(days=1))
                for currency, amount in groups))

        total = spend(Line._read_group(confirmed, ["currency_id"], ["price_subtotal:sum"]))
        unassessed_groups = Line._read_group(unassessed, ["currency_id"], ["price_subtotal:sum", "__count"])
        unassessed_spend = spend((currency, amount) for currency, amount, __ in unassessed_groups)
        action = self._action("carbon_accounting.purchase_order_line_carbon_action")
        return {
            "count": sum(n for __, __, n in unassessed_groups),
            "spend": unassessed_spend,
            "total_spend": total,
            "share": carbon_math.share_percent(unassessed_spend, total),
            "currency_id": company.currency_id.id,
            "link": self._link(action, unassessed, self.env._("Purchase Lines without Carbon")),
        }

    # ------------------------------------------------------------------ controls and registers

    def _integrity(self, company):
        """The last recorded check of the chain of posted entries (*Integrity Checks*), if any: the
        overview reads it, it does not re-hash the whole chain on every load. None for a user who
        cannot read the checks."""
        Check = self.env["carbon.integrity.check"]
        if not Check.has_access("read"):  # auditors and accountants keep the checks
            return None
        check = Check.search([("company_id", "=", company.id)], limit=1)
        return {
            "checked": bool(check),
            "date": fields.Datetime.to_string(fields.Datetime.context_timestamp(check, check.date)) if check else False,
            "user": check.user_id.name or False,
            "intact": check.result == "intact",
            "broken_entry": check.broken_move_id.name or False,
            "link": self._link(self._action("carbon_accounting.carbon_integrity_check_action"),
                               Domain("company_id", "=", company.id)),
        }

    def _removals(self, company):
        """Verified E-assets held today, net of their reversal-risk buffer (tCO2e): shown apart,
        never netted against E-liabilities."""
        Removal = self.env["carbon.removal"]
        verified = Domain([("company_id", "=", company.id), ("verification_state", "=", "verified"), ("held", ">", 0)])
        [(count, held, net)] = Removal._read_group(verified, [], ["__count", "held:sum", "verified_held_net:sum"])
        held, net = held or 0.0, net or 0.0
        unverified = Removal.search_count([("company_id", "=", company.id), ("verification_state", "=", "unverified")])
        action = self._action("carbon_accounting.carbon_removal_action")
        return {
            "count": count,
            "held": carbon_math.round_carbon(held),
            "held_net": carbon_math.round_carbon(net),
            "unverified_count": unverified,
            "link": self._link(action, verified, self.env._("Verified E-assets Held")),
        }

    # ------------------------------------------------------------------ empty company

    def _first_steps(self, company):
        """What a company with no carbon entry does first, each step with whether it is done."""
        factors = self.env["carbon.emission.factor"].search_count([("company_id", "in", [False, company.id])], limit=1)
        Template = self.env["product.template"]
        with_factor = Template.search_count([("carbon_factor_id", "!=", False)], limit=1)
        activities = self.env["carbon.activity"].search_count([("company_id", "=", company.id)], limit=1)
        is_accountant = self.env.user.has_group("carbon_accounting.group_carbon_accountant")
        products = self._action("purchase.product_normal_action_puchased")
        return [{
            "key": "factors",
            "title": self.env._("Import emission factors"),
            "help": self.env._("Load a published factor set (CSV) into the factor register: it gives purchases, "
                               "receipts and bills their carbon."),
            "done": bool(factors),
            "link": self._action("carbon_accounting.carbon_factor_import_wizard_action") if is_accountant else False,
        }, {
            "key": "products",
            "title": self.env._("Set the emission factors of your products"),
            "help": self.env._("Products without a factor are received unassessed: their carbon counts for zero "
                               "until a factor is set."),
            "done": bool(with_factor),
            "link": dict(products, name=self.env._("Products without Emission Factor"),
                         context={"search_default_carbon_without_factor": 1}),
        }, {
            "key": "activities",
            "title": self.env._("Record your direct emissions"),
            "help": self.env._("Fuel burnt, refrigerant leaked, fertiliser applied: enter them as activities with "
                               "their evidence (Scope 1)."),
            "done": bool(activities),
            "link": self._action("carbon_accounting.carbon_activity_action"),
        }]

    def _action(self, xml_id):
        """The window action ``xml_id`` as the web client loads it, opening on its list first."""
        action = self.env["ir.actions.actions"]._for_xml_id(xml_id)
        if action.get("views"):
            action["views"] = sorted(action["views"], key=lambda view: view[1] != "list")
        return action

    @staticmethod
    def _link(action, domain, name=None, context=None):
        """``action`` showing the records of ``domain`` (under ``name``, with ``context``)."""
        name = name or action["name"]
        return dict(action, name=name, display_name=name, domain=list(domain), context=context or {})
