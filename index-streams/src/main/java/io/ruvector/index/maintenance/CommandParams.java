package io.ruvector.index.maintenance;

import java.util.Map;

/** Typed reads of a command's string parameters; a bad value fails naming the parameter. */
public final class CommandParams {

    private final Map<String, String> params;

    public CommandParams(Map<String, String> params) {
        this.params = params == null ? Map.of() : params;
    }

    public long positiveLong(String name, long fallback) {
        String text = params.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + name + " must be a whole number, was '" + text + "'");
        }
        if (value <= 0) {
            throw new IllegalArgumentException("parameter " + name + " must be > 0, was " + value);
        }
        return value;
    }

    public boolean flag(String name) {
        String text = params.get(name);
        return text != null && Boolean.parseBoolean(text.trim());
    }
}
