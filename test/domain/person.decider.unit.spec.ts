import { personDecider } from "../../domain/people/person.decider";
import type { PersonEvent } from "../../events/catalogue";
import { newKey, sealWith, type Sealed } from "../../events/personal-data/vault";
import { given } from "../support/decider-spec";

const key = newKey();
const identity = sealWith(key, "person-1", { name: "Jeanne Dupont", role: "présidente" });
const recorded: PersonEvent = {
  type: "PersonRecorded",
  data: { personId: "person-1", institutionId: "chu-limoges", identity },
};
const forgotten: PersonEvent = { type: "PersonForgotten", data: { personId: "person-1", basis: "request" } };
const record = (sealed: Sealed = identity) =>
  ({ type: "RecordPerson", data: { personId: "person-1", institutionId: "chu-limoges", identity: sealed } }) as const;

describe("person decider", () => {
  it("given nothing, when a person is recorded with their identity sealed for them, then PersonRecorded carries it", () => {
    given(personDecider, [], { institutions: ["chu-limoges"] })
      .when(record())
      .then([recorded]);
  });

  it("given nothing, when the identity is in clear or sealed for someone else, then INVALID_INPUT on identity", () => {
    given(personDecider, [], { institutions: ["chu-limoges"] })
      .when(record("Jeanne Dupont" as Sealed))
      .thenRejects("INVALID_INPUT");
    given(personDecider, [], { institutions: ["chu-limoges"] })
      .when(record(sealWith(key, "person-2", { name: "Jeanne Dupont" })))
      .thenRejects("INVALID_INPUT");
  });

  it("given an unregistered institution, when a person is recorded for it, then INSTITUTION_NOT_REGISTERED", () => {
    given(personDecider, []).when(record()).thenRejects("INSTITUTION_NOT_REGISTERED");
  });

  it("given a recorded person, when they are forgotten, then PersonForgotten names no personal data", () => {
    const events = given(personDecider, [recorded]).when({
      type: "ForgetPerson",
      data: { personId: "person-1", basis: "request" },
    });
    events.then([forgotten]);
    expect(JSON.stringify(forgotten.data)).toBe('{"personId":"person-1","basis":"request"}');
  });

  it("given a forgotten person, when they are recorded again (even by the same command), then PERSON_FORGOTTEN", () => {
    given(personDecider, [recorded, forgotten], { institutions: ["chu-limoges"] })
      .when(record())
      .thenRejects("PERSON_FORGOTTEN");
    given(personDecider, [recorded, forgotten])
      .when({ type: "ForgetPerson", data: { personId: "person-1", basis: "request" } })
      .thenRejects("PERSON_FORGOTTEN");
  });

  it("given nobody, when a person is forgotten, then NOT_FOUND; given a recorded one, PERSON_ALREADY_RECORDED", () => {
    given(personDecider, [])
      .when({ type: "ForgetPerson", data: { personId: "person-1", basis: "retention" } })
      .thenRejects("NOT_FOUND");
    given(personDecider, [recorded], { institutions: ["chu-limoges"] })
      .when(record())
      .thenRejects("PERSON_ALREADY_RECORDED");
  });
});
