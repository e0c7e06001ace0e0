/** Mutations of the partnerships subgraph: one per command, each thin — validate, handle, read back. */
import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from "type-graphql";
import { institutionDecider, type InstitutionCommand } from "../../domain/partnerships/institution.decider";
import { partnershipDecider, type PartnershipCommand } from "../../domain/partnerships/partnership.decider";
import { COMMAND_ID, EXPECTED, executeCommand, plain } from "../common/graphql/commands";
import type { GraphQLContext } from "../common/graphql/context";
import { idFromCommand } from "../common/ids";
import {
  AmendMoUInput,
  CorrectFactInput,
  ApproveAgreementVersionInput,
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
import { institutionDirectory } from "../../projections/read-models/institution-directory";
import { partnershipSummary } from "../../projections/read-models/partnership-summary";

async function partnershipCommand(
  context: GraphQLContext,
  command: Omit<PartnershipCommand, "metadata">,
  commandId: string,
  expectedRevision?: number | null,
): Promise<PartnershipPayload> {
  const result = await executeCommand(
    context,
    partnershipDecider,
    command,
    commandId,
    expectedRevision,
    partnershipSummary.name,
  );
  const partnership = await findPartnership(context, partnershipDecider.entityId(command as PartnershipCommand));
  return { partnership: partnership!, revision: result.revision, position: result.position, replayed: result.replayed };
}

async function institutionCommand(
  context: GraphQLContext,
  command: Omit<InstitutionCommand, "metadata">,
  commandId: string,
  expectedRevision?: number | null,
): Promise<InstitutionPayload> {
  const result = await executeCommand(
    context,
    institutionDecider,
    command,
    commandId,
    expectedRevision,
    institutionDirectory.name,
  );
  const institution = await findInstitution(context, institutionDecider.entityId(command as InstitutionCommand));
  return { institution: institution!, revision: result.revision, position: result.position, replayed: result.replayed };
}

@Resolver()
export class PartnershipCommandsResolver {
  @Authorized("editor")
  @Mutation(() => InstitutionPayload)
  registerInstitution(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: RegisterInstitutionInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    const data = { ...plain(input), institutionId: input.institutionId ?? idFromCommand(commandId, "institution") };
    return institutionCommand(context, { type: "RegisterInstitution", data }, commandId, expectedRevision);
  }

  @Authorized("editor")
  @Mutation(() => InstitutionPayload)
  renameInstitution(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: RenameInstitutionInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    return institutionCommand(context, { type: "RenameInstitution", data: plain(input) }, commandId, expectedRevision);
  }

  @Authorized("editor")
  @Mutation(() => PartnershipPayload)
  proposePartnership(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: ProposePartnershipInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    const data = { ...plain(input), partnershipId: input.partnershipId ?? idFromCommand(commandId, "partnership") };
    return partnershipCommand(context, { type: "ProposePartnership", data }, commandId, expectedRevision);
  }

  @Authorized("editor")
  @Mutation(() => PartnershipPayload)
  startCooperation(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: StartCooperationInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    return partnershipCommand(context, { type: "StartCooperation", data: plain(input) }, commandId, expectedRevision);
  }

  @Authorized("editor")
  @Mutation(() => PartnershipPayload)
  signMoU(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: SignMoUInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    return partnershipCommand(context, { type: "SignMoU", data: plain(input) }, commandId, expectedRevision);
  }

  @Authorized("editor")
  @Mutation(() => PartnershipPayload)
  approveAgreementVersion(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: ApproveAgreementVersionInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    return partnershipCommand(
      context,
      { type: "ApproveAgreementVersion", data: plain(input) },
      commandId,
      expectedRevision,
    );
  }

  @Authorized("editor")
  @Mutation(() => PartnershipPayload)
  amendMoU(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: AmendMoUInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    return partnershipCommand(context, { type: "AmendMoU", data: plain(input) }, commandId, expectedRevision);
  }

  @Authorized("editor")
  @Mutation(() => PartnershipPayload)
  renewMoU(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: RenewMoUInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    return partnershipCommand(context, { type: "RenewMoU", data: plain(input) }, commandId, expectedRevision);
  }

  @Authorized("editor")
  @Mutation(() => PartnershipPayload)
  suspendPartnership(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: SuspendPartnershipInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    return partnershipCommand(context, { type: "SuspendPartnership", data: plain(input) }, commandId, expectedRevision);
  }

  @Authorized("editor")
  @Mutation(() => PartnershipPayload)
  resumePartnership(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: ResumePartnershipInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    return partnershipCommand(context, { type: "ResumePartnership", data: plain(input) }, commandId, expectedRevision);
  }

  @Authorized("editor")
  @Mutation(() => PartnershipPayload)
  terminatePartnership(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: TerminatePartnershipInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    return partnershipCommand(
      context,
      { type: "TerminatePartnership", data: plain(input) },
      commandId,
      expectedRevision,
    );
  }

  @Authorized("editor")
  @Mutation(() => PartnershipPayload)
  recordCommissionReview(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: RecordCommissionReviewInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    return partnershipCommand(
      context,
      { type: "RecordCommissionReview", data: plain(input) },
      commandId,
      expectedRevision,
    );
  }

  @Authorized("editor")
  @Mutation(() => PartnershipPayload)
  recordMilestone(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: RecordMilestoneInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    return partnershipCommand(context, { type: "RecordMilestone", data: plain(input) }, commandId, expectedRevision);
  }

  @Authorized("editor")
  @Mutation(() => PartnershipPayload, {
    description: "Corrects an earlier fact; the corrected history must still satisfy every rule.",
  })
  correctFact(
    @Ctx() context: GraphQLContext,
    @Arg("commandId", () => ID, COMMAND_ID) commandId: string,
    @Arg("input") input: CorrectFactInput,
    @Arg("expectedRevision", () => Int, EXPECTED) expectedRevision?: number,
  ) {
    return partnershipCommand(context, { type: "CorrectFact", data: plain(input) }, commandId, expectedRevision);
  }
}
