from datetime import date

from lxml import etree

from odoo import Command, fields
from odoo.tools.safe_eval import safe_eval

from .common_stock import StockCarbonCommon

ROLES = {
    "user": "carbon_accounting.group_carbon_user",
    "auditor": "carbon_accounting.group_carbon_auditor",
    "accountant": "carbon_accounting.group_carbon_accountant",
    "manager": "carbon_accounting.group_carbon_manager",
}
# The menus of other apps that lead to carbon, beside the Carbon app's own.
CARBON_MENUS_ELSEWHERE = (
    "carbon_accounting.purchase_carbon_comparison_menu",
    "carbon_accounting.purchase_carbon_factor_menu",
    "carbon_accounting.account_carbon_factor_menu",
)


class WebClientMixin:
    """Open menus, actions and records as the web client does, as a given user."""

    @classmethod
    def _spec(cls, node, model, models):
        """What the web client reads for the view ``node`` of ``model``: its fields (not those of the
        search view), the names of linked records, and what the lists of its x2many fields show."""
        spec = {}
        for field in node.iter("field"):
            if any(parent.tag == "field" for parent in field.iterancestors()):
                continue
            name = field.get("name")
            info = models[model]["fields"][name]
            subview = next((child for child in field if child.tag in ("list", "kanban")), None)
            if info["type"] == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            elif subview is not None:
                spec[name] = {"fields": cls._spec(subview, info["relation"], models)}
            else:
                spec[name] = {}
        return spec

    def _open_views(self, model, views, domain=(), context=None, record=None):
        """Load ``views`` of ``model`` and read what they show, as the web client does: the
        records of the list (``domain``), the first of them or the one ``record`` in the form."""
        model = model.with_context(**(context or {}))
        result = model.get_views(list(views) + [(False, "search")])
        specs = {view_type: self._spec(etree.fromstring(view["arch"]), model._name, result["models"])
                 for view_type, view in result["views"].items() if view_type in ("list", "form", "kanban")}
        if model._transient:
            return model.default_get(list(specs["form"]))
        if record is None:
            listed = model.web_search_read(list(domain), specs.get("list") or specs.get("kanban") or {}, limit=80)
            record = model.browse([row["id"] for row in listed["records"][:1]])
        if "form" in specs and record:
            record.with_env(model.env).web_read(specs["form"])

    def _open_action(self, user, action):
        """Open a window action (a record of ir.actions.act_window or the dict a button returns)."""
        if not isinstance(action, dict):
            action = action.sudo().read()[0]
        env = self.env(user=user)
        if action.get("type") == "ir.actions.client" and action.get("tag") == "carbon_overview":
            return env["carbon.overview"].get_overview_data(date.today().replace(day=1), date.today())
        eval_context = {"uid": user.id, "allowed_company_ids": user.company_ids.ids, "context_today": date.today}
        context = action.get("context") or {}
        if isinstance(context, str):
            context = safe_eval(context, eval_context)
        domain = action.get("domain") or []
        if isinstance(domain, str):
            domain = safe_eval(domain, eval_context)
        views = action.get("views") or [(False, mode) for mode in action["view_mode"].split(",")]
        model = env[action["res_model"]]
        if action.get("res_id"):
            return self._open_views(model, views, context=context, record=model.browse(action["res_id"]))
        return self._open_views(model, views, domain, context)

    def _open_form(self, user, record):
        """Open ``record`` in its own form, as a click on a link to it does."""
        env = self.env(user=user)
        return self._open_views(env[record._name], [(False, "form")], record=env[record._name].browse(record.ids))

    def _visible_menus(self, user):
        """The carbon menus ``user`` sees (Odoo hides a menu whose action's model they cannot read)."""
        root = self.env.ref("carbon_accounting.carbon_menu_root")
        menus = self.env["ir.ui.menu"].search([("id", "child_of", root.id)])
        for xmlid in CARBON_MENUS_ELSEWHERE:
            menus |= self.env.ref(xmlid)
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

        def reachable(menu):
            while menu:
                if menu.id not in visible:
                    return False
                menu = menu.parent_id
            return True
        return menus.filtered(lambda m: m.action and reachable(m))


class CarbonRolesCommon(WebClientMixin, StockCarbonCommon):
    """One document of every kind that carries carbon: an order received and billed, a factor, a
    direct-emission activity, an allocation, a removal and a credit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._po([(cls.honey, 10, cls.uom_kg, 3.0)], order_date=fields.Date.today(), confirm=True)
        cls.receipt = cls.order.picking_ids
        for move in cls.receipt.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        cls.receipt._action_done()
        cls.receipt_entry = cls.receipt.move_ids.carbon_move_line_ids.move_id
        cls.order.action_create_invoice()
        cls.bill = cls.order.invoice_ids
        cls.bill.invoice_date = fields.Date.today()
        cls.bill.action_post()
        cls.bill_line = cls.bill.invoice_line_ids.filtered("product_id")
        cls.factor_boiler = cls.env["carbon.emission.factor"].create({
            "name": "Boiler gas", "code": "TEST.GAS", "source": "Test / publisher / 2024", "basis": "physical",
            "uom_id": cls.uom_kg.id, "value": 2.5, "scope": "1",
        })
        cls.activity = cls.env["carbon.activity"].create({
            "name": "Boiler", "date": fields.Date.today(), "quantity": 4, "uom_id": cls.uom_kg.id,
            "factor_id": cls.factor_boiler.id,
            "attachment_ids": [Command.create({"name": "meter.pdf", "raw": b"%PDF meter"})],
        })
        cls.activity.action_post()
        cls.allocation = cls.env["carbon.allocation"].create({})
        cls.removal = cls.env["carbon.removal"].create({
            "name": "Biochar kiln batch", "method": "biochar", "tonnes": 1.0, "removal_date": date(2026, 3, 1),
            "vintage": 2026, "durability_years": 100,
        })
        cls.credit = cls.env["carbon.credit"].create({
            "name": "VCS 2025 A", "origin": "acquired", "partner_id": cls.vendor.id, "tonnes": 3.0,
            "standard": "VCS", "project_name": "Guangxi cookstoves", "registry_name": "Verra", "vintage": 2025,
        })
