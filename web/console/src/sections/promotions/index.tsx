import Icon from "@mui/icons-material/LocalOffer";
import type { Section } from "../../section";
import { PromotionCreate } from "./PromotionCreate";
import { PromotionList } from "./PromotionList";

/** Promotions: each with its usage so far; create, pause, resume. */
export const promotions: Section = {
  name: "promotions",
  label: "Promotions",
  permission: "marketing",
  icon: Icon,
  to: "/promotions",
  resources: [{ name: "promotions", path: "/admin/promotions", label: "Promotions", list: PromotionList, create: PromotionCreate }],
};
