/**
 * A local Digital Earth Africa: a simulated Sentinel-2 season served as STAC items and COGs over HTTP, so GeoCrop's
 * imagery code path runs offline exactly as it does against DEA.
 *
 * <ul>
 *   <li>{@link io.geocrop.imagery.sim.SimulatedLandscape}: field parcels and their crop classes at any point of a UTM
 *       zone (the ground truth), a pure function of (seed, easting, northing);</li>
 *   <li>{@link io.geocrop.imagery.sim.SimulatedSeason}: reflectance of the ten bands and SCL per date and pixel
 *       (phenology, spectra, clouds, shadows, noise), computed per row;</li>
 *   <li>{@link io.geocrop.imagery.sim.SimulatedDea}: the {@code s2_l2a} catalogue: scenes, STAC items, COG assets
 *       generated lazily into a cache;</li>
 *   <li>{@link io.geocrop.imagery.sim.SimulatedDeaServer}: the STAC API and range-request asset server;</li>
 *   <li>{@link io.geocrop.imagery.sim.SimulatedDynamicWorld}: Dynamic World label baselines per 10 km cell derived
 *       from the same landscape, and {@link io.geocrop.imagery.sim.SimulatedBaselines}, which stores them in
 *       {@code geocrop-baselines} on demand, once per cell.</li>
 * </ul>
 */
package io.geocrop.imagery.sim;
