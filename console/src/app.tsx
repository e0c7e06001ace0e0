/** The shell: a skip link, the menu the role allows, the language switch, and the pages. */
import { lazy, Suspense, useMemo } from "react";
import { Provider } from "urql";
import { Link, Redirect, Route, Switch, useLocation } from "wouter";
import { gatewayClient } from "./client";
import { useI18n } from "./i18n";
import { Dashboard } from "./pages/dashboard";
import { PartnershipList } from "./pages/partnerships";
import { PartnershipPage } from "./pages/partnership";
import { Entry } from "./pages/entry";
import { Journal } from "./pages/journal";
import { SignIn } from "./pages/sign-in";
import { can, useSession } from "./session";

// Charts load with their page: the first page ships without them.
const Statistics = lazy(() => import("./pages/statistics").then((module) => ({ default: module.Statistics })));

export function App() {
  const { t, language, setLanguage } = useI18n();
  const { session, signOut } = useSession();
  const [location] = useLocation();
  const client = useMemo(() => (session ? gatewayClient(session.token) : null), [session]);
  const current = (path: string) => (location === path ? "page" : undefined);
  return (
    <>
      <a className="skip" href="#main">
        {t.skip}
      </a>
      <header className="banner">
        <div>
          <span className="brand">{t.appName}</span> <span className="tagline">{t.tagline}</span>
        </div>
        <nav aria-label="Menu">
          {session && (
            <ul>
              <li>
                <Link href="/" aria-current={current("/")}>
                  {t.nav.dashboard}
                </Link>
              </li>
              <li>
                <Link href="/partenariats" aria-current={current("/partenariats")}>
                  {t.nav.partnerships}
                </Link>
              </li>
              {can(session, "analyst", "auditor") && (
                <li>
                  <Link href="/journal" aria-current={current("/journal")}>
                    {t.nav.journal}
                  </Link>
                </li>
              )}
              {can(session, "analyst") && (
                <li>
                  <Link href="/statistiques" aria-current={current("/statistiques")}>
                    {t.nav.statistics}
                  </Link>
                </li>
              )}
              {can(session, "editor") && (
                <li>
                  <Link href="/saisie" aria-current={current("/saisie")}>
                    {t.nav.entry}
                  </Link>
                </li>
              )}
            </ul>
          )}
        </nav>
        <div className="account">
          <button
            type="button"
            onClick={() => setLanguage(language === "fr" ? "en" : "fr")}
            aria-label={t.languageSwitch}
          >
            {t.language}
          </button>
          {session && (
            <>
              <span>
                {t.signedInAs} {session.roles.map((role) => t.roles[role] ?? role).join(", ")}
              </span>
              <button type="button" onClick={signOut}>
                {t.nav.signOut}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {session && client ? (
          <Provider value={client}>
            <Switch>
              <Route path="/" component={Dashboard} />
              <Route path="/partenariats" component={PartnershipList} />
              <Route path="/partenariats/:id">{(params) => <PartnershipPage id={params.id} />}</Route>
              {can(session, "analyst", "auditor") && <Route path="/journal" component={Journal} />}
              {can(session, "analyst") && (
                <Route path="/statistiques">
                  <Suspense fallback={<p role="status">{t.loading}</p>}>
                    <Statistics />
                  </Suspense>
                </Route>
              )}
              {can(session, "editor") && <Route path="/saisie" component={Entry} />}
              <Route path="/connexion">
                <Redirect to="/" />
              </Route>
              <Route>
                <Redirect to="/" />
              </Route>
            </Switch>
          </Provider>
        ) : (
          <SignIn />
        )}
      </main>
    </>
  );
}
