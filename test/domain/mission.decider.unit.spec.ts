import { missionDecider, type Mission } from "../../domain/activities/mission.decider";
import type { MissionEvent } from "../../events/catalogue";
import { given } from "../support/decider-spec";

const M = "tours-dakar-2023";
const P = "tours-hogip";
const partnership = { partnerships: [{ id: P }] };
const description = {
  purpose: "Interventional cardiology",
  destination: { country: "SN", place: "Dakar" },
  participants: { count: 3 },
  trips: 1,
  duration: null,
  recurrence: null,
};
const planned: MissionEvent = {
  type: "MissionPlanned",
  data: {
    missionId: M,
    partnershipId: P,
    ...description,
    plannedStart: "2023-04",
    plannedEnd: "2023-05",
    plannedOn: null,
    source: null,
  },
};
const startedEvent: MissionEvent = {
  type: "MissionStarted",
  data: { missionId: M, partnershipId: P, startedOn: "2023-04-10" },
};
const cancelled: MissionEvent = {
  type: "MissionCancelled",
  data: { missionId: M, partnershipId: P, reason: "visa", cancelledOn: null },
};

describe("mission decider", () => {
  describe("PlanMission", () => {
    const plan = (data: object = {}) => ({
      type: "PlanMission" as const,
      data: {
        missionId: M,
        partnershipId: P,
        purpose: "Interventional cardiology",
        destination: { country: "SN", place: "Dakar" },
        participants: { count: 3 },
        plannedStart: "2023-04",
        plannedEnd: "2023-05",
        ...data,
      },
    });
    it("plans a mission of a partnership", () => {
      given(missionDecider, [], partnership).when(plan()).then([planned]);
    });
    it("an unknown partnership is NOT_FOUND", () => {
      given(missionDecider, []).when(plan()).thenRejects("NOT_FOUND");
    });
    it("ACTIVITY_PARTNERSHIP_TERMINATED", () => {
      given(missionDecider, [], { partnerships: [{ id: P, status: "terminated" }] })
        .when(plan())
        .thenRejects("ACTIVITY_PARTNERSHIP_TERMINATED");
    });
    it("a suspended partnership may still plan (Covid plans were made for after)", () => {
      given(missionDecider, [], { partnerships: [{ id: P, status: "suspended" }] })
        .when(plan())
        .then([
          { type: "MissionPlanned", data: { missionId: M, partnershipId: P, purpose: "Interventional cardiology" } },
        ]);
    });
    it("ACTIVITY_ALREADY_EXISTS", () => {
      given(missionDecider, [planned], partnership).when(plan()).thenRejects("ACTIVITY_ALREADY_EXISTS");
    });
    it("ACTIVITY_DATES_ORDER: end not before start", () => {
      given(missionDecider, [], partnership)
        .when(plan({ plannedEnd: "2023-03" }))
        .thenRejects("ACTIVITY_DATES_ORDER");
    });
    it.each([
      ["destination.country", { destination: { country: "Senegal" } }],
      ["participants", { participants: { count: 0 } }],
      ["trips", { trips: 1.5 }],
      ["duration.unit", { duration: { amount: 2, unit: "fortnight" } }],
      ["purpose", { purpose: " " }],
    ])("refuses a bad %s", (field, data) => {
      given(missionDecider, [], partnership).when(plan(data)).thenRejects("INVALID_INPUT", field);
    });
  });

  describe("PostponeMission", () => {
    it("postpones a planned mission, with or without a new date", () => {
      const state = given(missionDecider, [planned])
        .when({ type: "PostponeMission", data: { missionId: M, reason: "Covid-19", postponedOn: "2020" } })
        .thenState() as Mission;
      expect(state).toMatchObject({ status: "planned", plannedStart: null, postponements: 1 });
    });
    it("ACTIVITY_NOT_PLANNED once started", () => {
      given(missionDecider, [planned, startedEvent])
        .when({ type: "PostponeMission", data: { missionId: M, reason: "x" } })
        .thenRejects("ACTIVITY_NOT_PLANNED");
    });
    it("ACTIVITY_CANCELLED", () => {
      given(missionDecider, [planned, cancelled])
        .when({ type: "PostponeMission", data: { missionId: M, reason: "x" } })
        .thenRejects("ACTIVITY_CANCELLED");
    });
  });

  describe("StartMission", () => {
    it("starts a planned mission", () => {
      given(missionDecider, [planned])
        .when({ type: "StartMission", data: { missionId: M, startedOn: "2023-04-10" } })
        .then([startedEvent]);
    });
    it("NOT_FOUND for an unknown mission", () => {
      given(missionDecider, [])
        .when({ type: "StartMission", data: { missionId: M, startedOn: "2023" } })
        .thenRejects("NOT_FOUND");
    });
    it("ACTIVITY_NOT_PLANNED when already started", () => {
      given(missionDecider, [planned, startedEvent])
        .when({ type: "StartMission", data: { missionId: M, startedOn: "2023-04-11" } })
        .thenRejects("ACTIVITY_NOT_PLANNED");
    });
    it("FACT_IN_FUTURE", () => {
      given(missionDecider, [planned])
        .when({ type: "StartMission", data: { missionId: M, startedOn: "2027-01" } })
        .thenRejects("FACT_IN_FUTURE");
    });
  });

  describe("CompleteMission", () => {
    const complete = (data: object = {}) => ({
      type: "CompleteMission" as const,
      data: { missionId: M, completedOn: "2023-04-20", ...data },
    });
    it("completes a started mission, keeping the plan's description", () => {
      given(missionDecider, [planned, startedEvent])
        .when(complete({ outcome: "12 patients treated", participants: { count: 4 } }))
        .then([
          {
            type: "MissionCompleted",
            data: {
              missionId: M,
              partnershipId: P,
              ...description,
              participants: { count: 4 },
              startedOn: "2023-04-10",
              completedOn: "2023-04-20",
              outcome: "12 patients treated",
              source: null,
            },
          },
        ]);
    });
    it("completes a past planned mission that was never marked started", () => {
      given(missionDecider, [planned])
        .when(complete())
        .then([{ type: "MissionCompleted", data: { startedOn: null } as never }]);
    });
    it("MISSION_NOT_STARTED_OR_PAST: a plan whose dates have not come", () => {
      given(missionDecider, [planned])
        .when(complete({ completedOn: "2023-03" }))
        .thenRejects("MISSION_NOT_STARTED_OR_PAST");
    });
    it("ACTIVITY_CANCELLED: never a cancelled one", () => {
      given(missionDecider, [planned, cancelled]).when(complete()).thenRejects("ACTIVITY_CANCELLED");
    });
    it("ACTIVITY_ALREADY_DONE", () => {
      const done = given(missionDecider, [planned, startedEvent])
        .when(complete())
        .then([
          { type: "MissionCompleted", data: { missionId: M, startedOn: "2023-04-10", completedOn: "2023-04-20" } },
        ]);
      given(missionDecider, [planned, startedEvent, ...done])
        .when(complete())
        .thenRejects("ACTIVITY_ALREADY_DONE");
    });
    it("MISSION_COMPLETION_BEFORE_START", () => {
      given(missionDecider, [planned, startedEvent])
        .when(complete({ completedOn: "2023-04-09" }))
        .thenRejects("MISSION_COMPLETION_BEFORE_START");
    });
    it("FACT_IN_FUTURE", () => {
      given(missionDecider, [planned, startedEvent])
        .when(complete({ completedOn: "2027" }))
        .thenRejects("FACT_IN_FUTURE");
    });
    it("records a past mission once, with its historical dates and no invented plan or start", () => {
      const state = given(missionDecider, [], { partnerships: [{ id: "amiens-aswan" }] })
        .when(
          complete({
            missionId: "amiens-2019",
            partnershipId: "amiens-aswan",
            purpose: "Exploratory missions",
            trips: 2,
            completedOn: "2019",
          }),
        )
        .thenState() as Mission;
      expect(state).toMatchObject({
        status: "completed",
        completedOn: "2019",
        startedOn: null,
        plannedStart: null,
        description: { trips: 2 },
      });
    });
    it("a past mission of a terminated partnership is still history", () => {
      given(missionDecider, [], { partnerships: [{ id: P, status: "terminated" }] })
        .when(complete({ partnershipId: P, purpose: "Audit", completedOn: "2019-09" }))
        .then([{ type: "MissionCompleted", data: { partnershipId: P, purpose: "Audit", completedOn: "2019-09" } }]);
    });
    it("a never-planned mission needs its partnership and purpose", () => {
      given(missionDecider, [], partnership)
        .when(complete({ purpose: "x" }))
        .thenRejects("INVALID_INPUT", "partnershipId");
      given(missionDecider, [], partnership)
        .when(complete({ partnershipId: P }))
        .thenRejects("INVALID_INPUT", "purpose");
      given(missionDecider, [])
        .when(complete({ partnershipId: P, purpose: "x" }))
        .thenRejects("NOT_FOUND");
    });
  });

  describe("CancelMission", () => {
    it("cancels a planned or started mission", () => {
      given(missionDecider, [planned])
        .when({ type: "CancelMission", data: { missionId: M, reason: "visa" } })
        .then([cancelled]);
      given(missionDecider, [planned, startedEvent])
        .when({ type: "CancelMission", data: { missionId: M, reason: "visa" } })
        .then([cancelled]);
    });
    it("ACTIVITY_CANCELLED twice", () => {
      given(missionDecider, [planned, cancelled])
        .when({ type: "CancelMission", data: { missionId: M, reason: "again" } })
        .thenRejects("ACTIVITY_CANCELLED");
    });
  });
});
