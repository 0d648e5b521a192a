package io.ruvector.cdc.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PGobject;

class PgVectorConverterTest {

    private static final byte[] ONE_TWO_MINUS_THREE = PgVectorText.toLittleEndianBytes(new float[] {1f, 2.5f, -3f});

    @ParameterizedTest
    @ValueSource(strings = {"vector", "halfvec", "VECTOR"})
    void shouldRegisterDenseFloat32SchemaWhenColumnIsDensePgvector(String type) {
        Registration registration = register(type);

        assertThat(registration.schema).isNotNull();
        Schema schema = registration.schema.build();
        assertThat(schema.name()).isEqualTo(VectorWireFormat.DENSE_SCHEMA_NAME);
        assertThat(schema.type()).isEqualTo(Schema.Type.BYTES);
        assertThat(schema.isOptional()).isTrue();
    }

    @Test
    void shouldRegisterSparseSchemaWhenColumnIsSparsevec() {
        Registration registration = register("sparsevec");

        assertThat(registration.schema.build().name()).isEqualTo(VectorWireFormat.SPARSE_SCHEMA_NAME);
        byte[] packed = (byte[]) registration.converter.convert("{1:0.5,3:2}/5");
        PgVectorText.SparseFloats back = VectorWireFormat.decodeSparse(packed);
        assertThat(back.dimensions()).isEqualTo(5);
        assertThat(back.indices()).containsExactly(0, 2);
        assertThat(back.values()).containsExactly(0.5f, 2f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "float4", "_float4", "int8", "bytea", "vectors", ""})
    void shouldRegisterNothingWhenColumnIsNotPgvector(String type) {
        Registration registration = register(type);

        assertThat(registration.calls).isZero();
    }

    @Test
    void shouldRegisterNothingWhenTypeNameIsNull() {
        Registration registration = register(null);

        assertThat(registration.calls).isZero();
    }

    @Test
    void shouldWriteFloat32LittleEndianWhenValueIsStreamedText() {
        assertThat((byte[]) register("vector").converter.convert("[1,2.5,-3]")).containsExactly(ONE_TWO_MINUS_THREE);
    }

    @Test
    void shouldWriteFloat32LittleEndianWhenValueIsTextBytes() {
        byte[] text = "[1,2.5,-3]".getBytes(StandardCharsets.UTF_8);

        assertThat((byte[]) register("vector").converter.convert(text)).containsExactly(ONE_TWO_MINUS_THREE);
    }

    @Test
    void shouldWriteFloat32LittleEndianWhenValueIsSnapshotPgObject() throws Exception {
        PGobject object = new PGobject();
        object.setType("vector");
        object.setValue("[1,2.5,-3]");

        assertThat((byte[]) register("vector").converter.convert(object)).containsExactly(ONE_TWO_MINUS_THREE);
    }

    @Test
    void shouldWriteFloat32WhenHalfvecTextIsConverted() {
        assertThat((byte[]) register("halfvec").converter.convert("[1,2.5,-3]")).containsExactly(ONE_TWO_MINUS_THREE);
    }

    @Test
    void shouldReturnNullWhenValueIsNull() {
        assertThat(register("vector").converter.convert(null)).isNull();
        assertThat(register("sparsevec").converter.convert(null)).isNull();
    }

    @Test
    void shouldReturnUnavailableMarkerWhenValueIsUnchangedToast() {
        Object converted = register("vector").converter.convert(UnchangedToastedReplicationMessageColumn.UNCHANGED_TOAST_VALUE);

        assertThat(converted).isSameAs(VectorWireFormat.UNAVAILABLE);
        assertThat((byte[]) converted).isEmpty();
    }

    @Test
    void shouldReturnUnavailableMarkerWhenValueIsThePlaceholderString() {
        assertThat(register("vector").converter.convert("__debezium_unavailable_value")).isSameAs(VectorWireFormat.UNAVAILABLE);
        assertThat(register("sparsevec").converter.convert("__debezium_unavailable_value")).isSameAs(VectorWireFormat.UNAVAILABLE);
        assertThat(register("vector").converter.convert("__debezium_unavailable_value".getBytes(StandardCharsets.UTF_8)))
                .isSameAs(VectorWireFormat.UNAVAILABLE);
    }

    @Test
    void shouldHonourConfiguredPlaceholderWhenPropertyIsSet() {
        Properties props = new Properties();
        props.setProperty("unavailable.value.placeholder", "__toasted");
        Registration registration = register("vector", props);

        assertThat(registration.converter.convert("__toasted")).isSameAs(VectorWireFormat.UNAVAILABLE);
        assertThatThrownBy(() -> registration.converter.convert("__debezium_unavailable_value"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldThrowNamingTableAndColumnWhenTextIsBad() {
        Registration registration = register("vector");

        assertThatThrownBy(() -> registration.converter.convert("[1,oops,3]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public.items.embedding")
                .hasMessageContaining("oops");
        assertThatThrownBy(() -> registration.converter.convert("1,2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public.items.embedding");
    }

    @Test
    void shouldThrowNamingTableAndColumnWhenSparseTextIsBad() {
        Registration registration = register("sparsevec");

        assertThatThrownBy(() -> registration.converter.convert("{1:0.5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public.items.embedding");
    }

    private static Registration register(String type) {
        return register(type, new Properties());
    }

    private static Registration register(String type, Properties props) {
        PgVectorConverter converter = new PgVectorConverter();
        converter.configure(props);
        Registration registration = new Registration();
        converter.converterFor(new Column("public.items", "embedding", type), registration);
        return registration;
    }

    /** Captures what the converter registers. */
    private static final class Registration implements CustomConverter.ConverterRegistration<SchemaBuilder> {
        SchemaBuilder schema;
        CustomConverter.Converter converter;
        int calls;

        @Override
        public void register(SchemaBuilder fieldSchema, CustomConverter.Converter converter) {
            this.schema = fieldSchema;
            this.converter = converter;
            calls++;
        }
    }

    /** Test double of Debezium's column description. */
    private record Column(String dataCollection, String name, String typeName) implements RelationalColumn {
        @Override
        public int jdbcType() {
            return Types.OTHER;
        }

        @Override
        public int nativeType() {
            return 0;
        }

        @Override
        public String typeExpression() {
            return typeName;
        }

        @Override
        public OptionalInt length() {
            return OptionalInt.empty();
        }

        @Override
        public OptionalInt scale() {
            return OptionalInt.empty();
        }

        @Override
        public boolean isOptional() {
            return true;
        }

        @Override
        public Object defaultValue() {
            return null;
        }

        @Override
        public boolean hasDefaultValue() {
            return false;
        }
    }
}
