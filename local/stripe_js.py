"""localstripe's Stripe.js, made to pay as Stripe.js does: `confirmCardPayment(clientSecret, {payment_method:
{card}})` sends the card element's data to Stripe, which confirms the PaymentIntent, and opens the 3-D Secure
dialog only when the card asks for it. localstripe's own copy only opens the dialog, and confirms nothing.

Installed into localstripe's application by local/stripe_process.py: a route that confirms an intent with a
card (checked by the intent's client secret, as Stripe checks it with the publishable key), and the script
served with that confirmation and labelled card inputs. The storefront's code stays the production code."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

SCRIPT_PATH = "/js.stripe.com/v3/"
# Under the script's path: localstripe lets it through without a secret key, as Stripe.js's calls are.
CONFIRM_PATH = SCRIPT_PATH + "confirm_card_payment/{id}"

BROWSER_CONFIRMATION = """
(function () {
  const LABELS = {number: 'Card number', exp_month: 'Expiry month (MM)', exp_year: 'Expiry year (YY)',
                  cvc: 'Security code (CVC)', postal_code: 'Postal code'};
  const localStripe = Stripe;
  Stripe = (apiKey, options) => {
    const stripe = localStripe(apiKey, options);
    const elements = stripe.elements;
    stripe.elements = (...args) => {
      const made = elements(...args);
      const create = made.create.bind(made);
      made.create = (type, createOptions) => {
        const element = create(type, createOptions);
        const mount = element.mount.bind(element);
        element.mount = (target) => {
          mount(target);
          Object.entries(element._inputs || {}).forEach(([name, input]) => {
            input.setAttribute('aria-label', LABELS[name] || name);
            input.setAttribute('inputmode', 'numeric');
          });
        };
        return element;
      };
      return made;
    };
    const authenticate = stripe.confirmCardPayment;
    stripe.confirmCardPayment = async (clientSecret, data) => {
      const element = data && data.payment_method && data.payment_method.card;
      const intent = clientSecret.match(/^(pi_\\w+)_secret_/)[1];
      if (element && element.value) {
        const response = await fetch(
          `${LOCALSTRIPE_BASE_API}/js.stripe.com/v3/confirm_card_payment/${intent}`,
          {method: 'POST', body: JSON.stringify({client_secret: clientSecret, card: element.value.card})});
        const body = await response.json().catch(() => ({error: {message: 'localstripe did not answer'}}));
        if (body.error) return {error: body.error};
        if (body.status !== 'requires_action') return {paymentIntent: body};
      }
      const result = await authenticate(clientSecret, data);
      if (result.paymentIntent && result.paymentIntent.status === 'requires_payment_method') {
        return {error: {type: 'card_error', code: 'payment_intent_authentication_failure',
                        message: 'We are unable to authenticate your payment method.'}};
      }
      return result;
    };
    return stripe;
  };
})();
"""


def install(app: web.Application, resources: Any, errors: Any, original_script: str) -> None:
    """Adds the confirmation route and serves the script with it (before localstripe's own route)."""

    async def confirm_card_payment(request: web.Request) -> web.Response:
        data = json.loads(await request.text() or "{}")
        try:
            intent = resources.PaymentIntent._api_retrieve(request.match_info["id"])
            if data.get("client_secret") != intent.client_secret:
                raise errors.UserError(401, "Unauthorized")
            if intent.status not in ("requires_payment_method", "requires_confirmation"):
                raise errors.UserError(400, f"This PaymentIntent's status is {intent.status}")
            card = {
                name: data.get("card", {}).get(name) for name in ("number", "exp_month", "exp_year", "cvc")
            }
            method = resources.PaymentMethod._api_create(type="card", card=card)
            # Another card after a decline is a new attempt on the same intent, as at Stripe.
            intent.payment_method, intent.latest_charge, intent.next_action = method.id, None, None
            intent._authentication_failed = False
            intent._confirm(on_failure_now=intent._report_failure)
        except errors.UserError as refused:
            if refused.code == 402:
                refused.body["error"]["type"] = "card_error"
            return web.json_response(refused.body, status=refused.code)
        return web.json_response(intent._export())

    @web.middleware
    async def script(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.method == "GET" and request.path == SCRIPT_PATH:
            return web.Response(
                text=original_script + BROWSER_CONFIRMATION, content_type="application/javascript"
            )
        return await handler(request)  # type: ignore[no-any-return]

    app.router.add_post(CONFIRM_PATH, confirm_card_payment)
    app.middlewares.append(script)
