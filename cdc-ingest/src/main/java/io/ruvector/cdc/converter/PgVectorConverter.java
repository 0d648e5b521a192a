package io.ruvector.cdc.converter;

import io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import org.apache.kafka.connect.data.SchemaBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

/**
 * Debezium custom converter for pgvector columns: {@code vector} and {@code halfvec} become
 * float32 little-endian bytes ({@link VectorWireFormat#DENSE_SCHEMA_NAME}); {@code sparsevec}
 * becomes the packed sparse form ({@link VectorWireFormat#SPARSE_SCHEMA_NAME}).
 *
 * <p>Debezium's built-in pgvector support goes text → boxed doubles, the measured bottleneck of
 * vector CDC; this converter parses the text once into floats. It accepts the streaming form
 * ({@code String}), the snapshot form ({@code PGobject}, via its text) and {@code byte[]}.
 * An UPDATE that left a TOASTed vector untouched arrives as Debezium's unchanged-TOAST marker;
 * it is passed on as an empty byte array ({@link VectorWireFormat#UNAVAILABLE}) so that the
 * normaliser can keep the stored vector instead of wiping it. Bad input fails loudly, naming
 * {@code table.column}: a silent null would delete a vector from the index.
 */
public final class PgVectorConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

    private String placeholder = "__debezium_unavailable_value";

    @Override
    public void configure(Properties props) {
        placeholder = props.getProperty("unavailable.value.placeholder", placeholder);
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        String type = column.typeName() == null ? "" : column.typeName().toLowerCase(Locale.ROOT);
        String where = column.dataCollection() + "." + column.name();
        switch (type) {
            case "vector", "halfvec" -> registration.register(
                    SchemaBuilder.bytes().name(VectorWireFormat.DENSE_SCHEMA_NAME).optional(),
                    value -> convert(value, where, false));
            case "sparsevec" -> registration.register(
                    SchemaBuilder.bytes().name(VectorWireFormat.SPARSE_SCHEMA_NAME).optional(),
                    value -> convert(value, where, true));
            default -> {
                // not ours: Debezium's own converters handle every other column
            }
        }
    }

    private Object convert(Object value, String where, boolean sparse) {
        if (value == null) {
            return null;
        }
        if (isUnchangedToast(value)) {
            return VectorWireFormat.UNAVAILABLE;
        }
        CharSequence text = switch (value) {
            case CharSequence s -> s;
            case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
            default -> value.toString(); // PGobject and friends render pgvector's text form
        };
        try {
            return sparse
                    ? VectorWireFormat.encodeSparse(PgVectorText.parseSparse(text))
                    : PgVectorText.toLittleEndianBytes(PgVectorText.parseDense(text));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read pgvector value of " + where + ": " + e.getMessage(), e);
        }
    }

    private boolean isUnchangedToast(Object value) {
        if (UnchangedToastedReplicationMessageColumn.isUnchangedToastedValue(value)) {
            return true;
        }
        if (value instanceof String s) {
            return s.equals(placeholder);
        }
        return value instanceof byte[] b && b.length == placeholder.length()
                && new String(b, StandardCharsets.UTF_8).equals(placeholder);
    }
}
