"""Pure rules of supply-chain carbon (grades, GS1 identifiers): no Odoo import, tested on their own."""
