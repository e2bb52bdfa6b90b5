"""Pure carbon arithmetic and parsing: no Odoo import here, so it is tested on its own."""
