package dev.isthmus.dataplane.pipeline;

/** Builds each lcore's own {@link Pipeline}, so stages hold per-lcore state without sharing it. */
@FunctionalInterface
public interface PipelineFactory {

    Pipeline create(LcoreContext lcore);
}
