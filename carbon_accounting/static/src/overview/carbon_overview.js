import { _t } from "@web/core/l10n/translation";
import { serializeDate } from "@web/core/l10n/dates";
import { formatFloat } from "@web/core/utils/numbers";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { ControlPanel } from "@web/search/control_panel/control_panel";
import { formatMonetary } from "@web/views/fields/formatters";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { Component, onWillStart, useState } from "@odoo/owl";

const { DateTime } = luxon;

/**
 * The Carbon app's overview: emissions by scope, the E-liability held and passed on, what is left
 * unassessed, the controls and the E-assets apart. Its figures come from carbon.overview in one call.
 */
export class CarbonOverview extends Component {
    static template = "carbon_accounting.CarbonOverview";
    static components = { ControlPanel };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        const today = DateTime.local();
        this.state = useState({
            period: "month",
            dateFrom: serializeDate(today.startOf("month")),
            dateTo: serializeDate(today.endOf("month")),
            data: null,
        });
        this.periods = [
            { key: "month", label: _t("This Month") },
            { key: "year", label: _t("This Year") },
            { key: "custom", label: _t("Custom") },
        ];
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("carbon.overview", "get_overview_data", [
            this.state.dateFrom,
            this.state.dateTo,
        ]);
    }

    get data() {
        return this.state.data;
    }

    async selectPeriod(period) {
        this.state.period = period;
        const today = DateTime.local();
        if (period === "month" || period === "year") {
            this.state.dateFrom = serializeDate(today.startOf(period));
            this.state.dateTo = serializeDate(today.endOf(period));
            await this.load();
        }
    }

    async onDateChange(field, ev) {
        if (!ev.target.value) {
            return;
        }
        this.state[field] = ev.target.value;
        if (this.state.dateFrom <= this.state.dateTo) {
            await this.load();
        }
    }

    open(link) {
        if (link) {
            this.actionService.doAction(link);
        }
    }

    kg(value) {
        return formatFloat(value, { digits: [16, 2] });
    }

    tonnes(value) {
        return formatFloat(value, { digits: [16, 3] });
    }

    quantity(value) {
        return formatFloat(value, { digits: [16, 2] });
    }

    money(value, currencyId) {
        return formatMonetary(value, { currencyId });
    }

    share(value) {
        return value === null || value === undefined ? "" : `${formatFloat(value, { digits: [16, 1] })} %`;
    }

    get scopeCards() {
        const { scopes, links } = this.data;
        return [
            { key: "scope1", label: _t("Scope 1: direct emissions"), value: scopes.scope1, link: links.scope1 },
            { key: "scope2", label: _t("Scope 2: purchased energy"), value: scopes.scope2, link: links.scope2 },
            { key: "acquired", label: _t("Acquired from suppliers (Scope 3)"), value: scopes.acquired, link: links.acquired },
        ];
    }

    get wipNote() {
        return this.data.wip ? _t("of which %s in work in progress", this.kg(this.data.wip)) : "";
    }

    get tops() {
        return [
            { key: "products", title: _t("Top Products"), rows: this.data.top_products },
            { key: "suppliers", title: _t("Top Suppliers"), rows: this.data.top_suppliers },
            { key: "customers", title: _t("Top Customers"), rows: this.data.top_customers },
        ];
    }
}

registry.category("actions").add("carbon_overview", CarbonOverview);
