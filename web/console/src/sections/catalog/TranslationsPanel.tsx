import { Box, Typography } from "@mui/material";
import { Form, SaveButton, TextInput, required, useNotify, useRecordContext, useRefresh } from "react-admin";
import { submitted } from "../../submitted";
import { useSend } from "../../useApi";
import { localeName, locales } from "./choices";
import type { Product, Translation } from "./types";

/** Name and description per language, each saved on its own (PUT .../translations/{locale}). */
export function TranslationsPanel() {
  const product = useRecordContext<Product>();
  if (!product) return null;
  return (
    <Box component="section" aria-labelledby="translations-heading" sx={{ p: 2 }}>
      <Typography id="translations-heading" variant="h6" component="h2">
        Texts
      </Typography>
      {locales().map((locale) => (
        <TranslationForm key={`${locale}:${JSON.stringify(product.translations[locale])}`} product={product} locale={locale} />
      ))}
    </Box>
  );
}

function TranslationForm({ product, locale }: { product: Product; locale: string }) {
  const send = useSend();
  const notify = useNotify();
  const refresh = useRefresh();
  const language = localeName(locale);
  const save = (values: Record<string, unknown>) =>
    submitted(
      () => send("PUT", `/admin/products/${encodeURIComponent(product.id)}/translations/${locale}`, values as unknown as Translation),
      () => {
        notify(`${language} text saved`, { type: "success" });
        refresh();
      },
    );
  return (
    <Form record={product.translations[locale] ?? { name: "", description: "" }} onSubmit={save}>
      <Box sx={{ display: "flex", gap: 2, alignItems: "flex-start", flexWrap: "wrap" }}>
        <TextInput source="name" label={`Name (${language})`} validate={required()} />
        <TextInput source="description" label={`Description (${language})`} multiline sx={{ minWidth: 360 }} />
        <SaveButton label={`Save ${language}`} alwaysEnable />
      </Box>
    </Form>
  );
}
