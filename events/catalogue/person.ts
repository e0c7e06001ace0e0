/**
 * Events of `person-<id>` streams: people the ledger names (signatories, contact persons). What identifies a
 * person travels sealed with the person's own key (events/personal-data/vault.ts): the log never holds it in
 * clear, and forgetting the person makes every copy unreadable without changing a byte of the log.
 */
import type { Sealed } from "../personal-data/vault";

/** What a person's sealed identity holds once opened. */
export interface PersonIdentity {
  readonly name: string;
  /** Their title or function (« directeur général »), when known. */
  readonly role: string | null;
}

export interface PersonRecorded {
  readonly type: "PersonRecorded";
  readonly data: {
    readonly personId: string;
    /** The institution the person acts for. */
    readonly institutionId: string;
    /** A PersonIdentity sealed with the person's key. */
    readonly identity: Sealed;
  };
}

/** Why a person was forgotten: at their request (GDPR art. 17) or by the retention policy. */
export const ERASURE_BASES = ["request", "retention"] as const;
export type ErasureBasis = (typeof ERASURE_BASES)[number];

/** The person's key and contact were destroyed. Names no personal data. */
export interface PersonForgotten {
  readonly type: "PersonForgotten";
  readonly data: { readonly personId: string; readonly basis: ErasureBasis };
}

export type PersonEvent = PersonRecorded | PersonForgotten;
