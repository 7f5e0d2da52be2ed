import { config } from "./config";

/** The little of Stripe.js the storefront uses: a card element, and confirmCardPayment. Card data stays in
 * Stripe's element, never in our code (PCI DSS SAQ-A). */
export interface CardElement {
  mount(target: string | HTMLElement): void;
  destroy(): void;
}

export interface PaymentResult {
  error?: { message?: string; code?: string; decline_code?: string };
  paymentIntent?: { id: string; status: string };
}

export interface StripeJs {
  elements(): { create(type: "card", options?: Record<string, unknown>): CardElement };
  confirmCardPayment(
    clientSecret: string,
    data: { payment_method: { card: CardElement; billing_details?: Record<string, unknown> } },
  ): Promise<PaymentResult>;
}

declare global {
  interface Window {
    Stripe?: (key: string, options?: Record<string, unknown>) => StripeJs;
  }
}

let loading: Promise<StripeJs> | null = null;

/** Stripe.js from Stripe (or, locally, the copy localstripe serves), loaded once, on the payment step. */
export function loadStripe(locale: string): Promise<StripeJs> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = config().stripe.jsUrl;
    script.onload = () => (window.Stripe ? resolve(window.Stripe(config().stripe.publishableKey, { locale })) : reject(new Error("Stripe.js")));
    script.onerror = () => {
      loading = null;
      reject(new Error("Stripe.js could not be loaded"));
    };
    document.head.appendChild(script);
  });
  return loading;
}
