/**
 * @module brain/progress — an import's progress on the AI's event stream: `import_started`, an
 * `import_progress` each time another tenth of the plan is done, then `import_finished` (with the
 * plan's counts) or `import_failed` (with the failure's code). Each is an ordinary numbered event
 * written through runChange with no memory (memory_id null), like extraction's progress, so the
 * relay, `GET /events` and the console see them in order with the import's own writes.
 */
import type { ImportEventInfo, MemoryEventType } from '@memory-weaver/protocol';
import type { MutationContext } from '../context.js';
import { runChange } from '../memory/change.js';

/** Progress events per import at most (plus started and finished): a tenth at a time. */
const STEPS = 10;

export class ImportProgress {
  private done = 0;
  private readonly every: number;
  private next: number;

  constructor(
    private readonly ctx: MutationContext,
    private readonly aiUuid: string,
    private readonly importId: string,
    private readonly total: number,
  ) {
    this.every = Math.max(1, Math.ceil(total / STEPS));
    this.next = this.every;
  }

  started(): Promise<void> {
    return this.write('import_started', {});
  }

  /**
   * Counts `n` more items done; writes a progress event when a tenth is crossed. The count is
   * taken before the write is queued, and runChange numbers writes in the order they are asked,
   * so concurrent callers' events carry `done` in increasing order.
   */
  async step(n = 1): Promise<void> {
    this.done += n;
    if (this.done < this.next || this.done >= this.total) return;
    while (this.next <= this.done) this.next += this.every;
    await this.write('import_progress', {});
  }

  finished(counts: Record<string, number>): Promise<void> {
    this.done = this.total;
    return this.write('import_finished', { counts });
  }

  /** Best effort: the failure being reported matters more than its event (which may fail the same way). */
  async failed(code: string): Promise<void> {
    try {
      await this.write('import_failed', { reason: code });
    } catch {
      // The import's own error is what the caller gets; a retry writes its own events.
    }
  }

  private async write(type: MemoryEventType, extra: Partial<ImportEventInfo>): Promise<void> {
    const info: ImportEventInfo = { import_id: this.importId, done: this.done, total: this.total, ...extra };
    await runChange(this.ctx, this.aiUuid, [], ({ event }) => {
      event({ type, memoryId: null, tier: null, memory: null, import: info });
    });
  }
}
