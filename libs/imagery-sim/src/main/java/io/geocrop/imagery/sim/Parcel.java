package io.geocrop.imagery.sim;

import io.geocrop.domain.CropClass;

/**
 * One field (or patch of natural land) of the simulated landscape, with the attributes that make it differ from
 * its neighbours of the same class.
 *
 * @param id                 stable id: a hash of the seed and the parcel's cell on the parcel grid
 * @param cropClass          what grows there (the ground truth)
 * @param plantingShiftDays  this parcel's planting (and senescence) date minus its class's mean, in days
 * @param vigour             multiplies the class's peak green cover (0.55 .. 1.1): soil fertility, management
 * @param soilBrightness     multiplies the soil spectrum (0.8 .. 1.2)
 * @param mixShare           class-specific share in [0, 1]: built fraction of bare/built, turbidity of water
 */
public record Parcel(long id, CropClass cropClass, double plantingShiftDays, double vigour, double soilBrightness,
                     double mixShare) {}
