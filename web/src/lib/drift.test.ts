import { describe, expect, it } from "vitest";
import { driftNote } from "./drift";

describe("driftNote", () => {
  it("words a drifted job with a caution, a stable one plainly, and nothing when absent", () => {
    expect(driftNote({ level: "major", score: 0.41, words: "This area's NDVI peak day values look unlike the training data (drift score 0.41, major)." }))
      .toEqual({
        level: "major",
        text: "This area's NDVI peak day values look unlike the training data (drift score 0.41, major). The map and the adjusted areas may be less accurate here than the model's held-out accuracy suggests.",
      });
    expect(driftNote({ level: "none", score: 0.02, words: "This area's pixels look like the training data (drift score 0.02, none)." })?.text)
      .toBe("This area's pixels look like the training data (drift score 0.02, none).");
    expect(driftNote({ level: "unavailable", words: "Drift unavailable: the model card has no training distribution." })?.level).toBe("unavailable");
    expect(driftNote(undefined)).toBeUndefined();
  });
});
