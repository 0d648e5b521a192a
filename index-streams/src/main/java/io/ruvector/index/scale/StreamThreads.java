package io.ruvector.index.scale;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;

/** The index application's stream threads in this instance: how many, add one, remove one. */
public interface StreamThreads {

    /** Stream threads running now. */
    int count();

    /** Starts one more stream thread; its name, or empty when the application cannot take one now. */
    Optional<String> add();

    /** Stops one stream thread (waiting at most {@code timeout}); its name, or empty when none could go. */
    Optional<String> remove(Duration timeout);

    /** The threads of a running {@link KafkaStreams}: {@code addStreamThread} and {@code removeStreamThread}. */
    static StreamThreads of(KafkaStreams streams) {
        Objects.requireNonNull(streams, "streams");
        return new StreamThreads() {
            @Override
            public int count() {
                return streams.metadataForLocalThreads().size();
            }

            @Override
            public Optional<String> add() {
                return streams.addStreamThread();
            }

            @Override
            public Optional<String> remove(Duration timeout) {
                return streams.removeStreamThread(timeout);
            }
        };
    }
}
