import { useState } from "react";
import { Button, Confirm, useNotify, useRecordContext, useRefresh } from "react-admin";
import { useSend } from "../../useApi";
import { productName } from "./productName";
import type { Product } from "./types";

/** Archive: the product leaves the shop for good (its orders keep it). Asks first. */
export function ArchiveButton() {
  const product = useRecordContext<Product>();
  const send = useSend();
  const notify = useNotify();
  const refresh = useRefresh();
  const [asking, setAsking] = useState(false);
  if (!product || product.status === "archived") return null;
  async function archive() {
    setAsking(false);
    try {
      await send("POST", `/admin/products/${encodeURIComponent(product!.id)}/archive`);
      notify(`${productName(product)} is archived`, { type: "success" });
      refresh();
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
    }
  }
  return (
    <>
      <Button label="Archive" color="error" onClick={() => setAsking(true)} />
      <Confirm
        isOpen={asking}
        title={`Archive ${productName(product)}?`}
        content="It leaves the shop and cannot be sold again; past orders keep it."
        confirm="Archive"
        onConfirm={archive}
        onClose={() => setAsking(false)}
      />
    </>
  );
}
