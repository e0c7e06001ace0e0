/** Corrections: an earlier fact read anew, the history it changes decided again by the same rules. */
import { InvalidInput, RuleViolation } from "../../decider";
import { CORRECTABLE_FACTS, type CorrectableFact, type PartnershipEvent } from "../../../events/catalogue";
import { canonicalJson } from "../../../events/hash-chain";
import { mergePatch } from "../../merge-patch";
import { isSealedMention } from "../../../events/personal-data/mentions";
import { checkSource, checkText } from "../../validation";
import type { CorrectFact, PartnershipCommand } from "./commands";
import { apply, replay, type Partnership, type PartnershipFact, type PartnershipState } from "./state";

/** Decides one fact's command again on the state before it, as the decider does (knowing no other stream). */
export type Redecide = (command: PartnershipCommand, state: PartnershipState) => PartnershipEvent[];

/** The command that records each correctable fact: re-deciding it checks a correction against the same rules. */
const COMMAND_OF: Record<
  CorrectableFact["type"],
  Exclude<PartnershipCommand["type"], "CorrectFact" | "ProposePartnership">
> = {
  CooperationStarted: "StartCooperation",
  MoUSigned: "SignMoU",
  MoUAmended: "AmendMoU",
  MoURenewed: "RenewMoU",
  PartnershipSuspended: "SuspendPartnership",
  PartnershipResumed: "ResumePartnership",
  PartnershipTerminated: "TerminatePartnership",
  CommissionReviewRecorded: "RecordCommissionReview",
  MilestoneRecorded: "RecordMilestone",
};

/**
 * A correction that names a signatory names a recorded person (`@{person:<id>}`, sealed on the way in), as
 * signMoU does: a name patched in clear could never be erased. Only the patch is held to it; the facts it
 * re-decides keep what they were recorded with.
 */
function checkPatchedSignatories(patch: unknown): void {
  const signatories = (patch as { signatories?: unknown } | null)?.signatories;
  if (!Array.isArray(signatories)) return;
  signatories.forEach((signatory, index) => {
    const person = (signatory as { person?: unknown } | null)?.person;
    if (person !== undefined && person !== null && !(typeof person === "string" && isSealedMention(person))) {
      throw new InvalidInput(
        `data.signatories[${index}].person`,
        "name a recorded person as @{person:<id>}: a name given in clear could never be erased",
      );
    }
  });
}

function isCorrectable(fact: PartnershipFact | null | undefined): fact is CorrectableFact {
  return fact !== null && fact !== undefined && (CORRECTABLE_FACTS as readonly string[]).includes(fact.type);
}

/**
 * A correction is accepted only if the history it produces is one the rules accept: the corrected fact is
 * decided again, on the state before it, from its new data, and so is every fact after it.
 */
export function correct({ data, metadata }: CorrectFact, state: Partnership, redecide: Redecide): PartnershipEvent {
  const original = state.facts[data.revision];
  if (!Number.isInteger(data.revision) || original === undefined)
    throw new RuleViolation("CORRECTION_UNKNOWN_FACT", `revision ${data.revision}`);
  if (!isCorrectable(original))
    throw new RuleViolation("CORRECTION_NOT_CORRECTABLE", original === null ? "a correction" : original.type);
  checkText("reason", data.reason);
  checkSource(data.source);
  checkPatchedSignatories(data.data);
  let replayed: PartnershipState = replay(state.facts.slice(0, data.revision));
  let after: CorrectableFact["data"] | undefined;
  state.facts.forEach((fact, revision) => {
    if (revision < data.revision || !isCorrectable(fact)) {
      if (revision > data.revision && fact) replayed = apply(replayed, fact);
      return;
    }
    const facts = revision === data.revision ? patched(fact.data, data.data, state.id) : fact.data;
    const [decided] = redecide({ type: COMMAND_OF[fact.type], data: facts, metadata } as PartnershipCommand, replayed);
    if (decided!.type !== fact.type)
      throw new RuleViolation("CORRECTION_NOT_CORRECTABLE", `${fact.type} cannot become ${decided!.type}`);
    if (revision === data.revision) after = decided!.data as CorrectableFact["data"];
    replayed = apply(replayed, revision === data.revision ? (decided as PartnershipFact) : fact);
  });
  if (canonicalJson(after) === canonicalJson(original.data)) throw new RuleViolation("CORRECTION_NO_CHANGE");
  return {
    type: "FactCorrected",
    data: {
      partnershipId: state.id,
      corrects: { revision: data.revision, type: original.type },
      before: original.data,
      after: after!,
      reason: data.reason.trim(),
      source: data.source ?? null,
    },
  };
}

/**
 * The fact's data with the correction's patch applied. A correction's data is free-form JSON, so each field it
 * sets must keep the shape the fact gives it (a list stays a list, a text a text) before the rules see it.
 */
function patched(fact: CorrectableFact["data"], patch: Readonly<Record<string, unknown>>, partnershipId: string) {
  checkShape("data", fact, patch);
  return { ...(mergePatch(fact, patch) as Record<string, unknown>), partnershipId };
}

type Shape = "text" | "number" | "boolean" | "list" | "object";
const ARTICLE: Record<Shape, string> = { text: "a", number: "a", boolean: "a", list: "a", object: "an" };

function shapeOf(value: unknown): Shape | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return "list";
  if (typeof value === "string") return "text";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return "object";
}

function checkShape(path: string, current: unknown, patch: unknown): void {
  const expected = shapeOf(current);
  const given = shapeOf(patch);
  if (expected === null || given === null) return;
  if (expected !== given) throw new InvalidInput(path, `must be ${ARTICLE[expected]} ${expected}`);
  if (expected !== "object") return;
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    checkShape(`${path}.${key}`, (current as Record<string, unknown>)[key], value);
  }
}
