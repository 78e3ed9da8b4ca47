/**
 * Data-path counters. Each lcore owns one {@link dev.isthmus.dataplane.counters.LcoreCounters} and is its only
 * writer (plain read, opaque write: no atomics, no contention); any other thread reads them at any time with opaque
 * loads and sums them into per-port, per-queue and per-lcore views ({@link dev.isthmus.dataplane.counters.CounterSnapshot}).
 * Drops are counted by reason: a {@link dev.isthmus.dataplane.counters.DropReason} is an enum constant of the dataplane
 * or of a network function, given a small integer code by {@link dev.isthmus.dataplane.counters.DropReasons}.
 */
package dev.isthmus.dataplane.counters;
