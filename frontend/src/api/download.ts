/**
 * Downloads need the bearer token, so a plain link cannot fetch them: the caller fetches the
 * bytes, then the browser is handed an object URL to save under the file's name.
 */
export function saveBlob(bytes: Blob, filename: string): void {
  const url = URL.createObjectURL(bytes);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
