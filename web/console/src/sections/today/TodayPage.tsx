import { Placeholder } from "../../components/Placeholder";

export function TodayPage() {
  return <Placeholder title="Today" />;
}
