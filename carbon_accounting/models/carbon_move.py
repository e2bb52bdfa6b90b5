from datetime import timedelta

from odoo import Command, api, fields, models, sql_db
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, clean_context

from ..tools import carbon_math, integrity, pg
from .carbon_account import REGISTER_ACCOUNT_TYPES

#: Where an entry comes from: every entry is made by its document. "Manual" stays so that entries
#: posted by hand before 19.0.2 still read (and can be reversed); no manual entry is posted any more.
KINDS = [
    ("stock", "Stock"),
    ("bill", "Vendor bill"),
    ("receipt", "Receipt of services"),
    ("bill_adjustment", "Bill adjustment of receipts"),
    ("adjustment", "Stock carbon adjustment"),
    ("allocation", "Pool allocation"),
    ("production", "Production"),
    ("activity", "Direct emission activity"),
    ("manual", "Manual"),
]


#: Entries made by a document of their own named on the entry: it is their lines' source too.
DOCUMENT_KINDS = ("bill", "bill_adjustment", "allocation", "activity")

#: The tables the chain check reads.
CHAIN_TABLES = ("carbon_move", "carbon_move_line", "carbon_account")
#: The fields of a ledger line that its entry's hash covers.
HASHED_LINE_FIELDS = ["move_id", "account_id", "debit", "credit", "product_id", "quantity", "partner_id",
                      "factor_id", "stock_move_id"]


def _fmt(value):
    """A kgCO2e figure as the fixed-decimal text the hash covers."""
    return carbon_math.fixed_text(value)


def _fixed_sql(column):
    """SQL: the numeric ``column`` of a ledger line ``l`` as ``_fmt`` writes it (``carbon_math.fixed_text``:
    rounded to the milligram, trailing zeros dropped down to three decimals)."""
    value = SQL("round(COALESCE(%s, 0), %s)", SQL.identifier("l", column), carbon_math.CARBON_DIGITS)
    return SQL("CASE WHEN scale(trim_scale(%s)) < 3 THEN round(%s, 3)::text ELSE trim_scale(%s)::text END",
               value, value, value)


