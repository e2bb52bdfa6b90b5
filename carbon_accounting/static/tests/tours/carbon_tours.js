import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// The records are made by the Python test cases (carbon_accounting/tests/test_tours.py).
const ORDER = "PO-CARBON-TOUR";
const RECEIPT = "WH/IN/CARBON-TOUR";
const VENDOR = "Tour Orchard Supplies";
const POWER_VENDOR = "Tour Power Company";
const FACTOR = "TOUR.FERT";
const REMOVAL = "Tour biochar batch";

/** Open a menu of the Carbon app (``section`` is the top-level menu holding it, if any) and wait
 * until its action shows ``title``: a breadcrumb, or the title of a dialog, then closed unless
 * ``dialog`` is "keep". */
function openMenu(section, menu, title, dialog = false) {
    const steps = [];
    if (section) {
        steps.push({
            content: `Open the ${section} menu`,
            trigger: `.o_menu_sections button[data-menu-xmlid="carbon_accounting.${section}"]`,
            run: "click",
        });
    }
    steps.push({
        content: `Open ${title}`,
        trigger: `[data-menu-xmlid="carbon_accounting.${menu}"]`,
        run: "click",
    });
    if (dialog) {
        steps.push({ content: `${title} opens`, trigger: `.modal .modal-title:contains("${title}")` });
    }
    if (dialog === true) {
        steps.push(
            { content: `Close ${title}`, trigger: ".modal .modal-footer .btn-secondary", run: "click" },
            { content: `${title} is closed`, trigger: "body:not(:has(.modal))" }
        );
    } else if (!dialog) {
        steps.push({
            content: `${title} shows`,
            trigger: `.o_breadcrumb .active:contains("${title}")`,
        });
    }
    return steps;
}

function openRow(text, title) {
    return [
        { content: `Open ${text}`, trigger: `.o_data_row:contains("${text}") td.o_data_cell`, run: "click" },
        {
            content: `${title || text} opens`,
            trigger: title ? `.o_form_view .o_breadcrumb .active:contains("${title}")` : ".o_form_view",
        },
    ];
}

const READER_MENUS = [
    [null, "carbon_activity_menu", "Direct Emissions"],
    ["carbon_menu_ledger", "carbon_move_menu", "Carbon Entries"],
    ["carbon_menu_ledger", "carbon_move_line_menu", "Carbon Ledger"],
    ["carbon_menu_ledger", "carbon_allocation_menu", "Pool Allocations"],
    ["carbon_menu_ledger", "stock_move_carbon_menu", "Carbon of Stock Moves"],
    ["carbon_menu_ledger", "stock_move_carbon_unassessed_menu", "Unassessed Stock Moves"],
    ["carbon_menu_registers", "carbon_removal_menu", "Removals (E-assets)"],
    ["carbon_menu_registers", "carbon_credit_menu", "Carbon Credits"],
    ["carbon_menu_registers", "carbon_register_movement_menu", "Register Movements"],
    ["carbon_menu_registers", "carbon_register_reconciliation_menu", "Register Reconciliation"],
    ["carbon_menu_reporting", "purchase_order_line_carbon_menu", "Purchase Carbon"],
    ["carbon_menu_reporting", "purchase_order_line_carbon_comparison_menu", "Carbon Comparison"],
];
const AUDITOR_MENUS = [
    ...READER_MENUS,
    ["carbon_menu_ledger", "account_move_line_carbon_menu", "Carbon of Vendor Bills"],
    ["carbon_menu_reporting", "carbon_conservation_wizard_menu", "Conservation Check", true],
    ["carbon_menu_reporting", "carbon_xlsx_export_menu", "Export Carbon Register (XLSX)", true],
];
const ACCOUNTANT_MENUS = [
    ...AUDITOR_MENUS,
    ["carbon_menu_factors", "carbon_factor_import_wizard_menu", "Import Emission Factors", true],
];
const MANAGER_MENUS = [
    ...ACCOUNTANT_MENUS,
    ["carbon_menu_config", "carbon_account_menu", "E-liability Accounts"],
    ["carbon_menu_config", "carbon_gwp_set_menu", "GWP Sets"],
    ["carbon_menu_config", "carbon_gas_menu", "Greenhouse Gases"],
];

