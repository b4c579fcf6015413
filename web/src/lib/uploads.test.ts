import { describe, expect, it } from "vitest";
import { formatBytes, looksLikeTiff, uploadName } from "./uploads";

describe("uploadName", () => {
  it("keeps letters and digits, joins the rest with '-' and adds a random suffix", () => {
    expect(uploadName("Farm 7 (north).TIF", () => 0)).toBe("farm-7-north-000000");
    expect(uploadName("r0-c1.tif", () => 0.5)).toMatch(/^r0-c1-[0-9a-z]{6}$/);
  });

  it("always gives a name the server accepts", () => {
    for (const name of ["", ".tif", "ééé.tiff", "a".repeat(200) + ".tif"]) {
      expect(uploadName(name, () => 0.99)).toMatch(/^[a-z0-9][a-z0-9-]{0,63}$/);
    }
  });
});

describe("looksLikeTiff and formatBytes", () => {
  it("tells GeoTIFF names and sizes", () => {
    expect(looksLikeTiff("x.tif")).toBe(true);
    expect(looksLikeTiff("x.TIFF")).toBe(true);
    expect(looksLikeTiff("x.csv")).toBe(false);
    expect(formatBytes(53_477_376)).toBe("53.5 MB");
    expect(formatBytes(999)).toBe("999 B");
  });
});
