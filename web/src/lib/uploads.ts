/** The upload's name on the server from a file name: letters, digits and '-', with a random suffix so a new
 * upload of the same file never shows an older result. */
export function uploadName(fileName: string, random: () => number = Math.random): string {
  const stem = fileName.replace(/\.tiff?$/i, "");
  const slug = stem
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  const suffix = Math.floor(random() * 36 ** 6)
    .toString(36)
    .padStart(6, "0");
  return `${slug || "upload"}-${suffix}`;
}

/** Whether a file looks like a GeoTIFF by its name; the server checks the content itself. */
export function looksLikeTiff(fileName: string): boolean {
  return /\.tiff?$/i.test(fileName);
}

/** Bytes in words: "53.1 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
