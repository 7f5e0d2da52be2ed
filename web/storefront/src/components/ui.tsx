import type { ComponentChildren, JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { formatMoney, type Money } from "../money";
import { prefs } from "../prefs";
import { taxAdded } from "../regions";
import { t } from "../i18n";

export function Price({ money }: { money: Money }): JSX.Element {
  return <span class="price">{formatMoney(money, prefs.value.locale)}</span>;
}

/** Prices include tax where the region expects it (EU, UK, Japan); US and Canadian ones do not. */
export function TaxNote(): JSX.Element {
  const country = prefs.value.country;
  return <span class="tax-note">{taxAdded(country) ? t("taxAdded") : country === "JP" ? t("taxIncludedJp") : t("taxIncluded")}</span>;
}

/** A page's heading takes the focus when the page changes, so screen readers announce it. */
export function Page({ title, children }: { title: string; children?: ComponentChildren }): JSX.Element {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t("shopName")}`;
    heading.current?.focus();
  }, [title]);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {children}
    </>
  );
}

interface FieldProps {
  name: string;
  label: string;
  value: string;
  error?: string;
  type?: "text" | "email" | "tel";
  required?: boolean;
  autocomplete?: string;
  onInput: (value: string) => void;
}

/** A labelled input with the API's message for it right beneath, tied to it for screen readers. */
export function Field({ name, label, value, error, type = "text", required, autocomplete, onInput }: FieldProps): JSX.Element {
  const id = `field-${name.replace(/\./g, "-")}`;
  return (
    <div class={error ? "field invalid" : "field"}>
      <span class="label-row">
        <label for={id}>{label}</label>
        {required ? (
          <span class="required" aria-hidden="true">
            {" "}
            *
          </span>
        ) : null}
      </span>
      <input
        id={id}
        name={name}
        type={type as "text"}
        value={value}
        required={required}
        autoComplete={autocomplete}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(event) => onInput((event.target as HTMLInputElement).value)}
      />
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function Alert({ children, tone = "error" }: { children: ComponentChildren; tone?: "error" | "info" }): JSX.Element {
  return (
    <div class={`alert ${tone}`} role={tone === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

export function Loading(): JSX.Element {
  return (
    <p class="loading" role="status">
      {t("loading")}
    </p>
  );
}

/** Product pictures come from the merchant's image host; a placeholder shows the name if one fails. */
export function ProductImage({ src, alt }: { src: string | undefined; alt: string }): JSX.Element {
  const failed = (event: Event) => {
    const img = event.target as HTMLImageElement;
    img.replaceWith(Object.assign(document.createElement("div"), { className: "image-placeholder", textContent: alt }));
  };
  if (!src) return <div class="image-placeholder">{alt}</div>;
  return <img src={src} alt={alt} loading="lazy" onError={failed} />;
}
