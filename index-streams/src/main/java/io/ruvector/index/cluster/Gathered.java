package io.ruvector.index.cluster;

import java.util.Map;
import java.util.Set;

/**
 * Every partition's answer to one scatter/gather, and which partitions a standby copy answered
 * because their active instance could not (each answer carries the watermark it was served at).
 *
 * @param answers        partition → answer, one per partition of the vectors topic
 * @param standbyServed  partitions answered by a standby copy
 * @param <R>            one partition's answer
 */
public record Gathered<R>(Map<Integer, R> answers, Set<Integer> standbyServed) {

    public Gathered {
        answers = Map.copyOf(answers);
        standbyServed = Set.copyOf(standbyServed);
    }
}
