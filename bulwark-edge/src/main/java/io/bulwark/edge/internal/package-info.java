/**
 * Implementation of the edge; not an API. Classes here may change without notice. {@link
 * io.bulwark.edge.internal.RequestPhases} is the table of contents of the request path.
 */
package io.bulwark.edge.internal;
