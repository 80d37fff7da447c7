/**
 * Internal to the static origin server, not an API: the pure decisions it makes per request (path
 * safety, content type, byte ranges, conditional requests), public only so they can be tested on
 * their own with tables of cases. May change without notice.
 */
package io.bulwark.staticorigin.internal;
