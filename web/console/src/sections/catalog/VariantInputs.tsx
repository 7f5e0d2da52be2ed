import { Box } from "@mui/material";
import { NumberInput, TextInput, minValue, regex, required } from "react-admin";
import { currencies } from "./choices";
import { validPrice } from "./forms";

const SKU = regex(/^[A-Z0-9][A-Z0-9-]{1,63}$/, "Capitals, digits and hyphens, such as LINEN-SHIRT-M");

/** One variant's fields: SKU, attributes, low-stock threshold and a price per currency (in major units, as
 * a person types them; the form's transform makes minor units). `prefix` is the variant's path in the form. */
export function VariantInputs({ prefix = "", skuFixed = false }: { prefix?: string; skuFixed?: boolean }) {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  return (
    <Box sx={{ display: "flex", flexWrap: "wrap", gap: 2, alignItems: "flex-start" }}>
      <TextInput source={at("sku")} label="SKU" validate={[required(), SKU]} disabled={skuFixed} fullWidth={false} />
      <TextInput source={at("attributes")} label="Attributes" helperText="Such as size=M, colour=navy" fullWidth={false} />
      <NumberInput
        source={at("low_stock_threshold")}
        label="Low stock below"
        validate={minValue(0)}
        fullWidth={false}
        sx={{ width: 140 }}
      />
      {currencies().map((currency) => (
        <TextInput
          key={currency}
          source={at(`price.${currency}`)}
          label={`Price ${currency}`}
          validate={validPrice(currency)}
          fullWidth={false}
          sx={{ width: 140 }}
        />
      ))}
    </Box>
  );
}
