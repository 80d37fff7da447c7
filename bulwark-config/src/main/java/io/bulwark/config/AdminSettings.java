package io.bulwark.config;

/** The admin API listener; loopback by default (127.0.0.1:9901). */
public record AdminSettings(HostPort address) {}
