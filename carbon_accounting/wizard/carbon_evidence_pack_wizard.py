import hashlib
import shutil
import tempfile
from pathlib import Path

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

#: Periods with more posted ledger lines than this run in the background (ir.config_parameter
#: ``carbon_accounting.evidence_pack_background_lines`` overrides it).
BACKGROUND_LINES = 100_000


class CarbonEvidencePackWizard(models.TransientModel):
    """Asks for a company and a period and prints the auditor's evidence pack (an XLSX report), or
    makes it in the background (queue_job) for a large period: the file is attached to the
    integrity check its cover reports, and the user is notified."""

    _name = "carbon.evidence.pack.wizard"
    _description = "Carbon Evidence Pack"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date_from = fields.Date(required=True, default=lambda self: fields.Date.context_today(self).replace(month=1, day=1))
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    line_count = fields.Integer(string="Ledger Lines in the Period", compute="_compute_line_count")
    runs_in_background = fields.Boolean(compute="_compute_line_count")

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        if any(wizard.date_from > wizard.date_to for wizard in self):
            raise UserError(self.env._("The period of the evidence pack ends before it starts."))

    @api.depends("company_id", "date_from", "date_to")
    def _compute_line_count(self):
        limit = int(self.env["ir.config_parameter"].sudo().get_param(
            "carbon_accounting.evidence_pack_background_lines", BACKGROUND_LINES))
        for wizard in self:
            wizard.line_count = self.env["carbon.move.line"].search_count([
                ("company_id", "=", wizard.company_id.id), ("state", "=", "posted"),
                ("date", ">=", wizard.date_from), ("date", "<=", wizard.date_to),
            ]) if wizard.company_id and wizard.date_from and wizard.date_to else 0
            wizard.runs_in_background = wizard.line_count > limit

    def action_print(self):
        self.ensure_one()
        if self.runs_in_background:
            return self.action_generate_in_background()
        return self.env.ref("carbon_accounting.action_report_evidence_pack").report_action(self, config=False)

    def action_generate_in_background(self):
        self.ensure_one()
        description = self.env._("Carbon evidence pack of %(company)s, %(start)s to %(end)s",
                                 company=self.company_id.name, start=self.date_from, end=self.date_to)
        self.with_company(self.company_id).browse().with_delay(description=description)._generate_pack(
            self.company_id.id, self.date_from, self.date_to)
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "type": "info", "message": self.env._(
                "The evidence pack is being made in the background: you will be notified when it is ready.",
            ), "next": {"type": "ir.actions.act_window_close"}}}

    @api.model
    def _generate_pack(self, company_id, date_from, date_to):
        """The job: the pack of the company and period, attached to the integrity check it reports;
        the user who asked for it is notified with a link to the file. The pack is written to a
        file and moved into the filestore: it is never held in memory whole."""
        wizard = self.create({"company_id": company_id, "date_from": date_from, "date_to": date_to})
        report = self.env["ir.actions.report"]._get_report("carbon_accounting.evidence_pack_xlsx")
        with tempfile.TemporaryDirectory(prefix="carbon-pack-") as tmp:
            path = Path(tmp, "pack.xlsx")
            self.env[f"report.{report.report_name}"].with_context(active_model=self._name)._write_pack(
                wizard.ids, {}, path)
            check = self.env["carbon.integrity.check"].sudo().search(  # the one the pack's cover reports
                [("company_id", "=", company_id), ("user_id", "=", self.env.uid)], order="id desc", limit=1)
            name = self.env._("Carbon evidence pack - %(company)s - %(start)s to %(end)s.xlsx",
                              company=wizard.company_id.name, start=date_from, end=date_to)
            attachment = self._attach_file(path, {
                "name": name, "res_model": check._name, "res_id": check.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            })
        partner = self.env.user.partner_id
        partner.message_notify(
            partner_ids=partner.ids, subject=self.env._("Carbon evidence pack ready"),
            body=Markup('<p>%s <a href="/web/content/%s?download=true">%s</a></p>') % (
                self.env._("Your evidence pack is ready:"), attachment.id, name),
        )
        self.env.user._bus_send("simple_notification", {
            "type": "success", "sticky": True, "title": self.env._("Carbon evidence pack ready"),
            "message": self.env._("%s is attached to the integrity check of its cover.", name),
        })
        return name

    @api.model
    def _attach_file(self, path, values):
        """An attachment of ``values`` holding the file at ``path``, which is moved into the filestore
        as ir.attachment would store its bytes (the database keeps them when it is the storage)."""
        Attachment = self.env["ir.attachment"].sudo()
        if Attachment._storage() == "db":
            return Attachment.create({**values, "raw": path.read_bytes()})
        digest = hashlib.sha1()
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
        checksum = digest.hexdigest()
        fname = f"{checksum[:2]}/{checksum}"
        full_path = Path(Attachment._full_path(fname))
        full_path.parent.mkdir(parents=True, exist_ok=True)
        if not full_path.exists():
            shutil.move(path, full_path)
            Attachment._mark_for_gc(fname)  # removed again should the transaction roll back
        attachment = Attachment.create(values)
        # what ir.attachment's create computes from bytes it is given, computed from the file
        self.env.cr.execute(SQL(
            "UPDATE ir_attachment SET store_fname = %s, file_size = %s, checksum = %s WHERE id = %s",
            fname, full_path.stat().st_size, checksum, attachment.id))
        attachment.invalidate_recordset(["store_fname", "file_size", "checksum", "raw", "datas", "db_datas"])
        return attachment
