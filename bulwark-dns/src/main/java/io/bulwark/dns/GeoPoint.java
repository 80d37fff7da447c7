package io.bulwark.dns;

/**
 * Where an address is, as a GeoIP database says.
 *
 * @param continent two-letter continent code (AF, AN, AS, EU, NA, OC, SA), or null
 * @param country ISO 3166-1 alpha-2, or null
 * @param subdivision ISO 3166-2 subdivision code without the country (e.g. {@code CA} for
 *     California), or null
 * @param latitude degrees, or NaN when unknown
 * @param longitude degrees, or NaN when unknown
 * @param networkPrefix length of the database network the address falls in: the widest ECS scope
 *     for which this answer holds
 */
public record GeoPoint(
    String continent,
    String country,
    String subdivision,
    double latitude,
    double longitude,
    int networkPrefix) {

  public boolean hasCoordinates() {
    return !Double.isNaN(latitude) && !Double.isNaN(longitude);
  }
}
