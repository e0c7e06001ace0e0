/**
 * The grants `npm start` records for its development tokens, through the command handler as the system (the
 * demo import's way): `dev-editor` coordinates the whole network; `dev-limoges-editor` writes only for CHU de
 * Limoges, to see a scoped editor at work. Fixed command ids: a second start appends nothing.
 */
import type { EventStore } from "../../events/port";
import { accessDecider, type GrantAccess } from "../../domain/access/access.decider";
import { handleCommand } from "../../services/common/command-handler";

export const DEVELOPMENT_GRANTS = [
  { grantee: "dev-editor", institutionId: null },
  { grantee: "dev-limoges-editor", institutionId: "chu-limoges" },
] as const;

export async function grantDevelopmentAccess(store: EventStore, now: string): Promise<void> {
  for (const { grantee, institutionId } of DEVELOPMENT_GRANTS) {
    const command: GrantAccess = {
      type: "GrantAccess",
      data: { grantee, institutionId },
      metadata: { commandId: `development-access-${grantee}`, actor: "passerelle-start", now },
    };
    await handleCommand(store, accessDecider, command);
  }
}
