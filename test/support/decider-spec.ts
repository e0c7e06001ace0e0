/**
 * Given events / When command / Then events or error — the one shape of every decider test.
 *
 *   given(decider, [events], { institutions: ["chu-toulouse"] }).when(command).then([events])
 *   given(decider, []).when(command).thenRejects("RULE_ID")
 */
import type {
  Command,
  CommandMetadata,
  Decider,
  DomainEvent,
  InstitutionRef,
  Known,
  PartnershipRef,
} from "../../domain/decider";
import { DomainError, RuleViolation } from "../../domain/decider";

export const NOW = "2026-11-23T10:00:00.000Z";

export function meta(commandId = "cmd-1", now = NOW): CommandMetadata {
  return { commandId, actor: "editor@chu-toulouse.fr", now };
}

export interface KnownInput {
  readonly institutions?: readonly string[];
  readonly partnerships?: ReadonlyArray<Partial<PartnershipRef> & { id: string }>;
}

export function known(input: KnownInput = {}): Known {
  return {
    institutions: new Map(
      (input.institutions ?? []).map((id): [string, InstitutionRef] => [id, { id, name: id, country: "FR" }]),
    ),
    partnerships: new Map(
      (input.partnerships ?? []).map((p): [string, PartnershipRef] => [
        p.id,
        { status: "active", parties: [], terminatedOn: null, ...p },
      ]),
    ),
  };
}

export function given<C extends Command, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  events: readonly E[],
  knownInput: KnownInput = {},
) {
  const state = events.reduce(decider.evolve, decider.initialState);
  return {
    state,
    when(command: Omit<C, "metadata"> & { metadata?: CommandMetadata }) {
      const full = { metadata: meta(), ...command } as C;
      const run = () => decider.decide(full, state, known(knownInput));
      return {
        /** Each expected event names its type and what its data must hold (matched as a subset). */
        then(expected: ReadonlyArray<{ readonly type: E["type"]; readonly data: Partial<E["data"]> }>): E[] {
          const produced = run();
          expect(produced).toHaveLength(expected.length);
          produced.forEach((event, index) => expect(event).toMatchObject(expected[index]!));
          return produced;
        },
        /** The state after the command's events. */
        thenState(): S {
          return run().reduce(decider.evolve, state);
        },
        thenRejects(code: string, field?: string): DomainError {
          let error: unknown;
          try {
            run();
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(DomainError);
          const domainError = error as DomainError;
          if (domainError instanceof RuleViolation) expect(domainError.rule).toBe(code);
          else expect(domainError.code).toBe(code);
          if (field !== undefined) expect(domainError).toMatchObject({ field });
          return domainError;
        },
      };
    },
  };
}
