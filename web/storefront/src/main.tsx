import { render, type JSX } from "preact";
import { useEffect } from "preact/hooks";
import { loadCart } from "./cart";
import { Header } from "./components/header";
import { loadConfig } from "./config";
import { t } from "./i18n";
import { AccountPage } from "./pages/account";
import { AuthCallback } from "./pages/auth_callback";
import { CartPage } from "./pages/cart";
import { CheckoutPage } from "./pages/checkout";
import { HomePage } from "./pages/home";
import { ListingPage } from "./pages/listing";
import { OrderPage } from "./pages/order";
import { ProductPage } from "./pages/product";
import { initialPrefs, prefs } from "./prefs";
import { match, onLinkClick, useLocation, type Route } from "./router";
import { useStore } from "./store";

const ROUTES: [string, (route: Route) => JSX.Element][] = [
  ["/", () => <HomePage />],
  ["/c/:slug", (r) => <ListingPage category={r.params.slug} cursor={r.search.get("cursor")} />],
  ["/search", (r) => <ListingPage q={r.search.get("q") ?? ""} cursor={r.search.get("cursor")} />],
  ["/p/:id", (r) => <ProductPage id={r.params.id ?? ""} />],
  ["/cart", () => <CartPage />],
  ["/checkout", () => <CheckoutPage />],
  ["/orders/:id", (r) => <OrderPage id={r.params.id ?? ""} token={r.search.get("token")} />],
  ["/account", () => <AccountPage />],
  ["/auth/callback", (r) => <AuthCallback search={r.search} />],
];

function App(): JSX.Element {
  const { locale, currency, country } = useStore(prefs);
  const { path, search } = useLocation();
  useEffect(() => {
    void loadCart();
  }, []);
  let page: JSX.Element = (
    <h1 tabIndex={-1}>{t("notFound")}</h1>
  );
  for (const [pattern, view] of ROUTES) {
    const params = match(pattern, path);
    if (params) {
      page = view({ path, params, search });
      break;
    }
  }
  return (
    <div onClick={onLinkClick}>
      <Header />
      <main id="main" key={`${locale}-${currency}-${country}`}>
        {page}
      </main>
      <footer class="site-footer">
        <p>{t("footer")}</p>
      </footer>
    </div>
  );
}

async function start(): Promise<void> {
  await loadConfig();
  initialPrefs();
  render(<App />, document.getElementById("app")!);
}

void start();
