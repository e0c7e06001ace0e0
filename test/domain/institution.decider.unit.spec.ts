import { institutionDecider } from "../../domain/partnerships/institution.decider";
import type { InstitutionEvent } from "../../events/catalogue";
import { given } from "../support/decider-spec";

const registered: InstitutionEvent = {
  type: "InstitutionRegistered",
  data: { institutionId: "chu-limoges", name: "CHU de Limoges", kind: "hospital", country: "FR", city: "Limoges" },
};

describe("institution decider", () => {
  describe("RegisterInstitution", () => {
    it("registers a hospital with its country and city", () => {
      given(institutionDecider, [])
        .when({
          type: "RegisterInstitution",
          data: {
            institutionId: "chu-limoges",
            name: " CHU de Limoges ",
            kind: "hospital",
            country: "FR",
            city: "Limoges",
          },
        })
        .then([registered]);
    });

    it("registers an intergovernmental body with no country", () => {
      given(institutionDecider, [])
        .when({
          type: "RegisterInstitution",
          data: { institutionId: "who", name: "Organisation mondiale de la santé", kind: "other" },
        })
        .then([
          {
            type: "InstitutionRegistered",
            data: {
              institutionId: "who",
              name: "Organisation mondiale de la santé",
              kind: "other",
              country: null,
              city: null,
            },
          },
        ]);
    });

    it("INSTITUTION_ALREADY_REGISTERED", () => {
      given(institutionDecider, [registered])
        .when({
          type: "RegisterInstitution",
          data: { institutionId: "chu-limoges", name: "CHU Dupuytren", kind: "hospital" },
        })
        .thenRejects("INSTITUTION_ALREADY_REGISTERED");
    });

    it.each([
      ["country", { country: "XX" }],
      ["country", { country: "fr" }],
      ["kind", { kind: "clinic" }],
      ["name", { name: "   " }],
      ["institutionId", { institutionId: "chu limoges" }],
    ])("refuses a bad %s", (field, change) => {
      given(institutionDecider, [])
        .when({
          type: "RegisterInstitution",
          data: { institutionId: "chu-limoges", name: "CHU de Limoges", kind: "hospital", ...change } as never,
        })
        .thenRejects("INVALID_INPUT", field);
    });
  });

  describe("RenameInstitution", () => {
    it("renames, keeping the previous name", () => {
      given(institutionDecider, [registered])
        .when({ type: "RenameInstitution", data: { institutionId: "chu-limoges", name: "CHU Dupuytren de Limoges" } })
        .then([
          {
            type: "InstitutionRenamed",
            data: { institutionId: "chu-limoges", name: "CHU Dupuytren de Limoges", previousName: "CHU de Limoges" },
          },
        ]);
    });

    it("an unknown institution is NOT_FOUND", () => {
      given(institutionDecider, [])
        .when({ type: "RenameInstitution", data: { institutionId: "chu-x", name: "X" } })
        .thenRejects("NOT_FOUND");
    });

    it("INSTITUTION_NAME_UNCHANGED", () => {
      given(institutionDecider, [registered])
        .when({ type: "RenameInstitution", data: { institutionId: "chu-limoges", name: "CHU de Limoges" } })
        .thenRejects("INSTITUTION_NAME_UNCHANGED");
    });
  });
});
