package dev.isthmus.perf.gen.profile;

import java.nio.file.Path;

/**
 * One stream: what it sends, how fast and how many.
 *
 * @param id      index among all the profile's streams (carried in latency signatures; RX reports by it)
 * @param name    unique name
 * @param port    the port it is sent on
 * @param rate    offered rate
 * @param count   packets to send, 0 for continuous
 * @param latency whether each packet carries the signature (stream id, sequence, send time) the receiver measures
 *                latency, loss and order from; DNS streams measure from the query ID instead and ignore it
 * @param packet  the template, for generated streams; null for pcap replay
 * @param pcap    the capture replayed in a loop, for pcap streams; null otherwise
 * @param random  whether varying fields are drawn at random (else they increment, packet by packet)
 * @param seed    seed of the random draws, so that a run can be repeated
 */
public record Stream(int id, String name, String port, Rate rate, long count, boolean latency, Template packet,
        Path pcap, boolean random, long seed) {

    public boolean isPcap() {
        return pcap != null;
    }

    public boolean isDns() {
        return packet != null && packet.innermost().isDns();
    }

    Stream withRate(Rate r) {
        return new Stream(id, name, port, r, count, latency, packet, pcap, random, seed);
    }

    Stream continuous() {
        return new Stream(id, name, port, rate, 0, latency, packet, pcap, random, seed);
    }
}
