/** Sentinel-2 L2A imagery: the STAC API client and the season reader. */
package io.geocrop.imagery;
