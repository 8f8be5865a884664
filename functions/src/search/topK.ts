/**
 * @module search/topK — the best k of many, without sorting them all: a heap of the k best seen so
 * far, whose root is the worst of them. A search ranks every memory of an AI but keeps 200 per
 * signal; sorting 10,000 scores to keep 200 was most of a ranking's time.
 */
export class TopK<T> {
  private readonly heap: T[] = [];

  /** `better(a, b)` > 0 when `a` ranks before `b`. */
  constructor(
    private readonly k: number,
    private readonly better: (a: T, b: T) => number,
  ) {}

  offer(item: T): void {
    const heap = this.heap;
    if (this.k <= 0) return;
    if (heap.length < this.k) {
      heap.push(item);
      this.up(heap.length - 1);
    } else if (this.better(item, heap[0] as T) > 0) {
      heap[0] = item;
      this.down(0);
    }
  }

  /** The items kept, best first. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => this.better(b, a));
  }

  private up(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.better(heap[parent] as T, heap[i] as T) <= 0) return;
      [heap[parent], heap[i]] = [heap[i] as T, heap[parent] as T];
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < heap.length && this.better(heap[worst] as T, heap[l] as T) > 0) worst = l;
      if (r < heap.length && this.better(heap[worst] as T, heap[r] as T) > 0) worst = r;
      if (worst === i) return;
      [heap[worst], heap[i]] = [heap[i] as T, heap[worst] as T];
      i = worst;
    }
  }
}
