import { Typography } from "@mui/material";
import { Fragment } from "react";
import {
  ArrayInput,
  Create,
  SimpleForm,
  SimpleFormIterator,
  TextInput,
  required,
  useNotify,
  useRedirect,
  type RaRecord,
} from "react-admin";
import { currencies, localeName, locales } from "./choices";
import { translationsOf, variantBody } from "./forms";
import { ProductFields } from "./ProductFields";
import { VariantInputs } from "./VariantInputs";
import type { Translation, VariantForm } from "./types";

interface CreateValues {
  translations?: Record<string, Translation>;
  variants?: VariantForm[];
  [field: string]: unknown;
}

/** The API's body: translations with a name only, prices in minor units. */
function toBody(values: CreateValues) {
  return {
    ...values,
    translations: translationsOf(values.translations),
    variants: (values.variants ?? []).map((variant) => ({ sku: variant.sku, ...variantBody(variant, currencies()) })),
  };
}

export function ProductCreate() {
  const [first = "en", ...others] = locales();
  const notify = useNotify();
  const redirect = useRedirect();
  const created = (product: RaRecord) => {
    notify("Product created: now its stock, or more variants", { type: "success" });
    redirect("edit", "products", product.id);
  };
  return (
    <Create title="New product" transform={toBody} mutationOptions={{ onSuccess: created }}>
      <SimpleForm defaultValues={{ status: "draft", rank: 0, images: [], variants: [{ low_stock_threshold: 5 }] }}>
        <Typography variant="h5" component="h1">
          New product
        </Typography>
        <ProductFields />
        <Typography variant="h6" component="h2">
          Texts
        </Typography>
        <TextInput source={`translations.${first}.name`} label={`Name (${localeName(first)})`} validate={required()} />
        <TextInput source={`translations.${first}.description`} label={`Description (${localeName(first)})`} multiline />
        {others.map((locale) => (
          <Fragment key={locale}>
            <TextInput source={`translations.${locale}.name`} label={`Name (${localeName(locale)})`} />
            <TextInput
              source={`translations.${locale}.description`}
              label={`Description (${localeName(locale)})`}
              multiline
            />
          </Fragment>
        ))}
        <Typography variant="h6" component="h2">
          Variants
        </Typography>
        <ArrayInput source="variants" label={false}>
          <SimpleFormIterator disableReordering>
            <VariantInputs />
          </SimpleFormIterator>
        </ArrayInput>
      </SimpleForm>
    </Create>
  );
}

