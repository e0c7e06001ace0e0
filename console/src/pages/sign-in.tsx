/**
 * Sign-in: the hospital's sign-on when the gateway names a provider (OpenID Connect, console/src/sign-on.ts);
 * under `npm start`, a role picker with its development tokens (listed to loopback clients only); and always an
 * access token pasted, for whoever holds one.
 */
import { useEffect, useState, type FormEvent } from "react";
import { useLocation } from "wouter";
import { useI18n } from "../i18n";
import { useSession } from "../session";
import { CALLBACK_PATH, finishSignOn, startSignOn, type SignOnConfig } from "../sign-on";

async function json<T>(path: string, fallback: T): Promise<T> {
  try {
    const answer = await fetch(path);
    return answer.ok ? ((await answer.json()) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function SignIn() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [location, navigate] = useLocation();
  const [tokens, setTokens] = useState<Record<string, string>>({});
  const [signOn, setSignOn] = useState<SignOnConfig | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [pasted, setPasted] = useState("");
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    void json<Record<string, string>>("/console/dev-tokens", {}).then(setTokens);
    void json<{ signOn: SignOnConfig | null }>("/console/config", { signOn: null }).then((config) => {
      setSignOn(config.signOn);
      // Back from the provider: finish here, then go to the dashboard.
      if (config.signOn && location === CALLBACK_PATH) {
        finishSignOn(config.signOn, new URL(window.location.href)).then(
          (token) => {
            signIn(token);
            navigate("/", { replace: true });
          },
          (error: unknown) => setFailure(error instanceof Error ? error.message : String(error)),
        );
      }
    });
    // Once, on arrival.
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setInvalid(!signIn(pasted));
  };
  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t.signIn.title}</h1>
      {failure && (
        <p role="alert" className="failure">
          {t.signIn.failed} {failure}
        </p>
      )}
      {signOn && (
        <p>
          <button
            type="button"
            className="primary"
            onClick={() => startSignOn(signOn).catch((error: unknown) => setFailure(String(error)))}
          >
            {t.signIn.signOn}
          </button>
        </p>
      )}
      <p>{signOn ? t.signIn.introOr : t.signIn.intro}</p>
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
