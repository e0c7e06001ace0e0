/** The partnerships subgraph's mutations: one row per command (see common/graphql/command-table.ts). */
import { institutionDirectory } from "../../projections/read-models/institution-directory";
import { partnershipSummary } from "../../projections/read-models/partnership-summary";
import { commandResolver, row, type Answer } from "../common/graphql/command-table";
import {
  AmendMoUInput,
  ApproveAgreementVersionInput,
  CorrectFactInput,
  ProposePartnershipInput,
  RecordCommissionReviewInput,
  RecordMilestoneInput,
  RegisterInstitutionInput,
  RenameInstitutionInput,
  RenewMoUInput,
  ResumePartnershipInput,
  SignMoUInput,
  StartCooperationInput,
  SuspendPartnershipInput,
  TerminatePartnershipInput,
} from "./partnership.input";
import { InstitutionPayload, PartnershipPayload } from "./partnership.type";
import { findInstitution, findPartnership } from "./read";

const institution: Answer<InstitutionPayload> = {
  type: InstitutionPayload,
  readModel: institutionDirectory.name,
  read: async (context, _category, id) => ({ institution: (await findInstitution(context, id))! }),
};

const partnership: Answer<PartnershipPayload> = {
  type: PartnershipPayload,
  readModel: partnershipSummary.name,
  read: async (context, _category, id) => ({ partnership: (await findPartnership(context, id))! }),
};

export const partnershipCommands = {
  registerInstitution: row("RegisterInstitution", RegisterInstitutionInput, institution, { entityId: "minted" }),
  renameInstitution: row("RenameInstitution", RenameInstitutionInput, institution),
  proposePartnership: row("ProposePartnership", ProposePartnershipInput, partnership, { entityId: "minted" }),
  startCooperation: row("StartCooperation", StartCooperationInput, partnership),
  signMoU: row("SignMoU", SignMoUInput, partnership),
  approveAgreementVersion: row("ApproveAgreementVersion", ApproveAgreementVersionInput, partnership),
  amendMoU: row("AmendMoU", AmendMoUInput, partnership),
  renewMoU: row("RenewMoU", RenewMoUInput, partnership),
  suspendPartnership: row("SuspendPartnership", SuspendPartnershipInput, partnership),
  resumePartnership: row("ResumePartnership", ResumePartnershipInput, partnership),
  terminatePartnership: row("TerminatePartnership", TerminatePartnershipInput, partnership),
  recordCommissionReview: row("RecordCommissionReview", RecordCommissionReviewInput, partnership),
  recordMilestone: row("RecordMilestone", RecordMilestoneInput, partnership),
  correctFact: row("CorrectFact", CorrectFactInput, partnership, {
    description: "Corrects an earlier fact; the corrected history must still satisfy every rule.",
  }),
};

export const PartnershipCommandsResolver = commandResolver(partnershipCommands);
