/** Granting and revoking access: administrators' commands (see common/graphql/command-table.ts). */
import { accessGrants } from "../../projections/read-models/access-grants";
import { commandResolver, row, type Answer } from "../common/graphql/command-table";
import { AccessInput } from "./access.input";
import { findGrants } from "./access.read";
import { AccessPayload } from "./access.type";

const grants: Answer<AccessPayload> = {
  type: AccessPayload,
  readModel: accessGrants.name,
  read: async (context, _category, _id, data) => ({
    grants: await findGrants(context, { grantee: String(data.grantee) }),
  }),
};

export const accessCommands = {
  grantAccess: row("GrantAccess", AccessInput, grants, {
    role: "admin",
    description: "Lets a person write the partnerships and activities of one institution, or of every one.",
  }),
  revokeAccess: row("RevokeAccess", AccessInput, grants, { role: "admin", description: "Ends a grant." }),
};

export const AccessCommandsResolver = commandResolver(accessCommands);
