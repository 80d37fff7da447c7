package io.bulwark.config;

import java.nio.file.Path;

/**
 * A distribution's viewer certificate and minimum protocol.
 *
 * @param certificateChain PEM file of the certificate chain, or null to generate a self-signed one
 *     for the distribution's hosts at start (marked as such in the log)
 * @param privateKey PEM file of the key (PKCS#8), or null with certificateChain null
 * @param minProtocol "TLSv1.2" (default) or "TLSv1.3"
 */
public record TlsSettings(Path certificateChain, Path privateKey, String minProtocol) {}
