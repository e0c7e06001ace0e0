/** Small pieces every page uses: loading and error states that a screen reader announces. */
import type { CombinedError } from "urql";
import { useI18n } from "../i18n";

export function Loading({ busy }: { busy: boolean }) {
  const { t } = useI18n();
  return (
    <p role="status" aria-busy={busy}>
      {t.loading}
    </p>
  );
}

export function Failure({ error }: { error: CombinedError }) {
  const { t } = useI18n();
  const codes = error.graphQLErrors.map((e) => e.extensions?.code).filter(Boolean);
  return (
    <p role="alert" className="failure">
      {t.error}
      {codes.length > 0 ? ` (${codes.join(", ")})` : ""} : {error.graphQLErrors[0]?.message ?? error.message}
    </p>
  );
}

/** A labelled text input whose refusal is shown beside it and tied to it for screen readers. */
export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
}) {
  const errorId = `${props.id}-error`;
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        aria-invalid={Boolean(props.error)}
        aria-describedby={props.error ? errorId : undefined}
      />
      {props.error && (
        <p id={errorId} className="field-error" role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}
