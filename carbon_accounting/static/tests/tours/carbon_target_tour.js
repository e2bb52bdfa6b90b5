import { registry } from "@web/core/registry";

// The target and its ledger are made by carbon_accounting/tests/test_target_tour.py.
registry.category("web_tour.tours").add("carbon_target_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Carbon app",
            trigger: ".o_app[data-menu-xmlid='carbon_accounting.carbon_menu_root']",
            run: "click",
        },
        {
            content: "Open the Reporting menu",
            trigger: ".o_menu_sections button[data-menu-xmlid='carbon_accounting.carbon_menu_reporting']",
            run: "click",
        },
        {
            content: "Open the emission targets",
            trigger: "[data-menu-xmlid='carbon_accounting.carbon_target_menu']",
            run: "click",
        },
        {
            content: "Open the tour's target",
            trigger: ".o_data_row:contains('Tour target 1.5 C') td.o_data_cell",
            run: "click",
        },
        {
            content: "The path reaches 790 in 2025",
            trigger: ".o_carbon_target_path tr:contains('2025') td:contains('790.000')",
        },
        {
            content: "2022 is above its path",
            trigger: ".o_carbon_target_path tr:contains('2022') .badge:contains('Off track')",
        },
        {
            content: "2023 has no data",
            trigger: ".o_carbon_target_path tr:contains('2023') td:contains('No data')",
        },
        {
            content: "The latest year is off track",
            trigger: ".o_field_widget[name='track_status']:contains('Off track')",
        },
        {
            content: "Open the graph",
            trigger: "button[name='action_view_graph']",
            run: "click",
        },
        {
            content: "The graph of the path and the actuals shows",
            trigger: ".o_graph_view .o_graph_canvas_container canvas",
        },
        {
            content: "Back to the target",
            trigger: ".o_breadcrumb a:contains('Tour target 1.5 C')",
            run: "click",
        },
        {
            content: "The target's form is back",
            trigger: ".o_form_view .o_carbon_target_path",
        },
    ],
});
