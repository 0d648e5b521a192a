package io.ruvector.compose.runtime;

import io.ruvector.cdc.collection.CollectionIntrospector;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.TierPolicy;
import io.ruvector.schemas.topic.TopicNames;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** Registers a collection: checks the table in PostgreSQL, then stores the spec on the collections topic. */
public final class CollectionRegistrar {

    private final PgConnectionSettings postgres;
    private final TopicNames topics;
    private final Producer<String, CollectionSpec> producer;
    private final Clock clock;

    public CollectionRegistrar(PgConnectionSettings postgres, TopicNames topics, Producer<String, CollectionSpec> producer,
                               Clock clock) {
        this.postgres = postgres;
        this.topics = topics;
        this.producer = producer;
        this.clock = clock;
    }

    /**
     * @param existing the collection already registered under a name, or null
     * @throws IllegalArgumentException naming the problem when the request does not fit the table
     */
    public CollectionSpec register(CollectionRequest request, int dimensionsHint, int vectorPartitions,
                                   Function<String, CollectionSpec> existing) throws SQLException, InterruptedException {
        CollectionSpec spec;
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password())) {
            spec = new CollectionIntrospector(clock).describe(connection, request, dimensionsHint, vectorPartitions);
        }
        CollectionSpec previous = existing.apply(spec.getName());
        if (previous != null && !previous.getTable().equals(spec.getTable())) {
            throw new IllegalArgumentException("collection " + spec.getName() + " already exists for table " + previous.getTable());
        }
        if (previous != null && previous.getTiers() != null) {
            spec.setTiers(previous.getTiers()); // registering again keeps the tier policy
        }
        return store(spec);
    }

    /** Stores {@code current} with the tier policy {@code tiers} (null: none); returns the new spec. */
    public CollectionSpec withTiers(CollectionSpec current, TierPolicy tiers) throws InterruptedException {
        return store(CollectionSpec.newBuilder(current).setTiers(tiers).build());
    }

    /** {@code current} with another shadow policy (null: off), stored. */
    public CollectionSpec withShadow(CollectionSpec current, io.ruvector.schemas.ShadowPolicy shadow) throws InterruptedException {
        return store(CollectionSpec.newBuilder(current).setShadow(shadow).build());
    }

    private CollectionSpec store(CollectionSpec spec) throws InterruptedException {
        try {
            producer.send(new ProducerRecord<>(topics.collections(), spec.getName(), spec)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot store collection " + spec.getName() + ": " + e.getCause().getMessage(), e);
        }
        return spec;
    }
}
