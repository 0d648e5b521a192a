package io.ruvector.cdc.normalise;

import java.math.BigDecimal;
import java.util.Base64;

/** Maps Connect column values onto the metadata union: null, string, long, double, boolean. */
final class MetadataValues {

    private MetadataValues() {
    }

    static Object of(Object value) {
        return switch (value) {
            case null -> null;
            case Boolean b -> b;
            case Byte b -> b.longValue();
            case Short s -> s.longValue();
            case Integer i -> i.longValue();
            case Long l -> l;
            case Float f -> f.doubleValue();
            case Double d -> d;
            case BigDecimal d -> d.doubleValue();
            case CharSequence s -> s.toString();
            case byte[] bytes -> Base64.getEncoder().encodeToString(bytes);
            case java.util.Date d -> d.toInstant().toString();
            default -> value.toString();
        };
    }
}
