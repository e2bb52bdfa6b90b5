import base64
import socket
import ssl
from urllib.parse import urlparse

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import carbon_math, factor_csv

#: Unit codes of the CSV format and the units of measure they stand for.
UNIT_XMLIDS = {
    "g": "uom.product_uom_gram",
    "kg": "uom.product_uom_kgm",
    "t": "uom.product_uom_ton",
    "L": "uom.product_uom_litre",
    "m3": "uom.product_uom_cubic_meter",
    "km": "uom.product_uom_km",
    "Units": "uom.product_uom_unit",
    "kWh": "carbon_accounting.uom_kwh",
    "MWh": "carbon_accounting.uom_mwh",
    "GJ": "carbon_accounting.uom_gj",
    "tkm": "carbon_accounting.uom_tkm",
}
#: A factor whose given value differs more than this from its gas breakdown is refused.
VALUE_TOLERANCE = 0.01
URL_TIMEOUT = 30  # seconds, to connect and between bytes received
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024


#: The sample file the wizard offers to download: the format with a few real factors.
SAMPLE_URL = "/carbon_accounting/static/sample/emission_factors_sample.csv"


def _causes(exc):
    """``exc`` and the exceptions behind it (requests wraps urllib3's, which wrap the socket's)."""
    causes, todo = [], [exc]
    while todo and len(causes) < 20:
        cause = todo.pop()
        if isinstance(cause, BaseException) and cause not in causes:
            causes.append(cause)
            todo += [cause.__cause__, cause.__context__, getattr(cause, "reason", None), *cause.args]
    return causes


