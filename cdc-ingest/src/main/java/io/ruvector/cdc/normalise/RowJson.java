package io.ruvector.cdc.normalise;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

import java.util.List;

/** A row image as compact JSON text for dead letters; long vectors are abbreviated. */
final class RowJson {

    private static final int MAX_LIST = 16;

    private RowJson() {
    }

    static String of(Struct row) {
        if (row == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("{");
        for (Field f : row.schema().fields()) {
            if (out.length() > 1) {
                out.append(',');
            }
            quote(out, f.name()).append(':');
            value(out, row.get(f));
        }
        return out.append('}').toString();
    }

    private static void value(StringBuilder out, Object v) {
        switch (v) {
            case null -> out.append("null");
            case Number n -> {
                double d = n.doubleValue();
                if (Double.isFinite(d)) {
                    out.append(n);
                } else {
                    quote(out, n.toString());
                }
            }
            case Boolean b -> out.append(b);
            case byte[] b -> quote(out, "<" + b.length + " bytes>");
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < Math.min(list.size(), MAX_LIST); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    value(out, list.get(i));
                }
                if (list.size() > MAX_LIST) {
                    out.append(",\"... ").append(list.size() - MAX_LIST).append(" more\"");
                }
                out.append(']');
            }
            case Struct s -> out.append(of(s));
            default -> quote(out, v.toString());
        }
    }

    private static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
