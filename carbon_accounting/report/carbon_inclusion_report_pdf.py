from odoo import api, models


class ReportInclusionMonitoring(models.AbstractModel):
    """Values of the monitoring report PDF: one report per monitoring period printed."""

    _name = "report.carbon_accounting.report_inclusion_monitoring"
    _description = "Carbon Inclusion Monitoring Report PDF"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["carbon.inclusion.monitoring"].browse(docids)
        builder = self.env["carbon.inclusion.report"]
        return {"doc_ids": docids, "doc_model": docs._name, "docs": docs,
                "reports": [builder._get_monitoring_data(monitoring) for monitoring in docs]}
