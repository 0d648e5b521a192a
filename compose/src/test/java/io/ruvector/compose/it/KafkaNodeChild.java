package io.ruvector.compose.it;

import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.broker.EmbeddedKafkaBroker;
import io.ruvector.compose.broker.KraftNode;

import java.nio.file.Path;
import java.util.Map;

/** Node 3 of {@link KafkaCluster} in its own JVM: args data dir, port, cluster id, voters {@code id:port,...}. */
public final class KafkaNodeChild {

    private KafkaNodeChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<Integer, Integer> voters = KafkaCluster.parseVoters(args[3]);
        new EmbeddedKafkaBroker(new BrokerConfig(Path.of(args[0]), Integer.parseInt(args[1]), voters.get(KafkaCluster.KILLABLE_NODE),
                new KraftNode(KafkaCluster.KILLABLE_NODE, args[2], voters, (short) 3, 2))).start();
        Thread.currentThread().join(); // until killed
    }
}
