/** FEATURE_ORDER_V1: the 51 per-pixel features of a Sentinel-2 season (see docs/features.md). */
package io.geocrop.features;
