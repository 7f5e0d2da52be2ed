import type { Section } from "../section";
import { catalog } from "./catalog";
import { customers } from "./customers";
import { integrations } from "./integrations";
import { inventory } from "./inventory";
import { orders } from "./orders";
import { promotions } from "./promotions";
import { reports } from "./reports";
import { today } from "./today";

/** Every section of the console, in menu order. Each names the permission it needs (section.ts); the menu and
 * the routes offer a section only to those who hold it. To add one: a module under sections/<name>/ exporting
 * a Section, listed here. */
export const sections: Section[] = [today, orders, customers, catalog, inventory, promotions, reports, integrations];

export { TodayPage as Dashboard } from "./today";
