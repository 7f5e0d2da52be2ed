import {
  NumberInput,
  SelectInput,
  TextArrayInput,
  TextInput,
  regex,
  required,
  useRecordContext,
} from "react-admin";
import { STATUSES, useCategoryChoices } from "./choices";
import type { Product } from "./types";

const SLUG = regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Lower-case words joined by hyphens, such as linen-shirt");

/** What a product has besides its texts and variants: in the create form and the edit form alike. */
export function ProductFields() {
  const categories = useCategoryChoices();
  const archived = useRecordContext<Product>()?.status === "archived";
  return (
    <>
      <TextInput source="slug" validate={[required(), SLUG]} helperText="The product's address in the shop" />
      <SelectInput source="category" choices={categories} validate={required()} />
      <SelectInput
        source="status"
        choices={archived ? STATUSES : STATUSES.filter((status) => status.id !== "archived")}
        disabled={archived}
        helperText={archived ? "Archived: no longer sold" : "Draft products are not shown in the shop"}
      />
      <NumberInput source="rank" helperText="Order in listings; lower comes first" />
      <TextArrayInput source="images" label="Image URLs" helperText="Each an https:// address; press Enter after each" />
    </>
  );
}
