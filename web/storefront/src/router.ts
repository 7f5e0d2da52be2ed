import { useEffect, useState } from "preact/hooks";

/** A few lines of history-API routing: paths are patterns like "/p/:id". */
export interface Route {
  path: string;
  params: Record<string, string>;
  search: URLSearchParams;
}

type Listener = () => void;
const listeners = new Set<Listener>();

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  listeners.forEach((listener) => listener());
  window.scrollTo(0, 0);
}

addEventListener("popstate", () => listeners.forEach((listener) => listener()));

/** Links inside the app are followed without a page load. */
export function onLinkClick(event: MouseEvent): void {
  const anchor = (event.target as Element | null)?.closest?.("a");
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
  const href = anchor.getAttribute("href");
  if (!href || !href.startsWith("/") || anchor.target || anchor.hasAttribute("download")) return;
  event.preventDefault();
  navigate(href);
}

export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i] ?? "";
    const value = got[i] ?? "";
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return null;
  }
  return params;
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const read = () => ({ path: location.pathname, search: new URLSearchParams(location.search) });
  const [where, setWhere] = useState(read);
  useEffect(() => {
    const listener = () => setWhere(read());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return where;
}
