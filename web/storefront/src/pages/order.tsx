import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { TotalsTable } from "../components/totals";
import { Alert, Loading, Page, Price } from "../components/ui";
import { t, type TextKey } from "../i18n";
import { session } from "../session";
import type { Order } from "../types";

const POLL_MS = 1000;
const POLL_FOR_MS = 120_000;
const CANCELLABLE = new Set(["paid", "fulfilling"]);

/** The order a guest opens with its link (the order token), or a signed-in customer's own. */
function orderCall(id: string, token: string | null, suffix = ""): [string, { headers?: Record<string, string>; signedIn?: boolean }] {
  if (token) return [`/orders/${encodeURIComponent(id)}${suffix}`, { headers: { "X-Order-Token": token } }];
  return [`/me/orders/${encodeURIComponent(id)}${suffix}`, { signedIn: true }];
}

export function statusText(status: string): string {
  return t(`status_${status}` as TextKey);
}

/** Follows a new order until its payment is known, then shows where it stands. */
export function OrderPage({ id, token }: { id: string; token: string | null }): JSX.Element {
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    let stopped = false;
    const started = Date.now();
    const [path, options] = orderCall(id, token);
    const follow = async () => {
      try {
        const found = await api<Order>(path, options);
        if (stopped) return;
        setOrder(found);
        if (found.status === "pending_payment" && Date.now() - started < POLL_FOR_MS) setTimeout(() => void follow(), POLL_MS);
      } catch (failure) {
        setError((failure as Error).message);
      }
    };
    void follow();
    return () => {
      stopped = true;
    };
  }, [id, token]);
  if (!order) return error ? <Alert>{error}</Alert> : <Loading />;
  return (
    <Page title={t("orderTitle", { id: order.id })}>
      <p class="order-status" role="status">
        {t("status")}: <strong data-status={order.status}>{statusText(order.status)}</strong>
      </p>
      {order.status === "pending_payment" ? <p>{t("waitingForPayment")}</p> : null}
      {order.status === "on_hold" ? <Alert tone="info">{t("onHoldHelp", { id: order.id })}</Alert> : null}
      {order.status === "cancelled" && order.cancel_reason ? <p>{t("cancelReason", { reason: order.cancel_reason })}</p> : null}
      {token ? <p class="keep-link">{t("keepLink")}</p> : null}
      <table class="lines">
        <caption class="visually-hidden">{t("orderLines")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("product")}</th>
            <th scope="col">{t("quantity")}</th>
            <th scope="col">{t("lineTotal")}</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line) => (
            <tr key={line.sku}>
              <td>{line.name}</td>
              <td>{line.quantity}</td>
              <td><Price money={line.line_total} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <TotalsTable totals={order.totals} />
      <AfterSales order={order} token={token} onChange={setOrder} />
    </Page>
  );
}

function AfterSales({ order, token, onChange }: { order: Order; token: string | null; onChange: (order: Order) => void }): JSX.Element | null {
  const [message, setMessage] = useState<{ text: string; tone: "error" | "info" } | null>(null);
  const [reason, setReason] = useState("");
  if (!token && !session.value) return null;
  const cancel = async () => {
    if (!confirm(t("cancelConfirm"))) return;
    const [path, options] = orderCall(order.id, token, "/cancel");
    try {
      onChange(await api<Order>(path, { ...options, method: "POST" }));
      setMessage({ text: t("cancelled"), tone: "info" });
    } catch (failure) {
      setMessage({ text: (failure as Error).message, tone: "error" });
    }
  };
  const requestReturn = async (event: Event) => {
    event.preventDefault();
    const [path, options] = orderCall(order.id, token, "/returns");
    const lines = order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity }));
    try {
      await api(path, { ...options, method: "POST", body: { lines, reason: reason || "unwanted" } });
      setMessage({ text: t("returnRequested"), tone: "info" });
    } catch (failure) {
      setMessage({ text: (failure as Error).message, tone: "error" });
    }
  };
  return (
    <section class="after-sales">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {CANCELLABLE.has(order.status) ? (
        <button type="button" onClick={() => void cancel()}>
          {t("cancelOrder")}
        </button>
      ) : null}
      {order.status === "delivered" ? (
        <form onSubmit={(e) => void requestReturn(e)} class="inline">
          <div class="field">
            <label for="return-reason">{t("returnReason")}</label>
            <input id="return-reason" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
          </div>
          <button type="submit">{t("requestReturn")}</button>
        </form>
      ) : null}
    </section>
  );
}