/** A role walks its Carbon menus and opens a record of each kind behind a carbon figure. */
function roleSteps(menus, { bills }) {
    const steps = [
        ...stepUtils.goToAppSteps("carbon_accounting.carbon_menu_root", "Open the Carbon app"),
        ...menus.flatMap(([section, menu, title, dialog]) => openMenu(section, menu, title, dialog)),
        // A factor, and the confirmed purchase lines that use it.
        ...openMenu("carbon_menu_factors", "carbon_emission_factor_menu", "Emission Factors"),
        ...openRow(FACTOR, "Tour fertiliser factor"),
        { content: "Confirmed Lines", trigger: "button[name=action_view_usage]", run: "click" },
        { content: "The order's line uses it", trigger: `.o_data_row:contains("${ORDER}")` },
        // A receipt's entry, its transfer and the transfer's carbon entries.
        ...openMenu("carbon_menu_ledger", "carbon_move_menu", "Carbon Entries"),
        ...openRow(RECEIPT),
        { content: "The entry's figure", trigger: ".o_field_widget[name=total_carbon]:contains('20.0')" },
        { content: "Open its transfer", trigger: ".o_field_widget[name=picking_id] a", run: "click" },
        { content: "The transfer opens", trigger: `.o_breadcrumb .active:contains("${RECEIPT}")` },
        { content: "Its carbon", trigger: "button[name=action_view_carbon_entries]", run: "click" },
        { content: "The carbon of its lines", trigger: `.o_breadcrumb .active:contains("${RECEIPT}")` },
        { content: "Into inventory", trigger: ".o_data_row td[name=debit]:contains('20.0')" },
        // A removal.
        ...openMenu("carbon_menu_registers", "carbon_removal_menu", "Removals (E-assets)"),
        ...openRow(REMOVAL, REMOVAL),
        // The purchase order, with its carbon.
        stepUtils.goToUrl("/odoo/action-purchase.purchase_form_action"),
        ...openRow(ORDER, ORDER),
        { content: "The Carbon tab", trigger: ".o_notebook a.nav-link:contains('Carbon')", run: "click" },
        { content: "The order's carbon", trigger: ".o_notebook .o_field_widget[name=carbon_amount]:contains('20.0')" },
    ];
    if (bills) {
        steps.push(
            stepUtils.goToUrl("/odoo/action-account.action_move_in_invoice_type"),
            { content: "Open the bill", trigger: `.o_data_row:contains("${POWER_VENDOR}") td.o_data_cell`, run: "click" },
            { content: "The Carbon tab", trigger: ".o_notebook a.nav-link:contains('Carbon')", run: "click" },
            { content: "1000 kWh x 0.5 kgCO2e/kWh", trigger: ".o_notebook .tab-pane.active:contains('500.0')" }
        );
    }
    return steps;
}

const tours = registry.category("web_tour.tours");
tours.add("carbon_role_user", { steps: () => roleSteps(READER_MENUS, { bills: false }) });
tours.add("carbon_role_auditor", { steps: () => roleSteps(AUDITOR_MENUS, { bills: true }) });
tours.add("carbon_role_accountant", { steps: () => roleSteps(ACCOUNTANT_MENUS, { bills: true }) });
tours.add("carbon_role_manager", { steps: () => roleSteps(MANAGER_MENUS, { bills: true }) });

