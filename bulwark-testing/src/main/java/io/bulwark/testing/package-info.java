/**
 * Test fixtures: {@link io.bulwark.testing.FakeOrigin}, a scriptable HTTP/1.1 origin on an
 * ephemeral loopback port that can be told to fail for real (status, reset, close, hang, truncate,
 * slow, refuse); {@link io.bulwark.testing.Ports}; and {@link io.bulwark.testing.TempSite}, a
 * temporary folder of files.
 */
package io.bulwark.testing;
