from collections import defaultdict

from psycopg2.extensions import AsIs

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.models import LOG_ACCESS_COLUMNS
from odoo.tools import SQL

from ..tools import carbon_math
from .carbon_emission_factor import SCOPE3_CATEGORIES, SCOPES
from .carbon_move import DOCUMENT_KINDS
from .product_product import CarbonNotApplicable

#: A column left to its default in a multi-row INSERT (as the ORM's create leaves it).
DEFAULT = AsIs("DEFAULT")
#: Field types whose column value depends on the value alone (a batch converts each value once).
PLAIN_TYPES = ("boolean", "char", "date", "datetime", "float", "integer", "many2one", "selection")
#: The account the carbon of energy, fuel and services is credited to, by the scope of its factor.
SCOPE_ACCOUNT = {"1": "direct", "2": "energy", "3": "acquired"}
#: Accounts carbon comes from (emissions, carbon acquired): their credits read as positive figures.
SOURCE_ACCOUNT_TYPES = ("direct", "energy", "acquired")


def line_pair(common, debit, credit, amount, quantity=0.0):
    """Line values of Dr ``debit`` / Cr ``credit`` ``amount`` kgCO2e for ``quantity``: carbon below
    zero (a negative pool allocated, a bill declaring less, fuel taken back) swaps the sides, never a
    negative debit. The ``debit`` account's line comes first."""
    amount = carbon_math.round_carbon(amount)
    return [
        dict(common, account_id=debit.id, debit=max(amount, 0.0), credit=max(-amount, 0.0), quantity=quantity),
        dict(common, account_id=credit.id, debit=max(-amount, 0.0), credit=max(amount, 0.0), quantity=-quantity),
    ]


def pool_pair(common, pool, source, amount, quantity=0.0):
    """Line values of ``amount`` kgCO2e coming into the ``pool`` account from ``source`` (Dr pool /
    Cr source), or going back when ``amount`` is negative; the debit line first."""
    pair = line_pair(common, pool, source, amount, quantity)
    return pair if carbon_math.round_carbon(amount) >= 0 else pair[::-1]


def with_memo(pair, source, memo):
    """``pair`` (line values) with the ``memo`` fields (location-based figure, biogenic CO2) on the
    line of the ``source`` account (direct or energy), where the emissions are."""
    return [dict(vals, **memo) if vals["account_id"] == source.id else vals for vals in pair]


