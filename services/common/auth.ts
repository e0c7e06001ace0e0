/**
 * Identity: JWT bearer tokens (HS256, secret from PASSERELLE_JWT_SECRET) carrying the caller's id (`sub`, the
 * actor recorded in event metadata) and roles. The gateway forwards the Authorization header; each subgraph
 * verifies it and enforces its own rules.
 */
import { SignJWT, jwtVerify } from "jose";

export const ROLES = ["editor", "auditor", "analyst", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  /** Recorded as the actor of every event this caller's commands append. */
  readonly actor: string;
  readonly roles: readonly Role[];
}

const ISSUER = "passerelle";

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function issueToken(secret: string, identity: Identity, expiresIn = "30d"): Promise<string> {
  return new SignJWT({ roles: [...identity.roles] })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(identity.actor)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key(secret));
}

export class InvalidTokenError extends Error {
  readonly code = "UNAUTHENTICATED";
}

/** The identity in an `Authorization: Bearer …` header; null when there is none; InvalidTokenError when it is bad. */
export async function identify(authorization: string | undefined, secret: string): Promise<Identity | null> {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) throw new InvalidTokenError("the Authorization header must be `Bearer <token>`");
  try {
    // A token that never expires is refused: a leaked one would be good forever.
    const { payload } = await jwtVerify(match[1]!, key(secret), {
      issuer: ISSUER,
      algorithms: ["HS256"],
      requiredClaims: ["exp"],
    });
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => ROLES.includes(r as Role)) : [];
    if (!payload.sub) throw new InvalidTokenError("the token names no subject");
    return { actor: payload.sub, roles };
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    throw new InvalidTokenError(`invalid token: ${(error as Error).message}`);
  }
}
