/**
 * Crop classes v1, copied from libs/domain `CropClass` for the legend shown before the server's legend
 * arrives (the `/legend/job-<id>-class` answer wins when present). A unit test keeps the two in step.
 */
export interface CropClassInfo {
  code: number;
  id: string;
  label: string;
  color: string;
}

export const CROP_CLASSES: readonly CropClassInfo[] = [
  { code: 1, id: "maize", label: "Maize", color: "#f2c12e" },
  { code: 2, id: "tobacco", label: "Tobacco", color: "#8c5a2b" },
  { code: 3, id: "soybean", label: "Soybean", color: "#9acd32" },
  { code: 4, id: "groundnut", label: "Groundnut", color: "#e07b39" },
  { code: 5, id: "cotton", label: "Cotton", color: "#f5f0e1" },
  { code: 6, id: "sorghum_millet", label: "Sorghum / millet", color: "#c0392b" },
  { code: 7, id: "sugarcane", label: "Sugarcane", color: "#7b3fa0" },
  { code: 8, id: "grassland_shrub", label: "Grassland / shrub", color: "#b5d99c" },
  { code: 9, id: "trees", label: "Trees", color: "#1e6b30" },
  { code: 10, id: "water", label: "Water", color: "#2e86de" },
  { code: 11, id: "bare_built", label: "Bare / built", color: "#9e9e9e" },
];
