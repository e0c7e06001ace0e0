/**
 * One projection version in one read-model file: its tables, its checkpoint, and the one way events are
 * applied — a batch of events and the new checkpoint in one transaction, so a crash never applies an event
 * twice nor skips one.
 */
import { comparePositions, type RecordedEvent } from "../events/envelope";
import { asCurrentEvent } from "../events/upcasters";
import type { Handler, ProjectionDefinition, Tables } from "./projection";
import { tablesOf } from "./projection";
import type { ReadModelDatabase } from "./read-model-db";
import { PasserelleError } from "../events/errors";

/** A projection stopped on an event it could not apply. Never skipped: a rebuild after the fix resumes there. */
export class ProjectionFailedError extends PasserelleError {
  readonly code = "PROJECTION_FAILED";
  constructor(
    readonly projection: string,
    readonly position: string,
    readonly eventType: string,
    readonly reason: string,
  ) {
    super(`projection ${projection} stopped at position ${position} (${eventType}): ${reason}`);
  }
}

/** Another runner advanced this projection's checkpoint in the same file: two owners would apply twice. */
export class CheckpointMovedError extends PasserelleError {
  readonly code = "CHECKPOINT_MOVED";
  constructor(readonly projection: string) {
    super(
      `projection ${projection}: the checkpoint moved under this runner (is another runner using the same read-model file?)`,
    );
  }
}

const labelOf = (name: string, version: number) => `${name} v${version}`;

export class ProjectionTrack {
  readonly tables: Tables<string>;
  readonly label: string;
  private checkpointValue: string;

  constructor(
    readonly definition: ProjectionDefinition,
    private readonly rm: ReadModelDatabase,
  ) {
    this.tables = tablesOf(definition.name, definition.version, definition.tables);
    this.label = labelOf(definition.name, definition.version);
    this.checkpointValue = this.ensure();
    if (this.record.status === "building") rm.loading(this.label, true);
  }

  get checkpoint(): string {
    return this.checkpointValue;
  }

  get record() {
    return this.rm.projection(this.definition.name, this.definition.version)!;
  }

  /** Creates the version's bookkeeping row and tables if they are not there; returns its checkpoint. */
  private ensure(): string {
    const { name, version } = this.definition;
    const existing = this.rm.projection(name, version);
    if (existing) return existing.checkpoint;
    this.rm.transaction(() => {
      this.rm.run("INSERT INTO projection_versions (name, version) VALUES (?, ?)", name, version);
      this.definition.setup(this.rm, this.tables);
    });
    return "0";
  }

  /** Applies a batch in one transaction. On failure, finds and records the failing event, then throws. */
  apply(batch: readonly RecordedEvent[]): void {
    if (batch.length === 0) return;
    try {
      this.rm.transaction(() => this.applyAll(batch));
    } catch (error) {
      if (error instanceof CheckpointMovedError) throw error;
      // Apply what comes before the bad event, so the checkpoint names exactly where the projection stopped.
      for (const event of batch) {
        try {
          this.rm.transaction(() => this.applyAll([event]));
        } catch (single) {
          if (single instanceof CheckpointMovedError) throw single;
          const failure = new ProjectionFailedError(
            this.label,
            event.position,
            event.type,
            String((single as Error).message ?? single),
          );
          this.rm.run(
            "UPDATE projection_versions SET status = 'failed', error = ? WHERE name = ? AND version = ?",
            failure.message,
            this.definition.name,
            this.definition.version,
          );
          this.rm.loading(this.label, false);
          throw failure;
        }
      }
      throw error;
    }
  }

  private applyAll(batch: readonly RecordedEvent[]): void {
    // Claim the batch first: if another runner moved the checkpoint, stop before touching its rows.
    const next = batch[batch.length - 1]!.position;
    const claimed = this.rm.run(
      "UPDATE projection_versions SET checkpoint = ? WHERE name = ? AND version = ? AND checkpoint = ?",
      next,
      this.definition.name,
      this.definition.version,
      this.checkpointValue,
    );
    if (claimed.changes !== 1) throw new CheckpointMovedError(this.label);
    this.definition.batched?.begin();
    this.definition.everyBatch?.(batch, this.rm, this.tables);
    for (const stored of batch) {
      this.definition.everyEvent?.(stored, this.rm, this.tables);
      const event = asCurrentEvent(stored);
      if (!event) continue;
      const handler = this.definition.handlers[event.type] as Handler<typeof event.type, string> | undefined;
      handler?.(event as never, this.rm, this.tables);
    }
    this.definition.batched?.end(this.rm, this.tables);
    this.checkpointValue = next;
  }

  /**
   * Moves the checkpoint to `position` without applying anything: every event up to it that this projection
   * handles has been applied (catchUp read them all), the rest concern it not. Never moves it back.
   */
  advanceTo(position: string): void {
    if (comparePositions(position, this.checkpointValue) <= 0) return;
    const claimed = this.rm.run(
      "UPDATE projection_versions SET checkpoint = ? WHERE name = ? AND version = ? AND checkpoint = ?",
      position,
      this.definition.name,
      this.definition.version,
      this.checkpointValue,
    );
    if (claimed.changes !== 1) throw new CheckpointMovedError(this.label);
    this.checkpointValue = position;
  }

  /** Live from now on, with the indexes its queries use (made here, after the catch-up filled the tables). */
  markLive(): void {
    this.rm.transaction(() => {
      for (const index of this.definition.queryIndexes?.(this.tables) ?? []) this.rm.exec(index);
      this.rm.run(
        "UPDATE projection_versions SET status = 'live' WHERE name = ? AND version = ? AND status = 'building'",
        this.definition.name,
        this.definition.version,
      );
    });
    this.rm.loading(this.label, false);
  }

  /** Drops the version's tables and bookkeeping: the next track of it starts from zero. */
  static drop(rm: ReadModelDatabase, name: string, version: number): void {
    rm.transaction(() => {
      for (const table of rm.tablesOfVersion(name, version)) rm.exec(`DROP TABLE IF EXISTS "${table}"`);
      rm.run("DELETE FROM projection_versions WHERE name = ? AND version = ?", name, version);
    });
    rm.loading(labelOf(name, version), false);
  }
}
