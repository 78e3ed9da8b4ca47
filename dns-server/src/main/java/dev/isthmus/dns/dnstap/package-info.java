/**
 * dnstap output (https://dnstap.info): query-log records as dnstap {@code Message}s (protobuf, schema in
 * {@code src/main/protobuf/dnstap.proto}, compiled at build time with protobuf-java) in a Frame Streams file.
 * Written by the query logger's thread only; the poll loops never see it.
 */
package dev.isthmus.dns.dnstap;
