from odoo import api, models


class ReportEliabilityStatement(models.AbstractModel):
    """Values of the E-liability statement PDF: one statement per wizard printed."""

    _name = "report.carbon_accounting.report_eliability_statement"
    _description = "E-liability Statement PDF"

    @api.model
    def _get_report_values(self, docids, data=None):
        report = self.env["carbon.report.eliability"]
        docs = self.env["carbon.report.eliability.wizard"].browse(docids)
        reports = []
        for wizard in docs:
            values = report._get_data(wizard.company_id, wizard.date_from, wizard.date_to)
            values["statement_rows"] = report._statement_rows(values)
            values["register_rows"] = report._register_rows(values)
            reports.append(values)
        return {"doc_ids": docids, "doc_model": docs._name, "docs": docs, "reports": reports}
