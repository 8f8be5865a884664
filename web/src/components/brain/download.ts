/** @module components/brain/download — hands a text to the browser as a file to save. */

/** Saves `text` as `fileName` through a temporary object URL (no server round trip, no data: URL). */
export function saveAs(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // After the click has been handled: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from an AI's name: letters, digits, dot, dash and underscore (what the API's own header uses). */
export const brainFileName = (aiName: string): string => `${aiName.replace(/[^A-Za-z0-9_.-]/g, '_') || 'ai'}.brain`;
