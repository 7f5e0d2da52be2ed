import Icon from "@mui/icons-material/LocalOffer";
import { Placeholder } from "../../components/Placeholder";
import type { Section } from "../../section";

export const promotions: Section = {
  name: "promotions",
  label: "Promotions",
  permission: "marketing",
  icon: Icon,
  to: "/promotions",
  resources: [],
  routes: [{ path: "/promotions", element: <Placeholder title="Promotions" /> }],
};
