from odoo import api, models
from odoo.fields import Domain


class CarbonInclusionReport(models.AbstractModel):
    """Figures of the carbon-inclusion reports, apart from their renderers: the monitoring report of
    a period in its methodology's outline, and the summary of a company's projects over a period
    (reductions, credits issued, sold and retired, removals apart, participants paid)."""

    _name = "carbon.inclusion.report"
    _description = "Carbon Inclusion Report Data"

    @api.model
    def _get_monitoring_data(self, monitoring):
        """The monitoring report of ``monitoring``: a dict of sections in the methodology's outline."""
        monitoring.ensure_one()
        project, methodology = monitoring.project_id, monitoring.methodology_id
        sources = dict(monitoring.line_ids._fields["data_source"]._description_selection(self.env))
        states = dict(project._fields["state"]._description_selection(self.env))
        kinds = dict(methodology._fields["kind"]._description_selection(self.env))
        labels = methodology._formula_labels()
        evidence = []
        for line in monitoring.line_ids:
            evidence += [{"section": self.env._("Monitoring data"), "item": line.monitoring_parameter_id.name,
                          "name": attachment.name} for attachment in line.attachment_ids]
        for answer in project.checklist_ids:
            evidence += [
                {"section": self.env._("Applicability"), "item": answer.condition_id.name, "name": attachment.name}
                for attachment in answer.attachment_ids
            ]
        if monitoring.verification_statement_name:
            evidence.append({"section": self.env._("Verification"), "item": monitoring.verifier_id.display_name or "",
                             "name": monitoring.verification_statement_name})
        return {
            "monitoring": monitoring,
            "title": self.env._("Monitoring report: %s", monitoring.name),
            "project": {
                "name": project.name,
                "reference": project.reference or "",
                "owner": project.company_id.name,
                "state": states[project.state],
                "location": project.location or "",
                "start_date": project.start_date,
                "crediting_start": project.crediting_start,
                "crediting_end": project.crediting_end,
                "participants": [
                    {"partner": p.partner_id.display_name, "share": p.share_percent, "activity": p.activity or ""}
                    for p in project.participant_ids
                ],
                "methodology": methodology.display_name,
                "kind": kinds[methodology.kind],
                "basis": ", ".join(
                    filter(
                        None,
                        [
                            methodology.basis_name,
                            methodology.basis_issuer,
                            methodology.basis_version,
                            methodology.basis_filing_number,
                            str(methodology.basis_date or ""),
                        ],
                    )
                ),
            },
            "boundary": {
                "geography": methodology.geography or "",
                "accounting_period": methodology.accounting_period or "",
                "carbon_pools": methodology.carbon_pools or "",
                "gases": ", ".join(methodology.gas_ids.mapped("name")),
                "period": (monitoring.date_from, monitoring.date_to),
                "version": monitoring.version,
            },
            "baseline": {
                "formulas": [
                    {"label": labels[key], "formula": formula} for key, formula in methodology._formulas().items()
                ],
                "parameters": [
                    {
                        "code": p.code,
                        "name": p.name,
                        "value": p.value,
                        "unit": p.unit,
                        "source": p.source or self.env._("Illustrative: no source cited"),
                        "illustrative": p.illustrative,
                    }
                    for p in methodology.parameter_ids
                ],
            },
            "monitoring_data": [
                {
                    "code": line.code,
                    "name": line.monitoring_parameter_id.name,
                    "value": line.value,
                    "unit": line.uom_id.name,
                    "frequency": line.frequency,
                    "source": sources[line.data_source],
                    "origin": (
                        self.env._(
                            "%(product)s, %(count)s ledger records",
                            product=line.product_id.display_name,
                            count=line.ledger_count,
                        )
                        if line.data_source != "reading"
                        else self.env._("%s evidence files", len(line.attachment_ids))
                    ),
                    "note": line.note or "",
                }
                for line in monitoring.line_ids
            ],
            "calculations": (monitoring.calculation or "").splitlines(),
            "results": [
                (labels["baseline"], monitoring.baseline),
                (labels["project"], monitoring.project_emissions),
                (labels["leakage"], monitoring.leakage),
                (self.env._("Net before deduction"), monitoring.net),
                (
                    self.env._("Conservativeness deduction (%s %%)", f"{methodology.deduction_percent:g}"),
                    monitoring.deduction,
                ),
                (
                    self.env._("Removals") if methodology.kind == "removal" else self.env._("Reductions"),
                    monitoring.result,
                ),
            ],
            "issuable_tonnes": monitoring.issuable_tonnes,
            "result_label": self.env._("Removals") if methodology.kind == "removal" else self.env._("Reductions"),
            "uncertainty": methodology.uncertainty or "",
            "qa_qc": methodology.qa_qc or "",
            "evidence": evidence,
        }

    @api.model
    def _get_summary_data(self, companies, date_from, date_to):
        """The carbon-inclusion summary of ``companies`` from ``date_from`` to ``date_to``: per project
        the reductions and removals of its current monitoring periods ending in the period (kgCO2e),
        the tonnes issued, sold, transferred and retired in the period and what its participants were paid.
        Removals are kept apart from reductions; none of it touches emissions or E-liabilities."""
        Monitoring = self.env["carbon.inclusion.monitoring"]
        monitorings = Monitoring.search([
            ("company_id", "in", companies.ids), ("state", "in", ("submitted", "verified")),
            ("date_to", ">=", date_from), ("date_to", "<=", date_to)])
        period = Domain("date", ">=", date_from) & Domain("date", "<=", date_to)
        issued_credits = self.env["carbon.credit"].search(
            Domain("company_id", "in", companies.ids) & period & Domain("origin", "=", "issued"))
        issued_removals = self.env["carbon.removal"].search(
            Domain("company_id", "in", companies.ids) & Domain("removal_date", ">=", date_from)
            & Domain("removal_date", "<=", date_to) & Domain("origin", "=", "generated"))
        issuing = Monitoring.search([("company_id", "in", companies.ids),
                                     "|", ("credit_id", "!=", False), ("removal_id", "!=", False)])
        movements = self.env["carbon.register.movement"].search(
            Domain("company_id", "in", companies.ids) & period
            & (Domain("credit_id", "in", issuing.credit_id.ids) | Domain("removal_id", "in", issuing.removal_id.ids)))
        payout_lines = self.env["carbon.inclusion.payout.line"].search([
            ("company_id", "in", companies.ids), ("payout_id.state", "!=", "draft"),
            ("payout_id.date", ">=", date_from), ("payout_id.date", "<=", date_to)])
        projects = monitorings.project_id | issuing.project_id | payout_lines.payout_id.project_id
        rows = []
        for project in projects.sorted("name"):
            periods = monitorings.filtered(lambda m, project=project: m.project_id == project)
            issued = issuing.filtered(lambda m, project=project: m.project_id == project)
            credits = issued.credit_id & issued_credits
            removals = issued.removal_id & issued_removals
            moved = movements.filtered(
                lambda m, issued=issued: m.credit_id in issued.credit_id or m.removal_id in issued.removal_id
            )
            paid = payout_lines.filtered(lambda line, project=project: line.payout_id.project_id == project)
            rows.append({
                "project": project,
                "kind": project.methodology_id.kind,
                "reductions": sum(periods.filtered(lambda m: m.kind == "reduction").mapped("result")),
                "removals": sum(periods.filtered(lambda m: m.kind == "removal").mapped("result")),
                "credits_issued": sum(credits.mapped("tonnes")),
                "removals_issued": sum(removals.mapped("tonnes")),
                "sold": sum(moved.filtered(lambda m: m.movement_type == "sell").mapped("tonnes")),
                "transferred": sum(moved.filtered(lambda m: m.movement_type == "transfer").mapped("tonnes")),
                "retired": sum(moved.filtered(lambda m: m.movement_type == "retire").mapped("tonnes")),
                "participants_paid": len(paid.filtered("bill_id").partner_id),
                "amount_paid": sum(paid.mapped("amount")),
                "currency": paid.currency_id[:1],
            })
        totals = {key: sum(row[key] for row in rows)
                  for key in ("reductions", "removals", "credits_issued", "removals_issued", "sold", "transferred",
                              "retired",
                              "amount_paid")}
        return {"companies": companies, "date_from": date_from, "date_to": date_to, "rows": rows, "totals": totals}
