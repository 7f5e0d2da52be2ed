import { Box, Typography } from "@mui/material";
import { Button, Form, SaveButton, useNotify, useRecordContext, useRefresh } from "react-admin";
import { submitted } from "../../submitted";
import { useSend } from "../../useApi";
import { currencies } from "./choices";
import { variantBody, variantForm } from "./forms";
import type { Product, Variant, VariantForm } from "./types";
import { VariantInputs } from "./VariantInputs";

/** Each variant with its prices, saved on its own (PUT .../variants/{sku}); a form to add one more. */
export function VariantsPanel() {
  const product = useRecordContext<Product>();
  if (!product) return null;
  return (
    <Box component="section" aria-labelledby="variants-heading" sx={{ p: 2 }}>
      <Typography id="variants-heading" variant="h6" component="h2">
        Variants and prices
      </Typography>
      {product.variants.map((variant) => (
        <VariantEditor key={`${variant.sku}:${JSON.stringify(variant)}`} product={product} variant={variant} />
      ))}
      <Typography variant="subtitle1" component="h3" sx={{ mt: 2 }}>
        Add a variant
      </Typography>
      <VariantEditor key={`new:${product.variants.length}`} product={product} />
    </Box>
  );
}

function VariantEditor({ product, variant }: { product: Product; variant?: Variant }) {
  const send = useSend();
  const notify = useNotify();
  const refresh = useRefresh();
  const base = `/admin/products/${encodeURIComponent(product.id)}/variants`;
  const done = (message: string) => () => {
    notify(message, { type: "success" });
    refresh();
  };
  const save = (values: Record<string, unknown>) => {
    const form = values as unknown as VariantForm;
    return submitted(
      () => send("PUT", `${base}/${encodeURIComponent(form.sku)}`, variantBody(form, currencies())),
      done(`${form.sku} saved`),
    );
  };
  const remove = () =>
    submitted(() => send("DELETE", `${base}/${encodeURIComponent(variant!.sku)}`), done(`${variant!.sku} removed`)).then(
      (errors) => errors && notify(String((errors.root as { serverError?: string })?.serverError), { type: "error" }),
    );
  return (
    <Form record={variant ? variantForm(variant) : { low_stock_threshold: 5 }} onSubmit={save}>
      <Box
        component="section"
        aria-label={variant ? `Variant ${variant.sku}` : "New variant"}
        sx={{ display: "flex", gap: 1, alignItems: "center", flexWrap: "wrap", borderBottom: 1, borderColor: "divider", py: 1 }}
      >
        <VariantInputs skuFixed={Boolean(variant)} />
        <SaveButton label={variant ? `Save ${variant.sku}` : "Add variant"} alwaysEnable />
        {variant && <Button label={`Remove ${variant.sku}`} color="error" onClick={() => void remove()} />}
      </Box>
    </Form>
  );
}
