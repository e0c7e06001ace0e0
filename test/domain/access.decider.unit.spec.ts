import { accessDecider, accessKey } from "../../domain/access/access.decider";
import type { AccessEvent } from "../../events/catalogue";
import { given } from "../support/decider-spec";

const granted = (institutionId: string | null, grantee = "alice@chu-limoges.fr"): AccessEvent => ({
  type: "AccessGranted",
  data: { grantee, institutionId },
});
const revoked = (institutionId: string | null, grantee = "alice@chu-limoges.fr"): AccessEvent => ({
  type: "AccessRevoked",
  data: { grantee, institutionId },
});

describe("access decider", () => {
  it("given nothing, when an institution is granted, then AccessGranted names grantee and institution", () => {
    given(accessDecider, [], { institutions: ["chu-limoges"] })
      .when({ type: "GrantAccess", data: { grantee: "alice@chu-limoges.fr", institutionId: "chu-limoges" } })
      .then([granted("chu-limoges")]);
  });

  it("given nothing, when the whole network is granted (no institution), then the grant's institution is null", () => {
    given(accessDecider, [])
      .when({ type: "GrantAccess", data: { grantee: "alice@chu-limoges.fr" } })
      .then([granted(null)]);
  });

  it("given a grant, when it is granted again, then ACCESS_ALREADY_GRANTED", () => {
    given(accessDecider, [granted("chu-limoges")], { institutions: ["chu-limoges"] })
      .when({ type: "GrantAccess", data: { grantee: "alice@chu-limoges.fr", institutionId: "chu-limoges" } })
      .thenRejects("ACCESS_ALREADY_GRANTED");
  });

  it("given an unregistered institution, when it is granted, then INSTITUTION_NOT_REGISTERED", () => {
    given(accessDecider, [])
      .when({ type: "GrantAccess", data: { grantee: "alice@chu-limoges.fr", institutionId: "chu-nowhere" } })
      .thenRejects("INSTITUTION_NOT_REGISTERED");
  });

  it("given a grant revoked, when it is revoked again, then ACCESS_NOT_GRANTED; granting it anew is allowed", () => {
    const history = [granted("chu-limoges"), revoked("chu-limoges")];
    given(accessDecider, history, { institutions: ["chu-limoges"] })
      .when({ type: "RevokeAccess", data: { grantee: "alice@chu-limoges.fr", institutionId: "chu-limoges" } })
      .thenRejects("ACCESS_NOT_GRANTED");
    given(accessDecider, history, { institutions: ["chu-limoges"] })
      .when({ type: "GrantAccess", data: { grantee: "alice@chu-limoges.fr", institutionId: "chu-limoges" } })
      .then([granted("chu-limoges")]);
  });

  it("folds grants and revocations into what the grantee may write now", () => {
    const { state } = given(accessDecider, [
      granted("chu-limoges"),
      granted("chu-brest"),
      granted(null),
      revoked("chu-limoges"),
      revoked(null),
    ]);
    expect(state).toEqual({ institutions: ["chu-brest"], network: false });
  });

  it("refuses an empty grantee or control characters in it", () => {
    given(accessDecider, [])
      .when({ type: "GrantAccess", data: { grantee: "  " } })
      .thenRejects("INVALID_INPUT");
    given(accessDecider, [])
      .when({ type: "GrantAccess", data: { grantee: "alice\u202e" } })
      .thenRejects("INVALID_INPUT");
  });

  it("keys a grantee's stream by a digest, whatever the alphabet of their token subject", () => {
    expect(accessKey("auth0|5f1c@example.org")).toMatch(/^[0-9a-f]{40}$/);
    expect(accessKey("a")).not.toBe(accessKey("b"));
    expect(
      accessDecider.scope(
        { type: "GrantAccess", data: { grantee: "x" }, metadata: {} as never },
        { institutions: [], network: false },
      ),
    ).toBe("admin");
  });
});
