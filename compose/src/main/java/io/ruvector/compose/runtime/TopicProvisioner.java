package io.ruvector.compose.runtime;

import io.ruvector.schemas.topic.TopicNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** Creates the topics of the topic map that are missing; returns the vectors topic's partition count. */
final class TopicProvisioner {

    private TopicProvisioner() {
    }

    static int ensure(Admin admin, TopicNames topics, int vectorPartitions, Replication replication)
            throws InterruptedException {
        String minInsync = Integer.toString(replication.minInsync());
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync);
        Map<String, String> plain = Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync);
        short rf = replication.factor();
        List<NewTopic> wanted = new ArrayList<>(List.of(
                new NewTopic(topics.vectors(), vectorPartitions, rf).configs(plain),
                new NewTopic(topics.vectorsDeadLetters(), 1, rf).configs(plain),
                new NewTopic(topics.collections(), 1, rf).configs(compacted),
                new NewTopic(topics.partitionMap(), 1, rf).configs(compacted),
                new NewTopic(topics.integritySamples(), vectorPartitions, rf).configs(plain),
                new NewTopic(topics.integrityEvents(), 1, rf).configs(plain),
                new NewTopic(topics.integrityState(), 1, rf).configs(compacted),
                new NewTopic(topics.integrityPolicies(), 1, rf).configs(compacted),
                // one partition each: the healing engine keeps every scope in one task
                new NewTopic(topics.healingCommands(), 1, rf).configs(plain),
                new NewTopic(topics.healingAcks(), 1, rf).configs(plain),
                new NewTopic(topics.healingOutcomes(), 1, rf).configs(plain),
                new NewTopic(topics.healingRequests(), 1, rf).configs(plain)));
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return describedPartitions(admin, topics.vectors());
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create RuVector topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Partitions of {@code topic}. Right after its creation the broker may not know it yet (the
     * controller's metadata reaches it a moment later; seen as "This server does not host this
     * topic-partition" in CI): retried for up to 10 s.
     */
    private static int describedPartitions(Admin admin, String topic) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                TopicDescription described = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                return described.partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
