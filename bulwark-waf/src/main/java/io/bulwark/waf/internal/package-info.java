/**
 * The web ACL engine's implementation: the rule model (statements, fields to match, text
 * transformations), the SQL-injection and XSS detectors, IP sets, rate counting, the configuration
 * reader and the built-in rule groups. Not an API: classes here are public only so that the package
 * {@code io.bulwark.waf} can use them, and may change without notice.
 */
package io.bulwark.waf.internal;
