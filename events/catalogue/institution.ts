/** Events of `institution-<id>` streams. */
export const INSTITUTION_KINDS = [
  "hospital",
  "university",
  "ministry",
  "health_authority",
  "ngo",
  "funder",
  "other",
] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export interface InstitutionRegistered {
  readonly type: "InstitutionRegistered";
  readonly data: {
    readonly institutionId: string;
    readonly name: string;
    readonly kind: InstitutionKind;
    /** ISO 3166-1 alpha-2 of where it sits; null for intergovernmental bodies (WHO, EU). */
    readonly country: string | null;
    readonly city: string | null;
  };
}

export interface InstitutionRenamed {
  readonly type: "InstitutionRenamed";
  readonly data: { readonly institutionId: string; readonly name: string; readonly previousName: string };
}

export type InstitutionEvent = InstitutionRegistered | InstitutionRenamed;
