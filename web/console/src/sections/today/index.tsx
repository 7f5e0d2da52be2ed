import Icon from "@mui/icons-material/Today";
import type { Section } from "../../section";
import { TodayPage } from "./TodayPage";

/** The dashboard: what needs a person today. Its page is react-admin's dashboard, at "/". */
export const today: Section = {
  name: "today",
  label: "Today",
  permission: null,
  icon: Icon,
  to: "/",
  resources: [],
};

export { TodayPage };