class CarbonMoveLine(models.Model):
    _name = "carbon.move.line"
    _description = "Carbon Entry Line"
    _order = "date desc, move_id desc, id"

    move_id = fields.Many2one("carbon.move", string="Entry", required=True, ondelete="cascade", index=True)
    name = fields.Char(string="Label")
    account_id = fields.Many2one("carbon.account", required=True, ondelete="restrict", index=True)
    account_type = fields.Selection(related="account_id.account_type", store=True, index=True)
    debit = fields.Float(string="Debit (kgCO2e)", digits="Carbon", default=0.0)
    credit = fields.Float(string="Credit (kgCO2e)", digits="Carbon", default=0.0)
    balance = fields.Float(string="Balance (kgCO2e)", digits="Carbon", compute="_compute_balance", store=True)
    product_id = fields.Many2one("product.product", index="btree_not_null", ondelete="restrict")
    carbon_amount = fields.Float(
        string="Carbon (kgCO2e)", digits="Carbon", compute="_compute_carbon_amount", store=True,
        help="The balance read in the account's direction: emissions and carbon acquired (credits on the "
        "direct, energy and acquired accounts) count positive, like carbon held in inventory or the pool.",
    )
    quantity = fields.Float(
        digits="Product Unit", aggregator=None,
        help="Quantity in the line's unit (Unit), or the amount spent in its currency for a spend-based "
        "factor: positive on the debit side (into the account), negative on the credit side. Never added "
        "across lines: their units differ.",
    )
    product_uom_id = fields.Many2one("uom.uom", string="Unit of Measure", ondelete="restrict")
    currency_id = fields.Many2one(
        "res.currency", string="Spend Currency", ondelete="restrict",
        help="A spend-based line: its quantity is an amount in this currency.",
    )
    quantity_unit = fields.Char(string="Unit", compute="_compute_quantity_unit",
                                help="The unit of measure of the quantity, or its currency when spend-based.")
    unit_carbon = fields.Float(string="kgCO2e per Unit", digits="Carbon Factor", aggregator=None,
                               help="Carbon per unit used for this line, kept as posted.")
    partner_id = fields.Many2one("res.partner", index="btree_not_null", ondelete="restrict")
    factor_id = fields.Many2one("carbon.emission.factor", string="Emission Factor", ondelete="restrict",
                                help="The factor version the figure comes from, if any.")
    scope = fields.Selection(SCOPES)
    scope3_category = fields.Selection(SCOPE3_CATEGORIES, string="Scope 3 Category")
    stock_move_id = fields.Many2one("stock.move", index="btree_not_null", ondelete="restrict")
    purchase_line_id = fields.Many2one(
        "purchase.order.line", index="btree_not_null", ondelete="restrict",
        help="Energy, fuel and services bought on an order: the order line whose receipts and bills booked this "
             "carbon.",
    )
    unassessed = fields.Boolean(
        help="The carbon of this quantity is unknown (no factor applied): it counts for zero here.",
    )
    unassessed_reason = fields.Char(
        string="Why Unassessed", compute="_compute_unassessed_reason",
        help="Why the carbon of this quantity is unknown: the note of the stock move or order line that made it.",
    )
    location_carbon = fields.Float(
        string="Location-based (kgCO2e)", digits="Carbon", aggregator="sum",
        help="Scope 2 lines: the carbon of the quantity at the company's grid factor, kept when booked "
        "beside the market-based figure (the vendor's or contract's factor) the line books.",
    )
    location_assessed = fields.Boolean(
        string="Location-based Assessed",
        help="Scope 2 lines: the location-based figure is known (a grid factor and a quantity convertible "
        "into its unit); otherwise it is unassessed, never zero.",
    )
    biogenic_co2 = fields.Float(
        string="Biogenic CO2 (kg)", digits="Carbon", aggregator="sum",
        help="Memo item: biogenic CO2 released with this line's emissions, reported apart, never in the scopes.",
    )
    source_document = fields.Reference(
        selection=lambda self: self.env["carbon.move"]._selection_source_document(),
        compute="_compute_source_document",
        help="The document that made this line: transfer, production, vendor bill, purchase order, allocation...",
    )
    date = fields.Date(related="move_id.date", store=True, index=True)
    state = fields.Selection(related="move_id.state", store=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)

    _debit_credit = models.Constraint(
        "CHECK(debit >= 0 AND credit >= 0 AND NOT (debit > 0 AND credit > 0))",
        "A carbon line is a debit or a credit, never negative and never both.",
    )
    # The reports read the posted lines of a company by account type and period: they find every
    # figure they add up in the index (index-only scans of a vacuumed ledger, no table reads).
    _posted_report_index = models.Index(
        "(company_id, account_type, date) INCLUDE (balance, carbon_amount, debit, credit, quantity, unassessed, "
        "partner_id, product_id, stock_move_id, purchase_line_id, move_id, scope3_category, factor_id, "
        "currency_id, product_uom_id, location_assessed, location_carbon, biogenic_co2) WHERE state = 'posted'"
    )

    @api.depends("debit", "credit")
    def _compute_balance(self):
        for line in self:
            line.balance = carbon_math.line_figures(line.debit, line.credit, False)[0]

    @api.depends("unassessed", "stock_move_id.carbon_note", "purchase_line_id.carbon_note")
    def _compute_unassessed_reason(self):
        for line in self:
            line.unassessed_reason = line.unassessed and (
                line.stock_move_id.carbon_note or line.purchase_line_id.carbon_note) or False

    def _stock_move_document(self, stock_move):
        """The document a stock move belongs to: its transfer, else the move itself."""
        return stock_move.picking_id or stock_move.scrap_id or stock_move

    def _line_documents(self):
        """The document each line names itself (by its stock move or purchase order line), in order;
        read as superuser: a carbon user opens what the document's own access rights let them."""
        return [self._stock_move_document(line.stock_move_id) if line.stock_move_id else line.purchase_line_id.order_id
                for line in self.sudo()]

    @api.depends("move_id.source_document", "stock_move_id", "purchase_line_id")
    def _compute_source_document(self):
        documents = self.move_id._entry_documents()
        for line, own in zip(self, self._line_documents(), strict=True):
            entry_document = documents[line.move_id]
            document = entry_document if line.move_id.kind in DOCUMENT_KINDS else (own or entry_document)
            line.source_document = f"{document._name},{document.id}" if document else line.move_id.source_document

    def action_open_source_document(self):
        self.ensure_one()
        return self.move_id._open_document(self.source_document)

    @api.depends("debit", "credit", "account_type")
    def _compute_carbon_amount(self):
        for line in self:
            line.carbon_amount = carbon_math.line_figures(
                line.debit, line.credit, line.account_type in SOURCE_ACCOUNT_TYPES)[1]

    @api.depends("product_uom_id", "currency_id")
    def _compute_quantity_unit(self):
        for line in self:
            line.quantity_unit = line.currency_id.name or line.product_uom_id.name or False

    @api.model_create_multi
    def create(self, vals_list):
        moves = self.env["carbon.move"].browse({v.get("move_id") for v in vals_list if v.get("move_id")})
        if moves.filtered(lambda m: m.state == "posted"):
            raise UserError(self.env._("Lines cannot be added to a posted carbon entry."))
        lines = super().create(vals_list)
        self._check_lines([(line.move_id.id, line.account_id.id, line.quantity, line.product_uom_id.id,
                            line.currency_id.id) for line in lines])
        return lines

    @api.model
    def _create_batch(self, vals_list, posted=False):
        """Create lines as ``create`` does, in one INSERT: for entries of many lines on hot paths
        (a validation of a thousand moves), where the ORM's per-record work (defaults, caches,
        recomputation of the stored fields, an INSERT per hundred rows) outweighs the carbon.
        ``posted``: the lines are inserted posted, for draft entries posted right after them
        (``carbon.move._create_posted``).

        Every stored field gets the value ``create`` gives it: the values, the defaults, the access
        log, the related fields read through the many2one they follow (entry, account) and the
        balance and carbon computed as their compute methods do; any other stored computed field
        and what depends on the lines (the entry's total) are recomputed by the ORM. The same
        checks run, and the database's constraints.
        """
        if not vals_list:
            return self.browse()
        self.check_access("create")
        columns = [name for name, field in self._fields.items() if field.store and field.column_type]
        unknown = {name for vals in vals_list for name in vals} - set(columns) - set(LOG_ACCESS_COLUMNS)
        if unknown - {"id"}:
            raise ValueError(f"Invalid fields {sorted(unknown)} for a batch of {self._name}")
        moves = self.env["carbon.move"].browse({v["move_id"] for v in vals_list})
        if moves.filtered(lambda m: m.state == "posted"):
            raise UserError(self.env._("Lines cannot be added to a posted carbon entry."))
        defaults = self.default_get(columns)
        related = {name: field for name, field in self._fields.items() if field.store and field.related
                   and self._fields[field.related.split(".")[0]].type == "many2one"}
        precomputed = [*related, "balance", "carbon_amount"]
        now = self.env.cr.now()
        log = {"create_uid": self.env.uid, "create_date": now, "write_uid": self.env.uid, "write_date": now}
        followed = {}  # {(related field, id of the record it follows): value}
        rows = []
        for vals in vals_list:
            values = {**defaults, **vals, **log}
            for name, field in related.items():
                first, *path = field.related.split(".")
                key = (name, values.get(first))
                if key not in followed:
                    value = self.env[self._fields[first].comodel_name].browse(values.get(first))
                    for step in path:
                        value = value[step]
                    followed[key] = field.convert_to_write(value, self)
                values[name] = followed[key]
            if posted:
                values["state"] = "posted"
            source = values["account_type"] in SOURCE_ACCOUNT_TYPES
            values["balance"], values["carbon_amount"] = carbon_math.line_figures(
                values.get("debit") or 0.0, values.get("credit") or 0.0, source)
            rows.append(values)
        quantity = self._fields["quantity"]
        self._check_lines([(values["move_id"], values["account_id"],
                            quantity.convert_to_cache(values.get("quantity") or 0.0, self),
                            values.get("product_uom_id"), values.get("currency_id")) for values in rows])
        names = sorted({name for values in rows for name in values} - {"id"})
        converted = {}  # {(field name, value): column value} of the fields whose value alone decides it

        def column(name, values):
            field = self._fields[name]
            if name not in values:
                return DEFAULT
            if field.type not in PLAIN_TYPES or field.translate or field.company_dependent:
                return field.convert_to_column_insert(values[name], self, values)
            key = (name, values[name])
            if key not in converted:
                converted[key] = field.convert_to_column_insert(values[name], self, values)
            return converted[key]

        self.env.cr.execute(SQL(
            "INSERT INTO %s (%s) VALUES %s RETURNING id",
            SQL.identifier(self._table),
            SQL(", ").join(map(SQL.identifier, names)),
            SQL(", ").join(tuple(column(name, values) for name in names) for values in rows),
        ))
        lines = self.browse(id_ for id_, in self.env.cr.fetchall())
        lines.fetch(names)
        lines._update_batch_inverses(names, rows)
        with self.env.protecting([self._fields[name] for name in precomputed], lines):
            lines.modified(names, create=True)
        lines._validate_fields(names)
        return lines

    def _update_batch_inverses(self, names, rows):
        """Put these lines, just inserted with the values ``rows``, in the cached one2many that
        their many2one fields ``names`` are the inverse of (an entry's lines), as create does. Only
        records that have that one2many in cache take them: a validation's stock moves do not, and
        are not gone through one by one."""
        for name in names:
            field = self._fields[name]
            inverses = self.pool.field_inverses[field] if field.type == "many2one" else ()
            cached = {id_ for inverse in inverses for id_ in inverse._get_cache(self.env)}
            if not cached:
                continue
            groups = defaultdict(list)
            for line_id, values in zip(self._ids, rows, strict=True):
                value = field.convert_to_cache(values.get(name), self)
                if value in cached:
                    groups[value].append(line_id)
            for value, ids in groups.items():
                field._update_inverses(self.browse(ids), value)

    @api.model
    def _check_lines(self, lines):
        """Checks of ledger lines, given as [(entry id, account id, quantity, unit id, currency id)]
        (the values of lines about to be inserted, or of lines just created):

        - a quantity is never a bare number: it has its unit of measure, or its currency when it
          is an amount spent (a reversal mirrors its entry, even one posted before units were
          required);
        - an entry's lines use accounts of the entry's company.
        """
        moves = self.env["carbon.move"].browse({line[0] for line in lines})
        reversals = set(moves.filtered("reversed_entry_id").ids)
        if any(qty and not (unit or currency or move in reversals) for move, __, qty, unit, currency in lines):
            raise UserError(self.env._("A carbon line's quantity needs its unit of measure, or its currency when "
                                       "it is an amount spent."))
        move_company = {move.id: move.company_id for move in moves}
        account_company = {account.id: account.company_id
                           for account in self.env["carbon.account"].browse({line[1] for line in lines})}
        if any(account_company[account] - move_company[move] for move, account in {line[:2] for line in lines}):
            raise UserError(self.env._("A carbon entry can only use the E-liability accounts of its company."))

    def write(self, vals):
        if self.filtered(lambda line: line.move_id.state == "posted"):
            raise UserError(self.env._("The lines of a posted carbon entry cannot be changed: reverse it instead."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if self.filtered(lambda line: line.move_id.state == "posted"):
            raise UserError(self.env._("The lines of a posted carbon entry cannot be deleted: reverse it instead."))

    @api.model
    def _location_memo(self, company, quantity, uom, product=None):
        """The location-based memo of a Scope 2 line for ``quantity`` of ``uom`` received: the quantity
        converted into the unit of the company's grid factor times its value. Unassessed (never zero)
        when the company has no grid factor or the quantity does not convert into its unit."""
        grid = company.carbon_grid_factor_id
        if not grid:
            return {"location_carbon": 0.0, "location_assessed": False}
        if carbon_math.is_zero(quantity):
            return {"location_carbon": 0.0, "location_assessed": True}
        if not uom:
            return {"location_carbon": 0.0, "location_assessed": False}
        try:
            if product:
                grid_quantity = product._carbon_convert(quantity, uom, grid.uom_id)
            elif uom._has_common_reference(grid.uom_id):
                grid_quantity = carbon_math.convert_quantity(quantity, uom.factor, grid.uom_id.factor)
            else:
                return {"location_carbon": 0.0, "location_assessed": False}
        except CarbonNotApplicable:
            return {"location_carbon": 0.0, "location_assessed": False}
        return {"location_carbon": carbon_math.round_carbon(carbon_math.carbon_of_quantity(grid_quantity, grid.value)),
                "location_assessed": True}

    def _reversed_values(self):
        return [{
            "name": line.name, "account_id": line.account_id.id, "debit": line.credit, "credit": line.debit,
            "product_id": line.product_id.id, "quantity": -line.quantity, "product_uom_id": line.product_uom_id.id,
            "currency_id": line.currency_id.id,
            "unit_carbon": line.unit_carbon, "partner_id": line.partner_id.id, "factor_id": line.factor_id.id,
            "scope": line.scope, "scope3_category": line.scope3_category, "stock_move_id": line.stock_move_id.id,
            "purchase_line_id": line.purchase_line_id.id, "unassessed": line.unassessed,
            "location_carbon": -line.location_carbon, "location_assessed": line.location_assessed,
            "biogenic_co2": -line.biogenic_co2,
        } for line in self]
