/**
 * The built-in static origin server: serves a local folder on its own loopback port with ETag,
 * Last-Modified, conditional requests, single byte ranges and an index document, and has a {@link
 * io.bulwark.staticorigin.Fault fault switch}. The API is {@link
 * io.bulwark.staticorigin.StaticOriginServer} and {@link io.bulwark.staticorigin.Fault}; {@code
 * internal} is not an API.
 */
package io.bulwark.staticorigin;
