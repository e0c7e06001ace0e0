/**
 * Who is signed in: a bearer token kept for this tab (sessionStorage: gone when the tab closes), and the roles
 * it carries, read from its payload for the menus only — every answer is still the gateway's decision.
 */
import { createContext, useContext, useState, type ReactNode } from "react";

export interface Session {
  readonly token: string;
  readonly subject: string;
  readonly roles: readonly string[];
}

const KEY = "passerelle.token";

export function sessionOf(token: string): Session | null {
  try {
    const payload = JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as {
      sub?: string;
      roles?: unknown;
    };
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === "string") : [];
    return { token, subject: payload.sub ?? "?", roles };
  } catch {
    return null;
  }
}

/** What each page needs, as the API grants it (services' @Authorized; admin may do everything). */
export const can = (session: Session | null, ...roles: string[]) =>
  Boolean(session && session.roles.some((role) => role === "admin" || roles.includes(role)));

interface SessionContext {
  readonly session: Session | null;
  signIn(token: string): boolean;
  signOut(): void;
}

const Context = createContext<SessionContext>({ session: null, signIn: () => false, signOut: () => undefined });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => {
    const token = sessionStorage.getItem(KEY);
    return token ? sessionOf(token) : null;
  });
  const value: SessionContext = {
    session,
    signIn(token) {
      const next = sessionOf(token.trim());
      if (!next) return false;
      sessionStorage.setItem(KEY, next.token);
      setSession(next);
      return true;
    },
    signOut() {
      sessionStorage.removeItem(KEY);
      setSession(null);
    },
  };
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export const useSession = () => useContext(Context);
