import { Box, Typography } from "@mui/material";
import { useQueries, useQueryClient } from "@tanstack/react-query";
import { Form, SaveButton, SelectInput, TextInput, regex, required, useNotify } from "react-admin";
import { Page } from "../../components/Page";
import { submitted } from "../../submitted";
import { useSend } from "../../useApi";
import { localeName, locales } from "./choices";
import type { Category } from "./types";

const SLUG = regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Lower-case words joined by hyphens");

/** The categories' names per language, by slug (one `GET /categories` per language). */
function useCategories(): { slug: string; parent: string | null; names: Record<string, string> }[] {
  const send = useSend();
  const answers = useQueries({
    queries: locales().map((locale) => ({
      queryKey: ["api", "/categories", { locale }],
      queryFn: () => send<{ items: Category[] }>("GET", "/categories", undefined, { locale }),
    })),
  });
  const first = answers[0]?.data?.items ?? [];
  return first.map((category) => ({
    slug: category.slug,
    parent: category.parent,
    names: Object.fromEntries(
      locales().map((locale, index) => [locale, answers[index]?.data?.items.find((c) => c.slug === category.slug)?.name ?? ""]),
    ),
  }));
}

/** Categories: create one (slug, a name per language, a parent), rename one. */
export function CategoriesPage() {
  const categories = useCategories();
  const send = useSend();
  const notify = useNotify();
  const queries = useQueryClient();
  const saved = (message: string) => () => {
    notify(message, { type: "success" });
    void queries.invalidateQueries({ queryKey: ["api", "/categories"] });
  };
  const create = (values: Record<string, unknown>) =>
    submitted(() => send("POST", "/admin/categories", { ...values, parent: values.parent || null }), saved(`Category ${String(values.slug)} created`));
  return (
    <Page title="Categories">
        {categories.map((category) => (
          <Form
            key={`${category.slug}:${JSON.stringify(category.names)}`}
            record={{ names: category.names }}
            onSubmit={(values: Record<string, unknown>) =>
              submitted(() => send("PUT", `/admin/categories/${category.slug}`, values), saved(`${category.slug} renamed`))
            }
          >
            <Box sx={{ display: "flex", gap: 2, alignItems: "center", flexWrap: "wrap" }}>
              <Typography sx={{ width: 200 }}>
                {category.slug}
                {category.parent ? ` (in ${category.parent})` : ""}
              </Typography>
              {locales().map((locale) => (
                <TextInput
                  key={locale}
                  source={`names.${locale}`}
                  label={`${category.slug}: name (${localeName(locale)})`}
                  validate={required()}
                  fullWidth={false}
                />
              ))}
              <SaveButton label={`Rename ${category.slug}`} alwaysEnable />
            </Box>
          </Form>
        ))}
        <Typography variant="h6" component="h2" sx={{ mt: 3 }}>
          New category
        </Typography>
        <Form onSubmit={create}>
          <Box sx={{ display: "flex", gap: 2, alignItems: "center", flexWrap: "wrap" }}>
            <TextInput source="slug" validate={[required(), SLUG]} fullWidth={false} />
            {locales().map((locale) => (
              <TextInput key={locale} source={`names.${locale}`} label={`Name (${localeName(locale)})`} fullWidth={false} />
            ))}
            <SelectInput
              source="parent"
              choices={categories.map((category) => ({ id: category.slug, name: category.slug }))}
              emptyText="None"
              fullWidth={false}
            />
            <SaveButton label="Create category" alwaysEnable />
          </Box>
        </Form>
    </Page>
  );
}
