/**
 * Partnerships and their agreements: proposed, cooperating, signed, amended, renewed, suspended, resumed,
 * terminated, reviewed by the commission. One stream per partnership.
 */
import type { Decider } from "../decider";
import { NOTHING_KNOWN, NotFound } from "../decider";
import type { PartnershipEvent } from "../../events/catalogue";
import { amend, approve, renew, sign } from "./partnership/agreement";
import type { PartnershipCommand } from "./partnership/commands";
import { correct } from "./partnership/correction";
import { propose, resume, startCooperation, suspend, terminate } from "./partnership/lifecycle";
import { milestone, review } from "./partnership/review";
import { evolve, type PartnershipState } from "./partnership/state";

export type * from "./partnership/commands";
export type { Agreement, Partnership, PartnershipFact, PartnershipState } from "./partnership/state";
export { partnershipRef, replay } from "./partnership/state";
export { REVIEW_PERIOD_MONTHS } from "./partnership/review";

export const partnershipDecider: Decider<PartnershipCommand, PartnershipEvent, PartnershipState> = {
  category: "partnership",
  entityId: (command) => command.data.partnershipId,
  initialState: { status: "none" },
  mentions: (command) => (command.type === "ProposePartnership" ? { institutions: command.data.parties } : {}),
  // An approval is the approving party's act: only its own editors may record it.
  scope: (command, state) =>
    command.type === "ApproveAgreementVersion"
      ? { institutions: [command.data.institutionId] }
      : {
          institutions:
            command.type === "ProposePartnership" ? command.data.parties : state.status === "none" ? [] : state.parties,
        },
  evolve,
  decide(command, state, known) {
    if (command.type === "ProposePartnership") return [propose(command, state, known)];
    if (state.status === "none") throw new NotFound("Partnership", command.data.partnershipId);
    switch (command.type) {
      case "StartCooperation":
        return [startCooperation(command, state)];
      case "SignMoU":
        return [sign(command, state)];
      case "ApproveAgreementVersion":
        return [approve(command, state)];
      case "AmendMoU":
        return [amend(command, state)];
      case "RenewMoU":
        return [renew(command, state)];
      case "SuspendPartnership":
        return [suspend(command, state)];
      case "ResumePartnership":
        return [resume(command, state)];
      case "TerminatePartnership":
        return [terminate(command, state)];
      case "RecordCommissionReview":
        return [review(command, state)];
      case "RecordMilestone":
        return [milestone(command, state)];
      case "CorrectFact":
        return [correct(command, state, (fact, before) => partnershipDecider.decide(fact, before, NOTHING_KNOWN))];
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },
};
