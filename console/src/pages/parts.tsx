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
