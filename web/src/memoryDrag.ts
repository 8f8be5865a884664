/** @module memoryDrag — what a memory card carries while it is dragged onto a tier's tab. */
import type { Memory, MemoryType } from '@memory-weaver/protocol';
import type { DragEvent } from 'react';

// A type of our own, so text, links or files dropped on a tab are not taken for a memory.
const DRAG_TYPE = 'application/x-memory-weaver-memory';

export interface DraggedMemory {
  id: string;
  from: MemoryType;
}

export function startMemoryDrag(e: DragEvent, memory: Memory): void {
  const payload: DraggedMemory = { id: memory.memory_id, from: memory.memory_type };
  e.dataTransfer.setData(DRAG_TYPE, JSON.stringify(payload));
}

/** The memory dropped, or null when the drop carried something else. */
export function droppedMemory(e: DragEvent): DraggedMemory | null {
  const data = e.dataTransfer.getData(DRAG_TYPE);
  // Only startMemoryDrag writes this type, so its shape is known.
  return data ? (JSON.parse(data) as DraggedMemory) : null;
}
