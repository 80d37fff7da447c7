/**
 * Implementation details of {@code io.bulwark.cache}: parsers (HTTP dates, Accept-Encoding, query
 * strings and cookies for the key) and the store's invalidation log. Not an API: types here may
 * change without notice; code outside bulwark-cache uses {@code io.bulwark.cache} only.
 */
package io.bulwark.cache.internal;
