import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("carbon_overview_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "The Carbon app opens on its overview",
            trigger: ".o_app[data-menu-xmlid='carbon_accounting.carbon_menu_root']",
            run: "click",
        },
        {
            content: "The acquired E-liability of the month shows",
            trigger: ".o_carbon_overview_card[data-key='acquired'] .o_carbon_figure:contains('200.00')",
        },
        {
            content: "Choose the year",
            trigger: ".o_carbon_period[data-period='year']",
            run: "click",
        },
        {
            content: "The year holds the month's figure",
            trigger: ".o_carbon_period[data-period='year'].active",
        },
        {
            content: "The acquired E-liability of the year shows",
            trigger: ".o_carbon_overview_card[data-key='acquired'] .o_carbon_figure:contains('200.00')",
        },
        {
            content: "The verified E-assets show apart",
            trigger: ".o_carbon_removals .o_carbon_figure:contains('10.000')",
        },
        {
            content: "Open the lines behind the figure",
            trigger: ".o_carbon_overview_card[data-key='acquired']",
            run: "click",
        },
        {
            content: "The ledger lines of the acquired account are listed",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains('200.0')",
        },
        {
            content: "Back to the overview",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item a",
            run: "click",
        },
        {
            content: "The unassessed receipt is one click away",
            trigger: ".o_carbon_unassessed_moves button:contains('Fix'):enabled",
            run: "click",
        },
        {
            content: "The unassessed stock move is listed",
            trigger: ".o_list_view .o_data_row:contains('Unknown jar')",
        },
    ],
});
