import {
  BooleanInput,
  Create,
  DateTimeInput,
  FormDataConsumer,
  NumberInput,
  SelectInput,
  SimpleForm,
  TextInput,
  required,
} from "react-admin";
import { config } from "../../config";
import { toMajorText, toMinor } from "../../money";
import { PageHeading } from "../kit/Panel";
import { KINDS } from "./types";

// Amounts are typed in the currency's major unit and kept as minor units; text that is not an amount goes
// to the API as typed, whose refusal then shows under the field.
const minor = (currency: string) => (text: string) => (text === "" ? undefined : (toMinor(text, currency) ?? text));
const major = (currency: string) => (value: unknown) => (typeof value === "number" ? toMajorText(value, currency) : (value ?? ""));
const instant = (value: string) => (value ? new Date(value).toISOString() : null);

function PerCurrency({ source, label }: { source: "amounts" | "min_subtotal"; label: string }) {
  return (
    <>
      {config().currencies.map((currency) => (
        <TextInput
          key={currency}
          source={`${source}.${currency}`}
          label={`${label} (${currency})`}
          parse={minor(currency)}
          format={major(currency)}
        />
      ))}
    </>
  );
}

/** A new promotion: a code shoppers type, or an automatic one with an id; what it gives and when. */
export function PromotionCreate() {
  return (
    <>
      <PageHeading>New promotion</PageHeading>
      <Create resource="promotions" title="New promotion" redirect="list">
        <SimpleForm defaultValues={{ kind: "percentage", starts_at: new Date().toISOString(), percent_bp: 1000 }}>
          <SelectInput source="kind" label="Kind" choices={KINDS} validate={required()} />
          <TextInput source="code" label="Code shoppers type" helperText="Or leave empty and give an id: automatic" />
          <TextInput source="id" label="Id of an automatic promotion" />
          <TextInput source="description" label="Description shown to shoppers" validate={required()} fullWidth />
          <FormDataConsumer<{ kind: string }>>
            {({ formData }) =>
              formData.kind === "percentage" ? (
                <NumberInput source="percent_bp" label="Percent off, in basis points (1000 is 10 %)" min={0} max={10000} />
              ) : formData.kind === "fixed_amount" ? (
                <PerCurrency source="amounts" label="Amount off" />
              ) : null
            }
          </FormDataConsumer>
          <PerCurrency source="min_subtotal" label="Minimum subtotal" />
          <DateTimeInput source="starts_at" label="Starts" parse={instant} validate={required()} />
          <DateTimeInput source="ends_at" label="Ends" parse={instant} />
          <NumberInput source="usage_limit" label="Uses in all" min={1} />
          <NumberInput source="per_customer_limit" label="Uses per customer" min={1} />
          <BooleanInput source="signed_in_only" label="Signed-in customers only" />
          <BooleanInput source="first_order_only" label="First order only" />
        </SimpleForm>
      </Create>
    </>
  );
}
