/**
 * STAC API client and item model for Sentinel-2 L2A: {@link io.geocrop.imagery.stac.StacClient} searches a
 * STAC API (Digital Earth Africa by default, Earth Search too), {@link io.geocrop.imagery.stac.StacItemParser}
 * turns items into {@link io.geocrop.imagery.stac.StacItem}s whose band assets are keyed by
 * {@link io.geocrop.imagery.stac.S2Band} whatever naming the catalogue uses, with HTTPS hrefs and the DN to
 * reflectance conversion already worked out.
 */
package io.geocrop.imagery.stac;
