/** The agreement: signed, its text approved by each party, amended, renewed. */
import { InvalidInput, RuleViolation } from "../../decider";
import type { PartnershipEvent, Signatory } from "../../../events/catalogue";
import { isDefinitelyBefore } from "../../../events/business-date";
import {
  checkBusinessDate,
  checkFactDate,
  checkOptionalBusinessDate,
  checkOrder,
  checkSource,
  checkText,
  checkVersionHash,
} from "../../validation";
import type { AmendMoU, ApproveAgreementVersion, RenewMoU, SignMoU } from "./commands";
import type { Agreement, Partnership } from "./state";

export function sign({ data, metadata }: SignMoU, state: Partnership): PartnershipEvent {
  if (state.status === "terminated") throw new RuleViolation("MOU_SIGN_TERMINATED");
  if (state.status === "suspended") throw new RuleViolation("MOU_SIGN_SUSPENDED");
  checkFactDate("signedOn", data.signedOn, metadata.now);
  const expiresOn = data.expiresOn ?? null;
  checkOptionalBusinessDate("expiresOn", expiresOn);
  if (expiresOn !== null && isDefinitelyBefore(expiresOn, data.signedOn)) {
    throw new RuleViolation("MOU_EXPIRY_BEFORE_SIGNING", `${expiresOn} is before ${data.signedOn}`);
  }
  const signatories: Signatory[] = (data.signatories ?? []).map((signatory, index) => {
    if (typeof signatory !== "object" || signatory === null) {
      throw new InvalidInput(`signatories[${index}]`, "must be an object");
    }
    if (!state.parties.includes(signatory.institutionId)) {
      throw new RuleViolation("MOU_SIGNATORY_NOT_PARTY", signatory.institutionId);
    }
    if (signatory.person) checkText(`signatories[${index}].person`, signatory.person, 200);
    if (signatory.role) checkText(`signatories[${index}].role`, signatory.role, 200);
    return { institutionId: signatory.institutionId, person: signatory.person ?? null, role: signatory.role ?? null };
  });
  const noticePeriodMonths = data.noticePeriodMonths ?? null;
  if (
    noticePeriodMonths !== null &&
    (!Number.isInteger(noticePeriodMonths) || noticePeriodMonths < 0 || noticePeriodMonths > 60)
  ) {
    throw new InvalidInput("noticePeriodMonths", "must be a whole number of months between 0 and 60");
  }
  const agreements = data.agreements ?? 1;
  if (!Number.isInteger(agreements) || agreements < 1 || agreements > 100) {
    throw new InvalidInput("agreements", "must be a whole number between 1 and 100");
  }
  const versionHash = data.versionHash ?? null;
  if (versionHash !== null) checkVersionHash("versionHash", versionHash);
  if (data.title) checkText("title", data.title, 300);
  if (data.place) checkText("place", data.place, 300);
  checkSource(data.source);
  return {
    type: "MoUSigned",
    data: {
      partnershipId: state.id,
      signedOn: data.signedOn,
      expiresOn,
      signatories,
      versionHash,
      noticePeriodMonths,
      agreements,
      title: data.title ?? null,
      place: data.place ?? null,
      source: data.source ?? null,
    },
  };
}

export function approve({ data, metadata }: ApproveAgreementVersion, state: Partnership): PartnershipEvent {
  if (state.status === "terminated") throw new RuleViolation("MOU_TERMINATED");
  if (!state.parties.includes(data.institutionId)) throw new RuleViolation("APPROVAL_NOT_PARTY", data.institutionId);
  checkVersionHash("versionHash", data.versionHash);
  if (state.text === null) throw new RuleViolation("APPROVAL_NO_TEXT");
  if (state.text.versionHash !== data.versionHash) throw new RuleViolation("APPROVAL_SUPERSEDED_VERSION");
  if (state.text.approvals[data.institutionId] === data.versionHash) throw new RuleViolation("APPROVAL_ALREADY_GIVEN");
  const approvedOn = data.approvedOn ?? null;
  if (approvedOn !== null) checkFactDate("approvedOn", approvedOn, metadata.now);
  if (data.approvedBy) checkText("approvedBy", data.approvedBy, 200);
  return {
    type: "AgreementVersionApproved",
    data: {
      partnershipId: state.id,
      institutionId: data.institutionId,
      versionHash: data.versionHash,
      approvedOn,
      approvedBy: data.approvedBy ?? null,
    },
  };
}

function signedAgreement(state: Partnership): Agreement {
  if (state.status === "terminated") throw new RuleViolation("MOU_TERMINATED");
  if (state.agreement === null) throw new RuleViolation("MOU_NOT_SIGNED");
  return state.agreement;
}

function checkNotBeforeSigning(field: string, date: string, agreement: Agreement): void {
  if (isDefinitelyBefore(date, agreement.firstSignedOn)) {
    throw new RuleViolation("MOU_DATE_BEFORE_SIGNING", `${field} ${date} is before ${agreement.firstSignedOn}`);
  }
}

export function amend({ data, metadata }: AmendMoU, state: Partnership): PartnershipEvent {
  const agreement = signedAgreement(state);
  checkFactDate("amendedOn", data.amendedOn, metadata.now);
  checkNotBeforeSigning("amendedOn", data.amendedOn, agreement);
  checkVersionHash("versionHash", data.versionHash);
  if (state.text?.versionHash === data.versionHash) throw new RuleViolation("AMENDMENT_SAME_VERSION");
  checkText("summary", data.summary);
  checkSource(data.source);
  return {
    type: "MoUAmended",
    data: {
      partnershipId: state.id,
      amendedOn: data.amendedOn,
      versionHash: data.versionHash,
      summary: data.summary.trim(),
      source: data.source ?? null,
    },
  };
}

export function renew({ data, metadata }: RenewMoU, state: Partnership): PartnershipEvent {
  const agreement = signedAgreement(state);
  checkFactDate("renewedOn", data.renewedOn, metadata.now);
  checkNotBeforeSigning("renewedOn", data.renewedOn, agreement);
  // A correction's patch may have cleared it.
  if (typeof data.period !== "object" || data.period === null) throw new InvalidInput("period", "is required");
  checkBusinessDate("period.from", data.period.from);
  const to = data.period.to ?? null;
  checkOptionalBusinessDate("period.to", to);
  checkOrder("RENEWAL_PERIOD_ORDER", data.period.from, to);
  checkSource(data.source);
  return {
    type: "MoURenewed",
    data: {
      partnershipId: state.id,
      renewedOn: data.renewedOn,
      period: { from: data.period.from, to },
      source: data.source ?? null,
    },
  };
}
