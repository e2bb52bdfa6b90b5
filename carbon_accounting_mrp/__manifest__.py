{
    "name": "Carbon Accounting - Manufacturing",
    "summary": "Components' carbon and production's direct emissions rolled into finished goods and by-products",
    "version": "19.0.1.0.0",
    "category": "ESG",
    "license": "AGPL-3",
    "author": "Carbon Accounting contributors",
    "depends": ["carbon_accounting", "mrp_account"],
    "data": ["security/ir.model.access.csv", "views/mrp_production_views.xml"],
    "auto_install": True,
    "installable": True,
}
