package io.ruvector.compose.runtime;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The parts a runtime process runs ({@code ./ruvector run --role a,b}). The embedded default runs
 * capture, index, integrity and healing in one JVM; in cluster mode each scales on its own.
 */
public enum Role {
    /** Debezium embedded in this process, normalising in-process onto the vectors topic. */
    CAPTURE,
    /** Debezium runs on Kafka Connect; this process normalises its CDC topics onto the vectors topic. */
    NORMALISER,
    /** The partitioned vector index and its queries. */
    INDEX,
    /** The integrity application: samples → min-cut → states and gates. */
    INTEGRITY,
    /** The healing engine: states → problems → commands, verified and learned. */
    HEALING;

    /** What {@code ./ruvector run} runs without {@code --role}. */
    public static final Set<Role> EMBEDDED_DEFAULT = Set.copyOf(EnumSet.of(CAPTURE, INDEX, INTEGRITY, HEALING));

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a comma list such as {@code normaliser,index}.
     *
     * @throws IllegalArgumentException naming an unknown role or a combination that cannot run
     */
    public static Set<Role> parse(String list) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String part : list.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            try {
                roles.add(Role.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown role '" + name + "': roles are capture, normaliser, index, "
                        + "integrity, healing");
            }
        }
        return validate(roles);
    }

    static Set<Role> validate(Set<Role> roles) {
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("at least one role is needed (capture, normaliser, index, integrity, healing)");
        }
        if (roles.contains(CAPTURE) && roles.contains(NORMALISER)) {
            throw new IllegalArgumentException("roles capture and normaliser exclude each other: capture runs Debezium "
                    + "in this process, normaliser reads what Debezium on Kafka Connect produces");
        }
        if (roles.contains(HEALING) && !roles.contains(INTEGRITY)) {
            // the engine signs its commands and outcomes with the integrity application's key (integrity.md)
            throw new IllegalArgumentException("role healing runs beside integrity: give --role integrity,healing");
        }
        return Set.copyOf(roles);
    }
}
