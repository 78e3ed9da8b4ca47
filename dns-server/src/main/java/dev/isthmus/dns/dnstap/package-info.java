/**
 * dnstap output (https://dnstap.info): sampled queries and responses as dnstap {@code Message}s (AUTH_QUERY,
 * AUTH_RESPONSE; protobuf, schema in {@code src/main/protobuf/dnstap.proto}, compiled at build time with
 * protobuf-java) in Frame Streams — to a file ({@link dev.isthmus.dns.dnstap.DnstapFile}) or to a collector's Unix
 * socket with the bidirectional handshake ({@link dev.isthmus.dns.dnstap.DnstapSocket}). Written by the query
 * logger's thread only; the poll loops never see it.
 */
package dev.isthmus.dns.dnstap;