class CarbonFactorImportWizard(models.TransientModel):
    _name = "carbon.factor.import.wizard"
    _description = "Import Emission Factors"

    source_type = fields.Selection(
        [("file", "CSV file"), ("url", "URL")], string="Import From", required=True, default="file"
    )
    file = fields.Binary(string="CSV File")
    filename = fields.Char()
    url = fields.Char(string="URL", help="An http(s) address serving a factor CSV file.")
    company_id = fields.Many2one(
        "res.company",
        help="Company the imported factors belong to. Empty: shared by all companies.",
    )

    def action_import(self):
        self.ensure_one()
        if self.source_type == "url":
            content = self._fetch_url(self.url)
        else:
            if not self.file:
                raise UserError(self.env._("Choose a CSV file to import."))
            content = base64.b64decode(self.file)
        factors = self._import_csv(content, self.company_id)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported Emission Factors"),
            "res_model": "carbon.emission.factor",
            "view_mode": "list,form",
            "domain": [("id", "in", factors.ids)],
        }

    @api.model
    def _fetch_url(self, url):
        if not url:
            raise UserError(self.env._("Give the http:// or https:// address of a factor CSV file."))
        if urlparse(url).scheme not in ("http", "https"):
            raise UserError(self.env._("Give an http:// or https:// address to import from."))
        try:
            response = requests.get(url, timeout=URL_TIMEOUT, headers={"Accept": "text/csv, text/plain"})
            response.raise_for_status()
        except requests.exceptions.RequestException as exc:
            raise UserError(self._url_error(url, exc)) from None
        if len(response.content) > MAX_DOWNLOAD_BYTES:
            raise UserError(self.env._("%s serves more than 20 MB: that is no factor file.", url))
        return response.content

    @api.model
    def _url_error(self, url, exc):
        """A sentence saying why ``url`` could not be fetched, from the causes of ``exc``."""
        host = urlparse(url).hostname or url
        causes = _causes(exc)
        if isinstance(exc, requests.exceptions.HTTPError):
            message = self.env._("The URL answered %(status)s %(reason)s",
                                 status=exc.response.status_code, reason=exc.response.reason)
        elif isinstance(exc, requests.exceptions.Timeout):
            message = self.env._("The server at %s did not answer in time", host)
        elif any(isinstance(cause, socket.gaierror) for cause in causes):
            message = self.env._("The server at %s could not be found", host)
        elif any(isinstance(cause, ConnectionRefusedError) for cause in causes):
            message = self.env._("The server at %s could not be reached (connection refused)", host)
        elif any(isinstance(cause, ssl.SSLError) for cause in causes):
            message = self.env._("The server at %s could not be reached securely (its certificate was refused)", host)
        elif isinstance(exc, requests.exceptions.ConnectionError):
            message = self.env._("The server at %s could not be reached", host)
        else:
            message = self.env._("The URL could not be read as a web address")
        return self.env._("%s: nothing was imported.", message)

    @api.model
    def _import_csv(self, content, company=None):
        """Create or update the factors of a CSV file, all or nothing.

        A row whose code and start date match an existing factor of the company updates it
        (refused if that version is locked and the row changes it); any other row creates a factor.
        """
        company = company or self.env["res.company"]
        try:
            rows, errors = factor_csv.parse_factor_csv(content)
        except factor_csv.FactorCSVError as exc:
            raise UserError(self.env._("The file cannot be imported: %s.", exc)) from None
        # the rows that parse are checked against the database too, so that every bad row is named at once
        vals_by_row = {}
        refs = self._import_references(rows)
        for row in rows:
            vals, row_errors = self._row_values(row, refs, company)
            label = self.env._("Line %(line)s (code %(code)s)", line=row["line"], code=row["code"])
            errors += [factor_csv.RowError(row["line"], f"{label}: {e}") for e in row_errors]
            if not row_errors:
                vals_by_row[row["line"]] = vals
        Factor = self.env["carbon.emission.factor"]
        existing = {}
        for factor in Factor.with_context(active_test=False).search(
            [("code", "in", [r["code"] for r in rows]), ("company_id", "=", company.id)]
        ):
            existing[(factor.code, factor.date_from)] = factor
        for row in rows:
            factor = existing.get((row["code"], row["date_from"] or False))
            vals = vals_by_row.get(row["line"])
            if vals and factor and factor.is_locked and factor._differs_from(vals):
                errors.append(factor_csv.RowError(row["line"], self.env._(
                    "Line %(line)s (code %(code)s): version %(version)s is used by confirmed documents "
                    "and cannot change; give the new figures a later date_from to create a new version.",
                    line=row["line"], code=row["code"], version=factor.version,
                )))
        errors = sorted(errors, key=lambda error: error.line)
        if errors:
            raise UserError(self.env._("Nothing was imported:\n%s", "\n".join(errors)))
        to_create, updated = [], Factor
        for row in rows:
            vals = vals_by_row[row["line"]]
            factor = existing.get((row["code"], row["date_from"] or False))
            if factor:
                if factor._differs_from(vals):
                    factor.write(dict(vals, gas_line_ids=[fields.Command.clear()] + vals["gas_line_ids"]))
                updated |= factor
            else:
                to_create.append(vals)
        return updated | Factor.create(to_create)

    @api.model
    def _import_references(self, rows):
        """Records named by the rows, looked up once per kind."""
        def by(model, field, keys):
            return {
                r[field]: r for r in self.env[model].with_context(active_test=False).search([(field, "in", list(keys))])
            }

        units = {code: self.env.ref(xmlid, raise_if_not_found=False) for code, xmlid in UNIT_XMLIDS.items()}
        names = {r["unit"] for r in rows} - set(units)
        units.update(by("uom.uom", "name", names))
        return {
            "units": units,
            "currencies": by("res.currency", "name", {r["currency"] for r in rows if r["currency"]}),
            "countries": by("res.country", "code", {r["country"] for r in rows if r["country"]}),
            "gwp_sets": by("carbon.gwp.set", "code", {r["gwp_set"] for r in rows if r["gwp_set"]}),
            "gases": {g.code: g for g in self.env["carbon.gas"].search([])},
        }

    @api.model
    def _row_values(self, row, refs, company):
        errors = []
        vals = {
            "code": row["code"], "name": row["name"], "source": row["source"],
            "reference_url": row["reference_url"] or False, "notes": row["notes"] or False,
            "basis": row["basis"], "scope": row["scope"], "scope3_category": row["scope3_category"] or False,
            "date_from": row["date_from"], "date_to": row["date_to"], "uncertainty": row["uncertainty"],
            "co2_biogenic": row["co2_biogenic"], "company_id": company.id or False,
            "uom_id": False, "currency_id": False, "country_id": False, "gwp_set_id": False,
            "gas_line_ids": [],
        }
        if row["basis"] == "physical":
            unit = refs["units"].get(row["unit"])
            if not unit:
                errors.append(self.env._(
                    "unknown unit '%(unit)s' (use one of %(codes)s or the exact name of a unit of measure)",
                    unit=row["unit"], codes=", ".join(UNIT_XMLIDS),
                ))
            vals["uom_id"] = unit.id if unit else False
        else:
            currency = refs["currencies"].get(row["currency"])
            if not currency:
                errors.append(self.env._("unknown currency '%s'", row["currency"]))
            elif not currency.active:
                errors.append(
                    self.env._("currency %s is not active in this database: activate it first", currency.name)
                )
            vals["currency_id"] = currency.id if currency else False
        if row["country"]:
            country = refs["countries"].get(row["country"])
            if not country:
                errors.append(self.env._("unknown country code '%s'", row["country"]))
            vals["country_id"] = country.id if country else False
        if row["gases"]:
            gwp_set = refs["gwp_sets"].get(row["gwp_set"])
            if not gwp_set:
                errors.append(self.env._("unknown GWP set '%s'", row["gwp_set"]))
            else:
                vals["gwp_set_id"] = gwp_set.id
                gwp = gwp_set._gwp_by_gas()
                missing = sorted(set(row["gases"]) - set(gwp))
                if missing:
                    errors.append(
                        self.env._(
                            "GWP set %(set)s has no value for %(gases)s", set=gwp_set.code, gases=", ".join(missing)
                        )
                    )
                else:
                    computed = carbon_math.gwp_weighted_total(row["gases"], gwp)
                    if row["value"] is not None and carbon_math.relative_gap(computed, row["value"]) > VALUE_TOLERANCE:
                        errors.append(self.env._(
                            "value %(value)s disagrees with its gases weighed by %(set)s (%(computed).6g)",
                            value=row["value"], set=gwp_set.code, computed=computed,
                        ))
                    vals["gas_line_ids"] = [
                        fields.Command.create({"gas_id": refs["gases"][gas].id, "amount": amount})
                        for gas, amount in row["gases"].items()
                    ]
        else:
            vals["value"] = row["value"]
        return vals, errors
