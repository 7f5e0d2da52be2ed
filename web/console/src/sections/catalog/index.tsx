import Icon from "@mui/icons-material/Inventory2";
import type { Section } from "../../section";
import { CategoriesPage } from "./CategoriesPage";
import { ProductCreate } from "./ProductCreate";
import { ProductEdit } from "./ProductEdit";
import { ProductList } from "./ProductList";

/** Products (search, create, edit: texts, variants, prices per currency, images; archive) and categories. */
export const catalog: Section = {
  name: "catalog",
  label: "Catalog",
  permission: "catalog",
  icon: Icon,
  to: "/products",
  resources: [
    { name: "products", path: "/admin/products", label: "Products", list: ProductList, create: ProductCreate, edit: ProductEdit },
  ],
  routes: [{ path: "/categories", element: <CategoriesPage /> }],
};
