import type { SqliteDatabase } from "./sqlite-database.ts";

/** One item of the current turn, waiting for the turn's commit. */
interface Pending<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the items one adapter is given during an event-loop turn and handles them with ONE call
 * in the turn's transaction (`SqliteDatabase.batched`), so work shared by the items (reading a
 * counter once, one multi-row INSERT) is done once per turn rather than once per item. Each
 * `add` resolves with its own result once the turn has committed; if the transaction fails,
 * every item of the turn rejects with that error and nothing of it is kept.
 */
export class TurnBatch<I, O> {
  /** The items of the turn whose call is still to run (null: none added yet this turn). */
  private pending: Pending<I, O>[] | null = null;

  constructor(
    private readonly database: SqliteDatabase,
    /** Handles a turn's items inside its transaction; returns one result per item, in order. */
    private readonly handle: (items: I[]) => O[],
  ) {}

  /** Adds `item` to this turn's call; resolves with its result after the turn's commit. */
  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      (this.pending ?? this.open()).push({ item, resolve, reject });
    });
  }

  private open(): Pending<I, O>[] {
    const pending: Pending<I, O>[] = [];
    this.pending = pending;
    this.database
      .batched(() => {
        // From here on, items belong to the next turn (this call runs just before the commit).
        this.pending = null;
        return this.handle(pending.map((p) => p.item));
      })
      .then(
        (results) => {
          for (let i = 0; i < pending.length; i++) pending[i]!.resolve(results[i]!);
        },
        (error: unknown) => {
          // An earlier call of the turn threw, so this one never ran: the next item starts anew.
          if (this.pending === pending) this.pending = null;
          for (const p of pending) p.reject(error);
        },
      );
    return pending;
  }
}
