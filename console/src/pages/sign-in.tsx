/**
 * Sign-in: under `npm start`, a role picker with its development tokens (the gateway lists them to loopback
 * clients only); otherwise an access token pasted (the hospital's sign-on comes with the identity work).
 */
import { useEffect, useState, type FormEvent } from "react";
import { useI18n } from "../i18n";
import { useSession } from "../session";

export function SignIn() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [tokens, setTokens] = useState<Record<string, string>>({});
  const [pasted, setPasted] = useState("");
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    fetch("/console/dev-tokens")
      .then((answer) => (answer.ok ? (answer.json() as Promise<Record<string, string>>) : {}))
      .then(setTokens, () => setTokens({}));
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setInvalid(!signIn(pasted));
  };
  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t.signIn.title}</h1>
      <p>{t.signIn.intro}</p>
      {Object.keys(tokens).length > 0 && (
        <ul className="roles">
          {Object.entries(tokens).map(([role, token]) => (
            <li key={role}>
              <button type="button" onClick={() => signIn(token)}>
                {t.signIn.asRole} {t.roles[role] ?? role}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit}>
        <label htmlFor="token">{t.signIn.token}</label>
        <textarea
          id="token"
          rows={3}
          value={pasted}
          onChange={(event) => setPasted(event.target.value)}
          aria-invalid={invalid}
          aria-describedby={invalid ? "token-error" : undefined}
        />
        {invalid && (
          <p id="token-error" className="field-error">
            {t.signIn.invalid}
          </p>
        )}
        <button type="submit">{t.signIn.submit}</button>
      </form>
    </section>
  );
}
