import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("carbon_supplier_declare_tour", {
    url: "/my/carbon",
    steps: () => [
        {
            content: "The vendor sees the product it sells",
            trigger: ".o_carbon_price_line:contains('Lychee honey') .o_carbon_declare",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Declare the carbon per unit",
            trigger: "input[name='carbon_intensity']",
            run: "edit 1.2",
        },
        {
            content: "Its fossil part",
            trigger: "input[name='fossil_ghg']",
            run: "edit 1.1",
        },
        {
            content: "The share of primary data",
            trigger: "input[name='primary_data_share']",
            run: "edit 80",
        },
        {
            content: "The data quality",
            trigger: "select[name='data_quality']",
            run: "select primary",
        },
        {
            content: "Submit for review",
            trigger: ".o_carbon_declare_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The declaration waits for review",
            trigger: ".o_carbon_declaration:contains('Lychee honey'):contains('Submitted')",
        },
    ],
});

registry.category("web_tour.tours").add("carbon_supplier_approve_tour", {
    url: "/odoo/action-carbon_supplychain_finance.carbon_supplier_declaration_action",
    steps: () => [
        {
            content: "Open the declaration to review",
            trigger: ".o_data_row:contains('Lychee honey') .o_data_cell[name='partner_id']",
            run: "click",
        },
        {
            content: "The breakdown is shown",
            trigger: ".o_field_widget[name='fossil_ghg']:contains('1.1')",
        },
        {
            content: "Approve it",
            trigger: "button[name='action_approve']",
            run: "click",
        },
        {
            content: "It is approved, the previous declaration kept",
            trigger: ".o_field_widget[name='previous_intensity']:contains('1.5')",
        },
    ],
});