class CarbonMove(models.Model):
    _name = "carbon.move"
    _inherit = ["mail.thread"]
    _description = "Carbon Entry"
    _mail_post_access = "read"  # auditors, who read the ledger, comment on its entries
    _order = "date desc, name desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index="trigram")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True,
                       help="The day the entry is booked: its document's date, or the first day after the "
                       "carbon lock date when the document is dated in the locked period.")
    origin_date = fields.Date(string="Original Date", readonly=True, copy=False,
                              help="The date of the document the entry records, kept as posted.")
    ref = fields.Char(string="Reference")
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("cancel", "Cancelled")],
        default="draft", required=True, readonly=True, copy=False, index=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    kind = fields.Selection(KINDS, required=True, default="manual", readonly=True, index=True,
                            help="The document that made the entry. Manual: entered by hand before 19.0.2.")
    line_ids = fields.One2many("carbon.move.line", "move_id", string="Lines", copy=True)
    account_move_id = fields.Many2one(
        "account.move", string="Journal Entry", copy=False, index="btree_not_null", check_company=True,
        help="The financial journal entry this carbon entry stands beside.",
    )
    stock_move_ids = fields.Many2many(
        "stock.move", string="Stock Moves", compute="_compute_stock_move_ids",
        help="The stock moves whose carbon this entry records.",
    )
    picking_id = fields.Many2one("stock.picking", string="Transfer", copy=False, index="btree_not_null")
    activity_id = fields.Many2one("carbon.activity", copy=False, index="btree_not_null",
                                  check_company=True, help="The direct emission activity this entry records.")
    reversed_entry_id = fields.Many2one("carbon.move", string="Reversal of", copy=False, readonly=True,
                                        index="btree_not_null")
    reversal_ids = fields.One2many("carbon.move", "reversed_entry_id", string="Reversed by")
    total_carbon = fields.Float(string="Carbon (kgCO2e)", digits="Carbon", compute="_compute_total_carbon", store=True)
    source_document = fields.Reference(
        selection="_selection_source_document", compute="_compute_source_document",
        help="The document that made this entry: transfer, vendor bill, purchase order, allocation, activity...",
    )
    posted_by_id = fields.Many2one("res.users", string="Posted by", readonly=True, copy=False)
    posted_at = fields.Datetime(string="Posted on", readonly=True, copy=False)
    secure_sequence_number = fields.Integer(readonly=True, copy=False, index=True)
    inalterable_hash = fields.Char(readonly=True, copy=False)

    _company_sequence_unique = models.UniqueIndex(
        "(company_id, secure_sequence_number) WHERE state = 'posted'",
        "Two posted carbon entries of a company cannot share a sequence number.",
    )

    @api.depends("line_ids.stock_move_id")
    def _compute_stock_move_ids(self):
        for move in self:
            move.stock_move_ids = move.line_ids.stock_move_id

    @api.depends("line_ids.debit")
    def _compute_total_carbon(self):
        for move in self:
            move.total_carbon = sum(move.line_ids.mapped("debit"))

    # ------------------------------------------------------------------ source documents

    @api.model
    def _source_document_models(self):
        """The models an entry or line can come from."""
        return ["stock.picking", "stock.scrap", "stock.move", "account.move", "purchase.order", "carbon.allocation",
                "carbon.activity"]

    @api.model
    def _selection_source_document(self):
        return [(model, self.env["ir.model"]._get(model).name) for model in self._source_document_models()]

    def _entry_documents(self):
        """{entry: the document the entry itself names (activity, bill, allocation, transfer), or an
        empty recordset}. A reversal names its original's document."""
        originals = self | self.reversed_entry_id
        allocations = self.env["carbon.allocation"].sudo().search([("carbon_move_id", "in", originals._origin.ids)])
        by_entry = {allocation.carbon_move_id: allocation for allocation in allocations}
        documents = {}
        for move in self:
            original = move.reversed_entry_id or move
            if move.kind == "activity":
                documents[move] = move.activity_id
            elif move.kind == "allocation":
                documents[move] = by_entry.get(original._origin, allocations.browse())
            elif move.kind in DOCUMENT_KINDS:
                documents[move] = move.account_move_id
            else:
                documents[move] = move.picking_id
        return documents

    @api.depends("kind", "picking_id", "account_move_id", "activity_id", "line_ids.stock_move_id",
                 "line_ids.purchase_line_id")
    def _compute_source_document(self):
        documents = self._entry_documents()
        for move in self:
            document = documents[move] or next(
                (doc for doc in move.line_ids._line_documents() if doc), move.account_move_id)
            move.source_document = f"{document._name},{document.id}" if document else False

    def _open_document(self, document):
        if not document:
            raise UserError(self.env._("%s has no source document to open.", self.display_name))
        return {
            "type": "ir.actions.act_window", "res_model": document._name, "res_id": document.id,
            "name": document.display_name, "view_mode": "form", "views": [(False, "form")],
        }

    def action_open_source_document(self):
        self.ensure_one()
        return self._open_document(self.source_document)

    # ------------------------------------------------------------------ integrity

    @api.model_create_multi
    def create(self, vals_list):
        """Entries are made by documents, in batches on hot paths: no creation message, no follower;
        the lines they are created with are inserted at once (``carbon.move.line._create_batch``)."""
        entries, lines = [], []
        for vals in vals_list:
            commands = vals.get("line_ids") or []
            created = all(command[0] == Command.CREATE for command in commands)
            entries.append({k: v for k, v in vals.items() if k != "line_ids"} if created else vals)
            lines.append([command[2] for command in commands] if created else [])
        posted = self.env.context.get("carbon_lines_posted", False)  # not passed on to what create makes
        moves = super(CarbonMove, self.with_context(tracking_disable=True, carbon_lines_posted=False)).create(entries)
        Line = self.env["carbon.move.line"].with_context(clean_context(self.env.context), carbon_lines_posted=False)
        Line._create_batch([
            dict(vals, move_id=move.id) for move, move_lines in zip(moves, lines, strict=True) for vals in move_lines
        ], posted=posted)
        return moves.with_env(self.env)

    @api.model
    def _create_posted(self, vals_list):
        """Create entries and post them, as ``create(vals_list)._post()`` does, but with their
        lines inserted posted: posting then has no line to update (for a validation's thousands
        of lines, that UPDATE takes as long as their INSERT). Should posting refuse the entries
        (not balanced, made by hand), its error undoes them with their lines, as it undoes the
        document being posted."""
        moves = self.with_context(carbon_lines_posted=True).create(vals_list)
        return moves.with_env(self.env)._post()

    def write(self, vals):
        if self.filtered(lambda m: m.state == "posted") and set(vals) - {"ref"} - set(self.env["mail.thread"]._fields):
            raise UserError(self.env._("A posted carbon entry cannot be changed: reverse it instead."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda m: m.state == "posted" or m.inalterable_hash):
            raise UserError(self.env._("A posted carbon entry cannot be deleted: reverse it instead."))

    def _check_balanced(self):
        for move in self:
            debit = carbon_math.round_carbon(sum(move.line_ids.mapped("debit")))
            credit = carbon_math.round_carbon(sum(move.line_ids.mapped("credit")))
            if carbon_math.compare(debit, credit):
                raise ValidationError(self.env._(
                    "Carbon entry %(name)s is not balanced: %(debit)s kgCO2e debit, %(credit)s kgCO2e credit.",
                    name=move.name, debit=debit, credit=credit,
                ))

    def _apply_lock_date(self):
        """Keep each entry's document date as its original date; an entry dated on or before its
        company's carbon lock date is booked on the first open day instead (the lock never refuses
        the posting of a document, as for locked journal entries in accounting)."""
        for date, moves in self.grouped(lambda m: m.date).items():
            super(CarbonMove, moves.filtered(lambda m: not m.origin_date)).write({"origin_date": date})
        for company, moves in self.filtered("company_id.carbon_lock_date").grouped("company_id").items():
            lock = company.carbon_lock_date
            locked = moves.filtered(lambda m, lock=lock: m.date <= lock)
            super(CarbonMove, locked).write({"date": lock + timedelta(days=1)})
        return True

    def _check_made_by_documents(self):
        """Entries are made by documents only, and never on the removal or offset accounts. The
        reversal of an entry posted before 19.0.2 is allowed: it takes such an entry back."""
        for move in self.filtered(lambda m: not m.reversed_entry_id):
            if move.kind == "manual":
                raise UserError(self.env._(
                    "%s: carbon entries cannot be entered by hand; they are made by documents (receipts, "
                    "deliveries, bills, productions, allocations). Enter direct emissions as activity "
                    "records, removals in the E-asset register and retired credits in the credit register.",
                    move.display_name))
            if move.line_ids.account_id.filtered(lambda a: a.account_type in REGISTER_ACCOUNT_TYPES):
                raise UserError(self.env._(
                    "%s: removals and offsets never reduce E-liabilities; record them in the E-asset and "
                    "credit registers, not on a ledger account.", move.display_name))

    def _hash_payload(self, lines=None):
        """What the entry's hash covers. ``lines``: its lines as ``_hash_lines`` gives them, read
        for many entries at once; else they are read for this entry alone."""
        self.ensure_one()
        if lines is None:
            lines = self._hash_lines()[self.id]
        return {
            "name": self.name, "date": str(self.date), "company": self.company_id.id,
            "ref": self.reversed_entry_id.name or "",
            "lines": lines,
        }

    def _hash_lines(self):
        """{entry id: its lines as the hash covers them, in their order} of these entries, read
        from the database in one query: the rows the chain check re-reads, not the ORM's cache (a
        validation's thousand lines would otherwise be read field by field)."""
        self.env["carbon.move.line"].flush_model(HASHED_LINE_FIELDS)
        self.env["carbon.account"].flush_model(["code"])
        self.env.cr.execute(SQL(
            """SELECT l.move_id, a.code, l.debit, l.credit, COALESCE(l.product_id, 0), l.quantity,
                      COALESCE(l.partner_id, 0), COALESCE(l.factor_id, 0), COALESCE(l.stock_move_id, 0)
                 FROM carbon_move_line l
                 JOIN carbon_account a ON a.id = l.account_id
                WHERE l.move_id IN %s
                ORDER BY l.id""",
            tuple(self.ids),
        ))
        lines = {move_id: [] for move_id in self.ids}
        for move_id, code, debit, credit, product, quantity, partner, factor, stock_move in self.env.cr.fetchall():
            lines[move_id].append([code, _fmt(debit), _fmt(credit), product, _fmt(quantity), partner, factor,
                                   stock_move])
        return lines

    def _post(self):
        """Post draft entries: balanced, dated after the lock date, numbered and chained per company
        (one poster at a time per company: see carbon.chain.head)."""
        to_post = self.filtered(lambda m: m.state == "draft")
        if not to_post:
            return self
        to_post._check_balanced()
        to_post._check_made_by_documents()
        to_post._apply_lock_date()
        super(CarbonMove, to_post).write({"posted_by_id": self.env.uid, "posted_at": fields.Datetime.now()})
        Head = self.env["carbon.chain.head"].sudo()
        hashed_lines = to_post._hash_lines()
        for company, moves in to_post.grouped("company_id").items():
            moves = moves.sorted(lambda m: (m.date, m.id))
            number, previous = Head._lock(company)
            for move in moves:
                number += 1
                name = move.name if move.name != "/" else self.env["ir.sequence"].with_company(company).next_by_code(
                    "carbon.move", sequence_date=move.date)
                super(CarbonMove, move).write({"name": name})
                previous = integrity.entry_hash(previous, move._hash_payload(hashed_lines[move.id]))
                super(CarbonMove, move).write({
                    "state": "posted", "secure_sequence_number": number, "inalterable_hash": previous,
                })
            Head._advance(company, number, previous)
        to_post._post_lines()
        return to_post

    def _post_lines(self):
        """The lines of these just posted entries take their state (a stored related field the ORM
        would update row by row, a thousand rows for a validation of five hundred moves) in one
        statement, with what depends on it. Lines inserted posted (``_create_posted``) have it."""
        lines = self.line_ids
        self.env.remove_to_compute(lines._fields["state"], lines)
        draft = lines.filtered(lambda line: line.state != "posted")
        if not draft:
            return
        draft.flush_recordset()
        self.env.cr.execute(SQL(
            "UPDATE carbon_move_line SET state = 'posted', write_uid = %s, write_date = %s WHERE id IN %s",
            self.env.uid, self.env.cr.now(), tuple(draft.ids),
        ))
        draft.invalidate_recordset(["state", "write_uid", "write_date"], flush=False)
        draft.modified(["state"])

    def action_post(self):
        self._post()
        return True

    def action_cancel(self):
        if self.filtered(lambda m: m.state == "posted"):
            raise UserError(self.env._("A posted carbon entry cannot be cancelled: reverse it instead."))
        self.write({"state": "cancel"})
        return True

    def _reverse(self, date=None, ref=None):
        """Post the reversal of posted entries: same lines, debit and credit swapped."""
        return self._create_posted([{
            "date": date or move.date,
            "ref": ref or self.env._("Reversal of %s", move.name),
            "company_id": move.company_id.id,
            "kind": move.kind,
            "account_move_id": move.account_move_id.id,
            "picking_id": move.picking_id.id,
            "activity_id": move.activity_id.id,
            "reversed_entry_id": move.id,
            "line_ids": [fields.Command.create(vals) for vals in move.line_ids._reversed_values()],
        } for move in self])

    def action_reverse(self):
        if self.filtered(lambda m: m.state != "posted"):
            raise UserError(self.env._("Only posted carbon entries can be reversed."))
        if self.reversal_ids:
            raise UserError(self.env._("%s has been reversed already.", self.reversal_ids.reversed_entry_id[:1].name))
        reversals = self._reverse()
        return {
            "type": "ir.actions.act_window", "res_model": "carbon.move", "name": self.env._("Reversals"),
            "view_mode": "list,form", "domain": [("id", "in", reversals.ids)],
        }

    @api.model
    def _integrity_chain(self, company):
        """Check the chain of ``company``'s posted entries: (number of entries, first hash, last
        hash, None when they form an intact chain else the first entry where it breaks: changed,
        removed or reordered).

        PostgreSQL re-performs the hashing, one query whatever the number of entries: each entry's
        payload is written as the canonical JSON ``integrity.entry_hash`` hashes (``_hash_payload``'s
        keys sorted, no spaces, numbers as ``carbon_math.fixed_text`` writes them; ``to_json``
        escapes text as Python's ``json.dumps`` does; figures, made of digits, a sign and a point,
        are merely quoted) and hashed with SHA-256 after the stored hash
        of the entry before it. An entry breaks the chain when its hash differs or its sequence
        number is not its place."""
        self.env.flush_all()
        return self._integrity_result(self._read_integrity_chain(self.env.cr, *self._integrity_queries(company)))

    @api.model
    def _integrity_chain_started(self, company):
        """Start checking the chain of ``company`` (``_integrity_chain``) and return a function
        that gives the check's result.

        When this transaction has changed none of the tables the check reads, the check runs in a
        thread on a connection of its own, whose transaction sees this one's snapshot
        (``pg.start_beside``): the caller works meanwhile (the evidence pack writes its statements).
        Else it runs here, before this returns: another transaction would not see the changes."""
        self.env.flush_all()
        cr = self.env.cr
        queries = self._integrity_queries(company)
        if pg.tables_written(cr, CHAIN_TABLES):
            read = self._read_integrity_chain(cr, *queries)
            return lambda: self._integrity_result(read)
        started = pg.start_beside(cr, sql_db.db_connect(cr.dbname).cursor,
                                  lambda other: self._read_integrity_chain(other, *queries))
        return lambda: self._integrity_result(started())

    @api.model
    def _integrity_queries(self, company):
        """(the SQL checking the chain of ``company``, the SQL of its entries in their order)."""
        chained = SQL("m.company_id = %s AND m.inalterable_hash IS NOT NULL", company.id)
        order = SQL("m.secure_sequence_number, m.id")
        query = SQL("""
            WITH lines AS MATERIALIZED (
                SELECT l.move_id,
                       string_agg(concat('[', to_json(a.code::text), ',"', %(debit)s, '","', %(credit)s,
                                         '",', COALESCE(l.product_id, 0), ',"', %(quantity)s, '",',
                                         COALESCE(l.partner_id, 0), ',', COALESCE(l.factor_id, 0), ',',
                                         COALESCE(l.stock_move_id, 0), ']'), ',' ORDER BY l.id) AS json
                  FROM carbon_move_line l
                  JOIN carbon_account a ON a.id = l.account_id
                  JOIN carbon_move m ON m.id = l.move_id
                 WHERE %(chained)s
                 GROUP BY l.move_id
            ), chain AS (
                SELECT m.secure_sequence_number AS number, m.inalterable_hash AS stored,
                       row_number() OVER w AS place,
                       lag(m.inalterable_hash::text, 1, %(genesis)s::text) OVER w AS previous,
                       concat('{"company":', m.company_id, ',"date":', to_json(m.date::text), ',"lines":[', lines.json,
                              '],"name":', to_json(m.name::text), ',"ref":', to_json(COALESCE(rev.name, '')::text),
                              '}'
                       ) AS payload
                  FROM carbon_move m
                  LEFT JOIN carbon_move rev ON rev.id = m.reversed_entry_id
                  LEFT JOIN lines ON lines.move_id = m.id
                 WHERE %(chained)s
                WINDOW w AS (ORDER BY %(order)s)
            )
            SELECT COUNT(*), MIN(place) FILTER (WHERE number IS DISTINCT FROM place OR stored
                                 <> encode(sha256(convert_to(concat(previous, '|', payload), 'UTF8')), 'hex'))
              FROM chain
        """, debit=_fixed_sql("debit"), credit=_fixed_sql("credit"), quantity=_fixed_sql("quantity"),
            chained=chained, genesis=integrity.GENESIS, order=order)
        ends = SQL("SELECT m.id, m.inalterable_hash FROM carbon_move m WHERE %s ORDER BY %s", chained, order)
        return query, ends

    @staticmethod
    def _read_integrity_chain(cr, query, ends):
        """Run the chain check ``query`` on the cursor ``cr`` (nothing else of the environment: it
        may run in a thread of its own): (count, first hash, last hash, id of the first broken
        entry or None)."""
        with pg.without_jit(cr):
            cr.execute(query)
            count, broken_place = cr.fetchone()
        if not count:
            return 0, False, False, None
        cr.execute(SQL("%s LIMIT 1", ends))
        first = cr.fetchone()[1]
        cr.execute(SQL("%s OFFSET %s LIMIT 1", ends, count - 1))
        last = cr.fetchone()[1]
        broken = None
        if broken_place:
            cr.execute(SQL("%s OFFSET %s LIMIT 1", ends, broken_place - 1))
            broken = cr.fetchone()[0]
        return count, first, last, broken

    @api.model
    def _integrity_result(self, read):
        """What ``_integrity_chain`` gives, from what ``_read_integrity_chain`` read."""
        count, first, last, broken = read
        return count, first, last, self.sudo().browse(broken) if broken else None

    @api.model
    def _check_integrity(self, company):
        """None when the posted entries of ``company`` form an intact chain, else the first
        entry where it breaks (changed, removed or reordered)."""
        return self._integrity_chain(company)[3]

    @api.model
    def _record_integrity_check(self, company, result=None):
        """Check the chain of ``company``'s posted entries now, unless ``result`` gives the check
        (``_integrity_chain``), and keep the result (the carbon.integrity.check, returned) for the
        auditor to find later."""
        count, first, last, broken = result or self._integrity_chain(company)
        return self.env["carbon.integrity.check"].sudo().create({
            "company_id": company.id, "user_id": self.env.uid, "result": "broken" if broken else "intact",
            "entry_count": count, "first_hash": first, "last_hash": last,
            "broken_move_id": broken.id if broken else False,
        })

    def action_check_integrity(self):
        """Check the chain of the company's posted entries, keep the result as a
        carbon.integrity.check the auditor finds later, and tell it."""
        check = self._record_integrity_check(self.company_id[:1] or self.env.company)
        broken = check.broken_move_id
        return {"type": "ir.actions.client", "tag": "display_notification",
                "params": {"message": check.message, "type": "danger" if broken else "success",
                           "sticky": bool(broken)}}