/** A buyer orders a product that has a factor, receives it and finds the carbon of the receipt. */
tours.add("carbon_purchase_to_receipt", {
    steps: () => [
        { content: "The RFQs", trigger: ".o_list_view" },
        { content: "New RFQ", trigger: ".o_list_button_add", run: "click" },
        { content: "Vendor", trigger: ".o_field_widget[name=partner_id] input", run: `edit ${VENDOR}` },
        { content: "Pick the vendor", trigger: `.ui-menu-item > a:contains("${VENDOR}")`, run: "click" },
        { content: "Add a line", trigger: ".o_field_x2many_list_row_add > a", run: "click" },
        {
            content: "Product",
            trigger: ".o_data_row .o_field_widget[name=product_id] input",
            run: "edit Tour fertiliser",
        },
        { content: "Pick the product", trigger: ".ui-menu-item > a:contains('Tour fertiliser')", run: "click" },
        { content: "Quantity", trigger: ".o_data_row .o_field_widget[name=product_qty] input", run: "edit 7" },
        { content: "Confirm", trigger: "button[name=button_confirm]", run: "click" },
        { content: "Confirmed", trigger: ".o_statusbar_status .o_arrow_button_current:contains('Purchase Order')" },
        { content: "The order's carbon", trigger: ".o_notebook a.nav-link:contains('Carbon')", run: "click" },
        { content: "7 kg x 2 kgCO2e/kg", trigger: ".o_notebook .o_field_widget[name=carbon_amount]:contains('14.0')" },
        { content: "Open the receipt", trigger: "button[name=action_view_picking]", run: "click" },
        { content: "Validate", trigger: ".btn-primary[name=button_validate]", run: "click" },
        { content: "Done", trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')" },
        { content: "Its carbon", trigger: "button[name=action_view_carbon_entries]", run: "click" },
        { content: "The carbon of the receipt's lines", trigger: ".o_breadcrumb .active:contains('Carbon of')" },
        { content: "Into inventory", trigger: ".o_data_row td[name=debit]:contains('14.0')" },
        { content: "Acquired from the vendor", trigger: ".o_data_row td[name=credit]:contains('14.0')" },
        { content: "Posted in a carbon entry", trigger: ".o_data_row td[name=move_id]:contains('CARB/')" },
    ],
});

/** An accountant imports a CSV of factors with bad rows: nothing is imported, each bad row is named. */
tours.add("carbon_factor_import_bad_file", {
    steps: () => [
        ...stepUtils.goToAppSteps("carbon_accounting.carbon_menu_root", "Open the Carbon app"),
        ...openMenu("carbon_menu_factors", "carbon_factor_import_wizard_menu", "Import Emission Factors", "keep"),
        {
            content: "Upload a file with bad rows",
            trigger: ".modal .o_field_widget[name=file] input[type=file]:not(:visible)",
            run() {
                const csv = [
                    "code,name,basis,value,unit,scope,source",
                    "TOUR.OK,Good factor,physical,1.5,kg,3,Tour",
                    "TOUR.BAD1,Bad value,physical,lots,kg,3,Tour",
                    "TOUR.BAD2,Bad basis,guess,1.0,kg,3,Tour",
                ].join("\n");
                const transfer = new DataTransfer();
                transfer.items.add(new File([csv], "bad_factors.csv", { type: "text/csv" }));
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        { content: "The file is loaded", trigger: ".modal .o_field_widget[name=file] .o_clear_file_button" },
        { content: "Import", trigger: ".modal button[name=action_import]", run: "click" },
        { content: "Nothing imported", trigger: ".modal .modal-body:contains('Nothing was imported')" },
        { content: "Line 3 named", trigger: ".modal .modal-body:contains('Line 3 (code TOUR.BAD1)')" },
        { content: "Line 4 named", trigger: ".modal .modal-body:contains('Line 4 (code TOUR.BAD2)')" },
        { content: "Nor the good line", trigger: ".modal .modal-body:not(:contains('Line 2'))" },
    ],
});

/** An auditor opens each report of the period: the GHG inventory, its Scope 2 lines, and the
 * E-liability statement with the lines behind a row. */
tours.add("carbon_reports", {
    steps: () => [
        ...stepUtils.goToAppSteps("carbon_accounting.carbon_menu_root", "Open the Carbon app"),
        ...openMenu("carbon_menu_reporting", "carbon_report_ghg_wizard_menu", "GHG Inventory"),
        { content: "Scope 2 market-based: 1000 kWh x 0.5", trigger: ".o_field_widget[name=scope2_market]:contains('500.000')" },
        { content: "Scope 3: 10 kg x 2", trigger: ".o_field_widget[name=scope3]:contains('20.000')" },
        { content: "Total", trigger: ".o_field_widget[name=total]:contains('520.000')" },
        { content: "Removals apart: the verified 1 t batch", trigger: ".o_field_widget[name=removals]:text(1.000)" },
        { content: "The Scope 2 lines", trigger: "button[name=action_open_scope2]", run: "click" },
        { content: "Scope 2 lines listed", trigger: ".o_breadcrumb .active:contains('Scope 2 Lines')" },
        { content: "The power bill's line", trigger: ".o_data_row:contains('Tour electricity') td[name=credit]:contains('500.000')" },
        { content: "Back to the inventory", trigger: ".o_breadcrumb .o_back_button, .o_breadcrumb li:first-child a", run: "click" },
        { content: "The inventory again", trigger: ".o_field_widget[name=scope2_market]:contains('500.000')" },
        ...openMenu("carbon_menu_reporting", "carbon_report_eliability_menu", "E-liability Statement"),
        { content: "Compute the statement", trigger: "button[name=action_compute]", run: "click" },
        { content: "Closing agrees with the ledger", trigger: ".alert-success:contains('agrees with what the ledger holds')" },
        { content: "Acquired from other suppliers", trigger: ".o_field_widget[name=acquired]:contains('20.000')" },
        { content: "Energy acquired", trigger: ".o_field_widget[name=energy]:contains('500.000')" },
        {
            content: "The lines behind the acquired carbon",
            trigger: ".o_row:has(.o_field_widget[name=acquired]) button[name=action_open_ledger]",
            run: "click",
        },
        { content: "The receipt's line", trigger: ".o_data_row:contains('Tour fertiliser') td[name=credit]:contains('20.000')" },
    ],
});
