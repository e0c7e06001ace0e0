/** A partnership's life: proposed, cooperating, suspended, resumed, terminated. */
import type { Known } from "../../decider";
import { InvalidInput, RuleViolation } from "../../decider";
import type { PartnershipEvent } from "../../../events/catalogue";
import { addMonths, isDefinitelyBefore, parseBusinessDate } from "../../../events/business-date";
import {
  checkBusinessDate,
  checkCountry,
  checkFactDate,
  checkId,
  checkNotInFuture,
  checkOptionalBusinessDate,
  checkSource,
  checkText,
  checkVersionHash,
} from "../../validation";
import type {
  ProposePartnership,
  ResumePartnership,
  StartCooperation,
  SuspendPartnership,
  TerminatePartnership,
} from "./commands";
import type { Partnership, PartnershipState } from "./state";

export function propose(
  { data, metadata }: ProposePartnership,
  state: PartnershipState,
  known: Known,
): PartnershipEvent {
  if (state.status !== "none") throw new RuleViolation("PARTNERSHIP_ALREADY_EXISTS", data.partnershipId);
  checkId("partnershipId", data.partnershipId);
  checkText("title", data.title, 300);
  if (data.scope !== "domestic" && data.scope !== "international") {
    throw new InvalidInput("scope", "must be domestic or international");
  }
  const parties = [...new Set(data.parties)];
  if (parties.length < 2) throw new RuleViolation("PARTNERSHIP_TWO_PARTIES");
  const unregistered = parties.filter((party) => !known.institutions.has(party));
  if (unregistered.length > 0) throw new RuleViolation("PARTNERSHIP_PARTY_NOT_REGISTERED", unregistered.join(", "));
  const themes = [...new Set(data.themes ?? [])];
  themes.forEach((theme, index) => checkText(`themes[${index}]`, theme, 100));
  const countries = [...new Set(data.countries ?? [])];
  countries.forEach((country, index) => checkCountry(`countries[${index}]`, country));
  const versionHash = data.versionHash ?? null;
  if (versionHash !== null) checkVersionHash("versionHash", versionHash);
  const proposedOn = data.proposedOn ?? null;
  checkOptionalBusinessDate("proposedOn", proposedOn);
  if (proposedOn !== null) checkNotInFuture(proposedOn, metadata.now);
  checkSource(data.source);
  return {
    type: "PartnershipProposed",
    data: {
      partnershipId: data.partnershipId,
      title: data.title.trim(),
      scope: data.scope,
      parties,
      themes,
      countries,
      versionHash,
      proposedOn,
      source: data.source ?? null,
    },
  };
}

export function startCooperation({ data, metadata }: StartCooperation, state: Partnership): PartnershipEvent {
  if (state.status === "terminated") throw new RuleViolation("MOU_TERMINATED");
  if (state.status !== "proposed")
    throw new RuleViolation(
      "COOPERATION_ALREADY_STARTED",
      `since ${state.cooperationSince ?? state.agreement?.firstSignedOn}`,
    );
  checkFactDate("startedOn", data.startedOn, metadata.now);
  checkSource(data.source);
  return {
    type: "CooperationStarted",
    data: { partnershipId: state.id, startedOn: data.startedOn, source: data.source ?? null },
  };
}

export function suspend({ data, metadata }: SuspendPartnership, state: Partnership): PartnershipEvent {
  if (state.status !== "active") throw new RuleViolation("SUSPEND_NOT_ACTIVE", `it is ${state.status}`);
  checkFactDate("suspendedOn", data.suspendedOn, metadata.now);
  checkText("reason", data.reason);
  checkSource(data.source);
  return {
    type: "PartnershipSuspended",
    data: {
      partnershipId: state.id,
      suspendedOn: data.suspendedOn,
      reason: data.reason.trim(),
      source: data.source ?? null,
    },
  };
}

export function resume({ data, metadata }: ResumePartnership, state: Partnership): PartnershipEvent {
  if (state.status !== "suspended" || state.suspension === null) {
    throw new RuleViolation("RESUME_NOT_SUSPENDED", `it is ${state.status}`);
  }
  checkFactDate("resumedOn", data.resumedOn, metadata.now);
  if (isDefinitelyBefore(data.resumedOn, state.suspension.since)) {
    throw new RuleViolation("RESUME_BEFORE_SUSPENSION", `${data.resumedOn} is before ${state.suspension.since}`);
  }
  checkSource(data.source);
  return {
    type: "PartnershipResumed",
    data: { partnershipId: state.id, resumedOn: data.resumedOn, source: data.source ?? null },
  };
}

export function terminate({ data, metadata }: TerminatePartnership, state: Partnership): PartnershipEvent {
  if (state.status === "terminated") throw new RuleViolation("TERMINATE_ALREADY_TERMINATED");
  checkFactDate("noticeGivenOn", data.noticeGivenOn, metadata.now);
  checkBusinessDate("effectiveOn", data.effectiveOn);
  // The earliest the notice allows, counted from the first day the notice may have been given.
  const months = state.agreement?.noticePeriodMonths ?? 0;
  const earliest = addMonths(parseBusinessDate(data.noticeGivenOn)!.first, months)!;
  if (isDefinitelyBefore(data.effectiveOn, earliest)) {
    throw new RuleViolation(
      "TERMINATE_BEFORE_NOTICE",
      months === 0
        ? `${data.effectiveOn} is before the notice ${data.noticeGivenOn}`
        : `${months} months' notice from ${data.noticeGivenOn} ends on ${earliest}`,
    );
  }
  checkText("reason", data.reason);
  checkSource(data.source);
  return {
    type: "PartnershipTerminated",
    data: {
      partnershipId: state.id,
      noticeGivenOn: data.noticeGivenOn,
      effectiveOn: data.effectiveOn,
      reason: data.reason.trim(),
      source: data.source ?? null,
    },
  };
}
