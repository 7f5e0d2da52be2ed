import { api, ApiError, query } from "./api";
import { prefs } from "./prefs";
import { session } from "./session";
import { Store } from "./store";
import type { Cart, ShippingRates } from "./types";

/** One cart at a time: a guest's, opened by its secret token (kept in this browser, so it survives a
 * reload), or the signed-in customer's own. */
const KEY = "storefront.cart";

interface GuestCart {
  id: string;
  token: string;
}

export const cart = new Store<Cart | null>(null);

function guest(): GuestCart | null {
  return JSON.parse(localStorage.getItem(KEY) ?? "null") as GuestCart | null;
}

function guestPath(suffix = ""): [string, Record<string, string>] {
  const saved = guest();
  if (!saved) throw new Error("no guest cart");
  return [`/carts/${saved.id}${suffix}`, { "X-Cart-Token": saved.token }];
}

async function call(suffix: string, method = "GET", body?: unknown): Promise<Cart> {
  const locale = query({ locale: prefs.value.locale });
  if (session.value) {
    const extra = method === "GET" && suffix === "" ? `&currency=${prefs.value.currency}` : "";
    return api<Cart>(`/me/cart${suffix}${locale}${extra}`, { method, body, signedIn: true });
  }
  const [path, headers] = guestPath(suffix);
  return api<Cart>(path + locale, { method, body, headers });
}

export async function loadCart(): Promise<Cart | null> {
  if (!session.value && !guest()) {
    cart.set(null);
    return null;
  }
  try {
    cart.set(await call(""));
  } catch (error) {
    if (!(error instanceof ApiError) || session.value) throw error;
    localStorage.removeItem(KEY); // expired or checked out: a new one comes with the next line
    cart.set(null);
  }
  return cart.value;
}

async function ensureGuestCart(): Promise<void> {
  if (session.value || guest()) return;
  const { currency, country } = prefs.value;
  const created = await api<Cart>("/carts", { method: "POST", body: { currency, country } });
  localStorage.setItem(KEY, JSON.stringify({ id: created.id, token: created.token }));
  cart.set(created);
}

async function changed(request: Promise<Cart>): Promise<Cart> {
  const next = await request;
  cart.set(next);
  return next;
}

export async function setLine(sku: string, quantity: number): Promise<Cart> {
  await ensureGuestCart();
  return changed(call(`/lines/${encodeURIComponent(sku)}`, "PUT", { quantity }));
}

export const removeLine = (sku: string): Promise<Cart> =>
  changed(call(`/lines/${encodeURIComponent(sku)}`, "DELETE"));
export const applyCode = (code: string): Promise<Cart> => changed(call("/discount-code", "POST", { code }));
export const removeCode = (): Promise<Cart> => changed(call("/discount-code", "DELETE"));
export const setDestination = (country: string, region?: string): Promise<Cart> =>
  changed(call("/destination", "PUT", { country, region: region || null }));

export async function shippingRates(country: string, postalCode?: string): Promise<ShippingRates> {
  const params = query({ country, postal_code: postalCode, locale: prefs.value.locale });
  if (session.value) return api<ShippingRates>(`/me/cart/shipping-rates${params}`, { signedIn: true });
  const [path, headers] = guestPath("/shipping-rates");
  return api<ShippingRates>(path + params, { headers });
}

/** A guest's contact for the cart (the marketing consent is asked here, before checkout). */
export function setContact(email: string, marketingConsent: boolean): Promise<Cart> {
  return call("/contact", "PUT", { email, marketing_consent: marketingConsent });
}

/** Signing in merges the guest cart into the customer's. */
export async function claimGuestCart(): Promise<void> {
  const saved = guest();
  if (saved && session.value) {
    try {
      cart.set(
        await api<Cart>(`/carts/${saved.id}/claim`, {
          method: "POST",
          headers: { "X-Cart-Token": saved.token },
          signedIn: true,
        }),
      );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
    localStorage.removeItem(KEY);
  }
  await loadCart();
}

export function guestCartHeaders(): Record<string, string> {
  return guestPath()[1];
}

/** After checkout the cart is the order's: the next line starts a new one. */
export function forgetCart(): void {
  localStorage.removeItem(KEY);
  cart.set(null);
}

export function lineCount(value: Cart | null): number {
  return (value?.lines ?? []).reduce((sum, line) => sum + line.quantity, 0);
}
