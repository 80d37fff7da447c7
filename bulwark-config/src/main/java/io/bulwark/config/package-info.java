/**
 * The configuration snapshot: immutable records produced by {@code ConfigLoader} from one YAML
 * file, with every reference resolved (a behavior holds its origin group, cache policy and origin
 * request policy, not their names). A reload builds a new snapshot and swaps it atomically; nothing
 * here ever changes after loading.
 */
package io.bulwark.config;
