from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import integrity


class CarbonChainHead(models.Model):
    """The head of a company's chain of posted carbon entries: its last sequence number and hash.

    Every post locks the company's head row (SELECT ... FOR UPDATE) and moves it on, so posters of
    one company are serialized: under REPEATABLE READ a poster whose snapshot predates another's
    committed post gets a serialization failure, which Odoo retries, instead of chaining onto a
    head that is no longer the head."""

    _name = "carbon.chain.head"
    _description = "Carbon Chain Head"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    sequence_number = fields.Integer(string="Last Sequence Number", readonly=True)
    hash = fields.Char(string="Last Hash", readonly=True)

    _company_unique = models.Constraint("UNIQUE(company_id)", "A company has one carbon chain head.")

    @api.model
    def _initialise(self, companies):
        """Give ``companies`` a head row (the last hashed entry of their chain, or the genesis)."""
        if not companies:
            return
        self.env.cr.execute(SQL("""
            INSERT INTO carbon_chain_head (company_id, sequence_number, hash)
            SELECT company.id, COALESCE(last.secure_sequence_number, 0), COALESCE(last.inalterable_hash, %(genesis)s)
              FROM res_company company
              LEFT JOIN LATERAL (
                    SELECT secure_sequence_number, inalterable_hash
                      FROM carbon_move
                     WHERE company_id = company.id AND state = 'posted'
                  ORDER BY secure_sequence_number DESC
                     LIMIT 1
                   ) last ON TRUE
             WHERE company.id IN %(companies)s
            ON CONFLICT (company_id) DO NOTHING
        """, genesis=integrity.GENESIS, companies=tuple(companies.ids)))

    @api.model
    def _lock(self, company):
        """(last sequence number, last hash) of the chain of ``company``, its head row locked
        until the transaction ends."""
        query = SQL("SELECT sequence_number, hash FROM carbon_chain_head WHERE company_id = %s FOR UPDATE", company.id)
        self.env.cr.execute(query)
        head = self.env.cr.fetchone()
        if head is None:
            self._initialise(company)
            self.env.cr.execute(query)
            head = self.env.cr.fetchone()
        return head

    @api.model
    def _advance(self, company, sequence_number, hash_):
        self.env.cr.execute(SQL(
            "UPDATE carbon_chain_head SET sequence_number = %s, hash = %s WHERE company_id = %s",
            sequence_number, hash_, company.id))
