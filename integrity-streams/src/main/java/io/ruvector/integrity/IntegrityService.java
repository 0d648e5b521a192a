package io.ruvector.integrity;

import io.ruvector.integrity.gate.GateDecision;
import io.ruvector.integrity.gate.GateMatrix;
import io.ruvector.integrity.gate.Operation;
import io.ruvector.integrity.signing.EventSigner;
import io.ruvector.integrity.signing.EventVerifier;
import io.ruvector.integrity.signing.SigningKeys;
import io.ruvector.integrity.topology.IntegrityConfig;
import io.ruvector.integrity.topology.IntegrityTopology;
import io.ruvector.integrity.topology.Scope;
import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.StateTransition;
import io.ruvector.schemas.registry.SchemaRegistry;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Java API of the integrity sensor for the HTTP layer and in-process users: current state,
 * transition history, gate answers, and the public key that verifies the events.
 *
 * <p>Reads come from the {@code integrity-state} store through a {@link StateReader} (IQv2 in a
 * running application): the store is updated in the same task as the state topic is written, so
 * it is never behind the topic, and needs no extra consumer. Thread-safe.
 */
public final class IntegrityService implements AutoCloseable {

    private final StateReader reader;
    private final SigningKeys keys;
    private final GateMatrix gates;
    private final KafkaStreams streams;

    /** A service over any reader (tests, or a caller that runs the topology itself); {@link #close()} closes nothing. */
    public IntegrityService(StateReader reader, SigningKeys keys, GateMatrix gates) {
        this(reader, keys, gates, null);
    }

    private IntegrityService(StateReader reader, SigningKeys keys, GateMatrix gates, KafkaStreams streams) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.gates = Objects.requireNonNull(gates, "gates");
        this.streams = streams;
    }

    /**
     * Loads (or creates) the signing key in {@code config.keyDir()}, builds and starts the integrity
     * application; {@link #close()} stops it. The registry stays the caller's.
     */
    public static IntegrityService start(IntegrityConfig config, SchemaRegistry registry) {
        Objects.requireNonNull(config, "config");
        SigningKeys keys = SigningKeys.loadOrCreate(config.keyDir());
        KafkaStreams streams = new KafkaStreams(IntegrityTopology.build(config.topics(), registry, config.settings(),
                new EventSigner(keys)), config.toProperties());
        streams.start();
        return new IntegrityService(new InteractiveStateReader(streams), keys, config.settings().gates(), streams);
    }

    /** The state record of the collection ({@code tenant} null) or of one tenant, if evaluated yet. */
    public Optional<IntegrityState> state(String collection, String tenant) {
        Scope scope = new Scope(collection, tenant);
        return reader.read(scope.collection(), scope.key());
    }

    /** The latest transitions of the scope, oldest first (empty when never evaluated or never changed). */
    public List<StateTransition> history(String collection, String tenant) {
        return state(collection, tenant).map(IntegrityState::getTransitions).orElse(List.of());
    }

    /**
     * The gate answer for {@code operation} (parsed by {@link Operation#parse}; unknown names are
     * medium risk). A tenant without a state of its own is gated by its collection's state; a scope
     * never evaluated is NORMAL: the sensor knows nothing against it.
     */
    public GateDecision gate(String collection, String tenant, String operation) {
        Operation op = Operation.parse(operation);
        Optional<IntegrityState> state = state(collection, tenant);
        if (state.isEmpty() && tenant != null) {
            state = state(collection, null);
        }
        return gates.decide(state.map(IntegrityState::getState).orElse(IntegrityLevel.NORMAL), op);
    }

    /** The deployment's signer, for other signed records (healing commands and outcomes): one key for all. */
    public io.ruvector.schemas.signing.RecordSigner signer() {
        return keys;
    }

    public String signerId() {
        return keys.signerId();
    }

    public PublicKey publicKey() {
        return keys.publicKey();
    }

    /** X.509 DER of the public key, base64: what a subscriber pins to verify events. */
    public String publicKeyBase64() {
        return keys.publicKeyBase64();
    }

    /** A verifier that trusts this service's key. */
    public EventVerifier verifier() {
        return new EventVerifier(keys.publicKey());
    }

    /** The running application (state listeners, metrics), empty for a service over a plain reader. */
    public Optional<KafkaStreams> streams() {
        return Optional.ofNullable(streams);
    }

    @Override
    public void close() {
        if (streams != null) {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
    }
}
