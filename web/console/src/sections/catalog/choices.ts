import { config } from "../../config";
import { useApi } from "../../useApi";
import type { Category } from "./types";

export const STATUSES = [
  { id: "draft", name: "Draft" },
  { id: "active", name: "Active" },
  { id: "archived", name: "Archived" },
];

/** The categories as select choices, by slug, named in English. */
export function useCategoryChoices(): { id: string; name: string }[] {
  const { data } = useApi<{ items: Category[] }>("/categories", { locale: "en" });
  return (data?.items ?? []).map((category) => ({ id: category.slug, name: `${category.name} (${category.slug})` }));
}

export function currencies(): string[] {
  return config().currencies;
}

export function locales(): string[] {
  return config().locales;
}

export function localeName(locale: string): string {
  return new Intl.DisplayNames(["en"], { type: "language" }).of(locale) ?? locale;
}
