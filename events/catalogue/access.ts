/**
 * Events of `access-<key>` streams: who may write for which institution, granted and revoked by an
 * administrator (the event's actor) at the time the log records. One stream per grantee.
 */

export interface AccessGranted {
  readonly type: "AccessGranted";
  readonly data: {
    /** The token subject (`sub`) the grant is for: the actor its commands will be recorded under. */
    readonly grantee: string;
    /** The institution whose partnerships and activities the grantee may write; null: every institution. */
    readonly institutionId: string | null;
  };
}

export interface AccessRevoked {
  readonly type: "AccessRevoked";
  readonly data: { readonly grantee: string; readonly institutionId: string | null };
}

export type AccessEvent = AccessGranted | AccessRevoked;
