/**
 * The loader's implementation: unit parsing, the typed reader over {@link
 * io.bulwark.config.node.ConfigNode}, the section parsers, the managed policies and the rules for
 * header names and secrets. Not an API: classes here are public only so that {@code
 * io.bulwark.config.ConfigLoader} and {@code ConfigLint} can use them, and may change without
 * notice.
 */
package io.bulwark.config.internal;
