/** Web Mercator XYZ map tiles rendered from COGs. */
package io.geocrop.tiles;
