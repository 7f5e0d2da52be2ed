import { HttpError } from "react-admin";

/** A form's onSubmit outcome for react-admin's <Form>: nothing on success, the API's errors by field on a
 * refusal (shown under each field, the detail as the form's error). */
export async function submitted(action: () => Promise<unknown>, onDone: () => void): Promise<Record<string, unknown> | undefined> {
  try {
    await action();
    onDone();
    return undefined;
  } catch (error) {
    if (error instanceof HttpError && error.body?.errors) return error.body.errors as Record<string, unknown>;
    return { root: { serverError: error instanceof Error ? error.message : String(error) } };
  }
}
