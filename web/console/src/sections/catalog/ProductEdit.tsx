import { Divider } from "@mui/material";
import { Edit, SaveButton, SimpleForm, Toolbar, TopToolbar, useRecordContext } from "react-admin";
import { ArchiveButton } from "./ArchiveButton";
import { ProductFields } from "./ProductFields";
import { productName } from "./productName";
import { TranslationsPanel } from "./TranslationsPanel";
import type { Product } from "./types";
import { VariantsPanel } from "./VariantsPanel";

function ProductTitle() {
  return <>{productName(useRecordContext<Product>())}</>;
}

/** The product's own fields (PATCH of what changed), then its texts and its variants, each saved apart. */
export function ProductEdit() {
  return (
    <Edit
      title={<ProductTitle />}
      mutationMode="pessimistic"
      redirect={false}
      actions={
        <TopToolbar>
          <ArchiveButton />
        </TopToolbar>
      }
    >
      <SimpleForm
        toolbar={
          <Toolbar>
            <SaveButton label="Save product" />
          </Toolbar>
        }
      >
        <ProductFields />
      </SimpleForm>
      <Divider />
      <TranslationsPanel />
      <Divider />
      <VariantsPanel />
    </Edit>
  );
}
