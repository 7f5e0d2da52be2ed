import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { finishSignIn } from "../auth";
import { claimGuestCart } from "../cart";
import { Alert, Loading } from "../components/ui";
import { t } from "../i18n";
import { navigate } from "../router";

/** Back from the sign-in page: the code becomes tokens, and the guest cart becomes the customer's. */
export function AuthCallback({ search }: { search: URLSearchParams }): JSX.Element {
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    finishSignIn(search)
      .then(async (returnTo) => {
        await claimGuestCart();
        navigate(returnTo, true);
      })
      .catch(() => setFailed(true));
  }, []);
  return failed ? <Alert>{t("signInFailed")}</Alert> : <Loading />;
}
